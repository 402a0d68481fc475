/**
 * HTTP for the live checks, on undici (the client the package declares) rather than hand-written
 * fetch. One contract for every request:
 * - a deadline per attempt: connect, headers and every pause in the body within `timeoutMs`
 *   (undici's Agent `connect.timeout`, `headersTimeout`, `bodyTimeout`), and the whole attempt
 *   within `timeoutMs` too (the `attemptDeadline` interceptor below), so a server that trickles
 *   its body one byte at a time is a timeout as well;
 * - retries with exponential backoff on 429 and 5xx, honouring Retry-After up to a cap: undici's
 *   retry interceptor (docs/api/RetryHandler.md: `statusCodes`, `methods`, `errorCodes`,
 *   `minTimeout`, `maxTimeout`; a Retry-After in seconds or as a date is waited for, capped at
 *   `maxTimeout`). A refused connection or a name that does not resolve is not retried: retrying
 *   will not help;
 * - a bound on the answer: the Agent's `maxResponseSize` (docs/api/Client.md) stops reading past
 *   MAX_RESPONSE_BYTES and the answer becomes a note, so a hostile or broken endpoint costs little
 *   memory (a 100 MB answer used to cost ~300 MB);
 * - redirects are followed by hand and only within the origin (or from http to https on the same
 *   host): the requests carry credentials (`apikey`, `Authorization`, the smoke user's password in
 *   a re-posted sign-in body), and undici's own redirect interceptor strips only `authorization`,
 *   `cookie` and `proxy-authorization` on a cross-origin hop, never an `apikey` header or a body;
 * - answers are checked against a valibot schema before any field is read (`httpJson`): a wrong
 *   shape becomes a note naming the endpoint, never the body;
 * - failures are described in words a person can act on; requests are logged by method and host
 *   only: never a path with a token, never a header.
 */
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import * as v from 'valibot';
import { DEFAULT_BACKOFF_MS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from '../defaults.js';

export type HttpOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  retries?: number;
  /** Base delay of the exponential backoff (tests shorten it). */
  backoffMs?: number;
  /** Longest wait a Retry-After header can impose (tests shorten it). */
  maxRetryAfterMs?: number;
  log?: (line: string) => void;
  /**
   * The undici dispatcher to send through: the live stage shares one Agent (`createHttpAgent`) and
   * closes it at the end; tests hand in a MockAgent. Without one, a request makes its own Agent.
   */
  dispatcher?: Dispatcher;
};

export type HttpFailure = { ok: false; status?: number; reason: string };
export type HttpResult = { ok: true; status: number; text: string } | HttpFailure;

/** The APIs read here answer in kilobytes; a few MB leaves room and bounds memory. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const MAX_RESPONSE_TEXT = '4 MB';
const MAX_RETRY_AFTER_MS = 30_000;
const MAX_REDIRECTS = 5;

/**
 * The Agent the live stage sends through. `maxResponseSize` is a per-connection option in undici,
 * so it lives here; the timeouts are repeated per request (so a MockAgent sees them too).
 */
export function createHttpAgent(timeoutMs = DEFAULT_TIMEOUT_MS): Agent {
  return new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, maxResponseSize: MAX_RESPONSE_BYTES });
}

class DeadlineError extends Error {
  readonly code = 'DG_ATTEMPT_DEADLINE';
}

/**
 * Aborts an attempt that has not completed within `ms`, whatever it is waiting for. Placed inside
 * the retry interceptor, so each retry gets its own deadline; an aborted attempt is not retried
 * (RetryHandler passes an aborted request's error through), which keeps the worst case bounded.
 * Handler API of undici 7 (docs/api/Dispatcher.md, "dispatch" handlers: onRequestStart with a
 * controller that can abort, onResponseEnd / onResponseError).
 */
