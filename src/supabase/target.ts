/**
 * From one variable to Supabase evidence (`<ref>.supabase.co` URLs, JWT `ref` claims, `db.<ref>`
 * and `postgres.<ref>` connection strings, local hosts): which project (or the local stack) a URL,
 * key or connection string points at, and in what role. Pure and total: malformed input gives
 * `undefined` or an `unknown` target, never an exception.
 *
 * Values describe themselves wherever they can (a supabase.co URL in `API_BASE` still counts);
 * names are only consulted where a value cannot speak for itself (a custom domain in
 * `SUPABASE_URL`, a JWT secret).
 */
import type { SupabaseEvidence, SupabaseTarget } from '../model.js';
import type { Sensitive } from '../sensitive.js';
import { decodeJwtParts, expiryOf, stringClaim } from './jwt.js';
import { DEMO_ISSUER, LEGACY_ISSUER, LOCAL_JWT_SECRET, isLocalOpaqueKey, opaqueKeyKind } from './keys.js';
import { mentionsSupabase, namesSupabaseAddress, namesSupabaseJwtSecret } from './names.js';
import {
  LOCAL_API_PORT,
  LOCAL_DB_PORT,
  hostOf,
  isLocalHost,
  isPlatformHost,
  isPoolerHost,
  isPostgresUrl,
  isProjectRef,
  parseUrl,
  refFromPlatformHost,
  refFromPoolerUser,
} from './urls.js';

export type SupabaseRole = SupabaseEvidence['role'];

export type SupabaseResolution = {
  role: SupabaseRole;
  target: SupabaseTarget;
  /** A JWT's `exp`. */
  expiresAt?: Date;
  /** A JWT's `role` claim, as written. */
  jwtRole?: string;
  /** A JWT's `iss` claim, as written. */
  issuer?: string;
};

const LOCAL: SupabaseTarget = { kind: 'local' };

function unknown(reason: string): SupabaseTarget {
  return { kind: 'unknown', reason };
}

/**
 * What a variable says about Supabase, or `undefined` when it is not about Supabase. The value is
 * revealed only to be parsed here; nothing derived from it that could be secret is returned
 * (hosts and refs are not secret, userinfo is never included).
 */
export function resolveSupabaseValue(name: string, value: Sensitive): SupabaseResolution | undefined {
  const text = value.reveal().trim();
  if (text === '') return undefined;
  return (
    resolveJwt(text) ??
    resolveOpaqueKey(text) ??
    resolveConnectionString(name, text) ??
    resolveHttpUrl(name, text) ??
    resolveJwtSecret(name, text) ??
    resolveSupabaseAddressName(name)
  );
}

/** Maps a JWT `role` claim to the evidence role. Anything but the two key roles acts for a user. */
function keyRole(jwtRole: string | undefined): SupabaseRole {
  if (jwtRole === 'anon') return 'anon-key';
  if (jwtRole === 'service_role') return 'service-key';
  return 'access-token';
}

/**
 * Legacy keys, local demo keys and user access tokens. Other issuers' JWTs (Auth0, Firebase, a
 * Cloudflare Access token) are not Supabase evidence.
 */
function resolveJwt(text: string): SupabaseResolution | undefined {
  const decoded = decodeJwtParts(text);
  if (!decoded) return undefined;
  const { claims } = decoded;
  const issuer = stringClaim(claims, 'iss');
  const jwtRole = stringClaim(claims, 'role');
  const expiresAt = expiryOf(claims);
  const details = {
    ...(expiresAt ? { expiresAt } : {}),
    ...(jwtRole !== undefined ? { jwtRole } : {}),
    ...(issuer !== undefined ? { issuer } : {}),
  };

  if (issuer === DEMO_ISSUER) return { role: keyRole(jwtRole), target: LOCAL, ...details };

  // Keys from before `iss`/`ref` were added carried only role, iat and exp
  // ("Understanding API Keys", https://supabase.com/docs/guides/api/api-keys); self-hosted stacks
  // still mint `{"iss":"supabase","role":…}` without a ref. Both are keys that name no project.
  const isKeyRole = jwtRole === 'anon' || jwtRole === 'service_role';
  if (issuer === LEGACY_ISSUER || (issuer === undefined && isKeyRole)) {
    return { role: keyRole(jwtRole), target: targetFromRefClaim(claims.ref), ...details };
  }

  // Supabase Auth access tokens: `iss` is "https://<project-ref>.supabase.co/auth/v1"
  // (https://supabase.com/docs/guides/auth/jwt-fields). The `/auth/v1` path marks the issuer as
  // Supabase Auth even behind a custom domain or on a local stack.
  const issuerUrl = issuer !== undefined ? parseUrl(issuer) : undefined;
  if (issuerUrl && isHttp(issuerUrl) && issuerUrl.pathname.replace(/\/+$/, '').endsWith('/auth/v1')) {
    const target = targetFromHttpUrl(issuerUrl, true) ?? unknown('unrecognised issuer');
    // The ref was read from a token claim, so the evidence is the JWT, not a configured URL.
    return { role: 'access-token', target: target.kind === 'project' ? { ...target, via: 'jwt' } : target, ...details };
  }
  return undefined;
}

