/** Inline suppressions and the baseline, as a user adopting deploy-guard on an existing repo uses them. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { EXAMPLE, PROJECT_ROOT } from './helpers/paths.js';
import { writeTree } from './helpers/tree.js';

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: PROJECT_ROOT, isTty: false });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as { findings: { rule: string; file: string; line: number; severity: string; message: string }[]; suppressed: { inline: number; baseline: number } } };
}

const WORKER = {
  'wrangler.toml': [
    'name = "api"', 'main = "src/index.ts"', '',
    '# deploy-guard-disable-next-line dead-binding -- kept for the migration in JIRA-12',
    'kv_namespaces = [{ binding = "LEGACY", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]',
    '', '[vars]', '# deploy-guard-disable-next-line unused-var', 'UNUSED = "1"',
    '# deploy-guard-disable-next-line dead-binding', 'USED = "2"',
    '# deploy-guard-disable-next-line no-such-rule', 'OTHER = "3"', '',
  ].join('\n'),
  'src/index.ts': [
    'export default {',
    '  fetch(request: Request, env: Env) {',
    '    // deploy-guard-disable-next-line missing-secret -- set by hand in the dashboard',
    '    return new Response(env.API_TOKEN + env.USED + env.OTHER);',
    '  },',
    '};', '',
  ].join('\n'),
};

describe('inline suppressions', () => {
  it('drop the finding on the next line, in TOML and in code, and report directives that match nothing', () => {
    const root = writeTree(WORKER);
    const { json } = run(['check', root, '--format', 'json']);
    const report = json();
    expect(report.suppressed.inline).toBe(3);
    expect(report.findings.map((f) => [f.rule, f.line, f.severity])).toEqual([
      ['unused-suppression', 10, 'note'],
      ['unused-suppression', 12, 'note'],
    ]);
    expect(report.findings[1]!.message).toMatch(/unknown rule no-such-rule/);
  });

  it('a directive inside a value is not a directive', () => {
    const root = writeTree({ ...WORKER, 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[vars]\nNOTE = "# deploy-guard-disable-next-line unused-var"\nUNUSED = "1"\n' });
    const rules = run(['check', root, '--format', 'json']).json().findings.map((f) => `${f.rule}:${f.line}`);
    expect(rules).toContain('unused-var:5');
  });
});

describe('baseline', () => {
  it('records current findings; check --baseline then fails only on new ones, even after lines move', () => {
    const root = writeTree({});
    fs.cpSync(EXAMPLE, root, { recursive: true });
    const baselineFile = path.join(root, 'deploy-guard.baseline.json');

    expect(run(['baseline', root]).code).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
    expect(recorded.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(['dead-binding', 'supabase-ref-mismatch']);
    expect(JSON.stringify(recorded)).not.toMatch(/"line"/);

    expect(run(['check', root, '--baseline', baselineFile]).code).toBe(0);

    // Lines move: still known. A new dead binding: the only finding, exit 1.
    const config = path.join(root, 'workers', 'wrangler.toml');
    fs.writeFileSync(config, `# moved down\n\n${fs.readFileSync(config, 'utf8')}[[env.production.r2_buckets]]\nbinding = "NEW_BUCKET"\nbucket_name = "new-bucket"\n`);
    const after = run(['check', root, '--baseline', baselineFile, '--format', 'json']);
    expect(after.code).toBe(1);
    expect(after.json().findings.map((f) => f.rule + ':' + f.file)).toEqual(['dead-binding:workers/wrangler.toml']);
    expect(after.json().suppressed.baseline).toBe(2);
  });

  it('an unreadable baseline is a user error (exit 2)', () => {
    const { code, stderr } = run(['check', EXAMPLE, '--baseline', 'nope.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read the baseline .*nope\.json.*deploy-guard baseline/);
  });
});
