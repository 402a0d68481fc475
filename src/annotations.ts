/**
 * The annotation budget. GitHub keeps 10 annotations of each kind (error,
 * warning, notice) per step and drops the rest silently, so the action's own messages — the
 * failure line, the warning that the PR comment could not be written, the notice pointing at the
 * job summary — get their slots first, and findings fill what is left, most severe first, one per
 * fault (a finding that holds in several environments is one annotation naming them). Pure.
 */
import type { Annotation, AnnotationKind } from './action-io.js';
import type { Finding, Severity } from './model.js';
import { byImportance, findingCount, groupAcrossEnvironments, groupMessage, type FindingGroup } from './report/group.js';
import { plural } from './report/view.js';
import { docsUrl } from './rules/rule.js';

/** GitHub shows at most 10 annotations of each kind per step; the rest are dropped silently. */
export const ANNOTATIONS_PER_KIND = 10;

const KIND: Record<Severity, AnnotationKind> = { error: 'error', warning: 'warning', note: 'notice' };

export type AnnotationPlan = {
  /** Finding annotations, in the order to write them. */
  findings: Annotation[];
  /** The notice about the findings that did not fit, if any did not. */
  overflow?: Annotation;
  /** Faults (groups of findings) left out. */
  hidden: number;
};

/**
 * Which findings to annotate, given how many slots of each kind the action's own messages take.
 * `pathPrefix` makes paths repository-relative (annotations are placed on the diff by them).
 */
export function planAnnotations(findings: readonly Finding[], reserved: Partial<Record<AnnotationKind, number>>, pathPrefix = ''): AnnotationPlan {
  const groups = byImportance(groupAcrossEnvironments(findings));
  const room = (kind: AnnotationKind) => Math.max(0, ANNOTATIONS_PER_KIND - (reserved[kind] ?? 0));
  const chosen = (noticeRoom: number) => {
    const used: Record<AnnotationKind, number> = { error: 0, warning: 0, notice: 0 };
    return groups.filter((g) => {
      const kind = KIND[g.finding.severity];
      if (used[kind] >= (kind === 'notice' ? noticeRoom : room(kind))) return false;
      used[kind]++;
      return true;
    });
  };
  let shown = chosen(room('notice'));
  // The overflow notice is a notice too: when something is left out, it needs a slot of its own.
  if (shown.length < groups.length) shown = chosen(room('notice') - 1);
  const hidden = groups.length - shown.length;
  // Counted in findings (one per environment), the unit of the summary line it is read beside.
  const hiddenFindings = findingCount(groups.filter((g) => !shown.includes(g)));
  return {
    findings: shown.map((g) => toAnnotation(g, pathPrefix)),
    hidden,
    ...(hidden > 0
      ? { overflow: { kind: 'notice', title: 'deploy-guard', message: `deploy-guard: ${plural(hiddenFindings, 'more finding')} than GitHub shows as annotations (${ANNOTATIONS_PER_KIND} per kind); the job summary lists all of them.` } }
      : {}),
  };
}

function toAnnotation(group: FindingGroup, pathPrefix: string): Annotation {
  const f = group.finding;
  return {
    kind: KIND[f.severity],
    title: `deploy-guard: ${f.rule}${group.environments.length > 1 ? ` (${group.environments.join(', ')})` : ''}`,
    message: `${groupMessage(group)}\n${docsUrl(f.rule)}`,
    file: `${pathPrefix}${f.file}`,
    startLine: f.line,
    ...(f.column !== undefined ? { startColumn: f.column } : {}),
  };
}
