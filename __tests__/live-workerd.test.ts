/**
 * The incident end to end in the real Workers runtime: the example's Hono Worker (with the
 * `supabase.auth.getUser(token)` middleware) bundled and served by workerd through miniflare, its
 * SUPABASE_URL on one stand-in project; `deploy-guard verify` signs a user in against the
 * frontend's project and calls it. Different projects → smoke-unauthorized; same → pass.
 *
 * miniflare needs Node >= 22 and is not a devDependency: it comes, pinned, with Node 24 from the
 * test tool folder (helpers/tool-cache.ts: installed once, keyed by the versions). Without the
 * registry the test is skipped with a message.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { EXAMPLE, PROJECT_ROOT } from './helpers/paths.js';
import { startSupabaseAuth, type AuthProject } from './helpers/supabase-auth.js';
import { ensureTools, toolNode } from './helpers/tool-cache.js';
import { tempDir, writeTree } from './helpers/tree.js';

const USER = { DEPLOY_GUARD_SMOKE_EMAIL: 'smoke@example.com', DEPLOY_GUARD_SMOKE_PASSWORD: 'correct horse' };

const TOOLS = ensureTools('the workerd test');
const node24 = TOOLS ? toolNode(TOOLS) : undefined;
const maybe = node24 ? describe : describe.skip;

async function serveWorker(project: AuthProject): Promise<{ url: string; child: ChildProcess }> {
  const out = path.join(tempDir('dg-worker-'), 'worker.mjs');
  const bundle = spawnSync(node24!, [path.join(PROJECT_ROOT, '__tests__', 'workerd', 'bundle.mjs'), TOOLS!, path.join(EXAMPLE, 'workers', 'src', 'index.ts'), out], { encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`bundling the example Worker failed: ${bundle.stderr}`);
  const bindings = JSON.stringify({ SUPABASE_URL: project.url, SUPABASE_SERVICE_ROLE_KEY: project.serviceKey, ENVIRONMENT: 'production' });
  const child = spawn(node24!, [path.join(PROJECT_ROOT, '__tests__', 'workerd', 'driver.mjs'), TOOLS!, out, bindings], { stdio: ['pipe', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`workerd did not start: ${seen}`)), 60_000);
    child.stdout!.on('data', (d) => {
      seen += d;
      const m = /READY (\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d) => (seen += d));
    child.on('exit', (code) => reject(new Error(`workerd exited (${code}): ${seen}`)));
  });
  return { url, child };
}

async function verify(root: string, workerUrl: string, extra: string[] = []) {
  let stdout = '';
  const code = await main(['verify', root, '--env', 'production', '--worker-url', workerUrl, '--smoke-path', '/api/profile', '--format', 'json', ...extra], { stdout: (t) => (stdout += t), stderr: () => {}, env: USER, cwd: PROJECT_ROOT, isTty: false });
  return { code, findings: (JSON.parse(stdout) as { findings: { rule: string; severity: string; message: string; file: string; line: number }[] }).findings };
}

function frontendOn(project: AuthProject, workerProject: AuthProject): string {
  return writeTree({
    'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } }),
    '.env.production': `VITE_SUPABASE_URL=${project.url}\nVITE_SUPABASE_ANON_KEY=${project.anonKey}\n`,
    'workers/wrangler.toml': `name = "jobmatch-api"\n\n[env.production.vars]\nSUPABASE_URL = "${workerProject.url}"\n`,
  });
}

type Stage = { a: AuthProject; b: AuthProject; worker: { url: string; child: ChildProcess } };

/** Two projects, and the example Worker in workerd on project B, for the tests of one describe. */
function stage(startA: () => Promise<AuthProject>, startB: () => Promise<AuthProject>): Stage {
  const s = {} as Stage;
  beforeAll(async () => {
    s.a = await startA();
    s.b = await startB();
    s.worker = await serveWorker(s.b);
  }, 120_000);
  afterAll(async () => {
    s.worker?.child.stdin?.end();
    s.worker?.child.kill();
    await s.a?.close();
    await s.b?.close();
  });
  return s;
}

maybe('the incident in workerd', () => {
  const s = stage(() => startSupabaseAuth('workerd-a'), () => startSupabaseAuth('workerd-b'));

  it('fails with smoke-unauthorized when the frontend signs users in on the other project', async () => {
    const run = await verify(frontendOn(s.a, s.b), s.worker.url);
    expect(run.code).toBe(1);
    expect(run.findings).toContainEqual(expect.objectContaining({ rule: 'smoke-unauthorized', severity: 'error', message: expect.stringMatching(/answered 401/) }));
  }, 60_000);

  it('passes when the frontend and the Worker share the project', async () => {
    const run = await verify(frontendOn(s.b, s.b), s.worker.url);
    expect(run.findings.filter((f) => f.rule === 'smoke-unauthorized')).toEqual([]);
    expect(run.code).toBe(0);
  }, 60_000);
});

maybe('the incident, statically and live, on the bundled example', () => {
  // The example's refs: the frontend builds against A, [env.production.vars] names B.
  const REF_A = 'qzjxkvbnmwplrtyhgfds';
  const REF_B = 'hvtrmpwqkzxnbcldfgsy';
  const EXAMPLE_JWT_SECRET = 'example-jwt-secret-for-fixtures-only-000';
  const s = stage(
    () => startSupabaseAuth('example-a', undefined, 'HS256', { jwtSecret: EXAMPLE_JWT_SECRET, issuer: `https://${REF_A}.supabase.co/auth/v1` }),
    () => startSupabaseAuth('example-b', undefined, 'HS256', { issuer: `https://${REF_B}.supabase.co/auth/v1` }),
  );

  it('finds the mismatch in the files, and the smoke test explains the 401 with both projects', async () => {
    const run = await verify(EXAMPLE, s.worker.url, ['--supabase-url', `${REF_A}=${s.a.url}`, '--supabase-url', `${REF_B}=${s.b.url}`]);
    expect(run.code).toBe(1);
    expect(run.findings).toContainEqual(expect.objectContaining({ rule: 'supabase-ref-mismatch', file: 'workers/wrangler.toml', line: 21 }));
    const smoke = run.findings.find((f) => f.rule === 'smoke-unauthorized');
    expect(smoke?.message).toMatch(new RegExp(`answered 401 .* The token was issued by project ${REF_A}; worker jobmatch-api-production .* is configured with project ${REF_B} through SUPABASE_URL \\(workers/wrangler\\.toml:21\\)`));
  }, 60_000);
});
