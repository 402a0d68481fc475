/**
 * One sticky pull-request comment per PR: found again by a hidden marker and edited in place on
 * every run, so a PR never collects a trail of bot comments. Plain `fetch` against the REST API
 * (`GITHUB_API_URL`, so GitHub Enterprise and tests' stand-in servers work). Never throws.
 */
export const COMMENT_MARKER = '<!-- deploy-guard:sticky-comment -->';
/** GitHub rejects comment bodies above 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
const REQUEST_TIMEOUT_MS = 10_000;

export type CommentTarget = { apiUrl: string; token: string; owner: string; repo: string; issueNumber: number };
export type CommentOutcome =
  | { status: 'created' | 'updated'; id: number }
  | { status: 'forbidden'; message: string }
  | { status: 'failed'; message: string };

/** Marker + report, cut at a line boundary below GitHub's limit with a pointer to the full summary. */
export function buildCommentBody(markdown: string, summaryUrl?: string, limit = COMMENT_LIMIT): string {
  const head = `${COMMENT_MARKER}\n`;
  const body = `${head}${markdown}`;
  if (body.length < limit) return body;
  const pointer = `\n\n… the report is too long for a comment. The full report is in the job summary${summaryUrl ? `: ${summaryUrl}` : ''}.\n`;
  const room = limit - pointer.length - 1;
  const cut = body.lastIndexOf('\n', room);
  return `${body.slice(0, cut > head.length ? cut : room)}${pointer}`;
}

/** The PR a workflow run is for (pull_request / pull_request_target events), from the event payload. */
export function pullRequestFrom(event: unknown, repository: string | undefined): { owner: string; repo: string; issueNumber: number } | undefined {
  const pr = (event as { pull_request?: { number?: unknown } } | undefined)?.pull_request;
  const number = typeof pr?.number === 'number' ? pr.number : undefined;
  const [owner, repo] = (repository ?? '').split('/');
  if (number === undefined || !owner || !repo) return undefined;
  return { owner, repo, issueNumber: number };
}

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function request(target: CommentTarget, method: string, path: string, body?: unknown): Promise<{ data: unknown; link: string | null }> {
  const url = `${target.apiUrl.replace(/\/$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'deploy-guard',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
    throw new ApiError(0, `${method} ${path} failed: ${reason}`);
  }
  if (!response.ok) throw new ApiError(response.status, `${method} ${path} answered HTTP ${response.status}`);
  const text = await response.text();
  return { data: text === '' ? undefined : JSON.parse(text), link: response.headers.get('link') };
}

type IssueComment = { id: number; body?: string; user?: { type?: string } };

async function findSticky(target: CommentTarget): Promise<IssueComment | undefined> {
  const found: IssueComment[] = [];
  // Bounded: 100 pages of 100 comments is more than any PR holds.
  for (let page = 1; page <= 100; page++) {
    const { data, link } = await request(target, 'GET', `/repos/${target.owner}/${target.repo}/issues/${target.issueNumber}/comments?per_page=100&page=${page}`);
    const comments = Array.isArray(data) ? (data as IssueComment[]) : [];
    found.push(...comments.filter((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER)));
    if (!link || !/rel="next"/.test(link) || comments.length === 0) break;
  }
  return found.find((c) => c.user?.type === 'Bot') ?? found[0];
}

export async function upsertStickyComment(target: CommentTarget, body: string): Promise<CommentOutcome> {
  try {
    const existing = await findSticky(target);
    if (existing) {
      await request(target, 'PATCH', `/repos/${target.owner}/${target.repo}/issues/comments/${existing.id}`, { body });
      return { status: 'updated', id: existing.id };
    }
    const { data } = await request(target, 'POST', `/repos/${target.owner}/${target.repo}/issues/${target.issueNumber}/comments`, { body });
    return { status: 'created', id: (data as { id?: number } | undefined)?.id ?? 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const safe = message.split(target.token).join('[redacted]');
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return { status: 'forbidden', message: safe };
    return { status: 'failed', message: safe };
  }
}
