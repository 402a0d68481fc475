import type { Rule } from './rule.js';

/** Produced by `deploy-guard verify` with Cloudflare credentials (src/live/cloudflare.ts). */
export const bindingDrift: Rule = {
  id: 'binding-drift',
  defaultSeverity: 'warning',
  description: "Live: the deployed script's bindings differ from the config.",
  check: () => [],
};
