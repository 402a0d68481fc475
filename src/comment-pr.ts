/**
 * One sticky pull-request comment per PR: found again by a hidden marker and edited in place on
 * every run, so a PR never collects a trail of bot comments. Never throws.
 *
 * Sent through `@actions/github`'s Octokit (`getOctokit`, a well-kept client the package
 * already depends on, rather than hand-written fetch): `baseUrl` is the
 * `GITHUB_API_URL` handed in (GitHub Enterprise, tests' stand-in servers), `paginate.iterator`
 * follows the `Link: rel="next"` pages, and the proxy-aware fetch that @actions/github sets up is
 * kept (passing our own `request` option would replace it). Octokit itself does not retry
 * (retries live in @octokit/plugin-retry, not shipped with @actions/github), so one
 * `hook.wrap("request")` (Octokit's documented hook API, used by plugin-retry itself) adds what
 * the live checks promise too: a deadline per request, retries on 429/5xx honouring Retry-After
 * (capped), and a refusal to send the token to another origin than the API's (a `Link` header
 * pointing elsewhere would otherwise carry it there: paginate requests whatever URL it names).
 *
 * This module is imported by the action only (src/action.ts), so Octokit is in dist/index.js and
 * not in the CLI's bundle.
 */
import { getOctokit } from '@actions/github';
import * as v from 'valibot';
import { DEFAULT_RETRIES, GITHUB_API_TIMEOUT_MS } from './defaults.js';

export const COMMENT_MARKER = '<!-- deploy-guard:sticky-comment -->';
/** GitHub rejects comment bodies above 65,536 characters. */
export const COMMENT_LIMIT = 65_536;
const MAX_RETRY_AFTER_MS = 30_000;
/** 100 pages of 100 comments is more than any PR holds. */
const MAX_PAGES = 100;

export type CommentTarget = {
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  issueNumber: number;
  /** Base delay of the retry backoff, 1 s unless a test shortens it. */
  backoffMs?: number;
};
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
  const cut = body.lastIndexOf('\n', room - '\n</details>'.length);
  let kept = body.slice(0, cut > head.length ? cut : room - '\n</details>'.length);
  // A cut inside the ```mermaid diagram would leave half a chart, which GitHub shows as a syntax
  // error: the cut goes before the fence instead.
  const fence = kept.lastIndexOf('\n```mermaid');
  if (fence >= 0 && !kept.slice(fence + 1).includes('\n```\n') && !kept.endsWith('\n```')) kept = kept.slice(0, fence);
  // A cut inside the folded pairing details would fold the pointer away with them.
  const open = kept.split('<details>').length - kept.split('</details>').length;
  return `${kept}${open > 0 ? '\n</details>' : ''}${pointer}`;
}

/** The PR a workflow run is for (pull_request / pull_request_target events), from the event payload. */
export function pullRequestFrom(event: unknown, repository: string | undefined): { owner: string; repo: string; issueNumber: number } | undefined {
  const pr = (event as { pull_request?: { number?: unknown } } | undefined)?.pull_request;
  const number = typeof pr?.number === 'number' ? pr.number : undefined;
  const [owner, repo] = (repository ?? '').split('/');
  if (number === undefined || !owner || !repo) return undefined;
  return { owner, repo, issueNumber: number };
}

/** A failure already put in words: method, path and status, never a header or the token. */
class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Issue comments as read here (docs.github.com/en/rest/issues/comments); other fields allowed. */
const COMMENT = v.looseObject({
  id: v.number(),
  body: v.optional(v.nullable(v.string())),
  user: v.optional(v.nullable(v.looseObject({ type: v.optional(v.string()) }))),
});
const COMMENT_PAGE = v.array(COMMENT);
type IssueComment = v.InferOutput<typeof COMMENT>;

type OctokitError = { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> }; cause?: { name?: string; code?: string; cause?: { code?: string } } };

