/**
 * A finding's identity by meaning: rule + file + environment + subject, never the line, so a
 * moved line does not reopen a baselined finding or a code-scanning alert (unlike gitleaks'
 * line-number fingerprints). Findings without a subject fall back to their message.
 */
import { createHash } from 'node:crypto';
import type { Finding } from './model.js';

export function findingKey(finding: Pick<Finding, 'rule' | 'file' | 'environment' | 'subject' | 'message'>): string {
  const subject = finding.subject ?? finding.message;
  return createHash('sha256').update([finding.rule, finding.file, finding.environment ?? '', subject].join('\0')).digest('hex');
}

/**
 * A code-scanning result's identity (SARIF `partialFingerprints`): one result stands for a fault in
 * every environment it holds in (src/report/group.ts), so the environments are left out — a
 * fault that starts to hold in one more environment, or an environment added to the config, keeps
 * its alert and any dismissal of it. The files of its related locations (never their lines) stay
 * in, so two different faults at one place (a Worker's URL against the staging and against the
 * production frontend) remain two alerts.
 */
export function resultFingerprint(finding: Pick<Finding, 'rule' | 'file' | 'subject' | 'message' | 'related'>): string {
  const related = [...new Set((finding.related ?? []).map((r) => r.file))].sort();
  return createHash('sha256').update([finding.rule, finding.file, finding.subject ?? finding.message, ...related].join('\0')).digest('hex');
}
