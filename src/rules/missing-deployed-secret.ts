import type { Rule } from './rule.js';

/** Produced by `deploy-guard verify` with Cloudflare credentials (src/live/cloudflare.ts). */
export const missingDeployedSecret: Rule = {
  id: 'missing-deployed-secret',
  defaultSeverity: 'error',
  description: "Live: a secret the Worker needs is not among the deployed script's secrets.",
  check: () => [],
};
