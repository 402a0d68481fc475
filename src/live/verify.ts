/**
 * `deploy-guard verify`, the Supabase side: gathers what the projects answer, for the live rules
 * to judge (supabase-key-rejected, smoke-unauthorized).
 * - Each surface's Supabase keys are sent to the project its URL names (`/auth/v1/settings`
 *   with `apikey`).
 * - The incident's hand diagnosis as a command: sign a test user in against the frontend's
 *   project, call the Worker with the token, and when it refuses, ask the Worker's project's
 *   published signing keys whether they verify the token.
 * Endpoints follow Supabase Auth (GoTrue): GET /auth/v1/health, GET /auth/v1/settings,
 * POST /auth/v1/token?grant_type=password (supabase.com/docs/reference/api, GoTrue's README).
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as v from 'valibot';
import type { DeploymentModel, Surface, SupabaseEvidence } from '../model.js';
import type { Sensitive } from '../sensitive.js';
import { API_KEY_ROLES } from '../supabase/target.js';
import { refFromPlatformHost } from '../supabase/urls.js';
import type { KeyCheck, LiveFacts, SignatureVerdict, SmokeRun } from './facts.js';
import { httpJson, httpStatus, type HttpOptions } from './http.js';

export type SmokeOptions = { workerUrl: string; paths: string[]; email: Sensitive; password: Sensitive };

export type LiveOptions = {
  environment: string;
  smoke?: SmokeOptions;
  /**
   * Where to reach a project instead of https://<ref>.supabase.co (a proxy, a self-hosted gateway,
   * or a test's stand-in): project ref → base URL.
   */
  supabaseUrls?: ReadonlyMap<string, string>;
  http?: Pick<HttpOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'maxRetryAfterMs' | 'log' | 'dispatcher'>;
};

/**
 * The shapes read from Supabase Auth (GoTrue), checked before a field is used (a
 * sign-in answering `null` once crashed the tool). Loose objects: fields not listed are allowed.
 */
const SETTINGS = v.looseObject({});
const SIGN_IN = v.looseObject({ access_token: v.string() });
const JWKS = v.looseObject({ keys: v.array(v.looseObject({ kty: v.string() })) });

function apiBase(url: SupabaseEvidence, urls?: ReadonlyMap<string, string>): string | undefined {
  const mapped = url.target.kind === 'project' ? urls?.get(url.target.ref) : undefined;
  if (mapped) return mapped.replace(/\/+$/, '');
  const text = url.value?.reveal().trim();
  return text && /^https?:\/\//.test(text) ? text.replace(/\/+$/, '') : undefined;
}

/** Surfaces that take part in a deploy of `environment`: its own, and those paired under its name. */
function surfacesOf(model: DeploymentModel, environment: string): Surface[] {
  const sides = new Set<string>();
  for (const pair of model.pairs) {
    if (pair.environment !== environment) continue;
    sides.add(`frontend\0${pair.frontend.path}\0${pair.frontend.environment}`);
    sides.add(`worker\0${pair.worker.path}\0${pair.worker.environment}`);
  }
  return model.surfaces.filter((s) => s.environment === environment || sides.has(`${s.kind}\0${s.path}\0${s.environment}`));
}

/** The surface's keys as its project's API answers them; undefined when it has no reachable URL or no key. */
async function keyCheck(surface: Surface, http: LiveOptions['http'], urls?: ReadonlyMap<string, string>): Promise<KeyCheck | undefined> {
  const url = surface.evidence.find((e) => e.role === 'url' && apiBase(e, urls));
  if (!url) return undefined;
  const base = apiBase(url, urls)!;
  const keys = surface.evidence.filter((e) => API_KEY_ROLES.has(e.role) && e.value);
  if (keys.length === 0) return undefined;
  const health = await httpStatus(`${base}/auth/v1/health`, { ...http, headers: { apikey: keys[0]!.value!.reveal() } });
  if (!health.ok && health.status === undefined) return { surface, url, unreachable: health.reason, keys: [] };
  const answers: KeyCheck['keys'] = [];
  for (const key of keys) {
    // The settings must be a JSON object: a 200 with anything else (a proxy's HTML page, `null`)
    // is not the project accepting the key.
    const settings = await httpJson(`${base}/auth/v1/settings`, 'GET /auth/v1/settings', SETTINGS, { ...http, headers: { apikey: key.value!.reveal() } });
    answers.push({ key, answer: settings.ok ? { ok: true } : { ok: false, status: settings.status, reason: settings.reason } });
  }
  return { surface, url, keys: answers };
}

/** `https://<ref>.supabase.co/auth/v1` → a description of who issued the token. */
function issuerOf(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    if (typeof iss !== 'string') return undefined;
    const url = new URL(iss);
    const ref = url.protocol === 'https:' && url.pathname === '/auth/v1' ? refFromPlatformHost(url.host) : undefined;
    return ref ? `project ${ref}` : `the issuer at ${url.host}`;
  } catch {
    return undefined;
  }
}

