import type { RuleFinding, StaticRule } from './rule.js';
import { judgedEnvironments, entryLabel } from './bindings-shared.js';

/** A [vars] entry no reachable module reads: configuration that does nothing, or a typo. */
export const unusedVar: StaticRule = {
  id: 'unused-var',
  defaultSeverity: 'warning',
  tag: 'correctness',
  description: 'A [vars] entry that no module reachable from main reads.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const judged of judgedEnvironments(model, { includeTemplateTopLevel: true })) {
      const { env, usage } = judged;
      if (usage.opaque.length > 0) continue; // dead-binding already says why nothing is claimed
      const read = new Set(usage.reads.map((r) => r.name));
      for (const [name, value] of Object.entries(env.vars)) {
        if (read.has(name)) continue;
        findings.push({
          message: `${judged.label} sets the var ${name}, but no module reachable from ${entryLabel(env)} reads env.${name}. Remove it from [vars] if nothing needs it; if something outside the code reads it, put a "deploy-guard-disable-next-line unused-var" comment above it.`,
          file: value.at.file, line: value.at.line, column: value.at.column,
          environment: judged.environment,
          subject: name,
        });
      }
    }
    return findings;
  },
};