function describeFailure(error: unknown): string {
  const err = error as OctokitError;
  // Octokit wraps fetch's TypeError (and a timeout's DOMException) in a RequestError's `cause`.
  if (err.cause?.name === 'TimeoutError') return `no answer within ${GITHUB_API_TIMEOUT_MS / 1000} s`;
  return err.cause?.cause?.code ?? err.cause?.code ?? 'the request failed';
}

/** How long to wait before retrying, or undefined when retrying will not help. */
function retryDelay(error: unknown, method: string, attempt: number, backoffMs: number): number | undefined {
  if (attempt >= DEFAULT_RETRIES) return undefined;
  const err = error as OctokitError;
  const status = err.response ? err.status : undefined;
  if (status === undefined) {
    // No answer: a reset or a timeout may pass; a refused connection or an unknown host will not.
    const code = describeFailure(error);
    return method !== 'POST' && !/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(code) ? backoffMs * 2 ** attempt : undefined;
  }
  // A POST that failed with a 5xx may have written the comment: repeat it only when it surely was
  // not processed (429, 503).
  const retryable = status === 429 || status === 503 || (status >= 500 && method !== 'POST');
  if (!retryable) return undefined;
  const header = err.response?.headers?.['retry-after'];
  if (header) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  return backoffMs * 2 ** attempt;
}

function client(target: CommentTarget) {
  const baseUrl = target.apiUrl.replace(/\/+$/, '');
  const apiOrigin = new URL(baseUrl).origin;
  const octokit = getOctokit(target.token, { baseUrl, userAgent: 'deploy-guard' });
  octokit.hook.wrap('request', async (request, options) => {
    const url = new URL(octokit.request.endpoint.parse(options).url);
    const label = `${options.method} ${url.pathname}`;
    if (url.origin !== apiOrigin) {
      throw new ApiError(0, `${label} was not sent: the API pointed to another origin (${url.host}), and the token goes to ${new URL(apiOrigin).host} only`);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await request({
          ...options,
          headers: { ...options.headers, 'x-github-api-version': '2022-11-28' },
          request: { ...options.request, signal: AbortSignal.timeout(GITHUB_API_TIMEOUT_MS) },
        });
      } catch (error) {
        const wait = retryDelay(error, options.method, attempt, target.backoffMs ?? 1000);
        if (wait === undefined) {
          const err = error as OctokitError;
          throw err.response && err.status ? new ApiError(err.status, `${label} answered HTTP ${err.status}`) : new ApiError(0, `${label} failed: ${describeFailure(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  });
  return octokit;
}

async function findSticky(octokit: ReturnType<typeof client>, target: CommentTarget): Promise<IssueComment | undefined> {
  const found: IssueComment[] = [];
  const route = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
  let pages = 0;
  for await (const response of octokit.paginate.iterator(route, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 })) {
    const page = v.safeParse(COMMENT_PAGE, response.data);
    if (!page.success) throw new ApiError(0, `the answer to GET /repos/${target.owner}/${target.repo}/issues/${target.issueNumber}/comments does not have the expected shape (a list of comments)`);
    found.push(...page.output.filter((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER)));
    if (++pages >= MAX_PAGES) break;
  }
  return found.find((c) => c.user?.type === 'Bot') ?? found[0];
}

export async function upsertStickyComment(target: CommentTarget, body: string): Promise<CommentOutcome> {
  try {
    const octokit = client(target);
    const existing = await findSticky(octokit, target);
    if (existing) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: target.owner, repo: target.repo, comment_id: existing.id, body });
      return { status: 'updated', id: existing.id };
    }
    const created = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body });
    const answer = v.safeParse(v.looseObject({ id: v.number() }), created.data);
    return { status: 'created', id: answer.success ? answer.output.id : 0 };
  } catch (error) {
    const message = error instanceof ApiError ? error.message : 'the comment could not be written (unexpected error)';
    const safe = message.split(target.token).join('[redacted]');
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return { status: 'forbidden', message: safe };
    return { status: 'failed', message: safe };
  }
}
