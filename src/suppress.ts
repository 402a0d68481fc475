/**
 * The suppress stage, after the rules and before the reports: inline
 * `deploy-guard-disable-next-line RULE[, RULE] [-- reason]`
 * comments (`#` in TOML and env files, `//` in code and JSONC) and a baseline of known findings.
 * A directive that suppresses nothing is judged by the unused-suppression rule, so stale ones get cleaned up.
 */
import type { Finding, RuleId } from './model.js';
import { findingKey } from './fingerprint.js';
import { compareText } from './compare-text.js';

export type Directive = { file: string; line: number; column: number; rules: string[] | 'all' };

const DIRECTIVE = /^\s*(?:#|\/\/)\s*deploy-guard-disable-next-line\b([^\n]*)$/;

/** Directives in one file's text. Only whole-line comments count (a directive in a value does not). */
export function findDirectives(file: string, text: string): Directive[] {
  const directives: Directive[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('deploy-guard-disable-next-line')) continue;
    const match = DIRECTIVE.exec(line);
    if (!match) continue;
    const spec = match[1]!.split('--')[0]!.trim();
    const rules = spec === '' ? 'all' : spec.split(/[\s,]+/).filter((r) => r !== '');
    directives.push({ file, line: i + 1, column: line.indexOf('deploy-guard') + 1, rules });
  }
  return directives;
}

/** A directive that suppressed nothing, and the rule names in it that no rule has (judged by unused-suppression). */
export type UnusedDirective = Directive & { unknownRules: string[] };

export type SuppressionResult = { kept: Finding[]; suppressed: number; unused: UnusedDirective[] };

/** Drops findings on the line after a matching directive; returns the directives that matched nothing. */
export function applyDirectives(findings: readonly Finding[], directives: readonly Directive[], knownRules: readonly RuleId[]): SuppressionResult {
  const used = new Set<Directive>();
  const kept: Finding[] = [];
  const byPlace = new Map<string, Directive[]>();
  for (const d of directives) byPlace.set(`${d.file}:${d.line + 1}`, [...(byPlace.get(`${d.file}:${d.line + 1}`) ?? []), d]);
  for (const finding of findings) {
    const candidates = byPlace.get(`${finding.file}:${finding.line}`) ?? [];
    const match = candidates.find((d) => d.rules === 'all' || d.rules.includes(finding.rule));
    if (match && finding.rule !== 'parse-error') {
      used.add(match);
      continue;
    }
    kept.push(finding);
  }
  const unused = directives
    .filter((d) => !used.has(d))
    .map((d) => ({ ...d, unknownRules: d.rules === 'all' ? [] : d.rules.filter((r) => !knownRules.includes(r as RuleId)) }));
  return { kept, suppressed: findings.length - kept.length, unused };
}

export type Baseline = { version: 1; findings: { key: string; rule: string; file: string; environment?: string; subject?: string }[] };

export function makeBaseline(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, Baseline['findings'][number]>();
  for (const f of findings) {
    const key = findingKey(f);
    entries.set(key, { key, rule: f.rule, file: f.file, ...(f.environment ? { environment: f.environment } : {}), ...(f.subject ? { subject: f.subject } : {}) });
  }
  return { version: 1, findings: [...entries.values()].sort((a, b) => compareText(a.file, b.file) || compareText(a.rule, b.rule) || compareText(a.key, b.key)) };
}

/** Findings already in the baseline are known: they no longer count (nor print). */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): { kept: Finding[]; known: number } {
  const keys = new Set(baseline.findings.map((f) => f.key));
  const kept = findings.filter((f) => !keys.has(findingKey(f)));
  return { kept, known: findings.length - kept.length };
}
