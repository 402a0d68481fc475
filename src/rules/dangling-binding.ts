import type { Rule } from './rule.js';

/** Produced by `deploy-guard verify` with Cloudflare credentials (src/live/cloudflare.ts). */
export const danglingBinding: Rule = {
  id: 'dangling-binding',
  defaultSeverity: 'error',
  description: "Live: a binding points at a KV namespace, D1 database, R2 bucket or queue that does not exist.",
  check: () => [],
};