/**
 * With asymmetric JWT signing keys, a project publishes its public keys at
 * /auth/v1/.well-known/jwks.json: a token that none of the Worker's project's keys verifies was
 * signed elsewhere. Undefined when it cannot tell (HS256 tokens, no JWKS, unreachable).
 */
async function signatureVerdict(token: string, workerEvidence: SupabaseEvidence | undefined, http: LiveOptions['http'], urls?: ReadonlyMap<string, string>): Promise<SignatureVerdict | undefined> {
  const base = workerEvidence ? apiBase(workerEvidence, urls) : undefined;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return undefined;
  }
  if (!base || !alg || alg.startsWith('HS')) return undefined;
  const answer = await httpJson(`${base}/auth/v1/.well-known/jwks.json`, 'GET /auth/v1/.well-known/jwks.json', JWKS, http);
  // Unreachable or no JWKS: nothing to add. A JWKS in the wrong shape is said, not guessed around.
  if (!answer.ok) return answer.status !== undefined && answer.status < 300 ? { verdict: 'unreadable', reason: answer.reason } : undefined;
  const keys = answer.data as JSONWebKeySet;
  if (keys.keys.length === 0) return undefined;
  try {
    await jwtVerify(token, createLocalJWKSet(keys));
    return { verdict: 'verifies' };
  } catch {
    return { verdict: 'foreign', keys: keys.keys.length, alg };
  }
}

async function smokeRun(model: DeploymentModel, environment: string, smoke: SmokeOptions, http: LiveOptions['http'], urls?: ReadonlyMap<string, string>): Promise<SmokeRun> {
  const surfaces = surfacesOf(model, environment);
  const frontend = surfaces.find((s) => s.kind === 'frontend' && s.evidence.some((e) => e.role === 'url' && apiBase(e, urls)) && s.evidence.some((e) => (e.role === 'anon-key' || e.role === 'publishable-key') && e.value));
  const worker = surfaces.find((s) => s.kind === 'worker');
  const anchor = worker?.evidence.find((e) => e.role === 'url') ?? frontend?.evidence[0];
  if (!frontend || !anchor) return { kind: 'no-frontend', at: anchor?.at ?? { file: '.', line: 1, column: 1 } };
  const url = frontend.evidence.find((e) => e.role === 'url' && apiBase(e, urls))!;
  const key = frontend.evidence.find((e) => (e.role === 'anon-key' || e.role === 'publishable-key') && e.value)!;
  const signIn = await httpJson(`${apiBase(url, urls)}/auth/v1/token?grant_type=password`, 'POST /auth/v1/token', SIGN_IN, {
    ...http,
    method: 'POST',
    headers: { apikey: key.value!.reveal(), 'content-type': 'application/json' },
    body: JSON.stringify({ email: smoke.email.reveal(), password: smoke.password.reveal() }),
  });
  if (!signIn.ok) return { kind: 'sign-in-failed', url, reason: signIn.reason };
  const token = signIn.data.access_token;
  const calls: Extract<SmokeRun, { kind: 'called' }>['calls'] = [];
  for (const p of smoke.paths) {
    const answer = await httpStatus(`${smoke.workerUrl.replace(/\/+$/, '')}${p.startsWith('/') ? p : `/${p}`}`, { ...http, headers: { authorization: `Bearer ${token}` } });
    calls.push({ path: p, answer: answer.ok ? { ok: true } : { ok: false, status: answer.status, reason: answer.reason } });
  }
  const refused = calls.some((c) => !c.answer.ok && (c.answer.status === 401 || c.answer.status === 403));
  const signature = refused ? await signatureVerdict(token, worker?.evidence.find((e) => e.role === 'url'), http, urls) : undefined;
  const issuer = issuerOf(token);
  return { kind: 'called', url, anchor: anchor.at, ...(worker ? { worker } : {}), ...(issuer ? { issuer } : {}), ...(signature ? { signature } : {}), calls };
}

/** The Supabase side of the live stage: every key of the environment's surfaces, then the smoke test when asked for. */
export async function gatherSupabaseFacts(model: DeploymentModel, options: LiveOptions): Promise<Pick<LiveFacts, 'keyChecks' | 'smoke'>> {
  const keyChecks: KeyCheck[] = [];
  for (const surface of surfacesOf(model, options.environment)) {
    const check = await keyCheck(surface, options.http, options.supabaseUrls);
    if (check) keyChecks.push(check);
  }
  const smoke = options.smoke ? await smokeRun(model, options.environment, options.smoke, options.http, options.supabaseUrls) : undefined;
  return { keyChecks, ...(smoke ? { smoke } : {}) };
}
