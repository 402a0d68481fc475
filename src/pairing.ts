/**
 * Which surfaces must agree on their Supabase project (DESIGN §4). By default, names pair:
 * a frontend's mode X with a Worker's [env.X]; the frontend's development mode with `wrangler
 * dev`; a frontend's production build with a Worker's top level when it has no [env.production].
 * A config file can replace this with explicit rules.
 */
import type { Pair, Surface, WorkerConfig } from './model.js';

/** One rule from the config file: frontend mode `frontend` talks to Worker environment `worker`. */
export type PairingRule = {
  /** The frontend mode, e.g. "production". */
  frontend: string;
  /** The Worker environment: an `[env.NAME]` name, "top-level", or "local" (`wrangler dev`). */
  worker: string;
  /** Label for the pair; defaults to the frontend mode. */
  environment?: string;
  /** Restrict to a frontend directory / Worker config (repo-relative). */
  frontendPath?: string;
  workerPath?: string;
};

function withoutProduction(workers: readonly WorkerConfig[]): Set<string> {
  const configs = new Set<string>();
  for (const w of workers) {
    if (!w.environments.some((e) => e.name === 'production' && !e.dev)) configs.add(w.config);
  }
  return configs;
}

/** The pairs between frontend and Worker surfaces that exist in this repository. */
export function pairSurfaces(surfaces: readonly Surface[], workers: readonly WorkerConfig[], rules?: readonly PairingRule[]): Pair[] {
  const frontends = surfaces.filter((s) => s.kind === 'frontend');
  const workerSurfaces = surfaces.filter((s) => s.kind === 'worker');
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  const add = (pair: Pair) => {
    const key = `${pair.frontend.path}\0${pair.frontend.environment}\0${pair.worker.path}\0${pair.worker.environment}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push(pair);
  };

  if (rules && rules.length > 0) {
    for (const rule of rules) {
      for (const f of frontends) {
        if (f.environment !== rule.frontend || (rule.frontendPath && f.path !== rule.frontendPath)) continue;
        for (const w of workerSurfaces) {
          if (w.environment !== rule.worker || (rule.workerPath && w.path !== rule.workerPath)) continue;
          add({ environment: rule.environment ?? rule.frontend, frontend: { path: f.path, environment: f.environment }, worker: { path: w.path, environment: w.environment }, reason: 'config' });
        }
      }
    }
  } else {
    const topLevelIsProduction = withoutProduction(workers);
    for (const f of frontends) {
      for (const w of workerSurfaces) {
        const frontend = { path: f.path, environment: f.environment };
        const worker = { path: w.path, environment: w.environment };
        if (w.environment === f.environment && w.environment !== 'local') {
          add({ environment: f.environment, frontend, worker, reason: 'same-name' });
        } else if (w.environment === 'local' && f.environment === 'development') {
          add({ environment: 'local', frontend, worker, reason: 'local-dev' });
        } else if (w.environment === 'top-level' && f.environment === 'production' && topLevelIsProduction.has(w.path)) {
          add({ environment: 'production', frontend, worker, reason: 'top-level-as-production' });
        }
      }
    }
  }
  return pairs.sort((a, b) =>
    a.environment.localeCompare(b.environment) ||
    a.frontend.path.localeCompare(b.frontend.path) ||
    a.worker.path.localeCompare(b.worker.path) ||
    a.worker.environment.localeCompare(b.worker.environment));
}
