/**
 * From what a rule returns to what is reported: the configured setting (`off`, or a ceiling on the
 * rule's levels), duplicates dropped, at most a few dozen per file, sorted. The one place
 * severities are applied, for the static rules, the live rules and the suppress stage alike, so a
 * rule's `defaultSeverity` and the config mean the same whichever stage produced the finding.
 */
import type { RuleSetting } from './config.js';
import type { Finding, Severity } from './model.js';
import type { RuleFinding, RuleMeta } from './rules/rule.js';
import { compareText } from './compare-text.js';

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.rule, b.rule) ||
    compareText(a.environment ?? '', b.environment ?? '') ||
    compareText(a.message, b.message)
  );
}

/**
 * Findings listed per file and rule; the rest are counted in one finding. A broken file of
 * 800,000 lines gave 800,000 findings and 191 MB of JSON; past a few dozen, more of
 * the same adds nothing a person reads.
 */
export const MAX_FINDINGS_PER_FILE_AND_RULE = 50;

/**
 * A rule's setting in the config file is the ceiling for its findings, not a replacement of the
 * level the rule chose for one of them: with `"dead-binding": "error"` (the default written out),
 * the note "bindings were not checked" must stay a note, and an *assumed* project mismatch a
 * warning. A finding without a level of its own takes the setting, or the rule's default.
 */
export function configuredSeverity(setting: Severity | undefined, own: Severity | undefined, ruleDefault: Severity): Severity {
  if (own === undefined) return setting ?? ruleDefault;
  if (setting === undefined) return own;
  return SEVERITY_RANK[own] > SEVERITY_RANK[setting] ? own : setting;
}

/** One rule's findings as reported: none when it is `off`, else levelled, without duplicates, capped, sorted. */
export function reportedFindings(rule: RuleMeta, raw: readonly RuleFinding[], setting: RuleSetting | undefined): Finding[] {
  if (setting === 'off') return [];
  const seen = new Set<string>();
  const byFile = new Map<string, Finding[]>();
  for (const { severity: own, levelYieldsToConfig, ...rest } of raw) {
    const finding: Finding = { rule: rule.id, severity: levelYieldsToConfig && setting !== undefined ? setting : configuredSeverity(setting, own, rule.defaultSeverity), ...rest };
    const key = `${finding.file}\0${finding.line}\0${finding.column ?? ''}\0${finding.subject ?? ''}\0${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byFile.get(finding.file);
    if (list) list.push(finding);
    else byFile.set(finding.file, [finding]);
  }
  return [...byFile.values()].flatMap(capped).sort(compareFindings);
}

/** The first findings of one rule in one file, in report order, then one finding with the count of the rest. */
function capped(list: Finding[]): Finding[] {
  if (list.length <= MAX_FINDINGS_PER_FILE_AND_RULE) return list;
  list.sort(compareFindings);
  const kept = list.slice(0, MAX_FINDINGS_PER_FILE_AND_RULE);
  const rest = list.slice(MAX_FINDINGS_PER_FILE_AND_RULE);
  const first = rest[0]!;
  const severity = rest.reduce<Severity>((worst, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst] ? f.severity : worst), 'note');
  kept.push({
    rule: first.rule,
    severity,
    file: first.file,
    line: first.line,
    ...(first.column !== undefined ? { column: first.column } : {}),
    message: `${rest.length} more ${first.rule} ${rest.length === 1 ? 'finding' : 'findings'} in ${first.file}, from line ${first.line} on, ${rest.length === 1 ? 'is' : 'are'} not listed: deploy-guard lists at most ${MAX_FINDINGS_PER_FILE_AND_RULE} per file and rule. Fix the ones above and run it again.`,
  });
  return kept;
}
