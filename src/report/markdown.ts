/**
 * Markdown: the job summary (and, later, the PR comment). A table of environment × surface ×
 * Supabase project with the evidence for each, the pairs compared, and the findings.
 */
import type { CheckResult } from '../check.js';
import { docsUrl } from '../rules/rule.js';
import { describeStrength, pairedBy, summaryLine, viewPair, viewSurface } from './view.js';

/** GitHub rejects a job summary above 1 MiB; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 1_000_000;

export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

const ICON = { error: '🔴', warning: '🟠', note: '🔵' } as const;

export function formatMarkdown(result: CheckResult, options: { title?: string; limitBytes?: number } = {}): string {
  const out: string[] = [];
  const { errors } = result.summary;
  out.push(`## ${options.title ?? 'deploy-guard'}: ${errors > 0 ? '❌' : '✅'} ${summaryLine(result)}`, '');

  const surfaces = result.model.surfaces.map(viewSurface);
  if (surfaces.length > 0) {
    out.push('### Supabase project per environment and surface', '');
    out.push('| Environment | Surface | Supabase project | Evidence |', '| --- | --- | --- | --- |');
    for (const s of [...surfaces].sort((a, b) => a.environment.localeCompare(b.environment) || a.label.localeCompare(b.label))) {
      const evidence = [
        ...s.evidence.map((e) => `\`${e.variable}\` → ${e.target} (${e.deployTime ? 'deploy-time value, declared at ' : ''}${e.file}:${e.line}; ${describeStrength(e)})`),
        ...s.supplied.map((v) => `\`${v.variable}\` ← ${v.from} (${v.file}:${v.line}; not in the repository)`),
      ].join('<br>') || '—';
      out.push(`| ${cell(s.environment)} | ${cell(s.label)} | ${cell(s.project)} | ${evidence.split('<br>').map(cell).join('<br>')} |`);
    }
    out.push('');
  }
  const pairs = result.model.pairs.map((p) => viewPair(result, p));
  const bothSides = surfaces.some((s) => s.kind === 'frontend' && s.evidence.length > 0) && surfaces.some((s) => s.kind === 'worker' && s.evidence.length > 0);
  if (pairs.length > 0 || bothSides) out.push('### Pairs compared', '');
  if (pairs.length === 0) {
    if (bothSides) out.push('No frontend and Worker environments were paired. Name them alike or state `pairs` in `deploy-guard.config.json`.', '');
  } else {
    out.push('| Environment | Frontend | Worker | Paired by | Why | Verdict |', '| --- | --- | --- | --- | --- | --- |');
    for (const p of pairs) {
      const verdict = p.verdict === 'mismatch' ? '❌ different projects' : p.verdict === 'match' ? '✅ same project' : '❔ not decidable';
      out.push(`| ${cell(p.environment)} | ${cell(`${p.frontend.path} (mode ${p.frontend.environment})`)} | ${cell(`${p.worker.path} (${p.worker.environment})`)} | ${pairedBy(p)} | ${cell(p.link.detail)} | ${verdict} |`);
    }
    out.push('');
  }

  const limit = options.limitBytes ?? SUMMARY_LIMIT_BYTES;
  if (result.findings.length > 0) {
    out.push('### Findings', '', '| | Rule | Location | Message |', '| --- | --- | --- | --- |');
    let size = Buffer.byteLength(out.join('\n'));
    let shown = 0;
    for (const f of result.findings) {
      const row = `| ${ICON[f.severity]} ${f.severity} | [${f.rule}](${docsUrl(f.rule)}) | \`${cell(`${f.file}:${f.line}`)}\` | ${cell(f.message)} |`;
      if (size + Buffer.byteLength(row) + 200 > limit) break;
      out.push(row);
      size += Buffer.byteLength(row) + 1;
      shown++;
    }
    if (shown < result.findings.length) out.push('', `… and ${result.findings.length - shown} more findings not shown (size limit). Run \`deploy-guard check --format json\` for all of them.`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
