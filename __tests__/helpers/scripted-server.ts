/**
 * A server on 127.0.0.1 that answers as a test scripts it, and records what it was sent (method,
 * path, headers, body): for answers no real service should give (wrong shapes, endless bodies,
 * redirects elsewhere) and for proving that nothing reached it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string };
export type Scripted = { url: string; received: Received[]; close(): Promise<void> };

export async function startScripted(answer: (req: Received, res: http.ServerResponse, self: string) => void): Promise<Scripted> {
  const received: Received[] = [];
  let url = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body };
      received.push(entry);
      answer(entry, res, url);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends JSON text as it is (not re-serialised), so a test can send `null` or `[null,7]`. */
export function sendRaw(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}
