import type { StaticRule } from './rule.js';

/** Files that could not be parsed, and files skipped on purpose (as notes), so nothing is lost silently. */
export const parseError: StaticRule = {
  id: 'parse-error',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: 'A wrangler config, env file or other input could not be read or parsed.',
  check(model) {
    return model.problems.map((p) => ({
      severity: p.severity,
      message: p.message,
      file: p.file,
      line: p.line,
      column: p.column,
    }));
  },
};
