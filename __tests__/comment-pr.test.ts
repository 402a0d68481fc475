/**
 * The sticky PR comment, module and whole action, against a GitHub API stand-in on 127.0.0.1:
 * the first run creates the comment, the second edits the same one, 403 is a warning (in-process,
 * and once end to end through the bundle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { buildCommentBody, COMMENT_LIMIT, COMMENT_MARKER, pullRequestFrom, upsertStickyComment } from '../src/comment-pr.js';
import { startGitHubApi, type GitHubApi } from './helpers/github-api.js';
import { PROJECT_ROOT, SCENARIOS } from './helpers/paths.js';
import { tempDir, writeTree } from './helpers/tree.js';
import { busyRepo, commands, runBundle, runInProcess } from './helpers/action-run.js';

const TOKEN = 'ghs_testTokenThatMustNeverBePrinted0123';

describe('sticky comment module', () => {
  let api: GitHubApi;
  beforeAll(async () => {
    api = await startGitHubApi(Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `chatter ${i}`, user: { login: 'someone', type: 'User' } })));
  });
  afterAll(() => api.close());
  const target = () => ({ apiUrl: api.url, token: TOKEN, owner: 'acme', repo: 'app', issueNumber: 7 });

  it('creates one comment, then finds it again past the first page and edits it in place', async () => {
    const first = await upsertStickyComment(target(), buildCommentBody('## run 1'));
    expect(first).toMatchObject({ status: 'created' });
    const second = await upsertStickyComment(target(), buildCommentBody('## run 2'));
    expect(second).toEqual({ status: 'updated', id: (first as { id: number }).id });
    const ours = api.comments.filter((c) => c.body.includes(COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toContain('## run 2');
    // Octokit's token auth (@octokit/auth-token) sends `token <TOKEN>`, which GitHub accepts like Bearer.
    expect(api.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('turns 403 into "forbidden" without throwing, and never repeats the token', async () => {
    api.forbidWrites = true;
    api.comments = api.comments.filter((c) => !c.body.includes(COMMENT_MARKER));
    const outcome = await upsertStickyComment(target(), buildCommentBody('x'));
    api.forbidWrites = false;
    expect(outcome).toMatchObject({ status: 'forbidden', message: expect.stringMatching(/POST .* HTTP 403/) });
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });

  it('retries a 502 and a 429 (Retry-After) instead of giving up on the comment', async () => {
    api.comments = api.comments.filter((c) => !c.body.includes(COMMENT_MARKER));
    api.faults = [502, 429];
    const outcome = await upsertStickyComment({ ...target(), backoffMs: 1 }, buildCommentBody('after a hiccup'));
    expect(api.faults).toEqual([]);
    expect(outcome).toMatchObject({ status: 'created' });
    expect(api.comments.filter((c) => c.body.includes('after a hiccup'))).toHaveLength(1);
  });

  it('a comment list in the wrong shape is a failure naming the endpoint, and no second comment', async () => {
    const before = api.comments.length;
    api.listBody = '{"message":"not a list","items":[null,7]}';
    const outcome = await upsertStickyComment(target(), buildCommentBody('x'));
    api.listBody = undefined;
    expect(outcome).toEqual({ status: 'failed', message: 'the answer to GET /repos/acme/app/issues/7/comments does not have the expected shape (a list of comments)' });
    expect(api.comments).toHaveLength(before);
  });

  it('never follows a Link header to another origin with the token', async () => {
    const elsewhere = await startGitHubApi();
    try {
      api.linkOrigin = elsewhere.url;
      const outcome = await upsertStickyComment(target(), buildCommentBody('x'));
      expect(outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/^GET \/repos\/acme\/app\/issues\/7\/comments was not sent: the API pointed to another origin \(127\.0\.0\.1:\d+\)/) });
      expect(elsewhere.requests).toEqual([]);
    } finally {
      api.linkOrigin = undefined;
      await elsewhere.close();
    }
  });

  it('reports a server that is not there as "failed", quickly', async () => {
    const closed = await startGitHubApi();
    await closed.close();
    const outcome = await upsertStickyComment({ ...target(), apiUrl: closed.url }, 'x');
    expect(outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('comment body and event', () => {
  it('stays under GitHub limit, cut at a line, with a pointer to the summary', () => {
    const long = Array.from({ length: 5000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join('\n');
    const body = buildCommentBody(long, 'https://github.com/acme/app/actions/runs/1');
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toMatch(/\|\n\n… the report is too long .*actions\/runs\/1\.\n$/s);
  });

  it('a cut that falls inside the diagram goes before its fence: never half a chart', () => {
    const chart = Array.from({ length: 5000 }, (_, i) => `  e0n${i} --> e0n${i + 1}`).join('\n');
    const long = `## report\n\n- ❌ **production**: …\n\n\`\`\`mermaid\nflowchart LR\n${chart}\n\`\`\`\n\nlegend\n`;
    const body = buildCommentBody(long, 'https://github.com/acme/app/actions/runs/1');
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body).not.toContain('```');
    expect(body).toMatch(/- ❌ \*\*production\*\*: …\n+… the report is too long .*actions\/runs\/1\.\n$/s);
    // A diagram that fits whole is kept whole.
    const short = buildCommentBody(`## report\n\n\`\`\`mermaid\nflowchart LR\n  a --> b\n\`\`\`\n\n${'| row |\n'.repeat(20000)}`);
    expect(short).toContain('```mermaid\nflowchart LR\n  a --> b\n```\n');
  });

  it('closes a <details> block the cut falls in, so the pointer stays visible', () => {
    const long = `## report\n\n<details><summary>pairs</summary>\n\n${Array.from({ length: 5000 }, (_, i) => `| row ${i} | ${'x'.repeat(20)} |`).join('\n')}\n\n</details>\n`;
    const body = buildCommentBody(long, 'https://github.com/acme/app/actions/runs/1');
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body).toMatch(/\|\n<\/details>\n\n… the report is too long .*actions\/runs\/1\.\n$/s);
  });

  it.each([
    [{ pull_request: { number: 12 } }, 'acme/app', { owner: 'acme', repo: 'app', issueNumber: 12 }],
    [{ ref: 'refs/heads/main' }, 'acme/app', undefined],
    [undefined, 'acme/app', undefined],
    [{ pull_request: { number: 3 } }, undefined, undefined],
  ])('pullRequestFrom(%j, %j)', (event, repository, expected) => {
    expect(pullRequestFrom(event, repository)).toEqual(expected);
  });
});

describe('the action with comment: true', () => {
  let api: GitHubApi;
  let eventFile: string;
  beforeAll(async () => {
    api = await startGitHubApi();
    eventFile = path.join(tempDir('dg-event-'), 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify({ action: 'synchronize', pull_request: { number: 42 } }));
  });
  afterAll(() => api.close());
  const stepEnv = () => ({
    GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/app', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile,
    GITHUB_SERVER_URL: 'https://github.com', GITHUB_SHA: 'feedfacefeedfacefeedfacefeedfacefeedface',
  });
  const inputs = { comment: 'true', 'github-token': TOKEN };

  it('creates the comment, updates the same one on the next run, and a 403 is only a warning', async () => {
    const failing = await runInProcess(path.join(PROJECT_ROOT, 'examples', 'incident'), inputs, stepEnv());
    expect(failing.failed).toMatch(/Failing because/);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toContain('supabase-ref-mismatch');

    const green = await runInProcess(path.join(SCENARIOS, 'same-project', 'repo'), inputs, stepEnv());
    expect(green.failed).toBeUndefined();
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]!.body).toMatch(/^<!-- deploy-guard:sticky-comment -->\n## ✅ deploy-guard passes: 0 errors/);

    api.forbidWrites = true;
    const forbidden = await runInProcess(path.join(PROJECT_ROOT, 'examples', 'incident'), inputs, stepEnv());
    api.forbidWrites = false;
    expect(forbidden.failed).toMatch(/Failing because/); // the findings' verdict, not the comment's
    expect(forbidden.annotations).toContainEqual({ kind: 'warning', message: expect.stringMatching(/^deploy-guard: could not write the PR comment \((PATCH|POST) \/repos\/acme\/app\/.* answered HTTP 403\)/) });
    expect(JSON.stringify(forbidden)).not.toContain(TOKEN);
  });

  it('the comment opens with the verdict and the failing pair, its evidence linked at the commit', async () => {
    await runInProcess(PROJECT_ROOT, { ...inputs, 'working-directory': 'examples/incident' }, stepEnv());
    const body = api.comments.find((c) => c.body.includes(COMMENT_MARKER))!.body;
    const lines = body.split('\n');
    expect(lines[1]).toBe('## ❌ deploy-guard fails: 2 errors, 0 warnings, 0 notes');
    expect(lines.find((l) => l.startsWith('| ❌ | production | frontend'))).toContain('(https://github.com/acme/app/blob/feedfacefeedfacefeedfacefeedfacefeedface/examples/incident/.env.production#L2)');
  });

  it("end to end, the bundle: with ten warning findings, the comment's 403 warning still reaches the UI", async () => {
    api.forbidWrites = true;
    const run = await runBundle(process.execPath, busyRepo(writeTree), { ...inputs, 'working-directory': 'app' }, stepEnv());
    api.forbidWrites = false;
    expect(run.status).toBe(1);
    const warnings = commands(run.stdout, 'warning');
    expect(warnings).toHaveLength(10);
    expect(warnings[9]).toMatch(/^::warning::deploy-guard: could not write the PR comment \(PATCH \/repos\/acme\/app\/issues\/comments\/\d+ answered HTTP 403\)\. A fork/);
    expect(commands(run.stdout, 'error')).toHaveLength(10);
    // 3 dead bindings and 2 missing-secret faults (two environments each) left out, counted in findings.
    expect(commands(run.stdout, 'notice')).toEqual([expect.stringMatching(/^::notice title=deploy-guard::deploy-guard: 7 more findings than GitHub shows/)]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});

describe('action.yml', () => {
  it('runs on node24 and declares every input the action reads', () => {
    const action = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    const source = fs.readFileSync(path.join(PROJECT_ROOT, 'src', 'action-inputs.ts'), 'utf8');
    const read = [...new Set([...source.matchAll(/(?:input\(env, |optional\()'([^']+)'\)/g)].map((m) => m[1]))].sort();
    expect(Object.keys(action.inputs).sort()).toEqual(read);
    expect(Object.keys(action.outputs).sort()).toEqual(['errors', 'findings', 'sarif-file', 'warnings']);
  });
});
