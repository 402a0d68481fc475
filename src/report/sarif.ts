/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its descriptions and docs, every finding
 * with a repo-relative location and a fingerprint computed from meaning (rule + file + environment
 * + subject), so a moved line does not reopen an alert.
 */
import type { CheckResult } from '../check.js';
import { findingKey } from '../fingerprint.js';
import type { Severity } from '../model.js';
import { RULES } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', note: 'note' };

function pascalCase(id: string): string {
  return id.split('-').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
}

/**
 * A repo-relative path as a SARIF `artifactLocation.uri`: a valid relative URI reference (RFC 3986),
 * so each segment is percent-encoded (`app/[id]/a b.ts` → `app/%5Bid%5D/a%20b.ts`), as CodeQL does.
 */
export function artifactUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function artifactLocation(file: string) {
  return { uri: artifactUri(file), uriBaseId: '%SRCROOT%' };
}

function region(line: number, column?: number) {
  return { startLine: Math.max(1, line), ...(column ? { startColumn: Math.max(1, column) } : {}) };
}

export function toSarif(result: CheckResult, options: { version: string }) {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'deploy-guard',
            informationUri: 'https://github.com/deploy-guard/deploy-guard',
            semanticVersion: options.version,
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: pascalCase(rule.id),
              shortDescription: { text: rule.description },
              fullDescription: { text: `${rule.description} See ${docsUrl(rule.id)}` },
              helpUri: docsUrl(rule.id),
              help: {
                text: `${rule.description} What it checks, why, how to fix and how to suppress: ${docsUrl(rule.id)}`,
                markdown: `${rule.description}\n\nWhat it checks, why it matters, how to fix it and how to suppress it: [${rule.id}](${docsUrl(rule.id)}).`,
              },
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
              properties: { tags: [rule.tag, 'deploy-guard'] },
            })),
          },
        },
        results: result.findings.map((finding) => ({
          ruleId: finding.rule,
          ...(ruleIndex.has(finding.rule) ? { ruleIndex: ruleIndex.get(finding.rule)! } : {}),
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            { physicalLocation: { artifactLocation: artifactLocation(finding.file), region: region(finding.line, finding.column) } },
          ],
          ...(finding.related && finding.related.length > 0
            ? {
                relatedLocations: finding.related.map((r, id) => ({
                  id,
                  physicalLocation: { artifactLocation: artifactLocation(r.file), region: region(r.line, r.column) },
                  ...(r.message ? { message: { text: r.message } } : {}),
                })),
              }
            : {}),
          partialFingerprints: { 'deployGuard/v1': findingKey(finding) },
          ...(finding.environment ? { properties: { environment: finding.environment } } : {}),
        })),
      },
    ],
  };
}

export function formatSarif(result: CheckResult, options: { version: string }): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
