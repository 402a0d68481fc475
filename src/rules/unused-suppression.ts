import type { Rule } from './rule.js';

/**
 * Reported by the suppress stage (src/suppress.ts), which alone knows which directives matched:
 * this entry gives the id its severity, description and docs like every other rule.
 */
export const unusedSuppression: Rule = {
  id: 'unused-suppression',
  defaultSeverity: 'note',
  description: 'A deploy-guard-disable-next-line comment suppresses nothing (or names an unknown rule).',
  check: () => [],
};
