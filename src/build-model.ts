/**
 * From what the readers returned (plus deploy-time values) to the DeploymentModel: frontends per
 * build mode, Workers per environment (deployed and `wrangler dev`), each with the Supabase
 * evidence it carries, and the pairs of surfaces that must agree. Pure: no I/O here.
 */
import path from 'node:path/posix';
import { classifyValue, isBrowserExposed, looksLikeNamedSecret, plaintextSecretKind } from './classify.js';
import { frontendEnvFiles, frontendModes, isManifestFile, wranglerDevFiles } from './layers.js';
import type {
  CommittedSecret,
  CodeUsage, DeclaredSecret, DeployFacts, DeploymentModel, EnvFileFacts, FrontendCode, Location, ReadProblem, Surface, SurfaceCall, Value, WorkerConfig, WorkerEnvironment,
} from './model.js';
import { pairSurfaces, type PairingRule } from './pairing.js';
import { Sensitive } from './sensitive.js';
import { isPlatformHost, parseUrl } from './supabase/urls.js';
import { clientInputs, compareLocation, evidenceOf, undecidedWorker, withLinkedProject, type LayeredVariable } from './supabase/evidence.js';
import { frontendSupplied, workerSupplied, workflowModes } from './supabase/supplied.js';
import { isDeployedBy, workerEnvironmentLabel, workerSurfaceEnvironment } from './environment-names.js';
import { frontendDirectories } from './frontends.js';
import { frontendValues, unloadedFileProblem, wranglerDotEnvValues } from './env-values.js';
import { compareText } from './compare-text.js';
import { committedSecrets, envFileFacts } from './secret-facts.js';
import { dirOf, groupBy, type CommittedSecretPlace, type DeployValues, type LoadedEnvFile, type LoadedWorkerConfig, type RepoData } from './repo-data.js';

export type BuildOptions = {
  deploy?: DeployValues;
  /** Explicit pairs from the config file replace the default name-based pairing. */
  pairs?: PairingRule[];
  /** Folders the config file declares as frontends. */
  frontends?: readonly string[];
  /** What the code says: usage per Worker `main`, and each frontend's own code. */
  code?: { usage: Readonly<Record<string, CodeUsage>>; frontends: readonly FrontendCode[] };
};

function baseName(file: string): string {
  return path.basename(file);
}

function at(file: string, line: number, column: number): Location {
  return { file, line, column };
}

/** Layers env files in order, a later file's value replacing an earlier one's, without expansion (`.dev.vars`). */
function layer(files: readonly LoadedEnvFile[]): Map<string, LayeredVariable> {
  const vars = new Map<string, LayeredVariable>();
  for (const file of files) {
    for (const entry of file.entries) {
      vars.set(entry.name, {
        name: entry.name,
        value: classifyValue(entry.name, entry.value, 'file'),
        at: at(file.path, entry.line, entry.column),
        source: 'file',
      });
    }
  }
  return vars;
}

/** Names a surface declares without giving values: templates such as `.env.example`. */
function manifestNames(files: readonly LoadedEnvFile[]): Map<string, Location> {
  const names = new Map<string, Location>();
  for (const file of files) {
    if (!isManifestFile(baseName(file.path))) continue;
    for (const entry of file.entries) if (!names.has(entry.name)) names.set(entry.name, at(file.path, entry.line, entry.column));
  }
  return names;
}

function deployedVariable(name: string, text: string, declaredAt: Location): LayeredVariable {
  // Everything handed in by the workflow is treated as secret, whatever its name.
  return { name, value: new Sensitive(text, true), at: declaredAt, source: 'deploy-env' };
}

