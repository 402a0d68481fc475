/**
 * How a Worker environment is named in findings, pairs and config (`pairs[].worker`): its
 * `[env.NAME]`, `top-level` for the top level, `local` for the `wrangler dev` variant. One place,
 * so a finding's environment and a pair's environment always match.
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
