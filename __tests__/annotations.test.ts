import { describe, expect, it } from '@jest/globals';
import { ANNOTATIONS_PER_KIND, planAnnotations } from '../src/annotations.js';
import type { CheckResult } from '../src/check.js';
import type { Finding, Severity } from '../src/model.js';
import { formatMarkdown } from '../src/report/markdown.js';

function finding(severity: Severity, i: number, environment?: string): Finding {
  return { rule: 'dead-binding', severity, message: `binding B${i} is dead `.repeat(20), file: `w${i}/wrangler.toml`, line: i + 1, subject: `${severity}-B${i}`, ...(environment ? { environment } : {}) };
}

describe('annotation plan', () => {
  it('most severe first, at most 10 per kind less the slots the action reserves, one notice slot for the overflow pointer', () => {
    const findings = [...Array.from({ length: 14 }, (_, i) => finding('note', i)), ...Array.from({ length: 12 }, (_, i) => finding('error', i)), finding('warning', 99)];
    const plan = planAnnotations(findings, { error: 1, warning: 1 });
    const kinds = plan.findings.map((a) => a.kind);
    expect(kinds.filter((k) => k === 'error')).toHaveLength(ANNOTATIONS_PER_KIND - 1);
    expect(kinds.filter((k) => k === 'warning')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'notice')).toHaveLength(ANNOTATIONS_PER_KIND - 1);
    expect(kinds[0]).toBe('error');
    expect(plan.hidden).toBe(3 + 5);
    expect(plan.overflow?.message).toBe('deploy-guard: 8 more findings than GitHub shows as annotations (10 per kind); the job summary lists all of them.');
  });

  it('uses all ten notice slots when nothing is left out, and counts one hidden finding in the singular', () => {
    expect(planAnnotations(Array.from({ length: 10 }, (_, i) => finding('note', i)), {})).toMatchObject({ hidden: 0 });
    expect(planAnnotations(Array.from({ length: 10 }, (_, i) => finding('note', i)), {}).overflow).toBeUndefined();
    expect(planAnnotations(Array.from({ length: 10 }, (_, i) => finding('error', i)), { error: 1 }).overflow?.message).toMatch(/^deploy-guard: 1 more finding than/);
  });

  it('one annotation for a finding in several environments, titled with them, at the repository-relative path', () => {
    const plan = planAnnotations([finding('warning', 1, 'production'), finding('warning', 1, 'top-level'), finding('warning', 1, 'staging')], {}, 'app/');
    expect(plan.findings).toEqual([expect.objectContaining({ kind: 'warning', title: 'deploy-guard: dead-binding (production, staging, top-level)', file: 'app/w1/wrangler.toml', startLine: 2 })]);
    expect(plan.findings[0]!.message).toContain('The same holds in environments staging and top-level.');
  });
});

describe('annotation plan: what reaches the UI when not everything fits', () => {
  it('puts a project mismatch before dead bindings of the same level, whatever their files', () => {
    const mismatch: Finding = { rule: 'supabase-ref-mismatch', severity: 'error', message: 'frontend and Worker talk to different projects', file: 'z/wrangler.toml', line: 21, subject: 'SUPABASE_URL', environment: 'production' };
    const plan = planAnnotations([...Array.from({ length: 12 }, (_, i) => finding('error', i)), mismatch], { error: 1 });
    expect(plan.findings[0]).toMatchObject({ title: 'deploy-guard: supabase-ref-mismatch', file: 'z/wrangler.toml' });
  });

  it('keeps apart two mismatches at one line whose other sides differ', () => {
    const at = (environment: string, file: string): Finding => ({
      rule: 'supabase-ref-mismatch', severity: 'error', message: `Worker against ${file}`, file: 'wrangler.toml', line: 3, subject: 'SUPABASE_URL', environment, related: [{ file, line: 2, column: 1 }],
    });
    const plan = planAnnotations([at('local', '.env.development'), at('production', '.env.production')], {});
    expect(plan.findings.map((a) => [a.title, a.message.split('\n')[0]])).toEqual([
      ['deploy-guard: supabase-ref-mismatch', 'Worker against .env.development'],
      ['deploy-guard: supabase-ref-mismatch', 'Worker against .env.production'],
    ]);
  });

  it('counts what it leaves out in findings, one per environment, as the summary line does', () => {
    const plan = planAnnotations(Array.from({ length: 12 }, (_, i) => [finding('error', i, 'production'), finding('error', i, 'staging')]).flat(), { error: 1 });
    expect(plan.hidden).toBe(3);
    expect(plan.overflow?.message).toMatch(/^deploy-guard: 6 more findings than/);
  });
});

describe('job summary size', () => {
  it('stays under the limit with a pointer to the JSON report when findings do not fit', () => {
    const findings = Array.from({ length: 5000 }, (_, i) => finding('error', i));
    const result = {
      model: { surfaces: [], pairs: [], workers: [], supabaseLinks: [], usage: {}, problems: [], envFiles: [], gitTracking: false, root: '/' },
      config: { failOn: 'error' },
      findings,
      summary: { errors: findings.length, warnings: 0, notes: 0 },
      suppressed: { inline: 0, baseline: 0 },
    } as unknown as CheckResult;
    const markdown = formatMarkdown(result, { limitBytes: 100_000 });
    expect(Buffer.byteLength(markdown)).toBeLessThan(100_000);
    expect(markdown).toMatch(/… and \d+ more findings not shown/);
  });
});
