import type { StaticRule } from './rule.js';
import { uniqueEvidence } from './evidence.js';

const SOON_MS = 30 * 24 * 60 * 60 * 1000;

/** A legacy Supabase key (a JWT) whose `exp` has passed, or passes within 30 days (a note). */
export const keyExpired: StaticRule = {
  id: 'key-expired',
  defaultSeverity: 'warning',
  tag: 'security',
  description: "A JWT key's exp is in the past (or within 30 days: a note).",
  check(model, context) {
    const now = context.now.getTime();
    const expiring = uniqueEvidence(model, (e) => e.expiresAt !== undefined && Date.parse(e.expiresAt) - now <= SOON_MS);
    return expiring.map(({ evidence: e, surface }) => {
      const expired = Date.parse(e.expiresAt!) <= now;
      const day = e.expiresAt!.slice(0, 10);
      return {
        ...(expired ? {} : { severity: 'note' as const }),
        message: expired
          ? `${e.variable} is a key that expired on ${day}: Supabase rejects it. Issue a new key in the dashboard (API settings) and update the variable.`
          : `${e.variable} is a key that expires on ${day}, within 30 days. Plan its rotation.`,
        file: e.at.file, line: e.at.line, column: e.at.column, environment: surface.environment, subject: e.variable,
      };
    });
  },
};