function targetFromRefClaim(ref: unknown): SupabaseTarget {
  if (ref === undefined) return unknown('JWT key names no project');
  // The CLI rejects refs that are not 20 lowercase letters; so do we, rather than guess.
  return typeof ref === 'string' && isProjectRef(ref)
    ? { kind: 'project', ref, via: 'jwt' }
    : unknown('JWT key carries an invalid project ref');
}

/** `sb_publishable_…` / `sb_secret_…`: a role, but no project (except the CLI's fixed local pair). */
function resolveOpaqueKey(text: string): SupabaseResolution | undefined {
  const kind = opaqueKeyKind(text);
  if (!kind) return undefined;
  const target = isLocalOpaqueKey(text) ? LOCAL : unknown('opaque key, names no project');
  return { role: kind === 'publishable' ? 'publishable-key' : 'secret-key', target };
}

function resolveConnectionString(name: string, text: string): SupabaseResolution | undefined {
  if (!isPostgresUrl(text)) return undefined;
  const target = targetFromConnectionString(name, text);
  return target ? { role: 'database-url', target } : undefined;
}

function targetFromConnectionString(name: string, text: string): SupabaseTarget | undefined {
  const url = parseUrl(text);
  if (!url) return mentionsSupabase(name) ? unknown('malformed connection string') : undefined;
  const host = hostOf(url);
  const ref = refFromPlatformHost(host);
  if (ref) return { kind: 'project', ref, via: 'connection-string' };
  if (isPoolerHost(host)) {
    const userRef = refFromPoolerUser(url.username);
    return userRef ? { kind: 'project', ref: userRef, via: 'connection-string' } : unknown('pooler connection string names no project');
  }
  if (isPlatformHost(host)) return unknown(`${hostAsWritten(text, host)} is not a project host`);
  // 54322 is the local stack's Postgres; any other local Postgres is only Supabase if the name says so.
  if (isLocalHost(host) && (url.port === LOCAL_DB_PORT || mentionsSupabase(name))) return LOCAL;
  return mentionsSupabase(name) ? unknown(`database host ${hostAsWritten(text, host)}`) : undefined;
}

