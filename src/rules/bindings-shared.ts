/** What the binding rules share: which environments to judge, and what each declares and reads. */
import type { CodeUsage, DeploymentModel, Location, WorkerConfig, WorkerEnvironment } from '../model.js';
import { environmentName, workerEnvironmentLabel } from '../environment-names.js';

export type JudgedEnvironment = {
  worker: WorkerConfig;
  env: WorkerEnvironment;
  usage: CodeUsage;
  /** Everything `env` has at run time: bindings, vars and secrets, by name. */
  declared: Set<string>;
  /** "worker api-staging ([env.staging] in api/wrangler.toml)" */
  label: string;
  /** Environment name as findings carry it. */
  environment: string;
};

/** "worker api-staging ([env.staging] in api/wrangler.toml)", "Pages project shop (production in web/wrangler.toml)". */
export function workerLabel(env: WorkerEnvironment, environments = workerEnvironmentLabel(env)): string {
  return `${env.pages ? 'Pages project' : 'worker'} ${env.scriptName} (${environments} in ${env.config})`;
}

/**
 * A Pages project without [env.preview] or [env.production] deploys its top level to both: the
 * two are one set of bindings on the same lines, judged once (as production) so each finding is
 * reported once.
 */
function sharesPagesTopLevel(env: WorkerEnvironment, worker: WorkerConfig, name: string): boolean {
  return env.pages !== undefined && worker.environments.some((e) => !e.dev && e.name === name && e.at.line === env.at.line && e.at.column === env.at.column);
}

/**
 * Names the Worker's local files declare as secrets (`.dev.vars*`, dev `.env` files, manifests):
 * they say the secret exists and is set with `wrangler secret put` for deployed environments.
 */
function devSecretNames(worker: WorkerConfig): Set<string> {
  const names = new Set<string>();
  for (const env of worker.environments) if (env.dev) for (const s of env.secrets) names.add(s.name);
  return names;
}

/**
 * The top level is judged like an environment unless it is only a base for [env.*] sections:
 * environments exist and the top level declares no binding and no var of its own.
 */
function isTemplateOnly(env: WorkerEnvironment, worker: WorkerConfig): boolean {
  return env.name === null && worker.environments.some((e) => e.name !== null && !e.dev) && env.bindings.filter((b) => b.kind !== 'assets').length === 0 && Object.keys(env.vars).length === 0;
}

/**
 * Environment names that mean `wrangler dev` only when no command deploys them. Not `dev` or
 * `development`: teams deploy those (the incident's `[env.development]` is a deployed Worker whose
 * dead SESSIONS namespace cost days), and a deploy may come from a place the repository does not
 * show.
 */
const LOCAL_NAMES = new Set(['local']);

/**
 * Whether the repository's deploy commands show that `env` is never deployed, so its bindings are
 * not judged. Only when some command deploys this config: then the top level is skipped when every
 * deploy passes `--env` to an `[env.*]` of the config, and an `[env.NAME]` no command deploys is
 * skipped only when `wrangler dev --env NAME` uses it or it is named `local`. Conservative on purpose: a production deploy may come from a place the
 * repository does not show (the Cloudflare dashboard's Git integration, another repository's
 * workflow, a laptop), so an environment with a production-like name stays judged.
 */
function neverDeployed(env: WorkerEnvironment, worker: WorkerConfig): boolean {
  const deploy = worker.deploy;
  if (!deploy || deploy.deployed.length === 0 || env.pages) return false;
  if (deploy.deployed.some((d) => d.env === env.name)) return false;
  if (env.name === null) {
    // `--env X` without an [env.X] deploys the top level's settings (as `<name>-X`).
    const named = new Set(worker.environments.filter((e) => !e.dev && e.name !== null).map((e) => e.name));
    return deploy.deployed.every((d) => d.env !== null && named.has(d.env));
  }
  return deploy.devOnly.some((d) => d.env === env.name) || LOCAL_NAMES.has(env.name);
}

export function judgedEnvironments(model: DeploymentModel, options: { includeTemplateTopLevel: boolean }): JudgedEnvironment[] {
  const result: JudgedEnvironment[] = [];
  for (const worker of model.workers) {
    const devNames = devSecretNames(worker);
    for (const env of worker.environments) {
      if (env.dev || !env.main) continue;
      if (neverDeployed(env, worker)) continue;
      const usage = model.usage[env.main];
      if (!usage || usage.modules.length === 0) continue;
      if (!options.includeTemplateTopLevel && isTemplateOnly(env, worker)) continue;
      if (env.name === 'preview' && sharesPagesTopLevel(env, worker, 'production')) continue;
      const declared = new Set<string>([...env.bindings.map((b) => b.name), ...Object.keys(env.vars), ...env.secrets.map((s) => s.name), ...devNames]);
      const label = env.name === 'production' && sharesPagesTopLevel(env, worker, 'preview') ? workerLabel(env, 'production and preview') : workerLabel(env);
      result.push({ worker, env, usage, declared, label, environment: environmentName(env) });
    }
  }
  return result;
}

/** A read the code requires: where, the names it reads in its place, and what the code does without it. */
export type RequiredRead = Location & { alternatives?: string[]; requiredBy?: { says: string; at: Location } };

/**
 * The read of each name the code *requires* in an environment that has `declared`, judged per
 * read: a read the code carries on without (`env.X ?? fallback`, `env.X?.put()`, `if (!env.X)
 * return null`, or any read in a function that tests for it so) is optional there; a read the
 * code fails without (`if (!env.X) throw …`, `return c.json(…, 500)`) or uses unguarded is
 * required. A name is required when one of its reads is; a read in another name's place
 * (`env.A || env.B`) only where that name is missing too. The first required read of a name is
 * given, with the first failure a guard of it shows (the evidence that it is required).
 */
export function requiredReads(usage: CodeUsage, declared: ReadonlySet<string>): Map<string, RequiredRead> {
  const first = new Map<string, RequiredRead>();
  for (const read of usage.reads) {
    if (read.guarded || read.alternatives?.some((name) => declared.has(name))) continue;
    const known = first.get(read.name);
    if (!known) first.set(read.name, { ...read.at, ...(read.alternatives ? { alternatives: read.alternatives } : {}), ...(read.requiredBy ? { requiredBy: read.requiredBy } : {}) });
    else if (!known.requiredBy && read.requiredBy) known.requiredBy = read.requiredBy;
  }
  return first;
}

/** " Without it the handler answers 500 "AI is not available" at src/ai.ts:6.": a required read's evidence, or nothing. */
export function withoutIt(read: RequiredRead): string {
  return read.requiredBy ? ` Without it ${read.requiredBy.says} at ${read.requiredBy.at.file}:${read.requiredBy.at.line}.` : '';
}

export function describeOpaque(usage: CodeUsage): string {
  const first = usage.opaque[0]!;
  const more = usage.opaque.length > 1 ? ` (and ${usage.opaque.length - 1} more)` : '';
  return `${first.reason} at ${first.at.file}:${first.at.line}${more}`;
}

/** Where the analysis started, as a person reads it: `src/index.ts`, or `functions/` for Pages Functions. */
export function entryLabel(env: WorkerEnvironment): string {
  return env.pages && env.main === env.pages.functionsDir ? `${env.main}/` : env.main ?? '';
}
