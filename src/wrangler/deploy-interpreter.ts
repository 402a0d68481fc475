/**
 * The interpreter behind deploy-commands.ts: runs the shell text of a script or workflow step
 * (command-line.ts splits it into commands), follows package scripts that run package scripts, and
 * records what each `wrangler` / OpenNext command says about the repository's Worker configs:
 * environments deployed, environments only `wrangler dev` runs, secret names put and, in a
 * workflow, which GitHub secret or variable a put takes its value from. Pure; sources are cited in
 * deploy-commands.ts.
 */
import path from 'node:path';
import type { GitHubValue, Location } from '../model.js';
import {
  findConfig, globPattern, joinDir, packageManagerBinary, shellCommands, toolCommand, UNKNOWN, wranglerArguments,
  type ShellCommand,
} from './command-line.js';
import { scriptCall, taskRunnerScript, type ScriptCall } from './package-scripts.js';
import { githubReferences, withGitHubEnvironment, type Scope } from './workflow-yaml.js';

export type DeployTarget = { path: string; environments: readonly { name: string | null; scriptName: string }[] };
export type PackageSource = { path: string; scripts: Readonly<Record<string, string>>; locate(script: string): { line: number; column: number } };
export type WorkflowSource = { path: string; text: string };
export type DeployNote = { file: string; line: number; column: number; severity: 'note'; message: string };

export type DeployInputs = {
  configs: readonly DeployTarget[];
  packages: readonly PackageSource[];
  workflows: readonly WorkflowSource[];
  /** The names in a file given to `wrangler secret bulk FILE` / `--secrets-file` (repo-relative); undefined when it cannot be read. */
  secretFileNames?: (file: string) => readonly string[] | undefined;
};


/** How deep scripts calling scripts are followed, and how many followed scripts one command may start. */
const MAX_DEPTH = 4;
export const MAX_FOLLOWED = 64;

export type Kind = 'deployed' | 'devOnly' | 'secret';
export type Fact = { config: string; kind: Kind; env: string | null; name?: string; at: Location; via: string; depth: number; from?: GitHubValue };
/** Where a command is written: its location for a 0-based line of the text it is part of. */
export type Origin = { at: (line: number) => Location; via: string };

export type Context = {
  inputs: DeployInputs;
  configPaths: string[];
  packagesByDir: Map<string, PackageSource>;
  /** One fact per (config, kind, environment, name): the most direct command's (least depth), first met. */
  facts: Map<string, Fact>;
  /** Env entries of workflow `run:` steps that take a GitHub secret or variable, first met per (name, folder, mode, source). */
  stepValues: Map<string, StepValue>;
};

/**
 * An env entry of a workflow `run:` step whose value is a GitHub secret or variable: what a build
 * the step runs (`vite build --mode staging`, `next build`) can read. `cwd`: the step's folder;
 * `mode`: a `--mode` the step's command passes.
 */
export type StepValue = { name: string; from: GitHubValue; cwd: string; mode?: string; at: Location; via: string };