function attemptDeadline(ms: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    let controller: Dispatcher.DispatchController | undefined;
    let expired = false;
    const error = new DeadlineError(`no complete answer within ${ms} ms`);
    const timer = setTimeout(() => {
      expired = true;
      controller?.abort(error);
    }, ms);
    timer.unref();
    return dispatch(opts, {
      onRequestStart(c, context) {
        controller = c;
        handler.onRequestStart?.(c, context);
        if (expired) c.abort(error);
      },
      onRequestUpgrade: (c, statusCode, headers, socket) => handler.onRequestUpgrade?.(c, statusCode, headers, socket),
      onResponseStart: (c, statusCode, headers, statusMessage) => handler.onResponseStart?.(c, statusCode, headers, statusMessage),
      onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
      onResponseEnd(c, trailers) {
        clearTimeout(timer);
        handler.onResponseEnd?.(c, trailers);
      },
      onResponseError(c, err) {
        clearTimeout(timer);
        handler.onResponseError?.(c, err);
      },
    });
  };
}

/** Logs every attempt (retries included) by method and host; sits inside the retry interceptor. */
function logAttempts(log: ((line: string) => void) | undefined, method: string, host: string): Dispatcher.DispatcherComposeInterceptor {
  let attempt = 0;
  return (dispatch) => (opts, handler) => {
    log?.(`${method} ${host}${attempt > 0 ? ` (retry ${attempt})` : ''}`);
    attempt++;
    return dispatch(opts, handler);
  };
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return `the answer is larger than ${MAX_RESPONSE_TEXT}, the limit for these APIs; it was not read`;
  if (code === 'DG_ATTEMPT_DEADLINE' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || err.name === 'TimeoutError') {
    return `no complete answer within ${timeoutMs / 1000} s (timeout)`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve (DNS)';
  if (code === 'ECONNREFUSED') return 'the connection was refused (nothing listens there)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'the connection was reset';
  if (/CERT|SSL|TLS/i.test(code) || /certificate/i.test(err.message ?? '')) return `TLS failed (${code || 'certificate problem'})`;
  // Never err.message as a fallback: some errors quote the URL, and a smoke path may hold a token.
  return code ? `the request failed (${code})` : 'the request failed';
}

function hostOf(url: URL | undefined): string {
  return url?.host ?? '(invalid URL)';
}

/** Same origin, or the same host upgraded from http to https: where the credentials may follow. */
function mayFollow(from: URL, to: URL): boolean {
  return to.origin === from.origin || (from.protocol === 'http:' && to.protocol === 'https:' && to.hostname === from.hostname);
}

type Attempted = { ok: true; status: number; headers: Record<string, string | string[] | undefined>; text: string } | HttpFailure;

async function send(url: URL, method: string, body: string | undefined, readBody: boolean, options: HttpOptions, dispatcher: Dispatcher): Promise<Attempted> {
  const { timeoutMs = DEFAULT_TIMEOUT_MS, retries = DEFAULT_RETRIES, backoffMs = DEFAULT_BACKOFF_MS, maxRetryAfterMs = MAX_RETRY_AFTER_MS } = options;
  const composed = dispatcher.compose(
    attemptDeadline(timeoutMs),
    logAttempts(options.log, method, url.host),
    interceptors.retry({
      maxRetries: retries,
      minTimeout: backoffMs,
      maxTimeout: maxRetryAfterMs,
      timeoutFactor: 2,
      statusCodes: [429, 500, 502, 503, 504],
      // The sign-in POST is retried too, as before: a 5xx or 429 means it was not processed.
      methods: ['GET', 'HEAD', 'POST'],
      // Not ECONNREFUSED / ENOTFOUND (undici's defaults): retrying will not help there.
      errorCodes: ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'],
      // Hand the last 429/5xx back as an answer (its status in the note) instead of an error.
      throwOnError: false,
    }),
  );
  try {
    const response = await request(url, { dispatcher: composed, method: method as Dispatcher.HttpMethod, headers: options.headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const { statusCode, headers } = response;
    if (!readBody || statusCode >= 300) {
      // Only the status matters: read at most a little of the body, then drop the connection.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return { ok: true, status: statusCode, headers, text: '' };
    }
    return { ok: true, status: statusCode, headers, text: await response.body.text() };
  } catch (error) {
    return { ok: false, reason: describeNetworkError(error, timeoutMs) };
  }
}

async function exchange(rawUrl: string, options: HttpOptions, readBody: boolean): Promise<HttpResult> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'the URL is not valid' };
  }
  const own = options.dispatcher ? undefined : createHttpAgent(options.timeoutMs);
  const dispatcher = options.dispatcher ?? own!;
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  const seen = new Set<string>([url.href]);
  try {
    for (let hop = 0; ; hop++) {
      const answer = await send(url, method, body, readBody, options, dispatcher);
      if (!answer.ok) return answer;
      const location = answer.headers.location;
      if (answer.status < 300 || answer.status >= 400 || answer.status === 304 || typeof location !== 'string') {
        return answer.status < 300 ? { ok: true, status: answer.status, text: answer.text } : { ok: false, status: answer.status, reason: `HTTP ${answer.status}` };
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return { ok: false, reason: `HTTP ${answer.status} with a Location that is not a URL` };
      }
      if (!mayFollow(url, next)) {
        return { ok: false, reason: `redirected (HTTP ${answer.status}) to another origin, ${hostOf(next)}; not followed, so no credential was sent there` };
      }
      if (seen.has(next.href) || hop + 1 > MAX_REDIRECTS) {
        return { ok: false, reason: `the server redirects in a loop (HTTP ${answer.status}, more than ${MAX_REDIRECTS} redirects or back to an address already visited)` };
      }
      seen.add(next.href);
      // As fetch does: 303 turns into GET, and so do 301/302 after a POST; 307/308 repeat the request.
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  } finally {
    await own?.close();
  }
}

/** A request whose body is read as text (bounded by MAX_RESPONSE_BYTES). */
export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  return exchange(url, options, true);
}

