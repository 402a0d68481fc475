/**
 * Markdown: the job summary and the PR comment, where people decide in seconds.
 * The first screen answers, in this order: does it fail, why, and which pair of projects
 * disagree — a diagram of who talks to whom (diagram.ts), then a table environment × surface ×
 * project with ✅/❌, failing pairs first, evidence
 * linked to file and line at the commit. Then the findings (one row per fault, naming its
 * environments), then how the pairs were made, folded away.
 */
import { reachesThreshold, SEVERITY_RANK, type CheckResult } from '../check.js';
import type { RuleId, Severity } from '../model.js';
import { docsUrl } from '../rules/rule.js';
import { byImportance, findingCount, groupAcrossEnvironments, groupMessage, listInEnglish } from './group.js';
import { pairsDiagram } from './diagram.js';
import { NO_LINKS, pathsNote, placeLink, type SourceLinks } from './links.js';
import { callerText, pairedBy, plural, summaryLine, viewPair, viewSurface, type PairView, type SurfaceView } from './view.js';
import { compareText } from '../compare-text.js';

/** GitHub rejects a job summary above 1 MiB; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 1_000_000;

export type MarkdownOptions = { title?: string; limitBytes?: number; links?: SourceLinks };

export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', note: '🔵' };
const VERDICT_ICON: Record<PairView['verdict'], string> = { mismatch: '❌', match: '✅', unknown: '❓' };
const VERDICT_ORDER: Record<PairView['verdict'], number> = { mismatch: 0, match: 1, unknown: 2 };

/** Heading and the "why" lines: the verdict, what makes it, and each pair that disagrees in words. */
function verdictLines(result: CheckResult, pairs: PairView[], surfaces: SurfaceView[], title: string): string[] {
  const failOn = result.config.failOn;
  const fails = reachesThreshold(result.findings, failOn);
  const out = [`## ${fails ? '❌' : '✅'} ${title} ${fails ? 'fails' : 'passes'}: ${summaryLine(result)}`, ''];
  if (fails) {
    const reaching = result.findings.filter((f) => failOn !== 'never' && SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn]);
    const byRule = new Map<RuleId, number>();
    for (const f of reaching) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    const rules = [...byRule].map(([rule, n]) => `${plural(n, 'finding')} of [${rule}](${docsUrl(rule)})`);
    out.push(`**Why:** ${listInEnglish(rules)} ${reaching.length === 1 ? 'reaches' : 'reach'} \`fail-on: ${failOn}\`.`, '');
  } else {
    out.push(failOn === 'never' ? '**Why:** `fail-on: never`; the findings below are for reading only.' : `**Why:** no finding reaches \`fail-on: ${failOn}\`.`, '');
  }
  for (const p of pairs.filter((pair) => pair.verdict === 'mismatch')) {
    const side = (kind: 'frontend' | 'worker', where: { path: string; environment: string }) =>
      surfaces.filter((s) => s.kind === kind && s.path === where.path && s.environment === where.environment).map((s) => `${cell(s.label)} talks to **${cell(s.project)}**`);
    // Names from the repository go through cell(): a `<b>` in a Worker's name is text, not markup.
    out.push(`- ❌ **${cell(p.environment)}**: ${[...side('frontend', p.frontend), ...side('worker', p.worker)].join(', but ')}.`);
  }
  if (pairs.some((p) => p.verdict === 'mismatch')) out.push('');
  return out;
}

