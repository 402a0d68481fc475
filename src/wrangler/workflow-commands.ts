/**
 * Deploy commands in GitHub Actions workflows (`.github/workflows/*.yml`), for deploy-commands.ts:
 * each job's steps, once per matrix combination that changes what they run, with `${{ }}` filled in
 * (workflow-yaml.ts). `run:` steps go to the shell interpreter (deploy-interpreter.ts), as do
 * `cloudflare/wrangler-action` steps' `command`, `preCommands` and `postCommands`; the action's
 * `secrets:` names are recorded with the GitHub value each one's env entry holds; the env entries
 * of a step that builds a frontend become StepValues. Pure.
 */
import type { Location } from '../model.js';
import { joinDir, UNKNOWN, WORKSPACE } from './command-line.js';
import {
  MAX_FOLLOWED, record, runShell, targets, validName,
  type Context, type DeployNote, type FrontendBuild, type RunState, type WorkflowSource,
} from './deploy-interpreter.js';
import {
  inputLines, isRecord, jobEnvironment, loadWithPositions, matrixCombinations, runDirectory, scalarText, substitute, withEnv, withGitHubEnvironment,
  type Scalar, type Scope,
} from './workflow-yaml.js';


export function readWorkflow(ctx: Context, workflow: WorkflowSource, notes: DeployNote[]): void {
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
      const raw = JSON.stringify([step.run, step.with, step['working-directory'], step.name, step.env, job.env, job.environment]) ?? '';
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
          const builds: FrontendBuild[] = [];
          runShell(ctx, text, cwd, scope.env, { at: lineIn(place.run), via }, { ...state(step.run.split('\n')), builds });
          // What the frontend builds the step runs take from GitHub's settings (build-model.ts decides whose build).
          const envAt = (name: string) => place.envAt?.get(name) ?? jobEnvAt.get(name) ?? workflowEnvAt.get(name);
          for (const build of builds) {
            for (const [name, ref] of scope.sources) {
              const key = `${name}\0${build.cwd}\0${build.mode ?? ''}\0${ref.store}.${ref.key}\0${scope.githubEnvironment ?? ''}`;
              if (!ctx.stepValues.has(key)) ctx.stepValues.set(key, { name, from: withGitHubEnvironment(ref, scope), ...build, at: loc(envAt(name)?.line ?? 1), via });
            }
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
