import type { Rule, RuleFinding } from './rule.js';

/**
 * With the project's JWT secret present, every legacy key of the surface must verify against it
 * (HS256). A key that does not was issued by another project, whatever its `ref` claim says.
 */
export const supabaseJwtSecretMismatch: Rule = {
  id: 'supabase-jwt-secret-mismatch',
  defaultSeverity: 'error',
  description: "A Supabase key's signature does not verify with the surface's JWT secret: it was issued by another project.",
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const surface of model.surfaces) {
      for (const e of surface.evidence) {
        if (e.signature !== 'invalid' || !e.checkedAgainst) continue;
        const key = `${e.at.file}:${e.at.line}:${e.variable}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({
          message: `${e.variable} (${e.at.file}:${e.at.line}) is not signed with the JWT secret set at ${e.checkedAgainst.file}:${e.checkedAgainst.line}, so it was issued by another project (or the secret was rotated). Requests with it fail with "Invalid JWT".`,
          file: e.at.file, line: e.at.line, column: e.at.column, environment: surface.environment, subject: e.variable,
          related: [{ ...e.checkedAgainst, message: 'the JWT secret' }],
        });
      }
    }
    return findings;
  },
};
