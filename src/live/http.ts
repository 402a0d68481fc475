/**
 * HTTP for the live checks: Node's built-in fetch (undici) with a deadline per attempt covering
 * connect and body, retries with exponential backoff on 429 and 5xx (honouring Retry-After up to
 * a cap), and failures described in words a person can act on. Requests are logged by method and
 * host only: never a path with a token, never a header.
 */
export type HttpOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  retries?: number;
  /** Base delay of the exponential backoff (tests shorten it). */
  backoffMs?: number;
  log?: (line: string) => void;
};

export type HttpResult = { ok: true; status: number; text: string } | { ok: false; status?: number; reason: string };

const MAX_RETRY_AFTER_MS = 30_000;

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no complete answer within ${timeoutMs / 1000} s (timeout)`;
  const code = err.cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve (DNS)';
  if (code === 'ECONNREFUSED') return 'the connection was refused (nothing listens there)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was reset';
  if (/CERT|SSL|TLS/i.test(code) || /certificate/i.test(err.cause?.message ?? '')) return `TLS failed (${code || 'certificate problem'})`;
  return code || err.message || 'the request failed';
}

function retryDelay(response: Response | undefined, attempt: number, backoffMs: number): number {
  const header = response?.headers.get('retry-after');
  if (header) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  return backoffMs * 2 ** attempt;
}

export async function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  const { method = 'GET', timeoutMs = 10_000, retries = 2, backoffMs = 500 } = options;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return '(invalid URL)';
    }
  })();
  let last: HttpResult = { ok: false, reason: 'not attempted' };
  for (let attempt = 0; attempt <= retries; attempt++) {
    options.log?.(`${method} ${host}${attempt > 0 ? ` (retry ${attempt})` : ''}`);
    let response: Response | undefined;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      response = await fetch(url, { method, headers: options.headers, body: options.body, signal, redirect: 'follow' });
      // The deadline also covers the body: a server that trickles it out is a timeout too.
      const text = await response.text();
      if (response.ok) return { ok: true, status: response.status, text };
      last = { ok: false, status: response.status, reason: `HTTP ${response.status}` };
      if (response.status !== 429 && response.status < 500) return last;
    } catch (error) {
      last = { ok: false, reason: describeNetworkError(error, timeoutMs) };
      if (/refused|does not resolve|TLS/.test(last.reason)) return last; // retrying will not help
    }
    if (attempt < retries) await new Promise((resolve) => setTimeout(resolve, retryDelay(response, attempt, backoffMs)));
  }
  return last;
}

/** Parses a JSON body, or says that it was not JSON. */
export function parseJson(text: string): { ok: true; data: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'the answer is not valid JSON' };
  }
}