/** The package.json a script call in `dir` runs: the nearest at or above it (npm walks up to its project). */
function nearestPackage(ctx: Context, dir: string): PackageSource | undefined {
  let d = path.posix.normalize(dir);
  for (;;) {
    const found = ctx.packagesByDir.get(d);
    if (found) return found;
    if (d === '.' || d === '' || d.startsWith('..') || d.startsWith('/')) return undefined;
    const parent = path.posix.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

function scriptsMatching(pkg: PackageSource, name: string): [string, string][] {
  if (!name.includes(UNKNOWN)) return Object.hasOwn(pkg.scripts, name) ? [[name, pkg.scripts[name]!]] : [];
  if (name.replaceAll(UNKNOWN, '') === '') return [];
  const pattern = globPattern(name);
  return Object.entries(pkg.scripts).filter(([n]) => pattern.test(n)).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** `chain`: the scripts being run (package path + name), so a script that calls itself through others ends. */
export type RunState = {
  depth: number;
  budget: { left: number };
  chain: ReadonlySet<string>;
  buildEnv?: string;
  github?: GitHubContext;
  /** When the caller collects them: the frontend builds the text runs, directly or through scripts, in order. */
  builds?: FrontendBuild[];
};

/** A frontend build a command runs: the folder it runs in (after any `cd`) and the `--mode` it passes. */
export type FrontendBuild = { cwd: string; mode?: string };

/** A frontend framework's build command: `vite build`, `next build`, `astro build`, … */
const BUILD_COMMAND = /^(?:vite|next|astro|nuxt|nuxi|remix|react-router|svelte-kit|react-scripts|vue-cli-service)$/;

/** The build a tool invocation runs, if it is one; OpenNext's `build` and next-on-pages run `next build` themselves. */
function frontendBuild(tool: { tool: string; args: string[] }, cwd: string): FrontendBuild | undefined {
  const builds = ((BUILD_COMMAND.test(tool.tool) || isOpenNext(tool.tool)) && tool.args[0] === 'build') || tool.tool === '@cloudflare/next-on-pages';
  if (!builds) return undefined;
  const i = tool.args.findIndex((a) => a === '--mode' || a.startsWith('--mode='));
  const mode = i === -1 ? undefined : tool.args[i]!.startsWith('--mode=') ? tool.args[i]!.slice('--mode='.length) : tool.args[i + 1];
  return { cwd, ...(mode !== undefined && !mode.includes(UNKNOWN) && mode !== '' ? { mode } : {}) };
}

/**
 * A workflow step's link to GitHub's settings: which env names hold a secret or variable, the job's
 * deployment environment, and the step's own text by line (before `${{ }}` was filled in), so that
 * `echo "${{ secrets.KEY }}" | wrangler secret put NAME` tells where NAME's value comes from.
 */
export type GitHubContext = { scope: Scope; rawLines?: readonly string[] };

/** Reads the commands of one shell text (a script, a `run:` block) and records their facts. */
export function runShell(ctx: Context, text: string, cwd: string, vars: ReadonlyMap<string, string>, origin: Origin, state: RunState, extra: readonly string[] = []): void {
  let buildEnv = state.buildEnv;
  for (const command of shellCommands(text, cwd, vars, extra)) {
    // `CLOUDFLARE_ENV=staging vite build && wrangler deploy`: the build writes the staging config a plain deploy then uses.
    const cfEnv = command.vars.get('CLOUDFLARE_ENV');
    if (cfEnv !== undefined && cfEnv !== '') buildEnv = cfEnv;
    const tool = toolCommand(command.words);
    if (state.builds) {
      const run = tool ?? packageManagerBinary(command.words);
      const build = run && frontendBuild(run, command.cwd);
      if (build) state.builds.push(build);
    }
    if (tool && isWrangler(tool.tool)) {
      wranglerCommand(ctx, tool.args, command, origin, state, buildEnv);
      continue;
    }
    if (tool && isOpenNext(tool.tool)) {
      openNextCommand(ctx, tool.args, command, origin, state, buildEnv);
      continue;
    }
    const task = tool ? taskRunnerScript(tool.tool, tool.args) : undefined;
    if (task !== undefined) {
      follow(ctx, { script: task, args: [], all: true }, command, origin, { ...state, ...(buildEnv !== undefined ? { buildEnv } : {}) });
      continue;
    }
    const call = scriptCall(command.words);
    if (call && follow(ctx, call, command, origin, { ...state, ...(buildEnv !== undefined ? { buildEnv } : {}) })) continue;
    // `yarn wrangler deploy`, `bun run wrangler deploy`: a package binary when no script has that name.
    const binary = packageManagerBinary(command.words);
    if (binary && isWrangler(binary.tool)) wranglerCommand(ctx, binary.args, command, origin, state, buildEnv);
    else if (binary && isOpenNext(binary.tool)) openNextCommand(ctx, binary.args, command, origin, state, buildEnv);
  }
}

function isWrangler(tool: string): boolean {
  return tool === 'wrangler';
}

/** OpenNext's CLI wraps `wrangler deploy` / `wrangler versions upload` and passes `--env` / `--config` on. */
function isOpenNext(tool: string): boolean {
  return tool === 'opennextjs-cloudflare' || tool === '@opennextjs/cloudflare';
}

/** Runs the scripts a call names; false when no package has them (the words may run a binary instead). */
function follow(ctx: Context, call: ScriptCall, command: ShellCommand, origin: Origin, state: RunState): boolean {
  const dir = joinDir(command.cwd, call.dir ?? '.');
  const packages = call.all ? [...ctx.packagesByDir.values()] : [nearestPackage(ctx, dir)].filter((p): p is PackageSource => p !== undefined);
  const scripts = packages.flatMap((pkg) => scriptsMatching(pkg, call.script).map(([name, text]) => ({ pkg, name, text })));
  if (scripts.length === 0) return false;
  if (state.depth >= MAX_DEPTH) return true;
  const at = origin.at(command.line);
  for (const s of scripts) {
    const key = `${s.pkg.path}\0${s.name}`;
    if (state.chain.has(key)) continue;
    if (state.budget.left <= 0) break;
    state.budget.left--;
    const via = `${origin.via} (script "${s.name}"${s.pkg.path === 'package.json' ? '' : ` of ${s.pkg.path}`})`;
    runShell(ctx, s.text, path.posix.dirname(s.pkg.path), command.vars, { at: () => at, via }, { ...state, depth: state.depth + 1, chain: new Set([...state.chain, key]) }, call.args);
  }
  return true;
}

export function record(ctx: Context, fact: Omit<Fact, 'depth'>, state: RunState): void {
  const key = `${fact.config}\0${fact.kind}\0${fact.env ?? '\u0001'}\0${fact.name ?? ''}`;
  const prior = ctx.facts.get(key);
  // A script's own command is a more direct place than the workflow or script that runs it.
  if (!prior || state.depth < prior.depth) ctx.facts.set(key, { ...fact, depth: state.depth });
}

/** Which (config, environment) pairs a command reaches. `name`: the Worker named by `--name`. */
export function targets(ctx: Context, dir: string, config: string | undefined, env: string | undefined, name: string | undefined, kind: Kind): { config: string; env: string | null }[] {
  const out: { config: string; env: string | null }[] = [];
  // `--name X` names the Worker itself (secret commands; deploy without a config): match it to the environment whose script name it is.
  const byName = (scriptName: string) => {
    if (scriptName.replaceAll(UNKNOWN, '').replace(/[-_]/g, '') === '') return;
    const pattern = globPattern(scriptName);
    for (const c of ctx.inputs.configs) for (const e of c.environments) if (pattern.test(e.scriptName)) out.push({ config: c.path, env: e.name });
  };
  const legacyName = name !== undefined && env !== undefined && env !== '' ? `${name}-${env}` : name;
  if (name !== undefined && kind === 'secret') {
    byName(legacyName!);
    return out;
  }
  const configs = findConfig(dir, ctx.configPaths, config);
  if (configs.length === 0) {
    if (name !== undefined) byName(legacyName!);
    return out;
  }
  for (const c of configs) {
    const target = ctx.inputs.configs.find((t) => t.path === c);
    for (const e of environmentsFor(target, env, kind)) out.push({ config: c, env: e });
  }
  return out;
}

/**
 * The environments `--env VALUE` selects. A value the repository does not fully say (`${{ inputs.env }}`)
 * selects every environment whose name fits for a deploy (so no deployed environment escapes the
 * rules) and none for a secret or `wrangler dev` (a guess there would hide or drop findings).
 */
function environmentsFor(target: DeployTarget | undefined, env: string | undefined, kind: Kind): (string | null)[] {
  if (env === undefined || env === '') return [null];
  if (!env.includes(UNKNOWN)) return [env];
  if (kind !== 'deployed') return [];
  const names = (target?.environments ?? []).map((e) => e.name);
  if (env.replaceAll(UNKNOWN, '') === '') return [...new Set(names)];
  const pattern = globPattern(env);
  const fits = [...new Set(names.filter((n): n is string => n !== null && pattern.test(n)))];
  return fits.length > 0 ? fits : [null];
}

function wranglerCommand(ctx: Context, args: readonly string[], command: ShellCommand, origin: Origin, state: RunState, buildEnv: string | undefined): void {
  const a = wranglerArguments(args, command.cwd);
  const [sub, sub2, sub3] = a.positionals;
  const env = a.env ?? command.vars.get('CLOUDFLARE_ENV');
  const at = origin.at(command.line);
  const secretNames = (names: readonly string[], from?: (name: string) => GitHubValue | undefined) => {
    for (const t of targets(ctx, a.cwd, a.config, env, a.name, 'secret')) {
      for (const name of names) {
        const source = from?.(name);
        record(ctx, { config: t.config, kind: 'secret', env: t.env, name, at, via: origin.via, ...(source ? { from: source } : {}) }, state);
      }
    }
  };
  const fileNames = (file: string | undefined) => {
    if (file === undefined || file.includes(UNKNOWN)) return;
    const names = ctx.inputs.secretFileNames?.(joinDir(a.cwd, file));
    if (names) secretNames(names.filter(validName));
  };
  const isVersions = sub === 'versions';
  const verb = isVersions ? sub2 : sub;
  if (verb === 'deploy' || verb === 'publish' || (isVersions && sub2 === 'upload')) {
    const script = isVersions ? undefined : sub2;
    const dir = script !== undefined && !script.includes(UNKNOWN) ? path.posix.dirname(joinDir(a.cwd, script)) : a.cwd;
    for (const t of targets(ctx, dir, a.config, env ?? buildEnv, a.name, 'deployed')) {
      record(ctx, { config: t.config, kind: 'deployed', env: t.env, at, via: origin.via }, state);
      // `--var NAME:VALUE` gives the deployed Worker that var: a name this command supplies.
      for (const name of a.vars) record(ctx, { config: t.config, kind: 'secret', env: t.env, name, at, via: origin.via }, state);
    }
    if (a.secretsFile !== undefined) fileNames(a.secretsFile);
    return;
  }
  if (sub === 'dev' && env !== undefined && env !== '') {
    for (const t of targets(ctx, a.cwd, a.config, env, undefined, 'devOnly')) if (t.env !== null) record(ctx, { config: t.config, kind: 'devOnly', env: t.env, at, via: origin.via }, state);
    return;
  }
  const secret = isVersions ? (sub2 === 'secret' ? sub3 : undefined) : sub === 'secret' ? sub2 : sub === 'secret:bulk' ? 'bulk' : undefined;
  const operand = isVersions ? a.positionals[3] : sub === 'secret:bulk' ? sub2 : sub3;
  if (secret === 'put' && operand !== undefined && validName(operand)) secretNames([operand], (name) => putSource(state, command, name));
  else if (secret === 'bulk') fileNames(operand);
}

/**
 * Where the value piped to `wrangler secret put NAME` comes from: the one GitHub secret or variable
 * the command's line names (`echo "${{ secrets.KEY }}" | …`, or `$VAR` of an env entry that holds
 * one), else the env entry named NAME itself (wrangler-action's convention). Undefined outside a
 * workflow, or when the line names several.
 */
function putSource(state: RunState, command: ShellCommand, name: string): GitHubValue | undefined {
  const github = state.github;
  if (!github) return undefined;
  const { scope } = github;
  const raw = state.depth === 0 ? github.rawLines?.[command.line] : undefined;
  const named = new Map<string, Omit<GitHubValue, 'environment'>>();
  if (raw !== undefined) {
    for (const ref of githubReferences(raw)) named.set(`${ref.store}.${ref.key}`, ref);
    for (const m of raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const ref = scope.sources.get(m[1]!);
      if (ref) named.set(`${ref.store}.${ref.key}`, ref);
    }
  }
  const ref = named.size === 1 ? [...named.values()][0] : named.size === 0 ? scope.sources.get(name) : undefined;
  return ref ? withGitHubEnvironment(ref, scope) : undefined;
}

function openNextCommand(ctx: Context, args: readonly string[], command: ShellCommand, origin: Origin, state: RunState, buildEnv: string | undefined): void {
  const a = wranglerArguments(args, command.cwd);
  const sub = a.positionals[0];
  if (sub !== 'deploy' && sub !== 'upload') return;
  const env = a.env ?? command.vars.get('CLOUDFLARE_ENV') ?? buildEnv;
  const at = origin.at(command.line);
  for (const t of targets(ctx, a.cwd, a.config, env, undefined, 'deployed')) record(ctx, { config: t.config, kind: 'deployed', env: t.env, at, via: origin.via }, state);
}

/** A secret name as wrangler accepts it from the command line: a word, no unknown part. */
export function validName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
