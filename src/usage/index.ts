/**
 * Which `env` names a Worker's code reads, following the module graph from `main` (as knip's
 * wrangler plugin does) instead of grepping the tree: a file nothing imports does not count.
 * Synchronous; modules are parsed once and shared by every Worker and environment of a run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MemoFs, type AnalysisFs } from './analysis-fs.js';
import { RecordingFs } from './recording-fs.js';
import type { FrontendCode, Location, OpaqueAccess, Usage } from '../model.js';
import type { WorkerUsage } from './worker-usage.js';
import { clientUses, frontendUrls } from './frontend-code.js';
import type { FactsStore } from './facts-cache.js';
import { moduleStillSame, type ModuleSignature, type WorkerEntry, type WorkerStore } from './worker-cache.js';
import { MAX_MODULE_BYTES } from '../defaults.js';
import { FactsSource, type FactsOrError } from './facts-source.js';
import { FEED_MAX_BYTES, likelyModules } from './feed-scan.js';
import { followEnv, type FollowDeps } from './follow-env.js';
import type { EnvCall, EnvRead } from './param-flow.js';
import { viteSourceEntry } from './vite-plugin-entry.js';
import { handlersOf, packageSpecifierMain } from './main-specifier.js';
import { routerAccesses, serviceWorkerAccess } from './unfollowed-env.js';
import { exportsOf } from './main-exports.js';
import { CODE_EXTENSIONS, ModuleResolver } from './resolve.js';
import type { Directive } from '../suppress.js';
import { compareText } from '../compare-text.js';

export type { OpaqueAccess, WorkerUsage };

/**
 * A Pages Functions route: a file whose exports match what wrangler compiles into routes
 * (`generateConfigFromFileTree`, workers-sdk packages/pages-functions/src/routing/filepath-routing.ts).
 */
const ROUTE_FILE = /\.(?:mjs|js|ts|tsx|jsx)$/;
const ROUTE_EXPORT = /^onRequest(?:Get|Post|Put|Patch|Delete|Options|Head)?$/;

/** Every file under `dir` with a route file's extension, sorted (node_modules and links skipped). Iterative. */
function filesUnder(files: AnalysisFs, dir: string): string[] {
  const found: string[] = [];
  const stack = [dir];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    for (const [name, kind] of files.listing(current) ?? []) {
      const full = path.join(current, name);
      if (kind === 'dir' && name !== 'node_modules') stack.push(full);
      else if (kind === 'file' && ROUTE_FILE.test(name)) found.push(full);
    }
  }
  return found.sort();
}

/** A module's read (or one found through a parameter) as the rules see it, in the repository's terms. */
function usageOfRead(file: string, read: EnvRead): Usage {
  return {
    name: read.name,
    at: { file, line: read.line, column: read.column },
    ...(read.guarded ? { guarded: read.guarded } : {}),
    ...(read.requiredBy ? { requiredBy: { says: read.requiredBy.says, at: { file, line: read.requiredBy.line, column: read.requiredBy.column } } } : {}),
    ...(read.alternatives ? { alternatives: read.alternatives } : {}),
  };
}

function toRepoPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** `declaredAt`: where `main` is set, so a bad main is reported at the config line. */
export type UsageAnalyzer = {
  analyzeWorker(main: string, declaredAt?: Location): WorkerUsage;
  /**
   * A frontend's own code (`files`: repo-relative, already limited to that frontend): its Supabase
   * clients and the hosts its URL literals name. Only modules that mention `@supabase/` are parsed.
   */
  analyzeFrontend(dir: string, files: readonly string[]): FrontendCode;
  /** Ends the parse threads, if any ran; call when done. */
  close(): void;
};

/** What one Worker's analysis reads through: its resolver and its modules' facts. */
type WorkerContext = { resolver: ModuleResolver; factsOf: (file: string) => FactsOrError };

/**
 * `store`: the facts cache (facts-cache.ts), when the run uses one; `workers`: the cache of whole
 * Worker results (worker-cache.ts); `threads`: parse threads to use when there is enough to parse,
 * or a function that decides when that moment comes (facts-source.ts; default 1, none).
 */
