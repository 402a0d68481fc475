import type { Rule } from './rule.js';

/** Produced by `deploy-guard verify` (src/live/verify.ts), which alone talks to Supabase. */
export const supabaseKeyRejected: Rule = {
  id: 'supabase-key-rejected',
  defaultSeverity: 'error',
  description: 'Live check: the project named by a surface\'s Supabase URL rejects its key.',
  check: () => [],
};
