import type { Rule } from './rule.js';

/** Produced by `deploy-guard verify` with a smoke test (src/live/verify.ts). */
export const smokeUnauthorized: Rule = {
  id: 'smoke-unauthorized',
  defaultSeverity: 'error',
  description: "Live smoke test: the Worker answers 401/403 to a freshly signed-in user of the frontend's project.",
  check: () => [],
};
