import type { StaticRule } from './rule.js';
import { uniqueEvidence } from './evidence.js';

/**
 * With the project's JWT secret present, every legacy key of the surface must verify against it
 * (HS256). A key that does not was issued by another project, whatever its `ref` claim says.
 */
export const supabaseJwtSecretMismatch: StaticRule = {
  id: 'supabase-jwt-secret-mismatch',
  defaultSeverity: 'error',
  tag: 'security',
  description: "A Supabase key's signature does not verify with the surface's JWT secret: it was issued by another project.",
  check(model) {
    return uniqueEvidence(model, (e) => e.signature === 'invalid' && e.checkedAgainst !== undefined).map(({ evidence: e, surface }) => ({
      message: `${e.variable} (${e.at.file}:${e.at.line}) is not signed with the JWT secret set at ${e.checkedAgainst!.file}:${e.checkedAgainst!.line}, so it was issued by another project (or the secret was rotated). Requests with it fail with "Invalid JWT".`,
      file: e.at.file, line: e.at.line, column: e.at.column, environment: surface.environment, subject: e.variable,
      related: [{ ...e.checkedAgainst!, message: 'the JWT secret' }],
    }));
  },
};