function buildFrontendSurfaces(data: RepoData, deploy: DeployValues | undefined, declaredFrontends: readonly string[], code: readonly FrontendCode[]): { surfaces: Surface[]; problems: ReadProblem[] } {
  const surfaces: Surface[] = [];
  const unloaded = new Map<string, ReadProblem>();
  const envFilesByDir = groupBy(data.envFiles.filter((f) => !baseName(f.path).startsWith('.dev.vars')), (f) => dirOf(f.path));
  const codeByDir = new Map(code.map((c) => [c.path, c]));
  const frontends = [...frontendDirectories(data, declaredFrontends)].sort(([a], [b]) => (a < b ? -1 : 1));
  const allDirs = frontends.map(([dir]) => dir);
  const packageNames = new Map(data.packageJsons.flatMap((p) => (p.name ? [[dirOf(p.path), p.name] as const] : [])));
  const supabasePackages = new Set(data.packageJsons.filter((p) => [...p.dependencies].some((d) => d.startsWith('@supabase/'))).map((p) => dirOf(p.path)));
  const usesSupabase = (dir: string, clientCount: number) => clientCount > 0 || supabasePackages.has(dir);
  for (const [dir, framework] of frontends) {
    const files = envFilesByDir.get(dir) ?? [];
    const ownCode = codeByDir.get(dir);
    const clients = ownCode?.supabaseClients ?? [];
    const byName = new Map(files.map((f) => [baseName(f.path), f]));
    const declared = manifestNames(files);
    for (const f of files) for (const e of f.entries) if (!declared.has(e.name)) declared.set(e.name, at(f.path, e.line, e.column));
    // A name the code hands to a client is one the build reads, so a deploy-time value counts for it.
    for (const c of clients) for (const arg of [...c.url, ...c.key]) if (arg.kind === 'env' && !declared.has(arg.name)) declared.set(arg.name, arg.at);
    const modes = new Set([...frontendModes(framework, [...byName.keys()]), ...(framework === 'vite' ? workflowModes(data.workflowValues ?? [], dir, allDirs) : [])]);
    for (const mode of [...modes].sort()) {
      const layerFiles = frontendEnvFiles(framework, mode).map((n) => byName.get(n)).filter((f): f is LoadedEnvFile => f !== undefined);
      const handedIn = deploy && deploy.environment === mode ? deploy.values : undefined;
      const { vars, failedFiles } = frontendValues(framework, layerFiles, handedIn, (name) => declared.get(name) ?? at(dir, 1, 1));
      for (const failed of failedFiles) if (!unloaded.has(failed.path)) unloaded.set(failed.path, unloadedFileProblem(failed));
      if (deploy && deploy.environment === mode) {
        for (const [name, declaredAt] of declared) {
          const text = deploy.values.get(name);
          if (text !== undefined) vars.set(name, deployedVariable(name, text, declaredAt));
        }
      }
      const inputs = clientInputs(clients, vars);
      const supplied = frontendSupplied(data.workflowValues ?? [], { dir, mode, allDirs, declared, clients });
      const nothing = layerFiles.length === 0 && vars.size === 0 && inputs.literals.length === 0 && supplied.length === 0;
      // A frontend that uses Supabase and commits no value still shows, once, for the build that ships.
      const undecided = nothing && mode === 'production' && usesSupabase(dir, clients.length) ? `no ${framework === 'next' ? 'NEXT_PUBLIC_' : 'VITE_'}SUPABASE_* value is committed; the build may take it from its environment` : undefined;
      if (nothing && !undecided) continue;
      const name = packageNames.get(dir) ?? (dir === '.' ? 'at the repository root' : dir);
      surfaces.push({
        kind: 'frontend',
        path: dir,
        environment: mode,
        // Named by folder, or at the root by package name: "frontend ." tells a reader nothing.
        label: `frontend ${dir === '.' ? name : dir} (${framework}, mode ${mode})`,
        name,
        ...(undecided ? { undecided } : {}),
        sources: [...new Set([...layerFiles.map((f) => f.path), ...clients.map((c) => c.at.file)])],
        evidence: evidenceOf(vars.values(), inputs),
        calls: callsOf(vars.values(), ownCode?.urls ?? []),
        ...(supplied.length > 0 ? { supplied } : {}),
      });
    }
  }
  return { surfaces, problems: [...unloaded.values()] };
}

/**
 * The hosts a frontend mode names outside Supabase: http(s) values of its variables (its API base)
 * and URL literals in its code. Pairing matches them against Workers' routes. Hosts only: never a
 * path, query or userinfo.
 */
