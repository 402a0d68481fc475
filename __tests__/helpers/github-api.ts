/**
 * A stand-in for the GitHub REST endpoints the PR comment uses, on 127.0.0.1 (request and response
 * shapes as documented for "issue comments": docs.github.com/en/rest/issues/comments). Comments
 * live in memory; pages carry absolute `Link` headers as GitHub's do (or point at `linkOrigin`, to
 * play a hostile one); writes can be made to answer 403, the next requests can be made to fail
 * (`faults`), and the list can answer a raw body (`listBody`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StoredComment = { id: number; body: string; user: { login: string; type: string } };

export type GitHubApi = {
  url: string;
  comments: StoredComment[];
  requests: { method: string; path: string; authorization?: string }[];
  forbidWrites: boolean;
  /** Statuses the next requests answer with, one per request (with `retry-after: 0`). */
  faults: number[];
  /** A raw 200 body for the comment list instead of the comments. */
  listBody?: string;
  /** Origin the `Link: rel="next"` URLs point at (default: this server). */
  linkOrigin?: string;
  close(): Promise<void>;
};

export async function startGitHubApi(initial: StoredComment[] = []): Promise<GitHubApi> {
  const api: Omit<GitHubApi, 'url' | 'close'> = { comments: [...initial], requests: [], forbidWrites: false, faults: [] };
  let nextId = 1000 + initial.length;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    api.requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization });
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      const fault = api.faults.shift();
      if (fault !== undefined) return send(fault, { message: 'stand-in fault' }, { 'retry-after': '0' });
      const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (list && req.method === 'GET' && api.listBody !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(api.listBody);
      }
      if (list && req.method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = api.comments.slice((page - 1) * perPage, page * perPage);
        const last = Math.max(1, Math.ceil(api.comments.length / perPage));
        const origin = api.linkOrigin ?? `http://${req.headers.host}`;
        const link: Record<string, string> = page < last ? { link: `<${origin}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return send(200, slice, link);
      }
      if (api.forbidWrites && (req.method === 'POST' || req.method === 'PATCH')) return send(403, { message: 'Resource not accessible by integration' });
      if (list && req.method === 'POST') {
        const comment = { id: nextId++, body: (JSON.parse(raw) as { body: string }).body, user: { login: 'github-actions[bot]', type: 'Bot' } };
        api.comments.push(comment);
        return send(201, comment);
      }
      if (one && req.method === 'PATCH') {
        const comment = api.comments.find((c) => c.id === Number(one[3]));
        if (!comment) return send(404, { message: 'Not Found' });
        comment.body = (JSON.parse(raw) as { body: string }).body;
        return send(200, comment);
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api as GitHubApi, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