function resolveHttpUrl(name: string, text: string): SupabaseResolution | undefined {
  if (!/^https?:\/\//i.test(text)) return undefined;
  const url = parseUrl(text);
  const target = url ? targetFromHttpUrl(url, namesSupabaseAddress(name), text) : undefined;
  return target ? { role: 'url', target } : undefined;
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/**
 * The target an http(s) URL names. `saysSupabase`: the name (or, for token issuers, the
 * `/auth/v1` path) already says this is a Supabase address, so a foreign host is a custom domain
 * rather than something unrelated. Only the host is ever put in a reason, never userinfo.
 */
function targetFromHttpUrl(url: URL, saysSupabase: boolean, written = ''): SupabaseTarget | undefined {
  if (!isHttp(url)) return undefined;
  const host = hostOf(url);
  const ref = refFromPlatformHost(host);
  if (ref) return { kind: 'project', ref, via: 'url' };
  if (isPlatformHost(host)) return unknown(`${hostAsWritten(written, host)} is not a project host`);
  // 54321 is the local stack's API port; on a LAN address it is still the stack (a phone testing
  // an Expo app reaches the developer's machine as 192.168.x.y:54321).
  if (url.port === LOCAL_API_PORT) return LOCAL;
  if (isLocalHost(host) && saysSupabase) return LOCAL;
  return saysSupabase ? unknown(`custom domain ${hostAsWritten(written, host)}`) : undefined;
}

/**
 * A host as the value writes it: `URL` lower-cases hosts, and a message must show the value's own
 * text (a reader searches the repository for it). The parsed host when the text does not hold it
 * (punycode, percent-encoding).
 */
function hostAsWritten(text: string, host: string): string {
  const at = text.toLowerCase().indexOf(host);
  const found = at === -1 ? '' : text.slice(at, at + host.length);
  return found.toLowerCase() === host ? found : host;
}

/** `SUPABASE_JWT_SECRET`-like names: the project's signing secret, which names no project. */
function resolveJwtSecret(name: string, text: string): SupabaseResolution | undefined {
  if (!namesSupabaseJwtSecret(name)) return undefined;
  const target = text === LOCAL_JWT_SECRET ? LOCAL : unknown('a JWT secret names no project');
  return { role: 'jwt-secret', target };
}

/** `SUPABASE_URL=your-project-url`: clearly meant as the address, but not one. */
function resolveSupabaseAddressName(name: string): SupabaseResolution | undefined {
  return namesSupabaseAddress(name) ? { role: 'url', target: unknown('not a URL') } : undefined;
}

/**
 * The ref in `supabase/.temp/project-ref` (written by `supabase link`). The CLI trims surrounding
 * whitespace and validates the ref the same way (`LoadProjectRef` in internal/utils/misc.go).
 */
export function projectRefFromFile(text: string): string | undefined {
  const ref = text.trim();
  return isProjectRef(ref) ? ref : undefined;
}

/**
 * Whether two targets are the same backend: `true`/`false` when both are known, `undefined` when
 * either is unknown (a custom domain may or may not be that project; rules must not guess).
 */
export function sameTarget(a: SupabaseTarget, b: SupabaseTarget): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  if (a.kind === 'local' || b.kind === 'local') return a.kind === b.kind;
  return a.ref === b.ref;
}

/** For messages: "project abcdefghijklmnopqrst", "local Supabase stack", "unknown (custom domain api.example.com)". */
export function describeTarget(target: SupabaseTarget): string {
  switch (target.kind) {
    case 'project':
      return `project ${target.ref}`;
    case 'local':
      return 'local Supabase stack';
    case 'unknown':
      return `unknown (${target.reason})`;
  }
}

/** The keys a project's API takes as `apikey` (the live check sends each; a user's access token is not one). */
export const API_KEY_ROLES: ReadonlySet<SupabaseRole> = new Set(['anon-key', 'service-key', 'publishable-key', 'secret-key']);

/** Evidence that names a project through a token: the API keys, and a user's access token (its issuer). */
function namesProjectByToken(role: SupabaseRole): boolean {
  return API_KEY_ROLES.has(role) || role === 'access-token';
}

function isKnown(evidence: SupabaseEvidence): boolean {
  return evidence.target.kind !== 'unknown';
}

const STRENGTHS: readonly NonNullable<SupabaseEvidence['strength']>[] = ['client', 'setting', 'link'];

/**
 * The backend a surface talks to. Stronger evidence decides first: what the code hands
 * to createClient, then settings no client is shown to read, then the linked project. Within one
 * strength the URL decides, because that is where requests go. When the URL is a custom domain (or
 * missing), a key that names a project says which project is behind it, and a connection string
 * says which database the code reaches; keys first, as they travel with the URL. A linked project
 * (`project_id`, `supabase link`) decides only when nothing else names one. Otherwise the
 * surface's target is unknown, reported with its URL evidence if it has one: a JWT secret alone
 * does not say where the surface sends requests. Evidence order breaks ties, so callers get a
 * deterministic answer.
 */
export function surfaceTarget(evidence: SupabaseEvidence[]): { target: SupabaseTarget; evidence: SupabaseEvidence } | undefined {
  for (const strength of STRENGTHS) {
    const pool = evidence.filter((e) => (e.strength ?? 'setting') === strength && isKnown(e));
    const chosen =
      pool.find((e) => e.role === 'url') ??
      pool.find((e) => namesProjectByToken(e.role)) ??
      pool.find((e) => e.role === 'database-url') ??
      (strength === 'link' ? pool.find((e) => e.role === 'project-ref') : undefined);
    if (chosen) return { target: chosen.target, evidence: chosen };
  }
  const fallback = evidence.find((e) => e.role === 'url') ?? evidence[0];
  if (!fallback) return undefined;
  const target = fallback.target.kind === 'unknown' ? fallback.target : unknown('no URL, key or connection string names the backend');
  return { target, evidence: fallback };
}