function callsOf(vars: Iterable<LayeredVariable>, codeUrls: readonly { host: string; at: Location }[]): SurfaceCall[] {
  const calls: SurfaceCall[] = [];
  for (const v of vars) {
    const text = v.value.reveal().trim();
    if (!/^https?:\/\//i.test(text)) continue;
    const url = parseUrl(text);
    if (!url || isPlatformHost(url.hostname.toLowerCase())) continue;
    calls.push({ host: url.hostname.toLowerCase(), via: v.name, at: v.at, fromCode: false });
  }
  for (const u of codeUrls) calls.push({ host: u.host, via: 'a URL in code', at: u.at, fromCode: true });
  return calls.sort((a, b) => compareLocation(a.at, b.at) || compareText(a.host, b.host));
}

/** The local `wrangler dev` environments of a Worker config, built from .dev.vars / dev .env files. */
function devEnvironments(worker: LoadedWorkerConfig, envFiles: readonly LoadedEnvFile[]): WorkerEnvironment[] {
  const dir = dirOf(worker.path);
  const local = envFiles.filter((f) => dirOf(f.path) === dir && !isManifestFile(baseName(f.path)));
  const byName = new Map(local.map((f) => [baseName(f.path), f]));
  const existing = new Set(byName.keys());
  const result: WorkerEnvironment[] = [];
  // `wrangler pages dev` runs a Pages project's top level, which is none of its deployments.
  for (const base of worker.local ? [worker.local] : worker.environments) {
    // The top level always has a dev variant; an [env.NAME] only when it has dev files of its own.
    if (base.name !== null && !existing.has(`.dev.vars.${base.name}`) && !existing.has(`.env.${base.name}`)) continue;
    const { files, source } = wranglerDevFiles(base.name, existing);
    const loaded = files.map((n) => byName.get(n)).filter((f): f is LoadedEnvFile => f !== undefined);
    const values = source === 'dev-env' ? wranglerDotEnvValues(loaded) : layer(loaded);
    const secrets: DeclaredSecret[] = [...values.values()].map((v) => ({ name: v.name, source, at: v.at, value: { value: v.value, at: v.at, ...(v.expansion ? { expansion: v.expansion } : {}) } }));
    result.push({ ...base, dev: true, secrets: mergeSecrets(base.secrets, secrets) });
  }
  return result;
}

/**
 * Templates beside a Worker's config (`.dev.vars.example` and friends) list the secrets it needs,
 * whatever else lives in that folder: with `@cloudflare/vite-plugin` the Worker shares its folder
 * with a Vite frontend, whose browser-exposed names in a `.env.example` are not the Worker's.
 */
function withManifestSecrets(env: WorkerEnvironment, worker: LoadedWorkerConfig, envFiles: readonly LoadedEnvFile[]): WorkerEnvironment {
  const dir = dirOf(worker.path);
  const names = new Map<string, Location>();
  for (const file of envFiles) {
    const name = baseName(file.path);
    if (dirOf(file.path) !== dir || !isManifestFile(name)) continue;
    const forWorker = name.startsWith('.dev.vars');
    for (const entry of file.entries) {
      if ((forWorker || !isBrowserExposed(entry.name)) && !names.has(entry.name)) names.set(entry.name, at(file.path, entry.line, entry.column));
    }
  }
  const declared = new Set([...Object.keys(env.vars), ...env.bindings.map((b) => b.name)]);
  const manifest: DeclaredSecret[] = [...names].filter(([name]) => !declared.has(name)).map(([name, loc]) => ({ name, source: 'manifest', at: loc }));
  return manifest.length === 0 ? env : { ...env, secrets: mergeSecrets(manifest, env.secrets) };
}

/**
 * Secrets a repository command puts for this deployed environment (`wrangler secret put NAME`,
 * wrangler-action `secrets:`; wrangler/deploy-commands.ts): declared, with where the command is.
 * A put without `--env` targets the top level. Other declarations of a name keep their source.
 */
function withDeploySecrets(env: WorkerEnvironment, worker: LoadedWorkerConfig): WorkerEnvironment {
  if (env.dev || !worker.deploy) return env;
  const declared = new Set([...Object.keys(env.vars), ...env.bindings.map((b) => b.name)]);
  const put: DeclaredSecret[] = worker.deploy.secrets
    .filter((s) => s.env === env.name && !declared.has(s.name))
    .map((s) => ({ name: s.name, source: 'deploy-command', at: s.at }));
  return put.length === 0 ? env : { ...env, secrets: mergeSecrets(put, env.secrets) };
}

/** Later declarations of the same name replace earlier ones (a value beats a bare name). */
function mergeSecrets(first: readonly DeclaredSecret[], second: readonly DeclaredSecret[]): DeclaredSecret[] {
  const byName = new Map<string, DeclaredSecret>();
  for (const s of [...first, ...second]) {
    const prior = byName.get(s.name);
    if (!prior || s.value || !prior.value) byName.set(s.name, s);
  }
  return [...byName.values()].sort((a, b) => compareText(a.name, b.name));
}

function applyDeployValues(worker: LoadedWorkerConfig, envs: WorkerEnvironment[], envFiles: readonly LoadedEnvFile[], deploy: DeployValues): WorkerEnvironment[] {
  const dir = dirOf(worker.path);
  const manifests = manifestNames(envFiles.filter((f) => dirOf(f.path) === dir));
  const devNames = new Map<string, Location>();
  for (const env of envs) for (const s of env.secrets) if (env.dev && s.at && !devNames.has(s.name)) devNames.set(s.name, s.at);
  return envs.map((env) => {
    if (!isDeployedBy(env, envs, deploy.environment)) return env;
    const declared = new Map<string, Location>();
    for (const [name, loc] of [...manifests, ...devNames]) declared.set(name, loc);
    for (const s of env.secrets) if (s.at) declared.set(s.name, s.at);
    const handedIn: DeclaredSecret[] = [];
    for (const [name, loc] of [...declared].sort(([a], [b]) => compareText(a, b))) {
      // A [vars] entry wins at deploy: wrangler refuses a secret with a var's name.
      if (name in env.vars) continue;
      const text = deploy.values.get(name);
      if (text === undefined) continue;
      handedIn.push({ name, source: 'deploy-env', at: loc, value: { value: new Sensitive(text, true), at: loc } });
    }
    return handedIn.length === 0 ? env : { ...env, secrets: mergeSecrets(env.secrets, handedIn) };
  });
}

/** Reclassifies [vars] values and binding credentials (a service key committed in [vars] is still a secret). */
function classifyVars(env: WorkerEnvironment): WorkerEnvironment {
  const classify = (values: Record<string, Value>): Record<string, Value> =>
    Object.fromEntries(Object.entries(values).map(([name, v]) => [name, { value: classifyValue(name, v.value.reveal(), 'file'), at: v.at }]));
  const bindings = env.bindings.map((b) => (b.credentials ? { ...b, credentials: classify(b.credentials) } : b));
  return { ...env, vars: classify(env.vars), bindings };
}

function workerSurface(env: WorkerEnvironment, usage: CodeUsage | undefined, deploy: DeployFacts | undefined): Surface {
  const vars: LayeredVariable[] = Object.entries(env.vars).map(([name, v]) => ({ name, ...v, source: 'file' }));
  for (const secret of env.secrets) {
    if (!secret.value) continue;
    vars.push({ name: secret.name, ...secret.value, source: secret.source === 'deploy-env' ? 'deploy-env' : 'file' });
  }
  // A secret of the same name overrides a var (dev values do in `wrangler dev`).
  const byName = new Map<string, LayeredVariable>();
  for (const v of vars) byName.set(v.name, v);
  const inputs = clientInputs(usage?.supabaseClients ?? [], byName);
  const supplied = env.dev ? [] : workerSupplied(deploy, env.name, new Set(byName.keys()), usage?.supabaseClients ?? []);
  const evidence = evidenceOf(byName.values(), inputs);
  return {
    kind: 'worker',
    path: env.config,
    environment: workerSurfaceEnvironment(env),
    label: `${env.pages ? 'Pages project' : 'worker'} ${env.scriptName} (${env.config} ${workerEnvironmentLabel(env)})`,
    name: env.scriptName,
    sources: [...new Set([...byName.values(), ...inputs.literals].map((v) => v.at.file))].sort(),
    evidence,
    ...(supplied.length > 0 ? { supplied } : {}),
    ...(evidence.length === 0 && supplied.length === 0 ? undecidedWorker(env.secrets, byName, usage) : {}),
  };
}

export function buildModel(data: RepoData, options: BuildOptions = {}): DeploymentModel {
  const workers: WorkerConfig[] = [...data.workers]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map((worker) => {
      let envs = [...worker.environments, ...devEnvironments(worker, data.envFiles)].map(classifyVars).map((env) => withManifestSecrets(env, worker, data.envFiles)).map((env) => withDeploySecrets(env, worker));
      if (options.deploy) envs = applyDeployValues(worker, envs, data.envFiles, options.deploy);
      return { config: worker.path, environments: envs, ...(worker.deploy ? { deploy: worker.deploy } : {}), ...(worker.documented ? { documented: worker.documented } : {}) };
    });
  const usage = options.code?.usage ?? {};
  const workerSurfaces = workers.flatMap((w) => w.environments.map((env) => workerSurface(env, env.main ? usage[env.main] : undefined, w.deploy)));
  const { surfaces: frontendSurfaces, problems } = buildFrontendSurfaces(data, options.deploy, options.frontends ?? [], options.code?.frontends ?? []);
  const surfaces = [...frontendSurfaces, ...workerSurfaces].map((s) => withLinkedProject(s, data.projectRefs));
  return {
    root: data.root,
    workers,
    surfaces,
    pairs: pairSurfaces(surfaces, workers, options.pairs, usage),
    envFiles: envFileFacts(data),
    ...(data.committedSecrets ? { committedSecrets: committedSecrets(data.committedSecrets) } : {}),
    gitTracking: data.tracked !== undefined,
    usage: {},
    problems,
    supabaseLinks: data.projectRefs.map((p) => ({ path: p.path, ref: p.ref })),
  };
}
