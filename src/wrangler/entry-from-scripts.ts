/**
 * A Worker's entry given on the command line (issue 14 item 3): `"deploy": "wrangler deploy
 * src/index.ts"` in package.json, no `main` in the config. wrangler takes the positional `script`
 * as the entry and, without `--config`, looks for the config from the script's folder upwards
 * (`args.config || (args.script && findWranglerConfig(path.dirname(args.script)))` in
 * packages/wrangler/src/deploy/index.ts of cloudflare/workers-sdk). `wrangler publish` is the old
 * name of `wrangler deploy` and takes the same arguments.
 *
 * Pure: scripts in, entries out. Shell syntax is read only as far as deploy scripts use it:
 * `&&`, `||`, `;`, `|` separate commands, `cd DIR &&` moves the folder, `npx` / `pnpm exec` /
 * `pnpm dlx` / `yarn` / `bunx` / `npm exec --` run wrangler, quotes group words.
 */
import path from 'node:path';

export type ScriptEntry = {
  /** The package.json script's name (`deploy`, `deploy:staging`). */
  script: string;
  /** The entry, relative to the package folder, with forward slashes. */
  entry: string;
  /** `--env NAME` / `-e NAME`, when given. */
  env?: string;
  /** `--config FILE` / `-c FILE`, relative to the package folder, when given. */
  config?: string;
};

/** wrangler deploy flags that take no value (deploy/index.ts `deployOptions`, global flags). */
const BOOLEAN_FLAGS = new Set([
  'bundle', 'no-bundle', 'latest', 'minify', 'node-compat', 'dry-run', 'keep-vars', 'legacy-env', 'logpush', 'upload-source-maps',
  'help', 'h', 'version', 'v', 'strict', 'experimental-versions', 'x-versions', 'experimental-auto-create', 'x-auto-create',
  'experimental-provision', 'x-provision', 'experimental-remote-bindings', 'x-remote-bindings', 'metafile',
]);
/** Flags that take a value (deployOptions, global flags, newer additions). */
const VALUE_FLAGS = new Set([
  'name', 'outdir', 'compatibility-date', 'compatibility-flags', 'compatibility-flag', 'assets', 'format', 'experimental-public', 'public',
  'legacy-assets', 'site', 'site-include', 'site-exclude', 'var', 'define', 'alias', 'triggers', 'schedule', 'schedules', 'routes', 'route',
  'jsx-factory', 'jsx-fragment', 'tsconfig', 'old-asset-ttl', 'dispatch-namespace', 'config', 'c', 'env', 'e', 'cwd', 'env-file', 'tag',
  'message', 'containers-rollout', 'secrets-file', 'domain', 'domains',
]);
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const RUNNERS = new Set(['npx', 'bunx', 'pnpx']);

/** Words of one command line, quotes removed; operators as their own words. */
function words(command: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  let has = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else current += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (has || current) out.push(current);
      current = '';
      has = false;
      continue;
    }
    const two = command.slice(i, i + 2);
    if (two === '&&' || two === '||' || c === ';' || c === '|' || c === '&') {
      if (has || current) out.push(current);
      out.push(two === '&&' || two === '||' ? two : c);
      current = '';
      has = false;
      if (two === '&&' || two === '||') i++;
      continue;
    }
    current += c;
    has = true;
  }
  if (has || current) out.push(current);
  return out;
}

const OPERATORS = new Set(['&&', '||', ';', '|', '&']);

