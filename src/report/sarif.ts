/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its descriptions and docs, every finding
 * with a repo-relative location and a fingerprint computed from meaning (rule + file + environment
 * + subject), so a moved line does not reopen an alert. A finding that holds in several
 * environments is one result naming them (`properties.environments`), as in the annotations.
 *
 * Paths (under `working-directory`, alerts once pointed at files that do not exist): code
 * scanning resolves `artifactLocation.uri` from the root of the
 * repository. GitHub's "SARIF support for code scanning" (docs.github.com/en/code-security/
 * code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning) asks for the URI
 * as a path relative to the root of the repository analysed, the same across runs (for the
 * fingerprints). github/codeql-action's upload-sarif does the same: `resolveUriToFile` in
 * src/fingerprints.ts takes a relative URI as relative to `checkout_path` (default: the
 * workspace, the repository root) whatever its `uriBaseId`, and upload-lib.ts sends that
 * checkout as `checkout_uri`; nothing rebases paths relative to a subfolder (pmd/pmd-github-action
 * #34 hit the same and relativizes its paths itself). So under `working-directory: app` the
 * action passes `pathPrefix: 'app/'` and every URI is repository-relative; `%SRCROOT%` stays the
 * base id (as CodeQL writes it), with no `originalUriBaseIds`, whose absolute runner path would
 * differ from run to run.
 */
import type { CheckResult } from '../check.js';
import { resultFingerprint } from '../fingerprint.js';
import type { Severity } from '../model.js';
import { RULES } from '../rules/index.js';
import { docsUrl } from '../rules/rule.js';
import { groupAcrossEnvironments, groupMessage, type FindingGroup } from './group.js';

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

export type SarifOptions = {
  version: string;
  /** Makes paths relative to the checked folder repository-relative: 'app/' under working-directory app. */
  pathPrefix?: string;
};

function region(line: number, column?: number) {
  return { startLine: Math.max(1, line), ...(column ? { startColumn: Math.max(1, column) } : {}) };
}

export function toSarif(result: CheckResult, options: SarifOptions) {
  const artifactLocation = (file: string) => ({ uri: artifactUri(`${options.pathPrefix ?? ''}${file}`), uriBaseId: '%SRCROOT%' });
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
        results: groupAcrossEnvironments(result.findings).map((group) => ({ group, finding: group.finding })).map(({ group, finding }) => ({
          ruleId: finding.rule,
          ...(ruleIndex.has(finding.rule) ? { ruleIndex: ruleIndex.get(finding.rule)! } : {}),
          level: LEVEL[finding.severity],
          message: { text: groupMessage(group) },
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
          // v2: without the environment (v1 had it, and a result now stands for several).
          partialFingerprints: { 'deployGuard/v2': resultFingerprint(finding) },
          ...environmentProperties(group),
        })),
      },
    ],
  };
}

/**
 * `environment` as before (the first one's, so a finding in one environment keeps its fingerprint
 * and properties); `environments` when the result stands for several.
 */
function environmentProperties(group: FindingGroup): { properties?: { environment?: string; environments?: string[] } } {
  if (group.environments.length > 1) return { properties: { environment: group.finding.environment, environments: group.environments } };
  return group.finding.environment ? { properties: { environment: group.finding.environment } } : {};
}

export function formatSarif(result: CheckResult, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
