/** Human output for the terminal: findings grouped by environment, then the pairing used. */
import type { CheckResult } from '../check.js';
import type { Finding, Severity } from '../model.js';
import { docsUrl } from '../rules/rule.js';
import { groupAcrossEnvironments, listInEnglish } from './group.js';
import { callerText, describeExpansion, describeStrength, documentedReads, pairedBy, summaryLine, viewPair, viewSurface } from './view.js';
import { compareText } from '../compare-text.js';

const COLOURS: Record<Severity | 'dim' | 'bold' | 'green', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  note: ['\u001b[36m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
};

export type TextOptions = { colour: boolean; failOn: string };

export function formatText(result: CheckResult, options: TextOptions): string {
  const paint = (style: keyof typeof COLOURS, text: string) => (options.colour ? `${COLOURS[style][0]}${text}${COLOURS[style][1]}` : text);
  const lines: string[] = [];
  // A finding that holds in several environments is listed once, under all of them.
  const groups = new Map<string, Finding[]>();
  for (const group of groupAcrossEnvironments(result.findings)) {
    const key = group.environments.join('\0');
    groups.set(key, [...(groups.get(key) ?? []), group.finding]);
  }
  const order = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : compareText(a, b)));
  for (const key of order) {
    const environments = key === '' ? [] : key.split('\0');
    lines.push(paint('bold', environments.length === 0 ? 'All environments' : `${environments.length === 1 ? 'Environment' : 'Environments'}: ${listInEnglish(environments)}`));
    for (const f of groups.get(key) ?? []) {
      const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;
      lines.push(`  ${paint(f.severity, f.severity.padEnd(7))} ${where}  ${paint('dim', f.rule)}`);
      lines.push(`          ${f.message.split('\n').join('\n            ')}`);
      for (const r of f.related ?? []) lines.push(paint('dim', `          related: ${r.file}:${r.line}${r.message ? ` (${r.message})` : ''}`));
      lines.push(paint('dim', `          docs: ${docsUrl(f.rule)}`));
    }
    lines.push('');
  }

  const surfaces = result.model.surfaces.map(viewSurface).filter((s) => s.evidence.length > 0 || s.supplied.length > 0);
  if (surfaces.length > 0) {
    lines.push(paint('bold', 'Supabase project per surface'));
    for (const s of surfaces) {
      lines.push(`  ${s.environment.padEnd(12)} ${s.label}: ${s.project}`);
      for (const e of s.evidence) lines.push(paint('dim', `               ${e.variable} (${e.file}:${e.line})${describeExpansion(e)} → ${e.target}; ${e.deployTime ? 'deploy-time value, ' : ''}${describeStrength(e)}`));
      for (const v of s.supplied) lines.push(paint('dim', `               ${v.variable} ← ${v.from} (${v.file}:${v.line}); the value is not in the repository`));
    }
    lines.push('');
  }
  const documented = result.model.workers.flatMap((w) => documentedReads(result, w).filter((d) => !d.declaredInConfig).map((d) => ({ ...d, config: w.config })));
  if (documented.length > 0) {
    lines.push(paint('bold', 'Secrets declared outside the wrangler config'));
    for (const d of documented) lines.push(paint('dim', `  ${d.config}: ${d.name} declared in ${d.file}:${d.line} (${d.via})`));
    lines.push('');
  }
  const pairs = result.model.pairs.map((p) => viewPair(result, p));
  if (pairs.length > 0) {
    lines.push(paint('bold', pairs.some((p) => p.caller === 'worker') ? 'Pairs compared (caller ↔ worker)' : 'Pairs compared (frontend ↔ worker)'));
    for (const p of pairs) {
      const verdict = p.verdict === 'mismatch' ? paint('error', 'MISMATCH') : p.verdict === 'match' ? paint('green', 'same project') : paint('dim', 'not decidable');
      lines.push(`  ${p.environment.padEnd(12)} ${callerText(p)} ↔ ${p.worker.path} (${p.worker.environment}) [${pairedBy(p)}]: ${verdict}`);
      lines.push(paint('dim', `               ${p.link.detail}`));
    }
    lines.push('');
  } else if (result.model.surfaces.some((s) => s.kind === 'frontend' && s.evidence.length > 0) && result.model.surfaces.some((s) => s.kind === 'worker' && s.evidence.length > 0)) {
    lines.push(paint('dim', 'No frontend and Worker environments were paired, so no project comparison was made. State pairs in deploy-guard.config.json if names differ.'));
    lines.push('');
  }
  const { inline, baseline } = result.suppressed;
  if (inline + baseline > 0) lines.push(paint('dim', `Not shown: ${inline} suppressed by comments, ${baseline} known from the baseline.`));
  for (const link of result.model.supabaseLinks) lines.push(paint('dim', `supabase link (${link.path}): project ${link.ref}`));
  const verdictLine = `${summaryLine(result)}.`;
  lines.push(result.summary.errors > 0 ? paint('error', verdictLine) : result.findings.length > 0 ? paint('warning', verdictLine) : paint('green', `No problems found. ${verdictLine}`));
  return `${lines.join('\n')}\n`;
}
