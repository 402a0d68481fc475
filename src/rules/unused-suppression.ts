import type { SuppressionRule } from './rule.js';

/**
 * Judged in the suppress stage (src/suppress.ts finds the directives that matched nothing; only
 * it knows which did): a stale directive, or one naming a rule that does not exist.
 */
export const unusedSuppression: SuppressionRule = {
  id: 'unused-suppression',
  defaultSeverity: 'note',
  tag: 'correctness',
  description: 'A deploy-guard-disable-next-line comment suppresses nothing (or names an unknown rule).',
  checkSuppressions(unused, knownRules) {
    return unused.map((d) => ({
      message: d.unknownRules.length > 0
        ? `This deploy-guard-disable-next-line names unknown rule${d.unknownRules.length > 1 ? 's' : ''} ${d.unknownRules.join(', ')} (known: ${knownRules.join(', ')}).`
        : 'This deploy-guard-disable-next-line suppresses nothing on the next line; remove it.',
      file: d.file,
      line: d.line,
      column: d.column,
    }));
  },
};