export function createUsageAnalyzer(opts: { root: string; packageJsonFiles: readonly string[]; store?: FactsStore; workers?: WorkerStore; threads?: number | (() => number) }): UsageAnalyzer {
  const root = opts.root;
  const memo = new MemoFs(root);
  const source = new FactsSource(root, opts.store, opts.threads ?? 1);
  const workerCache = new Map<string, WorkerUsage>();
  const workspaceList = crypto.createHash('sha256').update([...opts.packageJsonFiles].sort().join('\0')).digest('base64url').slice(0, 22);
  /**
   * A module's signature now if it is unchanged since an earlier run took `signature`, else
   * undefined; asked once per run (Workers share modules).
   */
  const sameModules = new Map<string, { signature: ModuleSignature; now: ModuleSignature | undefined }>();
  const moduleNow = (signature: ModuleSignature): ModuleSignature | undefined => {
    const known = sameModules.get(signature[0]);
    if (known && known.signature.every((part, i) => part === signature[i])) return known.now;
    const now = moduleStillSame(root, signature);
    sameModules.set(signature[0], { signature, now });
    return now;
  };
  /** An earlier run's entry with each module's signature now, or undefined when anything changed. */
  const stillValid = (entry: WorkerEntry): WorkerEntry | undefined => {
    if (!memo.stillHolds(entry.journal)) return undefined;
    const modules: ModuleSignature[] = [];
    for (const signature of entry.modules) {
      const now = moduleNow(signature);
      if (!now) return undefined;
      modules.push(now);
    }
    return modules.every((m, i) => m === entry.modules[i]) ? entry : { ...entry, modules };
  };

  /**
   * A Worker's usage: from an earlier run when every answer its analysis was given still holds
   * (analysis-fs.ts) and each of its modules is unchanged, else analysed now and recorded.
   */
  const usageOf = (main: string, declaredAt: Location): WorkerUsage => {
    const store = opts.workers;
    // The workspace packages are the one input discovery hands in rather than the resolver asking
    // for it: a package.json added anywhere can make an import that was external resolve.
    // The root too: an absolute path in a tsconfig or Vite config means something else elsewhere.
    const key = JSON.stringify([root, main, declaredAt, workspaceList]);
    const reused = store?.reuse(key, (entry) => {
      const valid = stillValid(entry);
      // Analysed again: its unchanged modules' facts are read from the cache by their signatures.
      if (!valid) source.knowEarlier(entry.modules);
      return valid;
    });
    if (reused) {
      // Their facts are not needed now, but will be when one of them changes.
      opts.store?.keep(reused.modules.map((m) => m[0]));
      return reused.usage;
    }
    const files = store ? new RecordingFs(memo) : memo;
    const modules = new Map<string, ModuleSignature | undefined>();
    const context: WorkerContext = {
      resolver: new ModuleResolver(root, files, opts.packageJsonFiles),
      factsOf: (file) => {
        const facts = source.factsOf(file);
        if (store && !modules.has(file)) modules.set(file, source.signatureOf(file));
        return facts;
      },
    };
    const usage = analyze(context, main, declaredAt);
    if (store && files instanceof RecordingFs) {
      const signatures = [...modules.values()];
      // A module without a signature (it could not be read, or was read first as a frontend's code)
      // makes the result unsafe to keep.
      if (signatures.every((m) => m !== undefined)) store.record(key, { journal: files.journal(), modules: signatures.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), usage });
    }
    return usage;
  };

  const analyze = (context: WorkerContext, main: string, declaredAt: Location): WorkerUsage => {
    const { resolver, factsOf } = context;
    const usage: WorkerUsage = { reads: [], opaque: [], modules: [], mainExports: [], problems: [], directives: [], supabaseClients: [] };
    const mainAbs = path.resolve(root, main);
    // A folder (a Pages project's functions/): each route file is an entry, `_middleware` included;
    // shared modules (functions/_lib) are reached through their imports like any other.
    const routeFiles = resolver.inside(mainAbs) && resolver.files.listing(mainAbs) !== null ? filesUnder(resolver.files, mainAbs) : undefined;
    if (routeFiles) source.feed(routeFiles, FEED_MAX_BYTES);
    const routes = routeFiles?.filter((f) => { const facts = factsOf(f); return 'error' in facts || facts.exports.some((e) => ROUTE_EXPORT.test(e)); });
    let mainFile = routes ? undefined : resolver.inside(mainAbs) ? resolver.resolvePath(mainAbs) ?? (resolver.isFile(mainAbs) ? mainAbs : undefined) : undefined;
    if (!mainFile && !routes && resolver.inside(mainAbs)) {
      // main names @cloudflare/vite-plugin's build output: analyse the source it is built from.
      const source = viteSourceEntry(resolver, mainAbs, declaredAt.file !== main ? path.resolve(root, declaredAt.file) : undefined);
      if (source) {
        mainFile = source.entry;
        usage.problems.push({ ...declaredAt, message: `main ${main} is @cloudflare/vite-plugin output (built by ${toRepoPath(root, source.viteConfig)} from ${toRepoPath(root, source.workerConfig)}); analysed its source ${toRepoPath(root, source.entry)}` });
      }
    }
    if (!resolver.inside(mainAbs)) {
      usage.missingMain = { main, at: declaredAt, reason: 'outside' };
      return usage;
    }
    if (!mainFile && !routes) {
      const specifier = packageSpecifierMain(resolver, root, main, declaredAt);
      const workspaceModule = specifier !== undefined ? resolver.resolve(specifier, path.resolve(root, declaredAt.file)) : undefined;
      if (workspaceModule?.kind !== 'file') return { ...usage, missingMain: { main: specifier ?? main, at: declaredAt, reason: specifier !== undefined ? 'package' : 'missing' } };
      mainFile = workspaceModule.file;
    }
    if (mainFile && !CODE_EXTENSIONS.includes(path.extname(mainFile))) {
      // A Python Worker (`main = "main.py"`): nothing is known of what it reads or exports.
      const rel = toRepoPath(root, mainFile);
      usage.modules.push(rel);
      const language = path.extname(mainFile) === '.py' ? 'Python' : 'no JavaScript or TypeScript';
      usage.opaque.push({ reason: `${rel} is ${language}, which deploy-guard does not read`, at: { file: rel, line: 1, column: 1 } });
      return { ...usage, mainExportsUnknown: true };
    }
    const entries = routes ?? [mainFile!];
    for (const entry of entries) source.prefetch(entry);
    if (mainFile) source.feed(likelyModules((dir) => memo.listing(dir), path.dirname(mainFile)), FEED_MAX_BYTES);
    const visited = new Set<string>(entries);
    const queue = [...entries];
    const handedOn: { file: string; call: EnvCall }[] = [];
    let listens = false; // a service-worker entry's addEventListener may sit in a module it imports
    while (queue.length > 0) {
      const file = queue.pop()!;
      const rel = toRepoPath(root, file);
      usage.modules.push(rel);
      const facts = factsOf(file);
      if ('error' in facts) {
        usage.problems.push({ file: rel, line: 1, column: 1, message: `${rel} ${facts.error}` });
        usage.opaque.push({ reason: `${rel} was not read`, at: { file: rel, line: 1, column: 1 } });
        continue;
      }
      for (const p of facts.problems) usage.problems.push({ file: rel, line: p.line, column: p.column, message: p.message });
      usage.directives.push(...facts.directives);
      for (const r of facts.reads) usage.reads.push(usageOfRead(rel, r));
      usage.supabaseClients.push(...clientUses(rel, facts.supabaseClients));
      for (const o of facts.opaque) usage.opaque.push({ reason: o.reason, at: { file: rel, line: o.line, column: o.column } });
      for (const call of facts.envCalls) handedOn.push({ file, call });
      usage.opaque.push(...routerAccesses(rel, facts.imports));
      if (facts.listens) listens = true;
      for (const imp of facts.imports) {
        const resolved = resolver.resolve(imp.specifier, file);
        if (resolved.kind === 'file') {
          if (!visited.has(resolved.file)) {
            visited.add(resolved.file);
            queue.push(resolved.file);
            source.prefetch(resolved.file);
          }
        } else if (resolved.kind === 'missing') {
          // The graph is incomplete here: no binding may be called dead on what was not read.
          usage.problems.push({ file: rel, line: imp.line, column: imp.column, message: `${rel}:${imp.line}: ${resolved.reason}; the analysis stopped there, so env reads behind it are not counted` });
          usage.opaque.push({ reason: `the import "${imp.specifier}" could not be resolved, so the code behind it was not read`, at: { file: rel, line: imp.line, column: imp.column } });
        } else if (resolved.kind === 'outside') {
          usage.problems.push({ file: rel, line: imp.line, column: imp.column, message: `${rel}:${imp.line}: "${imp.specifier}" resolves outside the repository and is not read` });
        }
      }
    }
    // env handed to functions (param-flow.ts): their parameters' reads count, what cannot be followed is opaque.
    const followDeps: FollowDeps = { factsOf, resolve: (specifier, from) => resolver.resolve(specifier, from), exportCache: new Map() };
    const followed = followEnv(followDeps, handedOn, (f) => toRepoPath(root, f));
    const seenReads = new Set(usage.reads.map((r) => `${r.at.file}:${r.at.line}:${r.at.column}:${r.name}`));
    for (const r of followed.reads) {
      const key = `${r.file}:${r.line}:${r.column}:${r.name}`;
      if (seenReads.has(key)) continue;
      seenReads.add(key);
      usage.reads.push(usageOfRead(r.file, r));
    }
    for (const o of followed.opaque) usage.opaque.push({ reason: o.reason, at: { file: o.file, line: o.line, column: o.column } });
    const byLocation = (a: { at: Location }, b: { at: Location }) => (a.at.file < b.at.file ? -1 : a.at.file > b.at.file ? 1 : a.at.line - b.at.line || a.at.column - b.at.column);
    usage.reads.sort((a, b) => byLocation(a, b) || compareText(a.name, b.name));
    const mainExports = mainFile ? exportsOf(context.resolver, context.factsOf, mainFile) : [];
    usage.mainExports = mainExports ?? [];
    if (mainExports === null) usage.mainExportsUnknown = true;
    const handlers = mainFile ? handlersOf(factsOf(mainFile)) : undefined;
    if (handlers) usage.handlers = handlers;
    const serviceWorker = mainFile && mainExports ? serviceWorkerAccess(toRepoPath(root, mainFile), mainExports, listens) : undefined;
    if (serviceWorker) usage.opaque.push(serviceWorker);
    usage.opaque.sort(byLocation);
    usage.modules.sort();
    // What was fed and not reached stays unparsed (feed-scan.ts guesses; the walk decides).
    source.dropQueued();
    return usage;
  };

  const analyzeFrontend = (dir: string, files: readonly string[]): FrontendCode => {
    const code: FrontendCode = { path: dir, supabaseClients: [], urls: [] };
    const hosts = new Map<string, Location>();
    for (const rel of files) {
      const file = path.join(root, ...rel.split('/'));
      let text: string;
      try {
        if (fs.statSync(file).size > MAX_MODULE_BYTES) continue;
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const url of frontendUrls(rel, text)) if (!hosts.has(url.host)) hosts.set(url.host, url.at);
      if (!text.includes('@supabase/')) continue;
      const facts = source.factsOfText(file, text);
      if (!('error' in facts)) code.supabaseClients.push(...clientUses(rel, facts.supabaseClients));
    }
    code.urls = [...hosts].map(([host, at]) => ({ host, at })).sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    return code;
  };

  return {
    analyzeFrontend,
    close: () => source.close(),
    analyzeWorker(main: string, declaredAt: Location = { file: main, line: 1, column: 1 }): WorkerUsage {
      let usage = workerCache.get(main);
      if (!usage) {
        usage = usageOf(main, declaredAt);
        workerCache.set(main, usage);
      }
      return usage;
    },
  };
}
