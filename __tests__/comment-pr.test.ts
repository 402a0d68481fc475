/**
 * The sticky PR comment, module and whole action, against a GitHub API stand-in on 127.0.0.1:
 * the first run creates the comment, the second edits the same one, 403 is a warning.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { buildCommentBody, COMMENT_LIMIT, COMMENT_MARKER, pullRequestFrom, upsertStickyComment } from '../src/comment-pr.js';
import { startGitHubApi, type GitHubApi, type StoredComment } from './helpers/github-api.js';
import { PROJECT_ROOT, SCENARIOS } from './helpers/paths.js';

const TOKEN = 'ghs_testTokenThatMustNeverBePrinted0123';
const SUMMARY = 'https://github.com/acme/app/actions/runs/1';

const others = (n: number, from = 1): StoredComment[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, body: `chatter ${i}`, user: { login: 'someone', type: 'User' } }));
const ours = (api: GitHubApi) => api.comments.filter((c) => c.body.includes(COMMENT_MARKER));

describe('upsertStickyComment against a GitHub API stand-in', () => {
  const servers: GitHubApi[] = [];
  async function start(options: Parameters<typeof startGitHubApi>[0] = {}): Promise<GitHubApi> {
    const api = await startGitHubApi({ token: TOKEN, ...options });
    servers.push(api);
    return api;
  }
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const target = (api: { url: string }, token = TOKEN) => ({ apiUrl: api.url, token, owner: 'acme', repo: 'app', issueNumber: 7 });

  it('creates the comment on the first run and edits the same one on the second', async () => {
    const api = await start({ comments: others(3) });
    const first = await upsertStickyComment(target(api), buildCommentBody('## run 1'));
    expect(first).toEqual({ status: 'created', id: 1000, url: 'https://github.com/acme/app/pull/7#issuecomment-1000' });
    const second = await upsertStickyComment(target(api), buildCommentBody('## run 2'));
    expect(second).toEqual({ status: 'updated', id: 1000, url: 'https://github.com/acme/app/pull/7#issuecomment-1000' });
    expect(ours(api)).toHaveLength(1);
    expect(api.comments).toHaveLength(4);
    expect(ours(api)[0]!.body).toBe(`${COMMENT_MARKER}\n## run 2`);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/app/issues/7/comments?per_page=100&page=1',
      'POST /repos/acme/app/issues/7/comments',
      'GET /repos/acme/app/issues/7/comments?per_page=100&page=1',
      'PATCH /repos/acme/app/issues/comments/1000',
    ]);
    for (const r of api.requests) {
      expect(r.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'deploy-guard' });
    }
    expect(api.requests.filter((r) => r.method !== 'GET').every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('finds the marker comment on page 2 behind 150 other comments, following the Link header', async () => {
    const api = await start({ comments: [...others(150), { id: 151, body: `${COMMENT_MARKER}\nold`, user: { login: 'github-actions[bot]', type: 'Bot' } }] });
    const outcome = await upsertStickyComment(target(api), buildCommentBody('new'));
    expect(outcome).toMatchObject({ status: 'updated', id: 151 });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/app/issues/7/comments?per_page=100&page=1',
      'GET /repos/acme/app/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/acme/app/issues/comments/151',
    ]);
    expect(api.comments).toHaveLength(151);
    expect(api.comments[150]!.body).toBe(`${COMMENT_MARKER}\nnew`);
  });

  it("prefers a bot's marker comment to a person's quoting the marker, and takes a person's when no bot's exists", async () => {
    const quoted = { id: 5, body: `see ${COMMENT_MARKER}`, user: { login: 'dev', type: 'User' } };
    const api = await start({ comments: [quoted, ...others(120, 10), { id: 500, body: COMMENT_MARKER, user: { login: 'github-actions[bot]', type: 'Bot' } }] });
    expect(await upsertStickyComment(target(api), 'x')).toMatchObject({ status: 'updated', id: 500 });
    const onlyPerson = await start({ comments: [quoted] });
    expect(await upsertStickyComment(target(onlyPerson), 'y')).toMatchObject({ status: 'updated', id: 5 });
  });

  it('turns a 403 on the write into "forbidden" (fork PR, read-only token) without throwing', async () => {
    const api = await start({ forbidWrites: true });
    const outcome = await upsertStickyComment(target(api), buildCommentBody('x'));
    expect(outcome).toEqual({ status: 'forbidden', message: 'POST /repos/acme/app/issues/7/comments answered HTTP 403: Resource not accessible by integration' });
    expect(api.comments).toHaveLength(0);
  });

  it('turns a 404 on the listing (no access to a private repo) into "forbidden"', async () => {
    const api = await start();
    api.override = (r) => (r.method === 'GET' ? { status: 404, body: '{"message":"Not Found"}' } : undefined);
    expect(await upsertStickyComment(target(api), 'x')).toEqual({ status: 'forbidden', message: 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 answered HTTP 404: Not Found' });
  });

  it('reports a server that is down as "failed", quickly', async () => {
    const closed = await startGitHubApi();
    await closed.close();
    const t0 = Date.now();
    const outcome = await upsertStickyComment(target(closed), 'x');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(outcome).toEqual({ status: 'failed', message: 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 failed: ECONNREFUSED' });
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const api = await start({ hang: true });
    const t0 = Date.now();
    const outcome = await upsertStickyComment(target(api), 'x', { timeoutMs: 150 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(outcome).toEqual({ status: 'failed', message: 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 failed: no answer within 0.15 s' });
  });

  it.each([
    ['a server error', { status: 502, body: '<html>bad gateway</html>' }, 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 answered HTTP 502'],
    ['a rate limit (403 with x-ratelimit-remaining: 0)', { status: 403, body: '{"message":"API rate limit exceeded"}', headers: { 'x-ratelimit-remaining': '0' } }, 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 answered HTTP 403 (rate limited): API rate limit exceeded'],
    ['an answer that is not JSON', { status: 200, body: 'not json' }, 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 answered HTTP 200 with a body that is not JSON'],
  ])('reports %s as "failed"', async (_, answer, message) => {
    const api = await start();
    api.override = () => answer;
    expect(await upsertStickyComment(target(api), 'x')).toEqual({ status: 'failed', message });
  });

  it('reports bad credentials as "failed"', async () => {
    const api = await start();
    expect(await upsertStickyComment(target(api, 'ghs_wrongTokenAlsoSecret'), 'x')).toEqual({ status: 'failed', message: 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 answered HTTP 401: Bad credentials' });
  });

  it('creates a new comment when the sticky one was deleted between listing and editing', async () => {
    const api = await start({ comments: [{ id: 9, body: COMMENT_MARKER, user: { login: 'github-actions[bot]', type: 'Bot' } }] });
    api.override = (r) => {
      if (r.method === 'PATCH') api.comments = [];
      return undefined;
    };
    expect(await upsertStickyComment(target(api), buildCommentBody('again'))).toMatchObject({ status: 'created', id: 1000 });
    expect(ours(api)).toHaveLength(1);
  });

  it('never repeats the token, even when the server or the HTTP client echoes it', async () => {
    const api = await start();
    api.override = (r) => ({ status: 403, body: JSON.stringify({ message: `token ${r.authorization} is not allowed` }) });
    const echoed = await upsertStickyComment(target(api), 'x');
    expect(echoed).toEqual({ status: 'forbidden', message: 'GET /repos/acme/app/issues/7/comments?per_page=100&page=1 answered HTTP 403: token Bearer [redacted] is not allowed' });
    // fetch rejects a header value with a newline and quotes the whole value in its error.
    const badToken = `${TOKEN}\nX`;
    const invalid = await upsertStickyComment(target(api, badToken), 'x');
    expect(invalid.status).toBe('failed');
    expect(JSON.stringify(invalid)).not.toContain(TOKEN);
    const down = await upsertStickyComment({ ...target(api), apiUrl: 'http://127.0.0.1:1' }, 'x');
    for (const outcome of [echoed, invalid, down]) expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });

  it('posts a capped body that GitHub accepts', async () => {
    const api = await start();
    const huge = Array.from({ length: 4000 }, (_, i) => `| 🔴 error | row ${i} | ${'x'.repeat(20)} |`).join('\n');
    expect(await upsertStickyComment(target(api), buildCommentBody(huge, SUMMARY))).toMatchObject({ status: 'created' });
    expect(api.comments[0]!.body.length).toBeLessThan(COMMENT_LIMIT);
    // and the stand-in does refuse an uncapped one, as GitHub does
    expect(await upsertStickyComment(target(api), `${COMMENT_MARKER}\n${huge}`)).toMatchObject({ status: 'failed', message: expect.stringMatching(/PATCH .* HTTP 422: .*too long/) });
  });
});

describe('buildCommentBody', () => {
  it('is the marker and the report when that fits', () => {
    expect(buildCommentBody('## deploy-guard: ✅ 0 errors\n', SUMMARY)).toBe(`${COMMENT_MARKER}\n## deploy-guard: ✅ 0 errors\n`);
  });

  it('cuts a long table between rows, below the limit, and ends with the pointer to the summary', () => {
    const header = '## deploy-guard: ❌ 5000 errors\n\n### Findings\n\n| | Rule | Location | Message |\n| --- | --- | --- | --- |\n';
    const rows = Array.from({ length: 5000 }, (_, i) => `| 🔴 error | rule-${i} | \`a.toml:${i}\` | ${'x'.repeat(i % 97)} |`);
    const body = buildCommentBody(header + rows.join('\n'), SUMMARY);
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT - 400);
    expect(body.startsWith(`${COMMENT_MARKER}\n## deploy-guard`)).toBe(true);
    expect(body.endsWith(`The full report is in the job summary: ${SUMMARY}.\n`)).toBe(true);
    const [report] = body.split('\n\n… the report is too long');
    const last = report!.split('\n').at(-1)!;
    expect(rows).toContain(last); // a whole row, not a piece of one
  });

  it('names the job summary when no URL is known, and holds at every length around the limit', () => {
    for (const extra of [-2, -1, 0, 1, 2, 500]) {
      const markdown = 'y'.repeat(COMMENT_LIMIT - COMMENT_MARKER.length - 1 + extra);
      const body = buildCommentBody(markdown);
      expect(body.length).toBeLessThan(COMMENT_LIMIT);
      if (extra >= -1) expect(body).toMatch(/The full report is in the job summary of this workflow run\.\n$/);
      else expect(body).toBe(`${COMMENT_MARKER}\n${markdown}`);
    }
  });

  it('does not split an emoji when one giant line has to be cut, and closes an open code fence', () => {
    const emoji = buildCommentBody('🔴'.repeat(COMMENT_LIMIT), SUMMARY);
    expect(emoji.length).toBeLessThan(COMMENT_LIMIT);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const fenced = buildCommentBody(`intro\n\`\`\`\n${'line\n'.repeat(20000)}\`\`\`\n`, SUMMARY);
    expect(fenced).toMatch(/line\n```\n\n… the report is too long/);
  });
});

describe('pullRequestFrom', () => {
  it.each([
    ['pull_request', { action: 'synchronize', number: 12, pull_request: { number: 12 } }, 'acme/app', { owner: 'acme', repo: 'app', issueNumber: 12 }],
    ['pull_request_target', { action: 'opened', pull_request: { number: 3, head: { repo: { full_name: 'fork/app' } } } }, 'acme/app', { owner: 'acme', repo: 'app', issueNumber: 3 }],
    ['repository from the payload when GITHUB_REPOSITORY is unset', { pull_request: { number: 4 }, repository: { full_name: 'acme/site' } }, undefined, { owner: 'acme', repo: 'site', issueNumber: 4 }],
    ['push', { ref: 'refs/heads/main', repository: { full_name: 'acme/app' } }, 'acme/app', undefined],
    ['no event file', undefined, 'acme/app', undefined],
    ['null', null, 'acme/app', undefined],
    ['a non-object', 'pull_request', 'acme/app', undefined],
    ['a number that is a string', { pull_request: { number: '12' } }, 'acme/app', undefined],
    ['a number that is zero', { pull_request: { number: 0 } }, 'acme/app', undefined],
    ['a fractional number', { pull_request: { number: 1.5 } }, 'acme/app', undefined],
    ['no repository at all', { pull_request: { number: 3 } }, undefined, undefined],
    ['a repository without owner', { pull_request: { number: 3 } }, 'app', undefined],
    ['a repository with too many parts', { pull_request: { number: 3 } }, 'acme/app/x', undefined],
  ])('%s', (_, event, repository, expected) => {
    expect(pullRequestFrom(event, repository)).toEqual(expected);
  });
});

describe('the action with comment: true, as the runner runs it', () => {
  let api: GitHubApi;
  let eventFile: string;
  beforeAll(async () => {
    api = await startGitHubApi();
    eventFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dg-event-')), 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify({ action: 'synchronize', pull_request: { number: 42 } }));
  });
  afterAll(() => api.close());

  function runAction(workspace: string): Promise<{ status: number | null; stdout: string }> {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-run-'));
    const env = {
      PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: workspace, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/app',
      GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile, GITHUB_STEP_SUMMARY: path.join(temp, 's.md'), GITHUB_OUTPUT: path.join(temp, 'o.txt'),
      INPUT_COMMENT: 'true', 'INPUT_GITHUB-TOKEN': TOKEN,
    };
    fs.writeFileSync(env.GITHUB_STEP_SUMMARY, '');
    fs.writeFileSync(env.GITHUB_OUTPUT, '');
    // Asynchronous spawn: the stand-in server runs in this process and must keep answering.
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'index.js')], { cwd: workspace, env });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stdout += d));
      child.on('close', (status) => resolve({ status, stdout }));
    });
  }

  it('creates the comment, updates the same one on the next run, and a 403 is only a warning', async () => {
    const failing = await runAction(path.join(PROJECT_ROOT, 'examples', 'incident'));
    expect(failing.status).toBe(1);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('supabase-ref-mismatch');

    const green = await runAction(path.join(SCENARIOS, 'same-project', 'repo'));
    expect(green.status).toBe(0);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toMatch(/✅ 0 errors/);

    api.forbidWrites = true;
    const forbidden = await runAction(path.join(PROJECT_ROOT, 'examples', 'incident'));
    api.forbidWrites = false;
    expect(forbidden.status).toBe(1); // the findings' exit code, not the comment's
    expect(forbidden.stdout).toMatch(/::warning::deploy-guard: could not write the PR comment/);
    expect(forbidden.stdout).not.toContain(TOKEN);
  });
});

describe('action.yml', () => {
  it('runs on node24 and declares every input the action reads', () => {
    const action = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    const source = fs.readFileSync(path.join(PROJECT_ROOT, 'src', 'action.ts'), 'utf8');
    const read = [...source.matchAll(/core\.getInput\('([^']+)'\)/g)].map((m) => m[1]).sort();
    expect(Object.keys(action.inputs).sort()).toEqual(read);
    expect(Object.keys(action.outputs).sort()).toEqual(['errors', 'findings', 'sarif-file', 'warnings']);
  });
});
