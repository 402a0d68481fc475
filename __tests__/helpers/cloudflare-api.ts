/**
 * A Cloudflare API stand-in on 127.0.0.1 for the endpoints `verify` reads, with the API's
 * envelope ({ success, errors, messages, result, result_info }) and page-based pagination
 * (developers.cloudflare.com/api, "Workers Scripts", "Workers KV", "D1", "R2", "Queues"). It pages
 * two items at a time whatever per_page asks, so pagination is always exercised.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type CloudflareState = {
  token: string;
  accountId: string;
  scripts: Record<string, { secrets: string[]; bindings: { name: string; type: string }[] }>;
  kv: { id: string; title: string }[];
  d1: { uuid: string; name: string }[];
  r2: { name: string }[];
  queues: { queue_id: string; queue_name: string }[];
  /** Raw 200 bodies by path below the account (e.g. "/storage/kv/namespaces"): answers no real API should give. */
  raw?: Record<string, string>;
};

const PAGE_SIZE = 2;

export async function startCloudflareApi(state: CloudflareState): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, code: number, message: string) => send(status, { success: false, errors: [{ code, message }], messages: [], result: null });
    if (req.headers.authorization !== `Bearer ${state.token}`) return fail(403, 10000, 'Authentication error');
    const prefix = `/accounts/${state.accountId}`;
    if (!url.pathname.startsWith(prefix)) return fail(403, 10000, 'Authentication error');
    const rest = url.pathname.slice(prefix.length);
    const raw = state.raw?.[rest];
    if (raw !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(raw);
    }
    const page = Number(url.searchParams.get('page') ?? 1);
    const paged = (items: unknown[]) => send(200, {
      success: true, errors: [], messages: [],
      result: items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      result_info: { page, per_page: PAGE_SIZE, count: Math.min(PAGE_SIZE, Math.max(0, items.length - (page - 1) * PAGE_SIZE)), total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / PAGE_SIZE)) },
    });
    const script = /^\/workers\/scripts\/([^/]+)\/(secrets|settings)$/.exec(rest);
    if (script) {
      const found = state.scripts[decodeURIComponent(script[1]!)];
      if (!found) return fail(404, 10007, 'This Worker does not exist on your account.');
      if (script[2] === 'secrets') return send(200, { success: true, errors: [], messages: [], result: found.secrets.map((name) => ({ name, type: 'secret_text' })) });
      return send(200, { success: true, errors: [], messages: [], result: { bindings: found.bindings } });
    }
    if (rest === '/storage/kv/namespaces') return paged(state.kv);
    if (rest === '/d1/database') return paged(state.d1);
    if (rest === '/queues') return paged(state.queues);
    if (rest === '/r2/buckets') return send(200, { success: true, errors: [], messages: [], result: { buckets: state.r2 } });
    return fail(404, 7003, 'Could not route to the requested path');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
