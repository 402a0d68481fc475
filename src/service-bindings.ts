/**
 * Service bindings as calls between Workers: which deployed environment of this repository a
 * binding names, and the Worker-to-Worker pairs they make (pairing.ts). Pure.
 */
import type { Location, Pair, Surface, WorkerConfig, WorkerEnvironment } from './model.js';
import { workerSurfaceEnvironment } from './environment-names.js';

/**
 * Service bindings of a Worker environment, resolved to the environments of this repository they
 * name: `service` is the deployed script (`api-production`), or with `environment` (a service
 * environment) the script `service` deployed with `--env environment`.
 */
export function serviceTargets(env: WorkerEnvironment, workers: readonly WorkerConfig[]): { worker: WorkerConfig; env: WorkerEnvironment; binding: string }[] {
  const targets: { worker: WorkerConfig; env: WorkerEnvironment; binding: string }[] = [];
  for (const binding of env.bindings) {
    const service = binding.kind === 'service' ? binding.details?.service : undefined;
    if (!service) continue;
    const environment = binding.details?.environment;
    for (const worker of workers) {
      for (const candidate of worker.environments) {
        // A Worker bound to itself (`WORKER_SELF_REFERENCE`, as OpenNext writes) calls no one else.
        if (candidate.dev || candidate.config === env.config) continue;
        const named = environment ? candidate.name === environment && candidate.scriptName === `${service}-${environment}` : candidate.scriptName === service;
        if (named) targets.push({ worker, env: candidate, binding: binding.name });
      }
    }
  }
  return targets;
}

/**
 * A Worker that binds another calls it: a full-stack app's Worker (OpenNext, SvelteKit, a static
 * assets Worker) binding its API, a gateway binding a service. Where both talk to Supabase, they
 * must agree as a frontend and its API do, so each binding is a pair with the caller as its
 * first side.
 */
function bindingAt(env: WorkerEnvironment, name: string): { at?: Location } {
  const binding = env.bindings.find((b) => b.name === name);
  return binding ? { at: binding.at } : {};
}

export function workerCallerPairs(workers: readonly WorkerConfig[], workerSurfaces: readonly Surface[]): Pair[] {
  const talksToSupabase = (path: string, environment: string) => workerSurfaces.some((s) => s.path === path && s.environment === environment && s.evidence.length > 0);
  const pairs: Pair[] = [];
  for (const worker of workers) {
    for (const env of worker.environments) {
      if (env.dev) continue;
      const caller = { path: worker.config, environment: workerSurfaceEnvironment(env) };
      if (!talksToSupabase(caller.path, caller.environment)) continue;
      for (const target of serviceTargets(env, workers)) {
        const callee = { path: target.worker.config, environment: workerSurfaceEnvironment(target.env) };
        if (!talksToSupabase(callee.path, callee.environment)) continue;
        pairs.push({
          environment: caller.environment, frontend: caller, caller: 'worker', worker: callee, reason: 'same-name',
          link: { kind: 'service-binding', detail: `worker ${env.scriptName} (${worker.config}) binds ${target.binding} to worker ${target.env.scriptName} (${target.worker.config})`, ...bindingAt(env, target.binding) },
        });
      }
    }
  }
  return pairs;
}
