/**
 * `deploy-guard verify` against stand-ins on 127.0.0.1: two Supabase projects, a Worker that
 * accepts only its own project's tokens, and servers that misbehave.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { httpRequest } from '../src/live/http.js';
import { PROJECT_ROOT } from './helpers/paths.js';
import { startSupabaseAuth, startWorker, type AuthProject } from './helpers/supabase-auth.js';
import { startCloudflareApi } from './helpers/cloudflare-api.js';
import { tempDir, writeTree } from './helpers/tree.js';

const USER = { DEPLOY_GUARD_SMOKE_EMAIL: 'smoke@example.com', DEPLOY_GUARD_SMOKE_PASSWORD: 'correct horse' };

async function verify(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(['verify', ...args, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: PROJECT_ROOT, isTty: false });
  return { code, stderr, findings: (JSON.parse(stdout || '{"findings":[]}') as { findings: { rule: string; severity: string; message: string; subject?: string }[] }).findings };
}

function repo(frontend: AuthProject, frontendKey: string, workerProject: AuthProject): string {
  return writeTree({
    'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } }),
    '.env.production': `VITE_SUPABASE_URL=${frontend.url}\nVITE_SUPABASE_ANON_KEY=${frontendKey}\n`,
    'api/wrangler.toml': `name = "api"\n\n[env.production.vars]\nSUPABASE_URL = "${workerProject.url}"\n`,
  });
}

describe('verify', () => {
  let a: AuthProject;
  let b: AuthProject;
  beforeAll(async () => {
    a = await startSupabaseAuth('a');
    b = await startSupabaseAuth('b');
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('reports a key the project rejects, and accepts a key of the same project', async () => {
    const wrong = await verify([repo(a, b.anonKey, a), '--env', 'production']);
    expect(wrong.findings).toContainEqual(expect.objectContaining({ rule: 'supabase-key-rejected', severity: 'error', subject: 'VITE_SUPABASE_ANON_KEY' }));
    const right = await verify([repo(a, a.anonKey, a), '--env', 'production']);
    expect(right.findings.filter((f) => f.rule === 'supabase-key-rejected')).toEqual([]);
  });

  it('the incident: the smoke test signs in against the frontend project and gets 401 from a Worker on the other one', async () => {
    const worker = await startWorker(b);
    try {
      const run = await verify([repo(a, a.anonKey, b), '--env', 'production', '--worker-url', worker.url, '--smoke-path', '/api/profile', '--smoke-path', '/api/skills'], USER);
      expect(run.code).toBe(1);
      const smoke = run.findings.filter((f) => f.rule === 'smoke-unauthorized');
      expect(smoke.map((f) => f.subject)).toEqual(['/api/profile', '/api/skills']);
      expect(smoke[0]!.message).toMatch(/answered 401 .* The token was issued by the issuer at 127\.0\.0\.1:\d+; worker api-production .* is configured with .* through SUPABASE_URL \(api\/wrangler\.toml:4\)/);
      expect(JSON.stringify(run)).not.toContain(USER.DEPLOY_GUARD_SMOKE_PASSWORD);
      expect(run.stderr).toMatch(/POST 127\.0\.0\.1:\d+/);
    } finally {
      await worker.close();
    }
  });

  it('passes when the Worker is on the frontend project', async () => {
    const worker = await startWorker(a);
    try {
      const run = await verify([repo(a, a.anonKey, a), '--env', 'production', '--worker-url', worker.url, '--smoke-path', '/api/profile'], USER);
      expect(run.findings.filter((f) => f.rule === 'smoke-unauthorized')).toEqual([]);
      expect(run.code).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('skips the smoke test with a clear message when the test user is not handed in', async () => {
    const run = await verify([repo(a, a.anonKey, a), '--env', 'production', '--worker-url', 'http://127.0.0.1:9']);
    expect(run.stderr).toMatch(/smoke test is skipped: set DEPLOY_GUARD_SMOKE_EMAIL/);
    expect(run.code).toBe(0);
  });

  it('needs --env', async () => {
    expect((await verify(['.'])).code).toBe(2);
  });
});

describe('network faults never hang or crash', () => {
  let server: http.Server;
  let base = '';
  const hits = new Map<string, number>();
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const n = (hits.get(req.url!) ?? 0) + 1;
      hits.set(req.url!, n);
      if (req.url === '/flaky') return res.writeHead(n === 1 ? 500 : 200).end('ok');
      if (req.url === '/limited') return n === 1 ? res.writeHead(429, { 'retry-after': '0' }).end() : res.writeHead(200).end('ok');
      if (req.url === '/slow') {
        res.writeHead(200);
        res.write('partial');
        return; // never ends the body
      }
      if (req.url === '/broken') return res.writeHead(500).end();
      res.writeHead(200).end('not json');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const fast = { timeoutMs: 300, backoffMs: 10, retries: 2 };

  it('retries 500 then succeeds, and honours 429 Retry-After', async () => {
    expect(await httpRequest(`${base}/flaky`, fast)).toMatchObject({ ok: true, status: 200 });
    expect(await httpRequest(`${base}/limited`, fast)).toMatchObject({ ok: true, status: 200 });
  });

  it('gives up on a body that never ends with a timeout, and on a server that keeps failing', async () => {
    expect(await httpRequest(`${base}/slow`, { ...fast, retries: 0 })).toEqual({ ok: false, reason: 'no complete answer within 0.3 s (timeout)' });
    expect(await httpRequest(`${base}/broken`, fast)).toEqual({ ok: false, status: 500, reason: 'HTTP 500' });
    expect(hits.get('/broken')).toBe(3);
  });

  it('names a refused connection at once', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await httpRequest(`http://127.0.0.1:${port}/`, fast)).toEqual({ ok: false, reason: 'the connection was refused (nothing listens there)' });
  });

  it('turns a sign-in answer that is not JSON into a note, not a crash', async () => {
    const root = writeTree({
      'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } }),
      '.env.production': `VITE_SUPABASE_URL=${base}\nVITE_SUPABASE_ANON_KEY=sb_publishable_0123456789abcdefghijklmn\n`,
      'api/wrangler.toml': `name = "api"\n[env.production.vars]\nSUPABASE_URL = "${base}"\n`,
    });
    const run = await verify([root, '--env', 'production', '--worker-url', base, '--timeout', '1'], USER);
    expect(run.findings).toContainEqual(expect.objectContaining({ rule: 'smoke-unauthorized', severity: 'note', message: expect.stringMatching(/not valid JSON/) }));
  });
});

describe('verify against the Cloudflare API', () => {
  const TOKEN = 'cf_token_that_must_never_be_printed_42';
  const config = [
    'name = "api"', 'main = "src/index.ts"', '',
    '[env.production]',
    'secrets = { required = ["SUPABASE_URL", "STRIPE_KEY"] }',
    'kv_namespaces = [{ binding = "SESSIONS", id = "kv3" }]',
    'd1_databases = [{ binding = "DB", database_name = "main", database_id = "d1-main" }]',
    'r2_buckets = [{ binding = "UPLOADS", bucket_name = "uploads-gone" }]',
    '', '[env.production.vars]', 'MODE = "prod"', '',
  ].join('\n');
  const code = 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL + env.STRIPE_KEY + env.MODE + env.SESSIONS + env.DB + env.UPLOADS); } };\n';

  it('finds the missing deployed secret, the dangling bucket and the drift, following pages', async () => {
    const api = await startCloudflareApi({
      token: TOKEN, accountId: 'acc1',
      scripts: { 'api-production': { secrets: ['SUPABASE_URL'], bindings: [{ name: 'SESSIONS', type: 'kv_namespace' }, { name: 'DB', type: 'd1' }, { name: 'UPLOADS', type: 'r2_bucket' }, { name: 'OLD_CACHE', type: 'kv_namespace' }, { name: 'SUPABASE_URL', type: 'secret_text' }] } },
      kv: [{ id: 'kv1', title: 'a' }, { id: 'kv2', title: 'b' }, { id: 'kv3', title: 'sessions' }],
      d1: [{ uuid: 'd1-main', name: 'main' }],
      r2: [{ name: 'uploads' }],
      queues: [],
    });
    try {
      const root = writeTree({ 'api/wrangler.toml': config, 'api/src/index.ts': code });
      const run = await verify([root, '--env', 'production', '--cloudflare-account-id', 'acc1', '--cloudflare-api-url', api.url], { CLOUDFLARE_API_TOKEN: TOKEN });
      const live = run.findings.filter((f) => ['missing-deployed-secret', 'dangling-binding', 'binding-drift'].includes(f.rule));
      expect(live.map((f) => [f.rule, f.severity, f.subject])).toEqual([
        ['binding-drift', 'warning', undefined],
        ['missing-deployed-secret', 'error', 'STRIPE_KEY'],
        ['dangling-binding', 'error', 'UPLOADS'],
      ]);
      expect(live[0]!.message).toMatch(/not deployed yet: MODE; deployed but no longer in the config: OLD_CACHE/);
      expect(api.requests.filter((r) => r.endsWith('/storage/kv/namespaces'))).toHaveLength(2); // page 2 fetched
      expect(JSON.stringify(run)).not.toContain(TOKEN);
    } finally {
      await api.close();
    }
  });

  it('a token without access, or a script that is not deployed, gives notes and no failure', async () => {
    const api = await startCloudflareApi({ token: 'another-token', accountId: 'acc1', scripts: {}, kv: [], d1: [], r2: [], queues: [] });
    try {
      const root = writeTree({ 'api/wrangler.toml': config, 'api/src/index.ts': code });
      const run = await verify([root, '--env', 'production', '--cloudflare-account-id', 'acc1', '--cloudflare-api-url', api.url], { CLOUDFLARE_API_TOKEN: TOKEN });
      const live = run.findings.filter((f) => ['missing-deployed-secret', 'dangling-binding', 'binding-drift'].includes(f.rule));
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((f) => f.severity === 'note')).toBe(true);
      expect(live.map((f) => f.message)).toContainEqual(expect.stringMatching(/secrets of api-production could not be listed \(HTTP 403: the API token needs Workers Scripts Read\)/));
      expect(run.code).toBe(0);
    } finally {
      await api.close();
    }
  });
});

describe('the action with live: true, as the runner runs it', () => {
  it('reproduces the incident: the smoke test annotation, secrets masked and never printed', async () => {
    const { spawn } = await import('node:child_process');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const a = await startSupabaseAuth('action-a');
    const b = await startSupabaseAuth('action-b');
    const worker = await startWorker(b);
    try {
      const root = repo(a, a.anonKey, b);
      const temp = tempDir('dg-live-');
      const env = {
        PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: root, GITHUB_STEP_SUMMARY: path.join(temp, 's.md'), GITHUB_OUTPUT: path.join(temp, 'o.txt'),
        INPUT_ENVIRONMENT: 'production', INPUT_LIVE: 'true', 'INPUT_WORKER-URL': worker.url, 'INPUT_SMOKE-PATHS': '/api/profile\n/api/skills\n', ...USER,
      };
      fs.writeFileSync(env.GITHUB_STEP_SUMMARY, '');
      fs.writeFileSync(env.GITHUB_OUTPUT, '');
      const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'index.js')], { cwd: root, env });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stdout += d));
        child.on('close', (status) => resolve({ status, stdout }));
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/::add-mask::correct horse/);
      expect(run.stdout).toMatch(/::error title=deploy-guard%3A smoke-unauthorized,file=api\/wrangler\.toml,line=4/);
      const printed = run.stdout.replace(/^::add-mask::.*$/gm, '') + fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8') + fs.readFileSync(env.GITHUB_OUTPUT, 'utf8');
      expect(printed).not.toContain(USER.DEPLOY_GUARD_SMOKE_PASSWORD);
      expect(fs.readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('smoke-unauthorized');
    } finally {
      await worker.close();
      await a.close();
      await b.close();
    }
  });
});

describe('asymmetric signing keys (JWKS)', () => {
  it('explains that none of the Worker project signing keys verifies the token', async () => {
    const a = await startSupabaseAuth('jwks-a', undefined, 'ES256');
    const b = await startSupabaseAuth('jwks-b', undefined, 'ES256');
    const worker = await startWorker(b);
    try {
      const run = await verify([repo(a, a.anonKey, b), '--env', 'production', '--worker-url', worker.url, '--smoke-path', '/api/profile'], USER);
      const smoke = run.findings.find((f) => f.rule === 'smoke-unauthorized');
      expect(smoke?.message).toMatch(/None of the 1 signing keys published by the Worker's project \(\/auth\/v1\/\.well-known\/jwks\.json\) verifies the token \(ES256\)/);
    } finally {
      await worker.close();
      await a.close();
      await b.close();
    }
  });
});