/** The arguments after `wrangler deploy` / `wrangler publish` in one command, or undefined. */
function deployArguments(command: string[]): string[] | undefined {
  let i = 0;
  while (i < command.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(command[i]!)) i++; // FOO=bar wrangler …
  const first = command[i];
  if (first !== undefined && RUNNERS.has(first)) i++;
  else if (first === 'pnpm' && (command[i + 1] === 'exec' || command[i + 1] === 'dlx')) i += 2;
  else if (first === 'npm' && command[i + 1] === 'exec') i += command[i + 2] === '--' ? 3 : 2;
  else if (first === 'yarn' || first === 'bun') i += command[i + 1] === 'x' || command[i + 1] === 'run' ? 2 : 1;
  while (command[i]?.startsWith('-')) i++; // npx -y, npx --yes
  const tool = command[i];
  if (tool === undefined || !/^wrangler(@[^\s]+)?$/.test(tool.replace(/^.*node_modules\/\.bin\//, ''))) return undefined;
  const sub = command[i + 1];
  return sub === 'deploy' || sub === 'publish' ? command.slice(i + 2) : undefined;
}

function parseDeploy(args: string[], cwd: string): { entry?: string; env?: string; config?: string } {
  const out: { entry?: string; env?: string; config?: string } = {};
  let dir = cwd;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') continue;
    if (arg.startsWith('-')) {
      const body = arg.replace(/^-+/, '');
      const eq = body.indexOf('=');
      const flag = eq === -1 ? body : body.slice(0, eq);
      let value = eq === -1 ? undefined : body.slice(eq + 1);
      const next = args[i + 1];
      if (value === undefined && next !== undefined && !next.startsWith('-') && !BOOLEAN_FLAGS.has(flag) && !flag.startsWith('no-')) {
        // An unknown flag before an entry-looking word is taken as a switch (a newer wrangler's).
        if (VALUE_FLAGS.has(flag) || !CODE_FILE.test(next)) {
          value = next;
          i++;
        }
      }
      if (value === undefined) continue;
      if (flag === 'env' || flag === 'e') out.env = value;
      else if (flag === 'config' || flag === 'c') out.config = path.posix.join(dir, value.replace(/\\/g, '/'));
      else if (flag === 'cwd') dir = path.posix.join(dir, value.replace(/\\/g, '/'));
      continue;
    }
    if (out.entry === undefined) out.entry = path.posix.join(dir, arg.replace(/\\/g, '/'));
  }
  return out;
}

/**
 * Every `wrangler deploy <entry>` in a package.json's scripts, in script-name order. Scripts
 * calling other scripts (`npm run deploy:api`) are not followed: the called script is read itself.
 */
export function deployEntriesFromScripts(scripts: unknown): ScriptEntry[] {
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) return [];
  const entries: ScriptEntry[] = [];
  for (const [name, value] of Object.entries(scripts as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof value !== 'string' || !value.includes('wrangler')) continue;
    const all = words(value);
    let cwd = '.';
    let start = 0;
    for (let i = 0; i <= all.length; i++) {
      if (i < all.length && !OPERATORS.has(all[i]!)) continue;
      const command = all.slice(start, i);
      start = i + 1;
      if (command[0] === 'cd' && command[1] !== undefined) {
        cwd = path.posix.join(cwd, command[1].replace(/\\/g, '/'));
        continue;
      }
      const args = deployArguments(command);
      if (!args) continue;
      const parsed = parseDeploy(args, cwd);
      if (parsed.entry === undefined) continue;
      entries.push({ script: name, entry: parsed.entry, ...(parsed.env !== undefined ? { env: parsed.env } : {}), ...(parsed.config !== undefined ? { config: parsed.config } : {}) });
    }
  }
  return entries;
}

/**
 * The entry for one environment of a config: a script naming this environment (`--env NAME`),
 * else one without `--env`, else any; among several, the script named `deploy` first, then by name.
 * `applies`: whether a script's entry/`--config` points at this config (the caller knows the tree).
 */
export function pickEntry(entries: readonly ScriptEntry[], environment: string | null): ScriptEntry | undefined {
  const rank = (e: ScriptEntry) => (e.script === 'deploy' ? 0 : 1);
  const sorted = [...entries].sort((a, b) => rank(a) - rank(b) || (a.script < b.script ? -1 : a.script > b.script ? 1 : 0));
  return (environment !== null ? sorted.find((e) => e.env === environment) : undefined) ?? sorted.find((e) => e.env === undefined) ?? sorted[0];
}

/**
 * The config `wrangler deploy <entry>` uses when run in `packageDir`: `--config`, else the
 * nearest of `configs` in the entry's folder or above (wrangler's `findWranglerConfig`, which
 * stops at the first folder holding one). All paths repo-relative with forward slashes.
 */
export function configForEntry(packageDir: string, entry: ScriptEntry, configs: readonly string[]): string | undefined {
  const known = new Set(configs);
  if (entry.config !== undefined) {
    const file = path.posix.normalize(path.posix.join(packageDir, entry.config));
    return known.has(file) ? file : undefined;
  }
  const byDir = new Map<string, string>();
  for (const c of configs) byDir.set(path.posix.dirname(c), c);
  let dir = path.posix.dirname(path.posix.normalize(path.posix.join(packageDir, entry.entry)));
  for (;;) {
    const found = byDir.get(dir);
    if (found) return found;
    if (dir === '.' || dir === '' || dir.startsWith('..')) return undefined;
    const parent = path.posix.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The deploy scripts of one package.json, with where each script is written. */
export type PackageScripts = { path: string; entries: ScriptEntry[]; locate(script: string): { line: number; column: number } };

/** What the read stage knows of a config without a main: Pages projects and assets-only Workers need none. */
export type ConfigKind = { pages: boolean; assets: boolean };

type Located = { entry: ScriptEntry; pkg: PackageScripts };

/**
 * Gives each deployed environment without `main` the entry its deploy script passes to wrangler,
 * and says so in a note; for a Worker with code (not Pages, not assets-only) where no script
 * names one, a note says its code was not analysed. Returns the patched configs and the notes.
 */
export function applyScriptEntries<W extends { path: string; environments: E[] }, E extends { name: string | null; dev?: boolean; main?: string; mainAt?: { file: string; line: number; column: number } }>(
  workers: readonly W[],
  packages: readonly PackageScripts[],
  kinds: ReadonlyMap<string, ConfigKind>,
): { workers: W[]; notes: { file: string; line: number; column: number; message: string; severity: 'note' }[] } {
  const configs = workers.map((w) => w.path);
  const byConfig = new Map<string, Located[]>();
  for (const pkg of packages) {
    const dir = path.posix.dirname(pkg.path);
    for (const entry of pkg.entries) {
      const config = configForEntry(dir, entry, configs);
      if (config === undefined) continue;
      byConfig.set(config, [...(byConfig.get(config) ?? []), { entry, pkg }]);
    }
  }
  const notes: { file: string; line: number; column: number; message: string; severity: 'note' }[] = [];
  const patched = workers.map((worker) => {
    const kind = kinds.get(worker.path);
    const missing = worker.environments.filter((e) => !e.dev && e.main === undefined);
    if (missing.length === 0 || kind?.pages) return worker;
    const located = byConfig.get(worker.path) ?? [];
    if (located.length === 0) {
      if (!kind?.assets) notes.push({ file: worker.path, line: 1, column: 1, severity: 'note', message: `${worker.path} sets no main, and no package.json script passes an entry to \`wrangler deploy\` for it: the Worker's code was not analysed, so its bindings are not checked against it.` });
      return worker;
    }
    const told = new Set<string>();
    const environments = worker.environments.map((env) => {
      if (env.dev || env.main !== undefined) return env;
      const chosen = pickEntry(located.map((l) => l.entry), env.name);
      const from = located.find((l) => l.entry === chosen)!;
      const main = path.posix.normalize(path.posix.join(path.posix.dirname(from.pkg.path), from.entry.entry));
      const at = from.pkg.locate(from.entry.script);
      const key = `${from.pkg.path}\0${from.entry.script}`;
      if (!told.has(key)) {
        told.add(key);
        notes.push({ file: worker.path, line: 1, column: 1, severity: 'note', message: `${worker.path} sets no main; deploy-guard analysed ${main}, the entry the script "${from.entry.script}" (${from.pkg.path}:${at.line}) passes to \`wrangler deploy\`.` });
      }
      return { ...env, main, mainAt: { file: from.pkg.path, line: at.line, column: at.column } };
    });
    return { ...worker, environments };
  });
  return { workers: patched, notes };
}
