import type { WorkerEnvironment } from '../model.js';
import { environmentName, workerEnvironmentLabel } from '../environment-names.js';
import type { RuleFinding, StaticRule } from './rule.js';

/**
 * Two wrangler configs deploy a Worker of the same name (seen in a public repository: a `wrangler.toml` in
 * one folder and a `wrangler.jsonc` in another both deployed `api`): whichever deploys last
 * replaces the other's code, bindings and vars, so one of them is never what runs. Per deployed
 * environment, by the script name wrangler computes (`<name>-<env>` unless the env sets `name`).
 * Pages projects have names of their own namespace and are compared with each other only.
 * Two configs in one folder never count: wrangler reads one of them (see parse-error's note).
 */
export const duplicateScriptName: StaticRule = {
  id: 'duplicate-script-name',
  defaultSeverity: 'warning',
  tag: 'correctness',
  description: 'Two wrangler configs deploy a Worker (or Pages project) of the same name, so each deploy replaces the other.',
  check(model) {
    const byName = new Map<string, WorkerEnvironment[]>();
    for (const worker of model.workers) {
      for (const env of worker.environments) {
        if (env.dev) continue;
        const key = `${env.pages ? 'pages' : 'worker'}\0${env.scriptName}`;
        const list = byName.get(key);
        if (list) list.push(env);
        else byName.set(key, [env]);
      }
    }
    const findings: RuleFinding[] = [];
    for (const envs of byName.values()) {
      const configs = [...new Set(envs.map((e) => e.config))].sort();
      if (configs.length < 2) continue;
      // One finding per config after the first, at the environment that deploys the name.
      const first = envs.find((e) => e.config === configs[0])!;
      for (const config of configs.slice(1)) {
        const env = envs.find((e) => e.config === config)!;
        const kind = env.pages ? 'Pages project' : 'Worker';
        findings.push({
          message:
            `${config} ${workerEnvironmentLabel(env)} deploys the ${kind} "${env.scriptName}", and so does ${first.config} ${workerEnvironmentLabel(first)} (${first.at.file}:${first.at.line}): ` +
            'whichever deploys last replaces the other\'s code, bindings and vars. Give one of them another name, or delete the config that is no longer deployed.',
          file: env.at.file, line: env.at.line, column: env.at.column,
          environment: environmentName(env),
          subject: env.scriptName,
          related: [{ ...first.at, message: `also deploys ${env.scriptName}` }],
        });
      }
    }
    return findings;
  },
};
