/**
 * What the repository's deploy commands say about each Worker config (issue 14 item 5, DeployFacts
 * in model.ts): which environments are deployed, which only `wrangler dev` runs, and which secret
 * names a command supplies. Read from package.json scripts and `.github/workflows/*.yml`: `run:`
 * steps (multi-line, `working-directory` of the step or `defaults.run`, the workflow's `env:` and
 * the job's `strategy.matrix` filled in as GitHub does before the shell runs) and
 * `cloudflare/wrangler-action` steps. Scripts that call scripts (`npm run deploy:api`, `turbo run
 * deploy`) are followed by name, a few levels deep.
 *
 * Only names are read, never values: `wrangler secret put NAME`, the names in the file given to
 * `wrangler secret bulk FILE` / `--secrets-file FILE` (asked of the caller), wrangler-action's
 * `secrets:` list.
 *
 * Sources (cloudflare/workers-sdk, packages/wrangler/src):
 * - `secret put <key>` and `secret bulk [file]` take `--name`, `--env`, `--config`; the Worker is
 *   `getLegacyScriptName(args, config)`: `--name X` alone is script X, `--name X --env E` is
 *   `X-E`, without `--name` the config's name (secret/index.ts, utils/getLegacyScriptName.ts).
 * - Without `--config`, the config is found from the working folder upwards (`findWranglerConfig`),
 *   from the script's folder for `wrangler deploy <script>` (deploy/index.ts).
 * - `CLOUDFLARE_ENV` selects the environment when `--env` is not given (wrangler 4 changesets
 *   "support CLOUDFLARE_ENV for environment selection"); `@cloudflare/vite-plugin` builds for it
 *   and writes a redirected config that a later plain `wrangler deploy` deploys.
 * - `--env X` without an `[env.X]` deploys the top level's settings as `<name>-X` (wrangler warns).
 * Sources (cloudflare/wrangler-action, src/wranglerAction.ts): `command:` is one wrangler command
 * per line (default `deploy`), run in `workingDirectory` with `--env <environment>` appended when
 * the line has no `--env`; `secrets:` lists names whose values come from the step's env, piped as
 * JSON to `wrangler secret bulk --env <environment>` before the commands; `preCommands` /
 * `postCommands` are shell lines.
 *
 * Pure: texts in, facts out. Never throws on user input; a workflow that is not YAML is a note.
 */
import path from 'node:path';
import type { DeployFacts, GitHubValue, Location } from '../model.js';
import {
  findConfig, globPattern, joinDir, packageManagerBinary, shellCommands, toolCommand, UNKNOWN, WORKSPACE, wranglerArguments,
  type ShellCommand,
} from './command-line.js';
import { scriptCall, taskRunnerScript, type ScriptCall } from './package-scripts.js';
import {
  githubReferences, inputLines, isRecord, jobEnvironment, loadWithPositions, matrixCombinations, runDirectory, scalarText, substitute, withEnv,
  type Scalar, type Scope,
} from './workflow-yaml.js';

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
const MAX_FOLLOWED = 64;

type Kind = 'deployed' | 'devOnly' | 'secret';
type Fact = { config: string; kind: Kind; env: string | null; name?: string; at: Location; via: string; depth: number; from?: GitHubValue };
/** Where a command is written: its location for a 0-based line of the text it is part of. */
type Origin = { at: (line: number) => Location; via: string };

