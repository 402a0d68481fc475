/** A Worker environment of an inline repository as the Cloudflare API would describe it, for the live Cloudflare rules' tables. */
import type { DeployedWorker } from '../../src/live/facts.js';
import type { DeploymentModel } from '../../src/model.js';

export function deployed(model: DeploymentModel, envName: string | null, over: Partial<Omit<DeployedWorker, 'worker' | 'env'>>): DeployedWorker {
  const worker = model.workers[0]!;
  const env = worker.environments.find((e) => e.name === envName && !e.dev)!;
  return { worker, env, secrets: { ok: true, names: [] }, targets: [], settings: { ok: true, bindings: [] }, ...over };
}
