/**
 * The action, in-process with injected I/O (so the tests run the current source, not the
 * committed bundle), as a user sees it on GitHub: annotations within GitHub's budget of 10
 * per kind, the job summary, the outputs, SARIF and the step's failure. The bundle itself runs in
 * the end-to-end block at the end and in comment-pr.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT, REF_A, REF_B, SCENARIOS } from './helpers/paths.js';
import { ensureNode24 } from './helpers/node24.js';
import { tempDir, writeTree } from './helpers/tree.js';
import { BUSY_DEAD_BINDINGS, BUSY_MISSING_SECRETS, busyRepo, commands, runBundle, runInProcess, type Recorded } from './helpers/action-run.js';

const GITHUB = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' };
const BLOB = `https://github.com/acme/shop/blob/${GITHUB.GITHUB_SHA}`;

const ofKind = (run: Recorded, kind: 'error' | 'warning' | 'notice') => run.annotations.filter((a) => a.kind === kind);

describe('the action in-process', () => {
  it('annotates the mismatch at file and line, writes the summary and outputs, and fails the step', async () => {
    const run = await runInProcess(PROJECT_ROOT, { 'working-directory': 'examples/incident' }, GITHUB);
    expect(run.failed).toBe('deploy-guard: 2 errors, 0 warnings, 0 notes. Failing because findings reach fail-on "error".');
    // Annotation paths are relative to the workspace, so GitHub can place them on the diff.
    expect(run.annotations).toContainEqual(expect.objectContaining({ kind: 'error', title: 'deploy-guard: supabase-ref-mismatch', file: 'examples/incident/workers/wrangler.toml', startLine: 21 }));
    expect(run.annotations).toContainEqual(expect.objectContaining({ kind: 'error', title: 'deploy-guard: dead-binding', file: 'examples/incident/workers/wrangler.toml', startLine: 8, startColumn: 5 }));
    expect(run.outputs).toMatchObject({ errors: '2', warnings: '0', 'sarif-file': '' });
    expect(JSON.parse(run.outputs.findings!)).toEqual([
      expect.objectContaining({ rule: 'dead-binding', file: 'workers/wrangler.toml', line: 8, subject: 'SESSIONS' }),
      expect.objectContaining({ rule: 'supabase-ref-mismatch', file: 'workers/wrangler.toml', line: 21 }),
    ]);
  });

  it('the summary answers on its first screen: fails, why, and which pair disagrees, with evidence linked at the commit', async () => {
    const run = await runInProcess(PROJECT_ROOT, { 'working-directory': 'examples/incident' }, GITHUB);
    const lines = run.summary.split('\n');
    expect(lines[0]).toBe('## ❌ deploy-guard fails: 2 errors, 0 warnings, 0 notes');
    expect(run.summary).toMatch(/\*\*Why:\*\* 1 finding of \[dead-binding\]\(.*\) and 1 finding of \[supabase-ref-mismatch\]\(.*\) reach `fail-on: error`\./);
    expect(run.summary).toContain(`- ❌ **production**: frontend jobmatch-web (vite, mode production) talks to **project ${REF_A}**, but worker jobmatch-api-production (workers/wrangler.toml [env.production]) talks to **project ${REF_B}**.`);
    // The failing pair's two rows come first in the table.
    const rows = lines.filter((l) => /^\| (✅|❌|❔|➖) \|/.test(l));
    expect(rows.slice(0, 2)).toEqual([
      expect.stringMatching(new RegExp(`^\\| ❌ \\| production \\| frontend .* \\| \`${REF_A}\` \\| .*\\[\\.env\\.production:2\\]\\(${BLOB}/examples/incident/\\.env\\.production#L2\\)`)),
      expect.stringMatching(new RegExp(`^\\| ❌ \\| production \\| worker .* \\| \`${REF_B}\` \\| .*\\[workers/wrangler\\.toml:21\\]\\(${BLOB}/examples/incident/workers/wrangler\\.toml#L21\\)`)),
    ]);
    expect(rows.slice(2).every((r) => !r.startsWith('| ❌'))).toBe(true);
    // How the pairs were made is there, folded away below the findings.
    expect(run.summary.indexOf('### Findings')).toBeLessThan(run.summary.indexOf('<details><summary>How each frontend was paired'));
  });

  it('says why in English for a single finding: "1 finding … reaches"', async () => {
    const run = await runInProcess(path.join(SCENARIOS, 'jsonc-bindings', 'repo'), {});
    expect(run.summary).toMatch(/\*\*Why:\*\* 1 finding of \[dead-binding\]\(.*\) reaches `fail-on: error`\./);
  });

  it('passes with fail-on never, still writing the outputs, and says why it passes', async () => {
    const run = await runInProcess(PROJECT_ROOT, { 'working-directory': 'examples/incident', 'fail-on': 'never' });
    expect(run.failed).toBeUndefined();
    expect(run.outputs.errors).toBe('2');
    expect(run.summary).toMatch(/^## ✅ deploy-guard passes: 2 errors, 0 warnings, 0 notes\n\n\*\*Why:\*\* `fail-on: never`/);
    expect(run.infos).toContain('deploy-guard: 2 errors, 0 warnings, 0 notes.');
  });

  it('passes on a consistent repository', async () => {
    const run = await runInProcess(path.join(SCENARIOS, 'same-project', 'repo'), {});
    expect(run.failed).toBeUndefined();
    expect(run.summary).toMatch(/^## ✅ deploy-guard passes: 0 errors/);
    expect(run.outputs.errors).toBe('0');
  });

  it('masks deploy-time secrets before anything is written, and never prints them', async () => {
    const scenario = path.join(SCENARIOS, 'deploy-time-secret');
    const { processEnv } = JSON.parse(fs.readFileSync(path.join(scenario, 'expected.json'), 'utf8')) as { processEnv: Record<string, string> };
    const run = await runInProcess(path.join(scenario, 'repo'), { environment: 'production', 'sarif-file': path.join(tempDir('dg-sarif-'), 'out.sarif') }, processEnv);
    expect(run.failed).toMatch(/Failing because/);
    expect(run.secrets).toEqual(expect.arrayContaining([processEnv.SUPABASE_URL!, processEnv.SUPABASE_SERVICE_ROLE_KEY!]));
    expect(run.calls.slice(0, run.calls.lastIndexOf('secret') + 1).every((c) => c === 'secret')).toBe(true);
    const printed = [JSON.stringify(run.annotations), run.infos.join('\n'), run.summary, JSON.stringify(run.outputs), fs.readFileSync(run.outputs['sarif-file']!, 'utf8')].join('\n');
    for (const secret of [processEnv.SUPABASE_URL!, processEnv.SUPABASE_SERVICE_ROLE_KEY!]) expect(printed).not.toContain(secret);
    expect(printed).not.toContain(processEnv.SUPABASE_SERVICE_ROLE_KEY!.split('.')[2]!);
  });

  it('reports a bad input as a failure with a clear message, not a stack trace', async () => {
    const run = await runInProcess(PROJECT_ROOT, { 'working-directory': 'examples/incident', 'fail-on': 'sometimes' });
    expect(run.failed).toBe('input fail-on must be one of error, warning, note, never (got "sometimes").');
  });
});

describe('annotation budget: GitHub keeps 10 per kind per step', () => {
  it('keeps a slot for the failure line and one for the notice pointing at the summary', async () => {
    const root = busyRepo(writeTree);
    const run = await runInProcess(root, { 'working-directory': 'app' });
    const errors = ofKind(run, 'error');
    expect(errors).toHaveLength(10);
    expect(errors[9]!.message).toBe(`deploy-guard: ${BUSY_DEAD_BINDINGS} errors, ${BUSY_MISSING_SECRETS * 2} warnings, 0 notes. Failing because findings reach fail-on "error".`);
    // Ten warnings: missing-secret faults, one each, though each holds in two environments.
    expect(ofKind(run, 'warning')).toHaveLength(10);
    // Counted in findings, as the failure line counts them: each missing-secret fault is two.
    const hidden = BUSY_DEAD_BINDINGS - 9 + (BUSY_MISSING_SECRETS - 10) * 2;
    expect(ofKind(run, 'notice')).toEqual([expect.objectContaining({ message: `deploy-guard: ${hidden} more findings than GitHub shows as annotations (10 per kind); the job summary lists all of them.` })]);
    // The summary lists every fault.
    expect(run.summary.match(/\| 🔴 error \| \[dead-binding\]/g)).toHaveLength(BUSY_DEAD_BINDINGS);
    expect(run.summary.match(/\| 🟠 warning \| \[missing-secret\]/g)).toHaveLength(BUSY_MISSING_SECRETS);
  });

  it('shows every finding when they fit, and no overflow notice', async () => {
    const run = await runInProcess(PROJECT_ROOT, { 'working-directory': 'examples/incident' });
    expect(ofKind(run, 'error')).toHaveLength(3);
    expect(ofKind(run, 'notice')).toEqual([]);
  });
});

describe('one fault, one annotation, naming its environments', () => {
  it('annotates a read missing in production and the top level once, while the findings output keeps both', async () => {
    const sarif = path.join(tempDir('dg-sarif-'), 'out.sarif');
    const run = await runInProcess(path.join(SCENARIOS, 'guarded-reads', 'repo'), { 'sarif-file': sarif });
    const missing = run.annotations.filter((a) => a.title?.startsWith('deploy-guard: missing-secret'));
    // The Worker declares no secret anywhere: one note per environment, shown once.
    expect(missing).toEqual([expect.objectContaining({ kind: 'notice', title: 'deploy-guard: missing-secret (production, top-level)', file: 'src/index.ts', startLine: 21 })]);
    expect(missing[0]!.message).toMatch(/^worker api-production .* reads a value no file in the repository declares \(STRIPE_SECRET\).*\nThe same holds in environment top-level\.\n/s);
    expect(run.summary.match(/\[missing-secret\]/g)).toHaveLength(1);
    expect(run.summary).toMatch(/\| 🔵 note \| \[missing-secret\]\(.*\) \| production, top-level \| `src\/index\.ts:21` \|/);
    const findings = JSON.parse(run.outputs.findings!) as { rule: string; environment?: string }[];
    expect(findings.filter((f) => f.rule === 'missing-secret').map((f) => f.environment)).toEqual(['production', 'top-level']);
    const results = JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results as { ruleId: string; properties?: { environments?: string[] } }[];
    expect(results.filter((r) => r.ruleId === 'missing-secret').map((r) => r.properties?.environments)).toEqual([['production', 'top-level']]);
  });
});

describe('counts read as English', () => {
  it.each([
    ['examples/incident', PROJECT_ROOT, { 'working-directory': 'examples/incident' }],
    ['guarded-reads', path.join(SCENARIOS, 'guarded-reads', 'repo'), {}],
    ['a busy repository', '', { 'working-directory': 'app' }],
  ])('in the annotations, the summary and the log of %s', async (_name, workspace, inputs) => {
    const run = await runInProcess(workspace || busyRepo(writeTree), inputs);
    const printed = [...run.annotations.map((a) => `${a.title ?? ''} ${a.message}`), run.summary, ...run.infos].join('\n');
    expect(printed).not.toMatch(/\b1 (errors|warnings|notes|findings|modules|lines|environments)\b/);
    expect(printed).not.toMatch(/\b(0|[2-9]|\d\d+) (error|warning|note|finding)\b/);
  });

  it('says "1 error" and "the one module" where there is one', async () => {
    const run = await runInProcess(path.join(SCENARIOS, 'guarded-reads', 'repo'), {});
    expect(run.failed).toMatch(/^deploy-guard: 1 error, 0 warnings, 2 notes\./);
    const busy = await runInProcess(busyRepo(writeTree), { 'working-directory': 'app' });
    expect(busy.annotations[0]!.message).toContain('the one module reachable from src/index.ts does not read env.KV1.');
  });
});

describe('working-directory: every path is repository-relative', () => {
  it('prefixes annotations, SARIF URIs and the summary links with the folder', async () => {
    const root = busyRepo(writeTree);
    const sarif = path.join(tempDir('dg-sarif-'), 'out.sarif');
    const run = await runInProcess(root, { 'working-directory': 'app', 'sarif-file': sarif }, GITHUB);
    const files = new Set(run.annotations.filter((a) => a.file).map((a) => a.file));
    expect([...files].sort()).toEqual(['app/src/index.ts', 'app/wrangler.toml']);
    const results = JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results as { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[];
    const uris = new Set(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect([...uris].sort()).toEqual(['app/src/index.ts', 'app/wrangler.toml']);
    for (const uri of uris) expect(fs.existsSync(path.join(root, uri))).toBe(true);
    expect(run.summary).toContain(`[wrangler.toml:6](${BLOB}/app/wrangler.toml#L6)`);
    expect(run.summary).toContain('Paths are relative to `app/`; links open each file at commit `0123456`.');
  });

  it('without the commit variables, the summary names places as text', async () => {
    const run = await runInProcess(busyRepo(writeTree), { 'working-directory': 'app' });
    expect(run.summary).toContain('| `wrangler.toml:6` |');
    expect(run.summary).toContain('Paths are relative to `app/`.');
    expect(run.summary).not.toContain('#L');
  });
});

/**
 * The committed bundle as the runner runs it. On Node 20 (this process) and, when the registry
 * gives it, on Node 24, which action.yml declares (`runs.using: node24`).
 */
