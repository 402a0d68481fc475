/**
 * `deploy-guard verify` against stand-ins on 127.0.0.1: two Supabase projects, a Worker that
 * accepts only its own project's tokens, and servers that misbehave.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MockAgent } from 'undici';
import * as v from 'valibot';
import { main } from '../src/cli-main.js';
import { httpJson, httpRequest, httpStatus, MAX_RESPONSE_BYTES } from '../src/live/http.js';
import { PROJECT_ROOT } from './helpers/paths.js';
import { startSupabaseAuth, startWorker, type AuthProject } from './helpers/supabase-auth.js';
import { startCloudflareApi } from './helpers/cloudflare-api.js';
import { sendRaw, startScripted, type Received } from './helpers/scripted-server.js';
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

  it('applies the config to live findings as to any rule: a lower level scales them, "off" drops them', async () => {
    const run = async (setting: string) => {
      const root = repo(a, b.anonKey, a);
      fs.writeFileSync(path.join(root, 'deploy-guard.config.json'), JSON.stringify({ rules: { 'supabase-key-rejected': setting } }));
      return verify([root, '--env', 'production']);
    };
    const rejected = (r: Awaited<ReturnType<typeof run>>) => r.findings.filter((f) => f.rule === 'supabase-key-rejected').map((f) => `${f.severity} ${f.subject}`);
    const warning = await run('warning');
    expect(rejected(warning)).toEqual(['warning VITE_SUPABASE_ANON_KEY']);
    expect(warning.code).toBe(0);
    expect(rejected(await run('off'))).toEqual([]);
    expect(rejected(await run('error'))).toEqual(['error VITE_SUPABASE_ANON_KEY']);
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

  it('obeys an inline directive on a live finding once: silenced, and the directive is not called unused', async () => {
    const api = await startCloudflareApi({
      token: TOKEN, accountId: 'acc1',
      scripts: { 'api-production': { secrets: ['SUPABASE_URL', 'STRIPE_KEY'], bindings: [{ name: 'SESSIONS', type: 'kv_namespace' }, { name: 'DB', type: 'd1' }, { name: 'UPLOADS', type: 'r2_bucket' }, { name: 'MODE', type: 'plain_text' }] } },
      kv: [{ id: 'kv3', title: 'sessions' }], d1: [{ uuid: 'd1-main', name: 'main' }], r2: [{ name: 'uploads' }], queues: [],
    });
    try {
      const silenced = config.replace('r2_buckets =', '# deploy-guard-disable-next-line dangling-binding -- the bucket is created by the release job\nr2_buckets =');
      const root = writeTree({ 'api/wrangler.toml': silenced, 'api/src/index.ts': code });
      const run = await verify([root, '--env', 'production', '--cloudflare-account-id', 'acc1', '--cloudflare-api-url', api.url], { CLOUDFLARE_API_TOKEN: TOKEN });
      expect(run.findings.filter((f) => ['dangling-binding', 'unused-suppression'].includes(f.rule))).toEqual([]);
      expect(run.code).toBe(0);
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

describe('the HTTP client on undici (MockAgent, no socket)', () => {
  const API = 'https://api.example.test';
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());
  const quick = () => ({ dispatcher: agent, timeoutMs: 1000, backoffMs: 1, retries: 2 });

  it('retries 503 and 429, waits as Retry-After says but no longer than the cap, and logs method and host only', async () => {
    const pool = agent.get(API);
    pool.intercept({ path: '/rest/v1/x?apikey=secret-in-query', method: 'GET' }).reply(503, 'busy');
    pool.intercept({ path: '/rest/v1/x?apikey=secret-in-query', method: 'GET' }).reply(429, '', { headers: { 'retry-after': '3600' } });
    pool.intercept({ path: '/rest/v1/x?apikey=secret-in-query', method: 'GET' }).reply(200, 'ok');
    const lines: string[] = [];
    // An hour's Retry-After, capped at 5 ms: without the cap this test would not finish.
    const answer = await httpRequest(`${API}/rest/v1/x?apikey=secret-in-query`, { ...quick(), maxRetryAfterMs: 5, log: (l) => lines.push(l) });
    expect(answer).toEqual({ ok: true, status: 200, text: 'ok' });
    expect(lines).toEqual(['GET api.example.test', 'GET api.example.test (retry 1)', 'GET api.example.test (retry 2)']);
  });

  it('gives the last 5xx back as a failure once the retries are spent, and does not retry a 4xx', async () => {
    const pool = agent.get(API);
    pool.intercept({ path: '/down', method: 'GET' }).reply(502, '').times(3);
    pool.intercept({ path: '/denied', method: 'GET' }).reply(401, '{"message":"Invalid API key"}');
    expect(await httpRequest(`${API}/down`, quick())).toEqual({ ok: false, status: 502, reason: 'HTTP 502' });
    expect(await httpStatus(`${API}/denied`, quick())).toEqual({ ok: false, status: 401, reason: 'HTTP 401' });
    expect(agent.pendingInterceptors()).toEqual([]);
  });

  it('checks the shape of an answer and names where it is wrong, never the value found there', async () => {
    agent.get(API).intercept({ path: '/auth/v1/token?grant_type=password', method: 'POST' }).reply(200, '{"access_token":987654321987}');
    const answer = await httpJson(`${API}/auth/v1/token?grant_type=password`, 'POST /auth/v1/token', v.looseObject({ access_token: v.string() }), { ...quick(), method: 'POST', body: '{}' });
    expect(answer).toEqual({ ok: false, status: 200, reason: 'the answer to POST /auth/v1/token does not have the expected shape (at access_token: expected string)' });
    expect(JSON.stringify(answer)).not.toContain('987654321987');
  });

  it('follows a redirect within the origin, re-posting on 307, but never to another origin', async () => {
    const pool = agent.get(API);
    pool.intercept({ path: '/auth/v1/token', method: 'POST' }).reply(307, '', { headers: { location: '/auth/v1/token2' } });
    pool.intercept({ path: '/auth/v1/token2', method: 'POST', body: '{"password":"p"}' }).reply(200, '{"ok":true}');
    expect(await httpRequest(`${API}/auth/v1/token`, { ...quick(), method: 'POST', body: '{"password":"p"}' })).toEqual({ ok: true, status: 200, text: '{"ok":true}' });

    pool.intercept({ path: '/auth/v1/settings', method: 'GET' }).reply(307, '', { headers: { location: 'https://collector.example.test/steal' } });
    agent.get('https://collector.example.test').intercept({ path: '/steal', method: 'GET' }).reply(200, 'thanks');
    const answer = await httpRequest(`${API}/auth/v1/settings`, { ...quick(), headers: { apikey: 'sb_secret_key' } });
    expect(answer).toEqual({ ok: false, reason: 'redirected (HTTP 307) to another origin, collector.example.test; not followed, so no credential was sent there' });
    expect(agent.pendingInterceptors().map((i) => `${i.origin}${i.path}`)).toEqual(['https://collector.example.test/steal']);
  });

  it('says "redirect loop" when the server redirects in circles', async () => {
    const pool = agent.get(API);
    pool.intercept({ path: '/a', method: 'GET' }).reply(302, '', { headers: { location: '/b' } }).persist();
    pool.intercept({ path: '/b', method: 'GET' }).reply(302, '', { headers: { location: '/a' } }).persist();
    expect(await httpRequest(`${API}/a`, quick())).toEqual({ ok: false, reason: 'the server redirects in a loop (HTTP 302, more than 5 redirects or back to an address already visited)' });
  });
});

describe('hostile answers from the services: wrong shapes, huge bodies, redirects to another origin', () => {
  const KEY = 'sb_publishable_0123456789abcdefghijklmn';
  function repoOn(base: string): string {
    return writeTree({
      'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } }),
      '.env.production': `VITE_SUPABASE_URL=${base}\nVITE_SUPABASE_ANON_KEY=${KEY}\n`,
      'api/wrangler.toml': `name = "api"\n[env.production.vars]\nSUPABASE_URL = "${base}"\n`,
    });
  }
  type Route = (req: Received, res: http.ServerResponse, self: string) => boolean | void;
  /** Supabase Auth and the Worker in one stand-in: health and settings answer 200 `{}`, unless `route` answers first. */
  const standIn = (route: Route) =>
    startScripted((req, res, self) => {
      if (route(req, res, self)) return;
      sendRaw(res, 200, '{}');
    });
  const smoke = (base: string, extra: string[] = []) => verify([repoOn(base), '--env', 'production', '--worker-url', base, '--smoke-path', '/api/profile', '--timeout', '5', ...extra], USER);
  const notes = (run: Awaited<ReturnType<typeof verify>>) => run.findings.filter((f) => f.severity === 'note').map((f) => f.message);

  it('a sign-in that answers 200 with `null` is a note naming the endpoint, not a crash', async () => {
    const stand = await standIn((req, res) => req.path.startsWith('/auth/v1/token') && (sendRaw(res, 200, 'null'), true));
    try {
      const run = await smoke(stand.url);
      expect(run.code).toBe(0);
      expect(notes(run)).toContain('The smoke test could not sign the test user in against VITE_SUPABASE_URL (the answer to POST /auth/v1/token does not have the expected shape (at the top level: expected Object)); the Worker was not called.');
      expect(stand.received.some((r) => r.path === '/api/profile')).toBe(false);
    } finally {
      await stand.close();
    }
  });

  it('a settings page that is not a JSON object does not count as the key being accepted', async () => {
    const stand = await standIn((req, res) => req.path === '/auth/v1/settings' && (sendRaw(res, 200, '<html>captive portal</html>', { 'content-type': 'text/html' }), true));
    try {
      const run = await verify([repoOn(stand.url), '--env', 'production']);
      expect(run.code).toBe(0);
      // The surface's label comes from the model; the words after it are this stage's.
      expect(notes(run)).toContainEqual(expect.stringMatching(/: VITE_SUPABASE_ANON_KEY could not be checked \(the answer to GET \/auth\/v1\/settings is not valid JSON\)\.$/));
    } finally {
      await stand.close();
    }
  });

  it('Cloudflare answering {"success":true,"result":[null,7]} gives notes naming the endpoints, not a crash', async () => {
    const TOKEN = 'cf_token_that_must_never_be_printed_42';
    const api = await startCloudflareApi({
      token: TOKEN, accountId: 'acc1', scripts: { 'api-production': { secrets: [], bindings: [] } }, kv: [], d1: [], r2: [], queues: [],
      raw: { '/workers/scripts/api-production/secrets': '{"success":true,"result":[null,7]}', '/storage/kv/namespaces': '{"success":true,"result":[null,7]}' },
    });
    try {
      const root = writeTree({ 'api/wrangler.toml': 'name = "api"\n[env.production]\nkv_namespaces = [{ binding = "SESSIONS", id = "kv3" }]\n' });
      const run = await verify([root, '--env', 'production', '--cloudflare-account-id', 'acc1', '--cloudflare-api-url', api.url], { CLOUDFLARE_API_TOKEN: TOKEN });
      expect(run.code).toBe(0);
      expect(notes(run)).toEqual(expect.arrayContaining([
        'The deployed secrets of api-production could not be listed (the answer to GET /accounts/{account_id}/workers/scripts/api-production/secrets does not have the expected shape (at result.0: expected Object)); they were not checked.',
        'The KV namespace ids of the account could not be listed (the answer to GET /accounts/{account_id}/storage/kv/namespaces does not have the expected shape (at result.0: expected Object)); SESSIONS was not checked.',
      ]));
      expect(JSON.stringify(run)).not.toContain('null,7');
    } finally {
      await api.close();
    }
  });

  it(`stops reading an answer past ${MAX_RESPONSE_BYTES / 1024 / 1024} MB and says so: a 6 MB sign-in answer is not taken as a token`, async () => {
    const huge = JSON.stringify({ access_token: 'x'.repeat(6 * 1024 * 1024) });
    const stand = await standIn((req, res) => req.path.startsWith('/auth/v1/token') && (sendRaw(res, 200, huge), true));
    try {
      const run = await smoke(stand.url);
      expect(run.code).toBe(0);
      expect(notes(run)).toContain('The smoke test could not sign the test user in against VITE_SUPABASE_URL (the answer is larger than 4 MB, the limit for these APIs; it was not read); the Worker was not called.');
      expect(stand.received.some((r) => r.path === '/api/profile')).toBe(false);
    } finally {
      await stand.close();
    }
  });

  it('an endless body is cut off near the limit: the server never gets to send it all', async () => {
    let sent = 0;
    const stand = await standIn((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return true;
    });
    try {
      const answer = await httpRequest(`${stand.url}/big`, { timeoutMs: 5000, retries: 0 });
      // Not toEqual on the answer: a failure would print megabytes of body.
      expect(answer.ok ? `read all ${answer.text.length} bytes` : answer.reason).toBe('the answer is larger than 4 MB, the limit for these APIs; it was not read');
      expect(sent).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await stand.close();
    }
  });

  it('a body trickled out byte by byte still meets the deadline of the attempt', async () => {
    const timers: NodeJS.Timeout[] = [];
    const stand = await standIn((_req, res) => {
      res.writeHead(200);
      timers.push(setInterval(() => res.write(' '), 20));
      return true;
    });
    try {
      expect(await httpRequest(`${stand.url}/trickle`, { timeoutMs: 300, retries: 0 })).toEqual({ ok: false, reason: 'no complete answer within 0.3 s (timeout)' });
    } finally {
      timers.forEach(clearInterval);
      await stand.close();
    }
  });

  it('never sends the apikey or the re-posted sign-in body to another origin on a 307', async () => {
    const elsewhere = await startScripted((_req, res) => sendRaw(res, 200, '{"access_token":"stolen"}'));
    const stand = await standIn((req, res) => {
      if (req.path !== '/auth/v1/settings' && !req.path.startsWith('/auth/v1/token')) return false;
      res.writeHead(307, { location: `${elsewhere.url}${req.path}` }).end();
      return true;
    });
    try {
      const run = await smoke(stand.url);
      expect(elsewhere.received).toEqual([]);
      expect(run.code).toBe(0);
      const host = new URL(elsewhere.url).host;
      expect(notes(run)).toEqual(expect.arrayContaining([
        expect.stringMatching(new RegExp(`: VITE_SUPABASE_ANON_KEY could not be checked \\(redirected \\(HTTP 307\\) to another origin, ${host.replaceAll('.', '\\.')}; not followed, so no credential was sent there\\)\\.$`)),
        `The smoke test could not sign the test user in against VITE_SUPABASE_URL (redirected (HTTP 307) to another origin, ${host}; not followed, so no credential was sent there); the Worker was not called.`,
      ]));
      expect(JSON.stringify(run)).not.toContain(USER.DEPLOY_GUARD_SMOKE_PASSWORD);
    } finally {
      await stand.close();
      await elsewhere.close();
    }
  });

  it('a redirect loop gives a clear note, not "fetch failed"', async () => {
    const stand = await standIn((req, res) => req.path.startsWith('/auth/v1/token') && (res.writeHead(307, { location: req.path }).end(), true));
    try {
      const run = await smoke(stand.url);
      expect(run.code).toBe(0);
      expect(notes(run)).toContain('The smoke test could not sign the test user in against VITE_SUPABASE_URL (the server redirects in a loop (HTTP 307, more than 5 redirects or back to an address already visited)); the Worker was not called.');
    } finally {
      await stand.close();
    }
  });
});
