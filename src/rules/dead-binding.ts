import type { RuleFinding, StaticRule } from './rule.js';
import { describeOpaque, judgedEnvironments, entryLabel } from './bindings-shared.js';

/**
 * A binding no module reachable from `main` reads: in the incident, an empty KV namespace that
 * cost days of diagnosis. A name in a comment, a string or a type declaration is not a read.
 */
export const deadBinding: StaticRule = {
  id: 'dead-binding',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: 'A Worker environment declares a binding that no module reachable from main reads.',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const judged of judgedEnvironments(model, { includeTemplateTopLevel: true })) {
      const { env, usage } = judged;
      const candidates = env.bindings.filter((b) => b.kind !== 'assets');
      if (candidates.length === 0) continue;
      if (usage.opaque.length > 0) {
        findings.push({
          severity: 'note',
          message: `${judged.label}: bindings were not checked for use, because the code can read any of them: ${describeOpaque(usage)}.`,
          file: env.at.file, line: env.at.line, column: env.at.column,
          environment: judged.environment,
          related: usage.opaque.slice(0, 5).map((o) => ({ ...o.at, message: o.reason })),
        });
        continue;
      }
      const read = new Set(usage.reads.map((r) => r.name));
      for (const binding of candidates) {
        if (read.has(binding.name)) continue;
        findings.push({
          message: `${judged.label} declares the ${binding.kind.replace(/_/g, ' ')} binding ${binding.name}, but ${usage.modules.length === 1 ? `the one module reachable from ${entryLabel(env)} does not read` : `none of the ${usage.modules.length} modules reachable from ${entryLabel(env)} reads`} env.${binding.name}. Remove it, or read it where it is meant to be used.`,
          file: binding.at.file, line: binding.at.line, column: binding.at.column,
          environment: judged.environment,
          subject: binding.name,
        });
      }
    }
    return findings;
  },
};