type Context = {
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
type RunState = { depth: number; budget: { left: number }; chain: ReadonlySet<string>; buildEnv?: string; github?: GitHubContext };

/**
 * A workflow step's link to GitHub's settings: which env names hold a secret or variable, the job's
 * deployment environment, and the step's own text by line (before `${{ }}` was filled in), so that
 * `echo "${{ secrets.KEY }}" | wrangler secret put NAME` tells where NAME's value comes from.
 */
type GitHubContext = { scope: Scope; rawLines?: readonly string[] };

/** Reads the commands of one shell text (a script, a `run:` block) and records their facts. */
function runShell(ctx: Context, text: string, cwd: string, vars: ReadonlyMap<string, string>, origin: Origin, state: RunState, extra: readonly string[] = []): void {
  let buildEnv = state.buildEnv;
  for (const command of shellCommands(text, cwd, vars, extra)) {
    // `CLOUDFLARE_ENV=staging vite build && wrangler deploy`: the build writes the staging config a plain deploy then uses.
    const cfEnv = command.vars.get('CLOUDFLARE_ENV');
    if (cfEnv !== undefined && cfEnv !== '') buildEnv = cfEnv;
    const tool = toolCommand(command.words);
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

function record(ctx: Context, fact: Omit<Fact, 'depth'>, state: RunState): void {
  const key = `${fact.config}\0${fact.kind}\0${fact.env ?? '\u0001'}\0${fact.name ?? ''}`;
  const prior = ctx.facts.get(key);
  // A script's own command is a more direct place than the workflow or script that runs it.
  if (!prior || state.depth < prior.depth) ctx.facts.set(key, { ...fact, depth: state.depth });
}

/** Which (config, environment) pairs a command reaches. `name`: the Worker named by `--name`. */
function targets(ctx: Context, dir: string, config: string | undefined, env: string | undefined, name: string | undefined, kind: Kind): { config: string; env: string | null }[] {
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
    for (const t of targets(ctx, dir, a.config, env ?? buildEnv, a.name, 'deployed')) record(ctx, { config: t.config, kind: 'deployed', env: t.env, at, via: origin.via }, state);
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

/** A frontend framework's build command: `vite build`, `next build`, `astro build`, … */
const BUILD_COMMAND = /^(?:vite|next|astro|nuxt|nuxi|remix|react-router|svelte-kit|react-scripts|vue-cli-service)$/;

/**
 * Whether a shell text runs a frontend build, directly or through the package scripts it calls
 * (`npm run build:staging` → `vite build --mode staging`), and the `--mode` it passes. A step that
 * only runs tests (`playwright test`) with Supabase values in its env builds nothing deployed.
 */
function frontendBuild(ctx: Context, text: string, cwd: string, vars: ReadonlyMap<string, string>, depth: number): { cwd: string; mode?: string } | undefined {
  for (const command of shellCommands(text, cwd, vars)) {
    const tool = toolCommand(command.words) ?? packageManagerBinary(command.words);
    // OpenNext's `build` and next-on-pages run `next build` themselves.
    const builds = tool !== undefined && (((BUILD_COMMAND.test(tool.tool) || isOpenNext(tool.tool)) && tool.args[0] === 'build') || tool.tool === '@cloudflare/next-on-pages');
    if (tool && builds) {
      const i = tool.args.findIndex((a) => a === '--mode' || a.startsWith('--mode='));
      const mode = i === -1 ? undefined : tool.args[i]!.startsWith('--mode=') ? tool.args[i]!.slice('--mode='.length) : tool.args[i + 1];
      // The folder the build runs in (after any `cd`) is the frontend it builds.
      return { cwd: command.cwd, ...(mode !== undefined && !mode.includes(UNKNOWN) && mode !== '' ? { mode } : {}) };
    }
    const call = scriptCall(command.words);
    if (!call || depth >= MAX_DEPTH) continue;
    const pkg = nearestPackage(ctx, joinDir(command.cwd, call.dir ?? '.'));
    const script = pkg && !call.script.includes(UNKNOWN) && Object.hasOwn(pkg.scripts, call.script) ? pkg.scripts[call.script] : undefined;
    if (typeof script !== 'string') continue;
    const found = frontendBuild(ctx, [script, ...call.args].join(' '), path.posix.dirname(pkg!.path), command.vars, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function withGitHubEnvironment(ref: Omit<GitHubValue, 'environment'>, scope: Scope): GitHubValue {
  return scope.githubEnvironment !== undefined ? { ...ref, environment: scope.githubEnvironment } : { ...ref };
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
function validName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

// --- workflows -------------------------------------------------------------------------------

function readWorkflow(ctx: Context, workflow: WorkflowSource, notes: DeployNote[]): void {
  let doc: unknown;
  let index: Map<string, Scalar[]>;
  try {
    ({ doc, index } = loadWithPositions(workflow.text));
  } catch (error) {
    const mark = (error as { mark?: { line?: number; column?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? 'not valid YAML';
    const line = (mark?.line ?? 0) + 1;
    notes.push({ file: workflow.path, line, column: (mark?.column ?? 0) + 1, severity: 'note', message: `${workflow.path}:${line}: ${reason}; its deploy commands were not read.` });
    return;
  }
  if (!isRecord(doc) || !isRecord(doc.jobs)) return;
  const taken = new Map<string, number>();
  /** Where a value of this workflow starts; values met in document order take successive places. */
  const locate = (value: string): Scalar => {
    const list = index.get(value);
    const i = taken.get(value) ?? 0;
    taken.set(value, i + 1);
    return list?.[Math.min(i, list.length - 1)] ?? { line: 1, block: undefined };
  };
  const loc = (line: number): Location => ({ file: workflow.path, line, column: 1 });
  const base: Scope = withEnv({ env: new Map([['GITHUB_WORKSPACE', WORKSPACE]]), matrix: {}, sources: new Map() }, doc.env);
  const workflowDir = runDirectory(doc.defaults);
  const envPlaces = (block: unknown): Map<string, Scalar> =>
    new Map(isRecord(block) ? Object.entries(block).flatMap(([k, v]) => (typeof v === 'string' ? [[k, locate(v)] as const] : [])) : []);
  const workflowEnvAt = envPlaces(doc.env);

  for (const [jobId, job] of Object.entries(doc.jobs)) {
    if (!isRecord(job) || !Array.isArray(job.steps)) continue;
    const combos = matrixCombinations(job.strategy);
    // Each value is located once, before the matrix repeats the job's steps.
    const jobEnvAt = envPlaces(job.env);
    const places = job.steps.map((step) => {
      if (!isRecord(step)) return {};
      const envAt = envPlaces(step.env);
      const run = typeof step.run === 'string' ? locate(step.run) : undefined;
      const uses = typeof step.uses === 'string' ? locate(step.uses) : undefined;
      const w = isRecord(step.with) ? step.with : {};
      const command = typeof w.command === 'string' ? locate(w.command) : undefined;
      const secrets = typeof w.secrets === 'string' ? locate(w.secrets) : undefined;
      const pre = typeof w.preCommands === 'string' ? locate(w.preCommands) : undefined;
      const post = typeof w.postCommands === 'string' ? locate(w.postCommands) : undefined;
      return { run, uses, command, secrets, pre, post, envAt };
    });
    const jobScopes = combos.map((matrix) => {
      const scope = withEnv({ ...base, matrix }, job.env);
      const githubEnvironment = jobEnvironment(job, scope);
      return githubEnvironment === undefined ? scope : { ...scope, githubEnvironment };
    });
    const jobDir = runDirectory(job.defaults) ?? workflowDir;
    // Steps in document order, each once per matrix combination that changes what it runs.
    job.steps.forEach((step, i) => {
      if (!isRecord(step)) return;
      const raw = JSON.stringify([step.run, step.with, step['working-directory'], step.name, step.env, job.env]) ?? '';
      const seen = new Set<string>();
      for (const jobScope of raw.includes('matrix') ? jobScopes : jobScopes.slice(0, 1)) {
        const scope = withEnv(jobScope, step.env);
        const key = substitute(raw, scope);
        if (seen.has(key)) continue;
        seen.add(key);
        const name = scalarText(step.name) ?? scalarText(step.id);
        const via = name !== undefined ? `${workflow.path} step "${substitute(name, scope).replaceAll(UNKNOWN, '…')}"` : `${workflow.path} job "${jobId}" step ${i + 1}`;
        const place = places[i]!;
        const lineIn = (p: Scalar | undefined) => (line: number) => loc(p ? p.line + (p.block === 'literal' ? line : 0) : 1);
        const state = (rawLines?: readonly string[]): RunState => ({ depth: 0, budget: { left: MAX_FOLLOWED }, chain: new Set(), github: { scope, ...(rawLines ? { rawLines } : {}) } });
        if (typeof step.run === 'string') {
          const dir = scalarText(step['working-directory']) ?? jobDir;
          const cwd = dir === undefined ? '.' : joinDir('.', substitute(dir, scope));
          const text = substitute(step.run, scope);
          runShell(ctx, text, cwd, scope.env, { at: lineIn(place.run), via }, state(step.run.split('\n')));
          // What a frontend build the step runs takes from GitHub's settings (build-model.ts decides whose build).
          const envAt = (name: string) => place.envAt?.get(name) ?? jobEnvAt.get(name) ?? workflowEnvAt.get(name);
          const build = scope.sources.size > 0 ? frontendBuild(ctx, text, cwd, scope.env, 0) : undefined;
          for (const [name, ref] of build ? scope.sources : []) {
            const mode = build!.mode;
            const at = loc(envAt(name)?.line ?? 1);
            const key = `${name}\0${build!.cwd}\0${mode ?? ''}\0${ref.store}.${ref.key}\0${scope.githubEnvironment ?? ''}`;
            if (!ctx.stepValues.has(key)) ctx.stepValues.set(key, { name, from: withGitHubEnvironment(ref, scope), cwd: build!.cwd, ...(mode ? { mode } : {}), at, via });
          }
        }
        if (typeof step.uses === 'string' && /^cloudflare\/wrangler-action(?:@|$)/.test(step.uses.trim())) {
          wranglerAction(ctx, isRecord(step.with) ? step.with : {}, scope, place, via, lineIn, state);
        }
      }
    });
  }
}

function wranglerAction(
  ctx: Context,
  input: Record<string, unknown>,
  scope: Scope,
  place: Partial<Record<'uses' | 'command' | 'secrets' | 'pre' | 'post', Scalar>>,
  via: string,
  lineIn: (p: Scalar | undefined) => (line: number) => Location,
  state: () => RunState,
): void {
  const text = (key: string) => {
    const v = scalarText(input[key]);
    return v === undefined ? undefined : substitute(v, scope);
  };
  const cwd = joinDir('.', text('workingDirectory') || '.');
  const environment = text('environment') || undefined;
  const shell = (value: string | undefined, p: Scalar | undefined) => {
    if (value === undefined) return;
    for (const l of inputLines(value)) runShell(ctx, l.text, cwd, scope.env, { at: () => lineIn(p)(l.line), via }, state());
  };
  shell(text('preCommands'), place.pre);
  const secrets = text('secrets');
  if (secrets !== undefined) {
    const s = state();
    for (const l of inputLines(secrets)) {
      if (!validName(l.text)) continue;
      const at = lineIn(place.secrets)(l.line);
      // wrangler-action pipes each listed name's value from the step's env of that name.
      const ref = scope.sources.get(l.text);
      const from = ref ? { from: withGitHubEnvironment(ref, scope) } : {};
      for (const t of targets(ctx, cwd, undefined, environment, undefined, 'secret')) record(ctx, { config: t.config, kind: 'secret', env: t.env, name: l.text, at, via, ...from }, s);
    }
  }
  const commands = text('command');
  const lines = commands === undefined || commands.trim() === '' ? [{ text: 'deploy', line: 0 }] : inputLines(commands);
  for (const l of lines) {
    const body = l.text.replace(/^(?:npx\s+)?wrangler\s+/, '');
    const withEnv = environment !== undefined && !body.includes('--env') ? `${body} --env '${environment.replaceAll("'", '')}'` : body;
    const p = commands === undefined || commands.trim() === '' ? place.uses : place.command;
    runShell(ctx, `wrangler ${withEnv}`, cwd, scope.env, { at: () => lineIn(p)(p === place.uses ? 0 : l.line), via }, state());
  }
  shell(text('postCommands'), place.post);
}

// --- putting it together ---------------------------------------------------------------------

/** Reads every command of the repository once and groups what they say by Worker config. */
export function readDeployCommands(inputs: DeployInputs): { facts: Map<string, DeployFacts>; notes: DeployNote[]; stepValues: StepValue[] } {
  const ctx: Context = {
    inputs,
    configPaths: inputs.configs.map((c) => c.path),
    packagesByDir: new Map([...inputs.packages].sort((a, b) => (a.path < b.path ? -1 : 1)).map((p) => [path.posix.dirname(p.path), p])),
    facts: new Map(),
    stepValues: new Map(),
  };
  const notes: DeployNote[] = [];
  for (const pkg of [...inputs.packages].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    for (const name of Object.keys(pkg.scripts).sort()) {
      const text = pkg.scripts[name]!;
      if (typeof text !== 'string') continue;
      let where: { line: number; column: number };
      try {
        where = pkg.locate(name);
      } catch {
        where = { line: 1, column: 1 };
      }
      const at: Location = { file: pkg.path, line: where.line, column: where.column };
      runShell(ctx, text, path.posix.dirname(pkg.path), new Map(), { at: () => at, via: `${pkg.path} script "${name}"` }, { depth: 0, budget: { left: MAX_FOLLOWED }, chain: new Set([`${pkg.path}\0${name}`]) });
    }
  }
  for (const wf of [...inputs.workflows].sort((a, b) => (a.path < b.path ? -1 : 1))) readWorkflow(ctx, wf, notes);
  return { facts: group(ctx.facts.values()), notes, stepValues: [...ctx.stepValues.values()] };
}

/** The facts by config, sorted (environment, then name) so reports are stable. */
function group(facts: Iterable<Fact>): Map<string, DeployFacts> {
  const byConfig = new Map<string, DeployFacts>();
  for (const f of facts) {
    let entry = byConfig.get(f.config);
    if (!entry) {
      entry = { deployed: [], devOnly: [], secrets: [] };
      byConfig.set(f.config, entry);
    }
    if (f.kind === 'deployed') entry.deployed.push({ env: f.env, at: f.at, via: f.via });
    else if (f.kind === 'devOnly' && f.env !== null) entry.devOnly.push({ env: f.env, at: f.at, via: f.via });
    else if (f.kind === 'secret' && f.name !== undefined) entry.secrets.push({ name: f.name, env: f.env, at: f.at, via: f.via, ...(f.from ? { from: f.from } : {}) });
  }
  const envOrder = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const out = new Map<string, DeployFacts>();
  for (const config of [...byConfig.keys()].sort()) {
    const f = byConfig.get(config)!;
    out.set(config, {
      deployed: f.deployed.sort((a, b) => envOrder(a.env, b.env)),
      // An environment some command deploys is not dev-only, whatever else runs it locally.
      devOnly: f.devOnly.filter((d) => !f.deployed.some((x) => x.env === d.env)).sort((a, b) => envOrder(a.env, b.env)),
      secrets: f.secrets.sort((a, b) => envOrder(a.env, b.env) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    });
  }
  return out;
}
