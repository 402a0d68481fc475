import type { LiveRule, RuleFinding } from './rule.js';

/**
 * Live, with Cloudflare credentials (src/live/cloudflare.ts lists the account's KV namespaces, D1
 * databases, R2 buckets and queues): a binding points at one that does not exist.
 */
export const danglingBinding: LiveRule = {
  id: 'dangling-binding',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: "Live: a binding points at a KV namespace, D1 database, R2 bucket or queue that does not exist.",
  checkLive(_model, facts) {
    const findings: RuleFinding[] = [];
    const { environment } = facts;
    for (const { env, targets } of facts.cloudflare ?? []) {
      for (const { binding, what, wanted, listing } of targets) {
        if (!listing.ok) {
          findings.push({ severity: 'note', environment, file: env.at.file, line: env.at.line, column: env.at.column, message: `The ${what}s of the account could not be listed (${listing.reason}); ${binding.name} was not checked.` });
        } else if (!listing.exists) {
          findings.push({
            environment, subject: binding.name, file: binding.at.file, line: binding.at.line, column: binding.at.column,
            message: `${binding.name} in ${env.scriptName} points at the ${what} "${wanted}", which does not exist in the account: the deploy fails or the binding reaches nothing.`,
          });
        }
      }
    }
    return findings;
  },
};
