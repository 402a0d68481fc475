import type { Rule, RuleFinding } from './rule.js';

const SOON_MS = 30 * 24 * 60 * 60 * 1000;

/** A legacy Supabase key (a JWT) whose `exp` has passed, or passes within 30 days (a note). */
export const keyExpired: Rule = {
  id: 'key-expired',
  defaultSeverity: 'warning',
  description: "A JWT key's exp is in the past (or within 30 days: a note).",
  check(model, context) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    const now = context.now.getTime();
    for (const surface of model.surfaces) {
      for (const e of surface.evidence) {
        if (!e.expiresAt) continue;
        const key = `${e.at.file}:${e.at.line}:${e.variable}`;
        if (seen.has(key)) continue;
        const expires = Date.parse(e.expiresAt);
        const day = e.expiresAt.slice(0, 10);
        if (expires <= now) {
          seen.add(key);
          findings.push({
            message: `${e.variable} is a key that expired on ${day}: Supabase rejects it. Issue a new key in the dashboard (API settings) and update the variable.`,
            file: e.at.file, line: e.at.line, column: e.at.column, environment: surface.environment, subject: e.variable,
          });
        } else if (expires - now <= SOON_MS) {
          seen.add(key);
          findings.push({
            severity: 'note',
            message: `${e.variable} is a key that expires on ${day}, within 30 days. Plan its rotation.`,
            file: e.at.file, line: e.at.line, column: e.at.column, environment: surface.environment, subject: e.variable,
          });
        }
      }
    }
    return findings;
  },
};