function evidenceCell(s: SurfaceView, links: SourceLinks): string {
  if (s.evidence.length === 0 && s.supplied.length === 0) return '—';
  return [
    ...s.evidence.map((e) => {
      const via = e.strength === 'link' ? ' (linked project)' : e.usedAt ? ` → createClient ${placeLink(e.usedAt.file, e.usedAt.line, links)}` : e.strength === 'client' ? ' (in the createClient call)' : '';
      const expanded = e.expansion ? ` (expanded: ${cell(e.expansion.reads.map((r) => r.variable).concat(e.expansion.missing.map((n) => `${n} set nowhere`)).join(', ') || 'escapes only')})` : '';
      return `${cell(`\`${e.variable}\``)} ${placeLink(e.file, e.line, links)}${e.deployTime ? ' (deploy-time value)' : ''}${expanded}${via}`;
    }),
    // Values kept in GitHub's settings: where the workflow names them, and whose they are.
    ...s.supplied.map((v) => `${cell(`\`${v.variable}\``)} ${placeLink(v.file, v.line, links)} ← ${cell(v.from)}`),
  ].join('<br>');
}

/** One row per surface of each pair (failing pairs first), then the surfaces no pair compares. */
function projectTable(pairs: PairView[], surfaces: SurfaceView[], links: SourceLinks): string[] {
  if (surfaces.length === 0) return [];
  const out = ['### Supabase project per environment and surface', '', '| | Environment | Surface | Supabase project | Evidence |', '| --- | --- | --- | --- | --- |'];
  const project = (s: SurfaceView) => (s.ref ? `\`${s.ref}\`` : cell(s.project));
  const row = (icon: string, environment: string, s: SurfaceView) => `| ${icon} | ${cell(environment)} | ${cell(s.label)} | ${project(s)} | ${evidenceCell(s, links)} |`;
  const paired = new Set<SurfaceView>();
  const ordered = [...pairs].sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || compareText(a.environment, b.environment));
  for (const p of ordered) {
    for (const [kind, where] of [['frontend', p.frontend], ['worker', p.worker]] as const) {
      for (const s of surfaces.filter((v) => v.kind === kind && v.path === where.path && v.environment === where.environment)) {
        out.push(row(VERDICT_ICON[p.verdict], p.environment, s));
        paired.add(s);
      }
    }
  }
  const alone = surfaces.filter((s) => !paired.has(s)).sort((a, b) => compareText(a.environment, b.environment) || compareText(a.label, b.label));
  for (const s of alone) out.push(row('➖', s.environment, s));
  out.push('', '✅ same project as its pair · ❌ a different project than its pair · ❓ not decidable · ➖ compared with nothing', '');
  const note = pathsNote(links);
  if (note) out.push(note, '');
  return out;
}

function pairsDetails(pairs: PairView[], surfaces: SurfaceView[]): string[] {
  const bothSides = surfaces.some((s) => s.kind === 'frontend' && s.evidence.length > 0) && surfaces.some((s) => s.kind === 'worker' && s.evidence.length > 0);
  if (pairs.length === 0) {
    return bothSides ? ['No frontend and Worker environments were paired. Name them alike or state `pairs` in `deploy-guard.config.json`.', ''] : [];
  }
  const out = ['<details><summary>How each frontend was paired with its Worker</summary>', '', '| Environment | Frontend | Worker | Paired by | Why | Verdict |', '| --- | --- | --- | --- | --- | --- |'];
  for (const p of pairs) {
    const verdict = p.verdict === 'mismatch' ? '❌ different projects' : p.verdict === 'match' ? '✅ same project' : '❓ not decidable';
    out.push(`| ${cell(p.environment)} | ${cell(callerText(p))} | ${cell(`${p.worker.path} (${p.worker.environment})`)} | ${pairedBy(p)} | ${cell(p.link.detail)} | ${verdict} |`);
  }
  out.push('', '</details>', '');
  return out;
}

export function formatMarkdown(result: CheckResult, options: MarkdownOptions = {}): string {
  const links = options.links ?? NO_LINKS;
  const surfaces = result.model.surfaces.map(viewSurface);
  const pairs = result.model.pairs.map((p) => viewPair(result, p));
  const out = [...verdictLines(result, pairs, surfaces, options.title ?? 'deploy-guard'), ...pairsDiagram(result), ...projectTable(pairs, surfaces, links)];

  const limit = options.limitBytes ?? SUMMARY_LIMIT_BYTES;
  const groups = byImportance(groupAcrossEnvironments(result.findings));
  const tail = pairsDetails(pairs, surfaces);
  if (groups.length > 0) {
    out.push('### Findings', '', '| | Rule | Environments | Location | Message |', '| --- | --- | --- | --- | --- |');
    let size = Buffer.byteLength([...out, ...tail].join('\n'));
    let shown = 0;
    for (const g of groups) {
      const f = g.finding;
      const row = `| ${ICON[f.severity]} ${f.severity} | [${f.rule}](${docsUrl(f.rule)}) | ${cell(g.environments.join(', ') || 'all')} | ${placeLink(f.file, f.line, links)} | ${cell(groupMessage(g))} |`;
      if (size + Buffer.byteLength(row) + 200 > limit) break;
      out.push(row);
      size += Buffer.byteLength(row) + 1;
      shown++;
    }
    if (shown < groups.length) out.push('', `… and ${plural(findingCount(groups.slice(shown)), 'more finding')} not shown (size limit). Run \`deploy-guard check --format json\` for all of them.`);
    out.push('');
  }
  out.push(...tail);
  return `${out.join('\n')}\n`;
}
