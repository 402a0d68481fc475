/**
 * A Worker's entry given on the command line: `"deploy": "wrangler deploy
 * src/index.ts"` in package.json, no `main` in the config. wrangler takes the positional `script`
 * as the entry and, without `--config`, looks for the config from the script's folder upwards
 * (`args.config || (args.script && findWranglerConfig(path.dirname(args.script)))` in
 * packages/wrangler/src/deploy/index.ts of cloudflare/workers-sdk). `wrangler publish` is the old
 * name of `wrangler deploy` and takes the same arguments.
 *
 * Pure: scripts in, entries out. Command lines are read by `command-line.ts`, shared with
 * `deploy-commands.ts`.
 */
import path from 'node:path';
import { findConfig, joinDir, packageManagerBinary, shellCommands, toolCommand, UNKNOWN, wranglerArguments, type ShellCommand, type WranglerArguments } from './command-line.js';

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

/** `wrangler deploy` / `wrangler publish` in one command: its arguments as wrangler reads them, or undefined. */
function deployArguments(command: ShellCommand): WranglerArguments | undefined {
  const run = toolCommand(command.words) ?? packageManagerBinary(command.words);
  if (run?.tool !== 'wrangler') return undefined;
  const parsed = wranglerArguments(run.args, command.cwd);
  const sub = parsed.positionals[0];
  return sub === 'deploy' || sub === 'publish' ? parsed : undefined;
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
    for (const command of shellCommands(value, '.')) {
      const parsed = deployArguments(command);
      const script = parsed?.positionals[1];
      if (!parsed || script === undefined || script.includes(UNKNOWN)) continue;
      const entry = joinDir(parsed.cwd, script);
      entries.push({ script: name, entry, ...(parsed.env !== undefined ? { env: parsed.env } : {}), ...(parsed.config !== undefined ? { config: parsed.config } : {}) });
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
  if (entry.config !== undefined) return findConfig('.', configs, joinDir(packageDir, entry.config))[0];
  return findConfig(path.posix.dirname(joinDir(packageDir, entry.entry)), configs)[0];
}

/** The deploy scripts of one package.json, with where each script is written. */
export type PackageScripts = { path: string; entries: ScriptEntry[]; locate(script: string): { line: number; column: number } };

/** What the read stage knows of a config without a main: Pages projects and assets-only Workers need none. */
export type ConfigKind = { pages: boolean; assets: boolean };

type Located = { entry: ScriptEntry; pkg: PackageScripts };

/**
 * Gives each deployed environment without `main` the entry its deploy script passes to wrangler,
 * and each environment a script deploys with an entry (`wrangler deploy src/x.ts --env NAME`)
 * that entry in place of its main, as wrangler's `deploy [script]` does; says so in a note. For a
 * Worker with code (not Pages, not assets-only) where no script names one, a note says its code
 * was not analysed. Returns the patched configs and the notes.
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
    const located = byConfig.get(worker.path) ?? [];
    // `wrangler deploy ENTRY --env NAME`: the entry on the command line replaces main for that deploy.
    const exact = (env: E) => located.find((l) => (env.name === null ? l.entry.env === undefined : l.entry.env === env.name));
    const missing = worker.environments.filter((e) => !e.dev && (e.main === undefined || exact(e) !== undefined));
    if (missing.length === 0 || kind?.pages) return worker;
    if (located.length === 0) {
      if (!kind?.assets) notes.push({ file: worker.path, line: 1, column: 1, severity: 'note', message: `${worker.path} sets no main, and no package.json script passes an entry to \`wrangler deploy\` for it: the Worker's code was not analysed, so its bindings are not checked against it.` });
      return worker;
    }
    const told = new Set<string>();
    const environments = worker.environments.map((env) => {
      if (env.dev) return env;
      const overriding = env.main !== undefined ? exact(env) : undefined;
      if (env.main !== undefined && !overriding) return env;
      const from = overriding ?? located.find((l) => l.entry === pickEntry(located.map((x) => x.entry), env.name))!;
      const main = path.posix.normalize(path.posix.join(path.posix.dirname(from.pkg.path), from.entry.entry));
      if (main === env.main) return env;
      const at = from.pkg.locate(from.entry.script);
      const key = `${from.pkg.path}\0${from.entry.script}`;
      if (!told.has(key)) {
        told.add(key);
        const what = overriding ? `deploys ${main}, the entry the script "${from.entry.script}" (${from.pkg.path}:${at.line}) passes to \`wrangler deploy\` in place of its main` : `sets no main; deploy-guard analysed ${main}, the entry the script "${from.entry.script}" (${from.pkg.path}:${at.line}) passes to \`wrangler deploy\``;
        notes.push({ file: worker.path, line: 1, column: 1, severity: 'note', message: `${worker.path} ${what}.` });
      }
      return { ...env, main, mainAt: { file: from.pkg.path, line: at.line, column: at.column } };
    });
    return { ...worker, environments };
  });
  return { workers: patched, notes };
}
