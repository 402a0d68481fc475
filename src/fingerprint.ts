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
