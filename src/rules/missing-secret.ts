import { requiredReads, judgedEnvironments, withoutIt } from './bindings-shared.js';
import type { RuleFinding, StaticRule } from './rule.js';

/** Names the Workers runtime or common tooling provides that are not bindings. */
const NOT_BINDINGS = new Set(['NODE_ENV']);

/**
 * Code reads env.X that nothing declares for this environment: no binding, var, `secrets.required`
 * entry, .dev.vars name, deploy-time value or name a deploy command puts (`wrangler secret put`,
 * wrangler-action `secrets:`). Maybe a secret set by hand with `wrangler secret put`; maybe a typo.
 * A warning: deployed secrets cannot be listed offline.
 */
export const missingSecret: StaticRule = {
  id: 'missing-secret',
  defaultSeverity: 'warning',
  tag: 'correctness',
  description: 'Code reads an env name that is neither a var, a binding nor a declared secret of the environment.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const judged of judgedEnvironments(model, { includeTemplateTopLevel: false })) {
      const elsewhere = new Set<string>();
      for (const env of judged.worker.environments) {
        for (const b of env.bindings) elsewhere.add(b.name);
        for (const v of Object.keys(env.vars)) elsewhere.add(v);
      }
      for (const [name, readAt] of requiredReads(judged.usage, judged.declared)) {
        if (judged.declared.has(name) || elsewhere.has(name) || NOT_BINDINGS.has(name)) continue;
        // A deploy command that puts the name for another environment of this config: the usual slip is a missing `--env`.
        const putElsewhere = judged.worker.deploy?.secrets.find((s) => s.name === name && s.env !== judged.env.name);
        const hint = putElsewhere
          ? `A deploy command puts it ${putElsewhere.env === null ? 'without --env (the top level)' : `with --env ${putElsewhere.env}`} only (${putElsewhere.via}, line ${putElsewhere.at.line}); ` +
            `put it for this environment too (${judged.env.name === null ? 'without --env' : `--env ${judged.env.name}`}).`
          : `If it is a secret, list it in secrets.required (wrangler then refuses to deploy without it) or in .dev.vars.example; otherwise check the name.`;
        findings.push({
          message: (readAt.alternatives
            ? `${judged.label} reads env.${name} where env.${readAt.alternatives.join(' and env.')} ${readAt.alternatives.length === 1 ? 'is' : 'are'} missing, and none of them is a binding, var or declared secret of this environment.`
            : `${judged.label} reads env.${name}, which is not a binding, var or declared secret of this environment.`) + `${withoutIt(readAt)} ${hint}`,
          file: readAt.file, line: readAt.line, column: readAt.column,
          environment: judged.environment,
          subject: name,
          ...(putElsewhere ? { related: [{ ...putElsewhere.at, message: `${name} put by ${putElsewhere.via}` }] } : {}),
        });
      }
    }
    return findings;
  },
};
