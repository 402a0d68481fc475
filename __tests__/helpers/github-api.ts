/**
 * A stand-in for the GitHub REST endpoints the sticky PR comment uses, on 127.0.0.1 with a random
 * port (shapes as documented for issue comments: docs.github.com/en/rest/issues/comments):
 *   GET   /repos/{o}/{r}/issues/{n}/comments?per_page&page   pages with a `Link` header
 *   POST  /repos/{o}/{r}/issues/{n}/comments                 201, the new comment
 *   PATCH /repos/{o}/{r}/issues/comments/{id}                200, the edited comment
 * Comments live in memory and every request is recorded. Writes can be made to answer 403, a
 * wrong token gets 401, a body above 65,536 characters gets 422 (as GitHub does), `override` can
 * answer any request its own way, and `hang` holds requests unanswered. `close()` ends every
 * connection, so a test never leaves a handle open.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StoredComment = { id: number; body: string; user: { login: string; type: string }; html_url?: string };
export type RecordedRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; authorization?: string; body: string };
export type Override = { status: number; body?: string; headers?: Record<string, string> };

export type GitHubApiOptions = {
  /** Comments already on the PR (any issue number: the stand-in keeps one thread). */
  comments?: StoredComment[];
  /** POST and PATCH answer 403 "Resource not accessible by integration". */
  forbidWrites?: boolean;
  /** When set, any other bearer token gets 401 "Bad credentials". */
  token?: string;
  /** Never answer (the client's timeout is under test). */
  hang?: boolean;
};

export type GitHubApi = {
  url: string;
  comments: StoredComment[];
  requests: RecordedRequest[];
  forbidWrites: boolean;
  hang: boolean;
  /** Consulted first for every request; return undefined to let the stand-in answer. */
  override?: (req: RecordedRequest) => Override | undefined;
  close(): Promise<void>;
};

export const GITHUB_COMMENT_LIMIT = 65_536;

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const api = {
    comments: (options.comments ?? []).map((c) => ({ ...c, user: { ...c.user } })),
    requests: [] as RecordedRequest[],
    forbidWrites: options.forbidWrites ?? false,
    hang: options.hang ?? false,
  } as GitHubApi;
  let nextId = Math.max(1000, ...api.comments.map((c) => c.id + 1));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', api.url);
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, authorization: req.headers.authorization, body: raw };
      api.requests.push(recorded);
      if (api.hang) return; // left open until close()
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      const error = (status: number, message: string) => send(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) });

      const custom = api.override?.(recorded);
      if (custom) {
        res.writeHead(custom.status, { 'content-type': 'application/json; charset=utf-8', ...custom.headers });
        return res.end(custom.body ?? '');
      }
      if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) return error(401, 'Bad credentials');

      const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (list && req.method === 'GET') {
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(api.comments.length / perPage));
        const at = (p: number) => `<${api.url}${url.pathname}?per_page=${perPage}&page=${p}>`;
        const links = [
          ...(page < last ? [`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`] : []),
          ...(page > 1 ? [`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`] : []),
        ];
        return send(200, api.comments.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
      }
      if (api.forbidWrites && (req.method === 'POST' || req.method === 'PATCH')) return error(403, 'Resource not accessible by integration');
      const text = parseBody(raw);
      if ((list && req.method === 'POST') || (one && req.method === 'PATCH')) {
        if (text === undefined) return error(422, 'Invalid request. "body" wasn\'t supplied.');
        if (text.length > GITHUB_COMMENT_LIMIT) return error(422, `Validation Failed: body is too long (maximum is ${GITHUB_COMMENT_LIMIT} characters)`);
      }
      if (list && req.method === 'POST') {
        const id = nextId++;
        const comment = { id, body: text!, user: { login: 'github-actions[bot]', type: 'Bot' }, html_url: `https://github.com/${list[1]}/${list[2]}/pull/${list[3]}#issuecomment-${id}` };
        api.comments.push(comment);
        return send(201, comment);
      }
      if (one && req.method === 'PATCH') {
        const comment = api.comments.find((c) => c.id === Number(one[3]));
        if (!comment) return error(404, 'Not Found');
        comment.body = text!;
        return send(200, comment);
      }
      return error(404, 'Not Found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  api.url = `http://127.0.0.1:${port}`;
  api.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return api;
}

function parseBody(raw: string): string | undefined {
  try {
    const parsed = JSON.parse(raw) as { body?: unknown };
    return typeof parsed.body === 'string' ? parsed.body : undefined;
  } catch {
    return undefined;
  }
}
