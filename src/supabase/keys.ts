/**
 * Supabase API key shapes, and the fixed values of the local CLI stack.
 *
 * Two generations of keys (https://supabase.com/docs/guides/api/api-keys,
 * https://supabase.com/docs/guides/getting-started/migrating-to-new-api-keys):
 * - legacy: HS256 JWTs signed with the project's JWT secret, claims
 *   `{"iss":"supabase","ref":"<ref>","role":"anon"|"service_role","iat","exp"}`. The anon key is
 *   meant for browsers; service_role bypasses Row Level Security and must stay on servers.
 * - new: opaque `sb_publishable_…` (browser-safe, replaces anon) and `sb_secret_…` (server-only,
 *   replaces service_role). They carry no claims, so they name a role but never a project.
 */

export const PUBLISHABLE_PREFIX = 'sb_publishable_';
export const SECRET_PREFIX = 'sb_secret_';

/**
 * Personal access tokens for the Management API and CLI (`SUPABASE_ACCESS_TOKEN`) start `sbp_`
 * (GitGuardian's "Supabase Personal Access Token" detector documents it as prefixed). They act for
 * an account across projects, so they are secret but name no project.
 */
export const PERSONAL_TOKEN_PREFIX = 'sbp_';

/** Issuer of legacy project keys. */
export const LEGACY_ISSUER = 'supabase';

/**
 * Issuer of the demo keys every `supabase start` prints: `{"iss":"supabase-demo","role":"anon"}`
 * and the service_role twin, with no `ref`. They only open a local stack.
 */
export const DEMO_ISSUER = 'supabase-demo';

/**
 * The CLI's fixed local values, identical on every machine: recent `supabase start` prints these
 * opaque keys, and signs the demo JWTs with this default JWT secret. Seen verbatim in many public
 * repositories' local test setups next to `http://127.0.0.1:54321`. Because they are public and
 * reach only a local stack, they mean "local" and are not secrets.
 */
export const LOCAL_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const LOCAL_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
/**
 * The local stack's S3 credentials for Storage, the same on every machine (`supabase status`
 * prints them; projects copy them into `supabase/functions/.env` "as supabase default").
 */
export const LOCAL_S3_KEYS: ReadonlySet<string> = new Set(['625729a08b95bf1b7ff351a663f3a23c', '850181e4652dd023b7a98c58ae0d2d34bd487ee0cc3254aed6eda37307425907']);

export type OpaqueKeyKind = 'publishable' | 'secret';

// The body after the prefix is base62 with `_`/`-` separators; anything else (`sb_secret_...` in
// a README, `sb_publishable_<your key>`) is a placeholder, not a key.
const OPAQUE_BODY = /^[A-Za-z0-9_-]+$/;

/** Which new-style key a value is, if any. */
export function opaqueKeyKind(text: string): OpaqueKeyKind | undefined {
  if (text.startsWith(PUBLISHABLE_PREFIX) && OPAQUE_BODY.test(text.slice(PUBLISHABLE_PREFIX.length))) return 'publishable';
  if (text.startsWith(SECRET_PREFIX) && OPAQUE_BODY.test(text.slice(SECRET_PREFIX.length))) return 'secret';
  return undefined;
}

/** True for the local stack's fixed opaque keys. */
export function isLocalOpaqueKey(text: string): boolean {
  return text === LOCAL_PUBLISHABLE_KEY || text === LOCAL_SECRET_KEY;
}
