/**
 * `deploy-guard verify`: opt-in live checks for one environment, after the static ones.
 * - Each surface's Supabase key is accepted by the project its URL names (`/auth/v1/settings`
 *   with `apikey`); a rejected key is `supabase-key-rejected`.
 * - The incident's hand diagnosis as a command: sign a test user in against the frontend's
 *   project, call the Worker with the token, and fail on 401/403 with `smoke-unauthorized`,
 *   explaining the token's issuer against the project the Worker is configured with.
 * Endpoints follow Supabase Auth (GoTrue): GET /auth/v1/health, GET /auth/v1/settings,
 * POST /auth/v1/token?grant_type=password (supabase.com/docs/reference/api, GoTrue's README).
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import * as v from 'valibot';
import type { DeploymentModel, Finding, Surface, SupabaseEvidence } from '../model.js';
import type { Sensitive } from '../sensitive.js';
import { API_KEY_ROLES, describeTarget, surfaceTarget } from '../supabase/target.js';
import { refFromPlatformHost } from '../supabase/urls.js';
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
 * The shapes read from Supabase Auth (GoTrue), checked before a field is used (issue 10, item 5:
 * a sign-in answering `null` crashed the tool). Loose objects: fields not listed are allowed.
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

function finding(rule: Finding['rule'], severity: Finding['severity'], message: string, at: SupabaseEvidence['at'], environment: string, subject?: string): Finding {
  return { rule, severity, message, file: at.file, line: at.line, column: at.column, environment, ...(subject ? { subject } : {}) };
}

async function checkKeys(surface: Surface, environment: string, http: LiveOptions['http'], urls?: ReadonlyMap<string, string>): Promise<Finding[]> {
  const url = surface.evidence.find((e) => e.role === 'url' && apiBase(e, urls));
  if (!url) return [];
  const base = apiBase(url, urls)!;
  const keys = surface.evidence.filter((e) => API_KEY_ROLES.has(e.role) && e.value);
  if (keys.length === 0) return [];
  const health = await httpStatus(`${base}/auth/v1/health`, { ...http, headers: { apikey: keys[0]!.value!.reveal() } });
  if (!health.ok && health.status === undefined) {
    return [finding('supabase-key-rejected', 'note', `${surface.label}: the Supabase API at ${url.variable} could not be reached (${health.reason}); its keys were not checked.`, url.at, environment, url.variable)];
  }
  const findings: Finding[] = [];
  for (const key of keys) {
    // The settings must be a JSON object: a 200 with anything else (a proxy's HTML page, `null`)
    // is not the project accepting the key.
    const settings = await httpJson(`${base}/auth/v1/settings`, 'GET /auth/v1/settings', SETTINGS, { ...http, headers: { apikey: key.value!.reveal() } });
    if (settings.ok) continue;
    if (settings.status === 401 || settings.status === 403) {
      findings.push(finding('supabase-key-rejected', 'error', `${surface.label}: the project behind ${url.variable} (${url.at.file}:${url.at.line}) rejects ${key.variable} (HTTP ${settings.status}): the key belongs to another project or was revoked.`, key.at, environment, key.variable));
    } else {
      findings.push(finding('supabase-key-rejected', 'note', `${surface.label}: ${key.variable} could not be checked (${settings.reason}).`, key.at, environment, key.variable));
    }
  }
  return findings;
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
 * signed elsewhere. Says so in words, or nothing when it cannot tell (HS256 tokens, no JWKS).
 */
async function jwksVerdict(token: string, workerEvidence: SupabaseEvidence | undefined, http: LiveOptions['http'], urls?: ReadonlyMap<string, string>): Promise<string> {
  const base = workerEvidence ? apiBase(workerEvidence, urls) : undefined;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return '';
  }
  if (!base || !alg || alg.startsWith('HS')) return '';
  const answer = await httpJson(`${base}/auth/v1/.well-known/jwks.json`, 'GET /auth/v1/.well-known/jwks.json', JWKS, http);
  // Unreachable or no JWKS: nothing to add. A JWKS in the wrong shape is said, not guessed around.
  if (!answer.ok) return answer.status !== undefined && answer.status < 300 ? ` Whether the Worker's project signed it could not be told: ${answer.reason}.` : '';
  const keys = answer.data as JSONWebKeySet;
  if (keys.keys.length === 0) return '';
  try {
    await jwtVerify(token, createLocalJWKSet(keys));
    return ' Its signature does verify with the signing keys of the Worker\'s project, so the rejection has another cause (expired session, RLS, or the Worker\'s own checks).';
  } catch {
    return ` None of the ${keys.keys.length} signing keys published by the Worker's project (/auth/v1/.well-known/jwks.json) verifies the token (${alg}): it was signed by another project.`;
  }
}

