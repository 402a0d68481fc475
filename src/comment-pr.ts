/**
 * One sticky pull-request comment per PR: found again by a hidden marker and edited in place on
 * every run, so a PR never collects a trail of bot comments. Plain `fetch` against the REST API
 * (`GITHUB_API_URL`, so GitHub Enterprise and the tests' stand-in server work), no dependency to
 * bundle. Endpoints: docs.github.com/en/rest/issues/comments. `upsertStickyComment` never throws
 * and never repeats the token in what it returns.
 */
export const COMMENT_MARKER = '<!-- deploy-guard:sticky-comment -->';
/** GitHub rejects comment bodies above 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
const REQUEST_TIMEOUT_MS = 10_000;
/** 100 pages of 100 comments is far more than any PR holds; the bound only stops a looping server. */
const MAX_PAGES = 100;

export type CommentTarget = { apiUrl: string; token: string; owner: string; repo: string; issueNumber: number };
export type CommentOutcome =
  | { status: 'created' | 'updated'; id: number; url?: string }
  | { status: 'forbidden'; message: string }
  | { status: 'failed'; message: string };
export type CommentOptions = { /** Per request; default 10 s. */ timeoutMs?: number };

const FENCE = /^ {0,3}(```|~~~)/;

/**
 * Marker + report. When that reaches GitHub's limit, the report is cut at a line boundary (a table
 * row is one line, so no row is ever cut in half), an open code fence is closed, and a pointer to
 * the job summary follows. The result is always shorter than `limit` characters (UTF-16 units,
 * which never undercounts what GitHub counts).
 */
export function buildCommentBody(markdown: string, summaryUrl?: string, limit = COMMENT_LIMIT): string {
  const head = `${COMMENT_MARKER}\n`;
  const body = `${head}${markdown}`;
  if (body.length < limit) return body;
  const where = summaryUrl ? `the job summary: ${summaryUrl}` : 'the job summary of this workflow run';
  const pointer = `\n\n… the report is too long for a comment and was cut here. The full report is in ${where}.\n`;
  const fenceClose = '\n```';
  const room = limit - 1 - pointer.length - fenceClose.length;
  if (room <= head.length) return `${COMMENT_MARKER}${pointer}`.slice(0, limit - 1);
  // The last newline that leaves the text before it within room: keep whole lines only.
  const newline = body.lastIndexOf('\n', room);
  let kept: string;
  if (newline >= head.length) {
    kept = body.slice(0, newline);
  } else {
    // One giant first line: cut it, but not between the halves of a surrogate pair.
    let end = room;
    const code = body.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    kept = body.slice(0, end);
  }
  kept = kept.replace(/\s+$/, '');
  const fences = kept.split('\n').filter((line) => FENCE.test(line)).length;
  if (fences % 2 === 1) kept += fenceClose;
  return `${kept}${pointer}`;
}

type PullRequestRef = { owner: string; repo: string; issueNumber: number };

/**
 * The PR a workflow run is for, from the event payload (`GITHUB_EVENT_PATH`) and
 * `GITHUB_REPOSITORY` ("owner/repo"; the payload's `repository.full_name` when that is unset).
 * `pull_request` and `pull_request_target` payloads carry `pull_request.number`; push, schedule,
 * workflow_dispatch and the rest do not, and give undefined.
 */
export function pullRequestFrom(event: unknown, repository: string | undefined): PullRequestRef | undefined {
  if (!isObject(event) || !isObject(event.pull_request)) return undefined;
  const number = event.pull_request.number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) return undefined;
  const fromPayload = isObject(event.repository) && typeof event.repository.full_name === 'string' ? event.repository.full_name : undefined;
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec((repository || fromPayload || '').trim());
  if (!match) return undefined;
  return { owner: match[1]!, repo: match[2]!, issueNumber: number };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An unsuccessful request; `status` 0 when no HTTP answer came back. */
class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly rateLimited = false) {
    super(message);
  }
}

type Answer = { data: unknown; link: string | null };