/** A request whose status is all that matters (the body is dropped unread). */
export function httpStatus(url: string, options: HttpOptions = {}): Promise<HttpResult> {
  return exchange(url, options, false);
}

/**
 * A wrong shape in words: the endpoint, where in the answer, and what was expected there; never the
 * value found (valibot's own messages quote it: "… but received \"…\""). Paths name only keys
 * that the schemas declare and array indexes, so nothing of the body gets in.
 */
export function describeShape(endpoint: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue ? v.getDotPath(issue) : null;
  return `the answer to ${endpoint} does not have the expected shape (${path ? `at ${path}` : 'at the top level'}: expected ${issue?.expected ?? 'another shape'})`;
}

export type JsonResult<T> = { ok: true; status: number; data: T } | HttpFailure;

/**
 * A JSON request whose answer must match `schema`. `endpoint` names the call in the note
 * ("GET /auth/v1/settings"); it is written by the caller, so no path with a token gets in.
 * valibot rather than zod: the bundles are committed, and ncc does not tree-shake either, so the
 * whole library lands in dist/. valibot is one dependency-free module of 206 KB unminified (its
 * dist/index.mjs, measured in dist/cli.js); zod 4 ships its classic API, its core and its locales,
 * a larger whole, for the same use here.
 */
export async function httpJson<S extends v.GenericSchema>(url: string, endpoint: string, schema: S, options: HttpOptions = {}): Promise<JsonResult<v.InferOutput<S>>> {
  const answer = await httpRequest(url, options);
  if (!answer.ok) return answer;
  let data: unknown;
  try {
    data = JSON.parse(answer.text);
  } catch {
    return { ok: false, status: answer.status, reason: `the answer to ${endpoint} is not valid JSON` };
  }
  const parsed = v.safeParse(schema, data);
  if (!parsed.success) {
    return { ok: false, status: answer.status, reason: describeShape(endpoint, parsed.issues) };
  }
  return { ok: true, status: answer.status, data: parsed.output };
}