async function smokeTest(model: DeploymentModel, environment: string, smoke: SmokeOptions, http: LiveOptions['http'], urls?: ReadonlyMap<string, string>): Promise<Finding[]> {
  const surfaces = surfacesOf(model, environment);
  const frontend = surfaces.find((s) => s.kind === 'frontend' && s.evidence.some((e) => e.role === 'url' && apiBase(e, urls)) && s.evidence.some((e) => (e.role === 'anon-key' || e.role === 'publishable-key') && e.value));
  const worker = surfaces.find((s) => s.kind === 'worker');
  const anchor = worker?.evidence.find((e) => e.role === 'url') ?? frontend?.evidence[0];
  if (!frontend || !anchor) {
    const at = anchor?.at ?? { file: '.', line: 1, column: 1 };
    return [finding('smoke-unauthorized', 'note', `The smoke test for "${environment}" was skipped: no frontend of this environment has a Supabase URL and an anon or publishable key to sign in with.`, at, environment)];
  }
  const url = frontend.evidence.find((e) => e.role === 'url' && apiBase(e, urls))!;
  const key = frontend.evidence.find((e) => (e.role === 'anon-key' || e.role === 'publishable-key') && e.value)!;
  const signIn = await httpJson(`${apiBase(url, urls)}/auth/v1/token?grant_type=password`, 'POST /auth/v1/token', SIGN_IN, {
    ...http,
    method: 'POST',
    headers: { apikey: key.value!.reveal(), 'content-type': 'application/json' },
    body: JSON.stringify({ email: smoke.email.reveal(), password: smoke.password.reveal() }),
  });
  if (!signIn.ok) {
    return [finding('smoke-unauthorized', 'note', `The smoke test could not sign the test user in against ${url.variable} (${signIn.reason}); the Worker was not called.`, url.at, environment)];
  }
  const token = signIn.data.access_token;
  const findings: Finding[] = [];
  const issuer = issuerOf(token);
  const configured = worker ? surfaceTarget(worker.evidence) : undefined;
  for (const p of smoke.paths) {
    const target = `${smoke.workerUrl.replace(/\/+$/, '')}${p.startsWith('/') ? p : `/${p}`}`;
    const answer = await httpStatus(target, { ...http, headers: { authorization: `Bearer ${token}` } });
    if (answer.ok || (answer.status !== 401 && answer.status !== 403)) {
      if (!answer.ok && answer.status === undefined) findings.push(finding('smoke-unauthorized', 'note', `GET ${p} on the Worker could not be called (${answer.reason}).`, anchor.at, environment, p));
      continue;
    }
    const explanation = issuer && configured
      ? ` The token was issued by ${issuer}; ${worker!.label} is configured with ${describeTarget(configured.target)} through ${configured.evidence.variable} (${configured.evidence.at.file}:${configured.evidence.at.line}).`
      : issuer ? ` The token was issued by ${issuer}; which project the Worker is configured with is not in the repository (hand it in with --env).` : '';
    const signature = await jwksVerdict(token, worker?.evidence.find((e) => e.role === 'url'), http, urls);
    findings.push(finding('smoke-unauthorized', 'error', `GET ${p} on the Worker answered ${answer.status} to a freshly signed-in test user of ${url.variable}'s project: the Worker rejects this frontend's users.${explanation}${signature}`, anchor.at, environment, p));
  }
  return findings;
}

export async function verifyLive(model: DeploymentModel, options: LiveOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const surface of surfacesOf(model, options.environment)) findings.push(...(await checkKeys(surface, options.environment, options.http, options.supabaseUrls)));
  if (options.smoke) findings.push(...(await smokeTest(model, options.environment, options.smoke, options.http, options.supabaseUrls)));
  return findings;
}