async function request(target: CommentTarget, timeoutMs: number, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = `${target.apiUrl.replace(/\/+$/, '')}${path}`;
  const what = `${method} ${path}`;
  try {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'deploy-guard',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      const rateLimited = response.status === 429 || (response.status === 403 && (response.headers.get('x-ratelimit-remaining') === '0' || response.headers.has('retry-after')));
      const detail = apiMessage(text);
      throw new ApiError(response.status, `${what} answered HTTP ${response.status}${rateLimited ? ' (rate limited)' : ''}${detail ? `: ${detail}` : ''}`, rateLimited);
    }
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(response.status, `${what} answered HTTP ${response.status} with a body that is not JSON`);
    }
    return { data, link: response.headers.get('link') };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const name = (error as Error | undefined)?.name;
    const reason = name === 'TimeoutError' || name === 'AbortError'
      ? `no answer within ${timeoutMs / 1000} s`
      : ((error as { cause?: { code?: string; message?: string } }).cause?.code ?? (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
    throw new ApiError(0, `${what} failed: ${reason}`);
  }
}

/** GitHub's error body is `{ "message": "...", "documentation_url": "..." }`; keep the message, short. */
function apiMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isObject(parsed) && typeof parsed.message === 'string') return parsed.message.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
  } catch {
    // not JSON: no detail
  }
  return undefined;
}

type IssueComment = { id: number; body?: unknown; html_url?: unknown; user?: { type?: unknown } | null };

async function findSticky(target: CommentTarget, timeoutMs: number): Promise<IssueComment | undefined> {
  const base = `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}/issues/${target.issueNumber}/comments`;
  const found: IssueComment[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data, link } = await request(target, timeoutMs, 'GET', `${base}?per_page=100&page=${page}`);
    const comments = Array.isArray(data) ? (data as IssueComment[]) : [];
    for (const c of comments) {
      if (isObject(c) && typeof c.id === 'number' && typeof c.body === 'string' && c.body.includes(COMMENT_MARKER)) found.push(c);
    }
    if (comments.length === 0 || !link || !/rel="next"/.test(link)) break;
  }
  // Ours is written by a bot (github-actions[bot] or an app); a person quoting the marker is a fallback.
  return found.find((c) => c.user?.type === 'Bot') ?? found[0];
}

function written(status: 'created' | 'updated', data: unknown, fallbackId = 0): CommentOutcome {
  const id = isObject(data) && typeof data.id === 'number' ? data.id : fallbackId;
  const url = isObject(data) && typeof data.html_url === 'string' ? data.html_url : undefined;
  return url === undefined ? { status, id } : { status, id, url };
}

/**
 * Edits the PR's sticky comment (the one holding COMMENT_MARKER, a bot's first) or creates it.
 * 403/404 → forbidden (a fork's PR, a read-only token, no access); anything else that goes wrong
 * (other HTTP status, rate limit, network, timeout, malformed answer) → failed. Never throws.
 */
export async function upsertStickyComment(target: CommentTarget, body: string, options: CommentOptions = {}): Promise<CommentOutcome> {
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const repoPath = `/repos/${encodeURIComponent(target.owner)}/${encodeURIComponent(target.repo)}`;
  try {
    const existing = await findSticky(target, timeoutMs);
    if (existing) {
      try {
        const { data } = await request(target, timeoutMs, 'PATCH', `${repoPath}/issues/comments/${existing.id}`, { body });
        return written('updated', data, existing.id);
      } catch (error) {
        // Deleted between the listing and the edit: write a new one. Any other error stands.
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    }
    const { data } = await request(target, timeoutMs, 'POST', `${repoPath}/issues/${target.issueNumber}/comments`, { body });
    return written('created', data);
  } catch (error) {
    const message = redact(error instanceof Error ? error.message : String(error), target.token);
    if (error instanceof ApiError && !error.rateLimited && (error.status === 403 || error.status === 404)) return { status: 'forbidden', message };
    return { status: 'failed', message };
  }
}

function redact(message: string, token: string): string {
  let out = message;
  for (const secret of new Set([token, token.trim()])) {
    if (secret !== '') out = out.split(secret).join('[redacted]');
  }
  return out;
}
