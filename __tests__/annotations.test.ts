import { describe, expect, it } from '@jest/globals';
import type { CheckResult } from '../src/check.js';
import type { Finding, Severity } from '../src/model.js';
import { formatMarkdown } from '../src/report/markdown.js';

const { selectAnnotations, ANNOTATIONS_PER_KIND } = await import('../src/action.js');

function finding(severity: Severity, i: number): Finding {
  return { rule: 'dead-binding', severity, message: `binding B${i} is dead `.repeat(20), file: `w${i}/wrangler.toml`, line: i + 1, subject: `B${i}` };
}

describe('annotations', () => {
  it('shows at most 10 per kind, most severe first, keeping one notice slot for the overflow pointer', () => {
    const findings = [...Array.from({ length: 14 }, (_, i) => finding('note', i)), ...Array.from({ length: 12 }, (_, i) => finding('error', i)), finding('warning', 99)];
    const { shown, hidden } = selectAnnotations(findings);
    expect(shown.filter((f) => f.severity === 'error')).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(shown.filter((f) => f.severity === 'warning')).toHaveLength(1);
    expect(shown.filter((f) => f.severity === 'note')).toHaveLength(ANNOTATIONS_PER_KIND - 1);
    expect(shown[0]!.severity).toBe('error');
    expect(hidden).toBe(2 + 5);
  });
});

describe('job summary size', () => {
  it('stays under the limit with a pointer to the JSON report when findings do not fit', () => {
    const findings = Array.from({ length: 5000 }, (_, i) => finding('error', i));
    const result = {
      model: { surfaces: [], pairs: [], workers: [], supabaseLinks: [], usage: {}, problems: [], envFiles: [], gitTracking: false, root: '/' },
      findings,
      summary: { errors: findings.length, warnings: 0, notes: 0 },
      suppressed: { inline: 0, baseline: 0 },
    } as unknown as CheckResult;
    const markdown = formatMarkdown(result, { limitBytes: 100_000 });
    expect(Buffer.byteLength(markdown)).toBeLessThan(100_000);
    expect(markdown).toMatch(/… and \d+ more findings not shown/);
  });
});
