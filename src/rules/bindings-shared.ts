/** What the binding rules share: which environments to judge, and what each declares and reads. */
import type { CodeUsage, DeploymentModel, Location, WorkerConfig, WorkerEnvironment } from '../model.js';
import { workerEnvironmentLabel } from '../build-model.js';

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

export function environmentName(env: WorkerEnvironment): string {
  return env.name ?? 'top-level';
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

export function judgedEnvironments(model: DeploymentModel, options: { includeTemplateTopLevel: boolean }): JudgedEnvironment[] {
  const result: JudgedEnvironment[] = [];
  for (const worker of model.workers) {
    const devNames = devSecretNames(worker);
    for (const env of worker.environments) {
      if (env.dev || !env.main) continue;
      const usage = model.usage[env.main];
      if (!usage || usage.modules.length === 0) continue;
      if (!options.includeTemplateTopLevel && isTemplateOnly(env, worker)) continue;
      const declared = new Set<string>([...env.bindings.map((b) => b.name), ...Object.keys(env.vars), ...env.secrets.map((s) => s.name), ...devNames]);
      result.push({ worker, env, usage, declared, label: `worker ${env.scriptName} (${workerEnvironmentLabel(env)} in ${env.config})`, environment: environmentName(env) });
    }
  }
  return result;
}

export function firstReads(usage: CodeUsage): Map<string, Location> {
  const first = new Map<string, Location>();
  for (const read of usage.reads) if (!first.has(read.name)) first.set(read.name, read.at);
  return first;
}

export function describeOpaque(usage: CodeUsage): string {
  const first = usage.opaque[0]!;
  const more = usage.opaque.length > 1 ? ` (and ${usage.opaque.length - 1} more)` : '';
  return `${first.reason} at ${first.at.file}:${first.at.line}${more}`;
}
