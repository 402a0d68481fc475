/**
 * How a Worker environment is named in findings, pairs and config (`pairs[].worker`): its
 * `[env.NAME]`, `top-level` for the top level, `local` for the `wrangler dev` variant; how reports
 * label it; and which one a deploy of NAME deploys. One place, so a finding's environment and a
 * pair's environment always match.
 */
import type { WorkerEnvironment } from './model.js';

export const TOP_LEVEL = 'top-level';
export const LOCAL = 'local';

/** The `[env.NAME]` a section is, or `top-level`: where its settings are written. */
export function environmentName(env: Pick<WorkerEnvironment, 'name'>): string {
  return env.name ?? TOP_LEVEL;
}

/** The environment a Worker surface belongs to before pairing: the dev variant is `local`. */
export function workerSurfaceEnvironment(env: Pick<WorkerEnvironment, 'name' | 'dev'>): string {
  return env.dev ? LOCAL : environmentName(env);
}

/** Whether `--env NAME` deploys this Worker environment. */
export function isDeployedBy(env: WorkerEnvironment, all: readonly WorkerEnvironment[], deployEnv: string): boolean {
  if (env.dev) return false;
  if (env.name === deployEnv) return true;
  // Without an [env.production], the top level is what production deploys.
  return env.name === null && deployEnv === 'production' && !all.some((e) => e.name === 'production' && !e.dev);
}

/** How reports name an environment within its config: `[env.staging]`, `top level`, `wrangler dev`. */
export function workerEnvironmentLabel(env: WorkerEnvironment): string {
  // A Pages project deploys `production` or `preview` (by branch), with or without an [env.*] of that name.
  if (env.pages) return env.dev ? 'wrangler pages dev' : env.name ?? 'top level';
  if (env.dev) return env.name === null ? 'wrangler dev' : `wrangler dev --env ${env.name}`;
  return env.name === null ? 'top level' : `[env.${env.name}]`;
}
