/**
 * One fault, one line, not one per environment: the same finding (rule, file, line, column,
 * subject) often holds in several environments — a read of `env.STRIPE_SECRET` is missing in
 * `[env.production]` and in the top level alike. Annotations, the job summary, the PR comment and
 * SARIF show it once and name the environments; the JSON report and the `findings` output keep
 * one entry per environment, so scripts can still ask per environment. Pure.
 */
import { SEVERITY_RANK } from '../check.js';
import type { Finding, RuleId } from '../model.js';

export type FindingGroup = {
  /** The first finding of the group in report order; its message speaks for the others. */
  finding: Finding;
  /** The environments it holds in, sorted; empty when the finding has none. */
  environments: string[];
  /** Every finding of the group, in report order. */
  members: Finding[];
};

/**
 * What makes two findings one fault: rule, place, subject, and the places they relate to. The
 * related places keep apart faults that only look alike: a Worker's SUPABASE_URL disagreeing with
 * the development frontend's `.env.development` and with the production frontend's
 * `.env.production` are two mismatches, with two different other sides.
 */
function groupKey(f: Finding): string {
  const related = (f.related ?? []).map((r) => `${r.file}:${r.line}:${r.column ?? ''}`).join(',');
  return [f.rule, f.file, f.line, f.column ?? '', f.subject ?? f.message, related].join('\0');
}

/** Groups findings that differ only by environment, keeping the order of the first of each group. */
export function groupAcrossEnvironments(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = groupKey(f);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { finding: f, environments: f.environment ? [f.environment] : [], members: [f] });
      continue;
    }
    group.members.push(f);
    if (f.environment && !group.environments.includes(f.environment)) group.environments.push(f.environment);
    // The group's level is its most severe member's: it must not read milder than any one of them.
    if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[group.finding.severity]) group.finding = { ...group.finding, severity: f.severity };
  }
  for (const group of groups.values()) group.environments.sort();
  return [...groups.values()];
}

/** "production", "production and top-level", "development, production and top-level". */
export function listInEnglish(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The group's message: the first finding's, then the other environments it holds in. */
export function groupMessage(group: FindingGroup): string {
  const others = group.environments.filter((e) => e !== group.finding.environment);
  if (others.length === 0) return group.finding.message;
  return `${group.finding.message}\nThe same holds in ${others.length === 1 ? 'environment' : 'environments'} ${listInEnglish(others)}.`;
}

/**
 * Within one level, the faults that break a deploy outright come first: where only a few lines
 * are shown (10 annotations per kind), a project mismatch must not give way to ten unread
 * bindings that sort earlier by file. Rules not listed keep report order after these.
 */
const FIRST: readonly RuleId[] = [
  'supabase-ref-mismatch', 'supabase-key-mismatch', 'supabase-jwt-secret-mismatch', 'smoke-unauthorized', 'supabase-key-rejected',
  'service-role-exposed', 'secret-in-plaintext', 'missing-deployed-secret', 'missing-binding', 'missing-secret',
];

function rank(rule: RuleId): number {
  const i = FIRST.indexOf(rule);
  return i === -1 ? FIRST.length : i;
}

/** Groups most severe first, then by how directly the rule breaks a deploy, then in report order (a stable sort). */
export function byImportance(groups: readonly FindingGroup[]): FindingGroup[] {
  return [...groups].sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || rank(a.finding.rule) - rank(b.finding.rule));
}

/** How many findings (one per environment) a list of groups stands for: the unit of every count the reports print. */
export function findingCount(groups: readonly FindingGroup[]): number {
  return groups.reduce((n, g) => n + g.members.length, 0);
}
