import type { SupabaseEvidence } from '../model.js';
import { describeTarget, sameTarget } from '../supabase/target.js';
import type { RuleFinding, StaticRule } from './rule.js';
import { describeEvidence } from './supabase-ref-mismatch.js';

/** Evidence that names where requests go or which project issued a key (opaque keys name nothing). */
function isDecisive(e: SupabaseEvidence): boolean {
  return e.target.kind !== 'unknown';
}

/**
 * Within one surface, a key (or database URL) of another project than its URL: the client gets
 * "Invalid API key" or JWT errors although each value looks right on its own.
 */
export const supabaseKeyMismatch: StaticRule = {
  id: 'supabase-key-mismatch',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: "A Supabase key or database URL belongs to another project than the surface's Supabase URL.",
  check(model) {
    const findings: RuleFinding[] = [];
    for (const surface of model.surfaces) {
      const decisive = surface.evidence.filter(isDecisive);
      // The URL is where requests go; without a decisive URL (custom domain), the first key decides.
      const reference = decisive.find((e) => e.role === 'url') ?? decisive[0];
      if (!reference) continue;
      for (const e of decisive) {
        if (e === reference || e.role === 'url' || e.role === 'access-token') continue;
        if (sameTarget(reference.target, e.target) !== false) continue;
        findings.push({
          message:
            `In ${surface.label}, ${describeEvidence(e)} belongs to ${describeTarget(e.target)}, ` +
            `but ${describeEvidence(reference)} points at ${describeTarget(reference.target)}. ` +
            'Requests made with this key are rejected by that project.',
          file: e.at.file,
          line: e.at.line,
          column: e.at.column,
          environment: surface.environment,
          subject: e.variable,
          related: [{ ...reference.at, message: `${reference.variable}: ${describeTarget(reference.target)}` }],
        });
      }
    }
    return findings;
  },
};
