import type { LiveRule, RuleFinding } from './rule.js';

/**
 * Live: each surface's keys were sent to the project its URL names (src/live/verify.ts gathers
 * the answers); a 401/403 means the key belongs to another project or was revoked.
 */
export const supabaseKeyRejected: LiveRule = {
  id: 'supabase-key-rejected',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: 'Live check: the project named by a surface\'s Supabase URL rejects its key.',
  checkLive(_model, facts) {
    const findings: RuleFinding[] = [];
    const { environment } = facts;
    for (const { surface, url, unreachable, keys } of facts.keyChecks) {
      if (unreachable !== undefined) {
        findings.push({ severity: 'note', environment, subject: url.variable, file: url.at.file, line: url.at.line, column: url.at.column, message: `${surface.label}: the Supabase API at ${url.variable} could not be reached (${unreachable}); its keys were not checked.` });
      }
      for (const { key, answer } of keys) {
        if (answer.ok) continue;
        const place = { environment, subject: key.variable, file: key.at.file, line: key.at.line, column: key.at.column };
        if (answer.status === 401 || answer.status === 403) {
          findings.push({ ...place, message: `${surface.label}: the project behind ${url.variable} (${url.at.file}:${url.at.line}) rejects ${key.variable} (HTTP ${answer.status}): the key belongs to another project or was revoked.` });
        } else {
          findings.push({ ...place, severity: 'note', message: `${surface.label}: ${key.variable} could not be checked (${answer.reason}).` });
        }
      }
    }
    return findings;
  },
};
