import type { DeploymentModel, Location, WorkerConfig, WorkerEnvironment } from '../model.js';
import type { LiveRule, RuleFinding } from './rule.js';
import { compareText } from '../compare-text.js';

/**
 * Live, with Cloudflare credentials (src/live/cloudflare.ts lists the deployed script's secret
 * names): a secret the Worker needs is not set on the deployed script. Needed means listed in
 * `secrets.required`, or read by the code and declared as a secret only locally (`.dev.vars*`).
 */
export const missingDeployedSecret: LiveRule = {
  id: 'missing-deployed-secret',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: "Live: a secret the Worker needs is not among the deployed script's secrets.",
  checkLive(model, facts) {
    const findings: RuleFinding[] = [];
    const { environment } = facts;
    for (const { worker, env, secrets } of facts.cloudflare ?? []) {
      if (!secrets.ok) {
        findings.push({
          severity: 'note', environment, file: env.at.file, line: env.at.line, column: env.at.column,
          message: `The deployed secrets of ${env.scriptName} could not be listed (${secrets.reason}${secrets.status === 403 ? ': the API token needs Workers Scripts Read' : ''}); they were not checked.`,
        });
        continue;
      }
      const deployed = new Set(secrets.names);
      for (const [name, at] of neededSecrets(model, worker, env)) {
        if (deployed.has(name)) continue;
        findings.push({
          environment, subject: name, file: at.file, line: at.line, column: at.column,
          message: `The deployed Worker ${env.scriptName} has no secret ${name}, which it needs; set it with: wrangler secret put ${name}${env.name ? ` --env ${env.name}` : ''}`,
        });
      }
    }
    return findings;
  },
};

/** The secrets an environment needs, by name, with where the need is written; sorted by name. */
function neededSecrets(model: DeploymentModel, worker: WorkerConfig, env: WorkerEnvironment): [string, Location][] {
  const needed = new Map<string, Location>();
  for (const s of env.secrets) if (s.source === 'secrets.required' && s.at) needed.set(s.name, s.at);
  const usage = env.main ? model.usage[env.main] : undefined;
  const devSecretNames = new Set(worker.environments.filter((e) => e.dev).flatMap((e) => e.secrets.map((s) => s.name)));
  for (const read of usage?.reads ?? []) {
    if (needed.has(read.name) || read.name in env.vars || env.bindings.some((b) => b.name === read.name)) continue;
    if (devSecretNames.has(read.name)) needed.set(read.name, read.at);
  }
  return [...needed].sort(([a], [b]) => compareText(a, b));
}