const node24 = ensureNode24('the action tests on Node 24');
const RUNTIMES: [string, string][] = [[`Node ${process.versions.node} (this process)`, process.execPath]];
if (node24 && node24 !== process.execPath) RUNTIMES.push(['Node 24 (action.yml runs.using)', node24]);

describe.each(RUNTIMES)('the bundle run as the runner runs it, on %s', (_label, node) => {
  let runtime = node;
  beforeAll(() => {
    runtime = node;
  });

  it('under working-directory: workflow commands within the budget, outputs, summary and SARIF', async () => {
    const root = busyRepo(writeTree);
    const sarif = path.join(tempDir('dg-sarif-'), 'out.sarif');
    const run = await runBundle(runtime, root, { 'working-directory': 'app', 'sarif-file': sarif }, GITHUB);
    expect(run.status).toBe(1);
    const errors = commands(run.stdout, 'error');
    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatch(/^::error title=deploy-guard%3A dead-binding,file=app\/wrangler\.toml,line=6,col=\d+::/);
    expect(errors[9]).toBe(`::error::deploy-guard: ${BUSY_DEAD_BINDINGS} errors, ${BUSY_MISSING_SECRETS * 2} warnings, 0 notes. Failing because findings reach fail-on "error".`);
    expect(commands(run.stdout, 'warning')[0]).toMatch(/^::warning title=deploy-guard%3A missing-secret \(production%2C top-level\),file=app\/src\/index\.ts,line=3,/);
    // 3 dead bindings and 1 missing-secret fault (2 findings: two environments) left out.
    expect(commands(run.stdout, 'notice')).toEqual([expect.stringMatching(/::deploy-guard: 5 more findings than GitHub shows as annotations/)]);
    expect(errors[0]).toContain('the one module reachable from src/index.ts does not read env.KV1.');
    expect(run.outputs).toMatchObject({ errors: String(BUSY_DEAD_BINDINGS), warnings: String(BUSY_MISSING_SECRETS * 2), 'sarif-file': sarif });
    // The findings output keeps one entry per environment.
    expect(JSON.parse(run.outputs.findings!)).toHaveLength(BUSY_DEAD_BINDINGS + BUSY_MISSING_SECRETS * 2);
    expect(run.summary).toMatch(/^## ❌ deploy-guard fails: 12 errors, 22 warnings, 0 notes\n/);
    expect(run.summary).toContain(`(${BLOB}/app/wrangler.toml#L6)`);
    expect(JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^app\//);
  });

  it('a bad input fails the step with one line, not a stack trace', async () => {
    const run = await runBundle(runtime, PROJECT_ROOT, { 'working-directory': 'examples/incident', 'fail-on': 'sometimes' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::input fail-on must be one of error, warning, note, never');
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});
