/**
 * The one place that decides what is secret (`classifyValue` gives each value its verdict;
 * `Sensitive` only enforces it).
 *
 * Two sources of evidence, and the value wins where it can speak for itself:
 * - the value: a service_role JWT, an `sb_secret_` key or a password in a connection string is
 *   secret whatever it is called; an anon JWT or an `sb_publishable_` key is public by design
 *   (https://supabase.com/docs/guides/api/api-keys: "Anyone can read it") even in `SUPABASE_KEY`.
 * - the name, for everything else: `STRIPE_KEY=whatever` is hidden because of its name.
 * Everything handed in from the deploy environment is secret: those are GitHub secrets.
 *
 * Erring towards secret only hides text from reports; erring towards public prints a credential
 * into CI logs that outlive the rotation. Where in doubt, secret.
 */
import crypto from 'node:crypto';
import { LiteralMatcher } from './literal-search.js';
import { isNamedPlaceholder, isPlaceholderPhrase, isPrefixedPlaceholder } from './placeholders.js';
import { REDACTED, Sensitive, secretsSeen } from './sensitive.js';
import { decodeJwtParts, jwtSignature, stringClaim } from './supabase/jwt.js';
import { DEMO_ISSUER, LOCAL_JWT_SECRET, LOCAL_SECRET_KEY, PERSONAL_TOKEN_PREFIX, opaqueKeyKind, LOCAL_S3_KEYS } from './supabase/keys.js';
import { nameTokens } from './supabase/names.js';
import { hostOf, isLocalHost, parseUrl, rawUrlPassword, safeDecode } from './supabase/urls.js';

/**
 * Prefixes that bundlers inline into browser code, so the value ships to every visitor: Vite
 * (`VITE_`), Next.js (`NEXT_PUBLIC_`), SvelteKit/Astro (`PUBLIC_`), Expo, Nuxt, Create React App,
 * Gatsby, Vue CLI and Angular (@ngx-env).
 */
export const BROWSER_PREFIXES: readonly string[] = Object.freeze([
  'VITE_',
  'NEXT_PUBLIC_',
  'PUBLIC_',
  'EXPO_PUBLIC_',
  'NUXT_PUBLIC_',
  'REACT_APP_',
  'GATSBY_',
  'VUE_APP_',
  'NG_APP_',
]);

/** True when a bundler would put this variable into client code. Prefixes are case-sensitive. */
export function isBrowserExposed(name: string): boolean {
  return BROWSER_PREFIXES.some((prefix) => name.startsWith(prefix));
}

// A name ending in one of these holds a credential: API_KEY, SUPABASE_SERVICE_ROLE_KEY, AUTH_SECRET,
// GITHUB_TOKEN, SMTP_PASS.
const SECRET_LAST_WORDS = new Set(['KEY', 'KEYS', 'APIKEY', 'SECRET', 'TOKEN', 'PASS', 'PASSWD', 'PWD', 'CREDENTIALS', 'CREDENTIAL']);
// Anywhere in the name: DB_PASSWORD_PROD, PRIVATE_KEY_PEM, SECRET_KEY_BASE.
const SECRET_ANY_WORDS = new Set(['SECRET', 'PRIVATE', 'SERVICEROLE']);
const SECRET_WORD_PARTS = ['PASSWORD'];
// Qualifiers of a key that is public by design: SUPABASE_ANON_KEY, SUPABASE_PUBLISHABLE_KEY,
// SUPABASE_PUBLISHABLE_DEFAULT_KEY, VAPID_PUBLIC_KEY, TURNSTILE_SITE_KEY.
const PUBLIC_QUALIFIERS = new Set(['ANON', 'PUBLISHABLE', 'PUBLIC', 'SITE']);

function hasServiceRole(tokens: string[]): boolean {
  return tokens.some((token, i) => token === 'SERVICE' && tokens[i + 1] === 'ROLE');
}

/**
 * Whether a name alone says "secret". Browser-exposed names never do: their value is public
 * whatever it is called (a service key there is caught by its value, and reported by
 * `service-role-exposed`). Connection strings (`DATABASE_URL`) are decided by their value.
 */
export function isSecretName(name: string): boolean {
  if (isBrowserExposed(name)) return false;
  const tokens = nameTokens(name);
  if (tokens.length === 0) return false;
  const strong =
    tokens.some((token) => SECRET_ANY_WORDS.has(token) || SECRET_WORD_PARTS.some((part) => token.includes(part))) ||
    hasServiceRole(tokens);
  if (strong) return true;
  const last = tokens[tokens.length - 1] ?? '';
  if (!SECRET_LAST_WORDS.has(last)) return false;
  // `SUPABASE_ANON_KEY` ends in KEY but is meant for browsers.
  return !tokens.slice(0, -1).some((token) => PUBLIC_QUALIFIERS.has(token));
}

// PEM private keys (`-----BEGIN PRIVATE KEY-----`, `BEGIN RSA PRIVATE KEY`, `BEGIN OPENSSH PRIVATE KEY`).
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

// Passwords that are obviously template text, e.g. the dashboard's "[YOUR-PASSWORD]".
const PLACEHOLDER_PASSWORD = /^(?:\[.*\]|<.*>|\$\{.*\}|\{\{.*\}\}|\{[^{}]+\}|\$[A-Za-z_]\w*|x+|\*+|\.+|password|changeme|your[-_]?password)$/i;

/**
 * A connection string whose password is real. Two exceptions: template placeholders, and a
 * database on this machine (`postgres:postgres@127.0.0.1:54322`, printed by every `supabase
 * start`, or a `dev_user:dev_pass@localhost:5432` docker database, or `app:pw@postgres:5432`,
 * a docker-compose service), which holds no deployment's data; a password that only opens the
 * developer's own machine is not a leak worth failing on.
 */
function hasRealUrlPassword(text: string): boolean {
  const raw = rawUrlPassword(text);
  if (raw === undefined) return false;
  if (PLACEHOLDER_PASSWORD.test(safeDecode(raw))) return false;
  // A host that is a shell or template variable (`$DB_HOST`, `${HOST}:5432`): a command line's
  // template for a database named elsewhere, such as a docker container's defaults.
  if (/@[^/]*\$/.test(text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^@]*@/i, '@'))) return false;
  const url = parseUrl(text);
  // A one-label host (`postgres`, `db`) is a docker-compose service name, reachable only beside it.
  if (url && (isLocalHost(hostOf(url)) || /^[a-z][a-z0-9_-]*$/i.test(hostOf(url)))) return false;
  return true;
}

/**
 * JWTs are bearer credentials, except the two kinds made to be published: anon keys (role anon)
 * and the local CLI's demo keys (issuer supabase-demo, the same on every machine).
 */
function isPublicJwt(text: string): boolean | undefined {
  const decoded = decodeJwtParts(text);
  if (!decoded) return undefined;
  return stringClaim(decoded.claims, 'role') === 'anon' || stringClaim(decoded.claims, 'iss') === DEMO_ISSUER || signedWithLocalSecret(text);
}

/**
 * Signed with the local stack's published JWT secret: a key of `supabase start` on any machine
 * (older CLI versions issued them with `iss: supabase` and no project ref), which opens nothing
 * deployed. Checked by the signature, so a real project's key never passes for one.
 */
function signedWithLocalSecret(token: string): boolean {
  const dot = token.lastIndexOf('.');
  const expected = crypto.createHmac('sha256', LOCAL_JWT_SECRET).update(token.slice(0, dot)).digest('base64url');
  return expected === token.slice(dot + 1);
}

/**
 * Whether a value is secret by its shape, whatever variable holds it: a JWT whose role isn't anon
 * (service_role keys, user access tokens), an `sb_secret_` key, a Supabase personal access token,
 * a connection string with a password, a PEM private key.
 *
 * Deliberately no entropy guess: public IDs (KV namespace ids, account ids, Sentry DSNs) are as
 * random as tokens, and calling them secret would flood `secret-in-plaintext`. Names cover the rest.
 */
export function isSecretValue(text: string): boolean {
  const value = text.trim();
  if (value === '') return false;
  const publicJwt = isPublicJwt(value);
  if (publicJwt !== undefined) return !publicJwt;
  if (opaqueKeyKind(value) === 'secret') return value !== LOCAL_SECRET_KEY;
  if (value.startsWith(PERSONAL_TOKEN_PREFIX) && value.length > PERSONAL_TOKEN_PREFIX.length + 8) return true;
  if (PEM_PRIVATE_KEY.test(value)) return true;
  return hasRealUrlPassword(value);
}

/**
 * Values that are public by design, so a secret-sounding name (`SUPABASE_KEY`) does not make them
 * secret: anon and demo JWTs, publishable keys, and the local stack's fixed keys and JWT secret.
 */
export function isPublicByDesign(text: string): boolean {
  const value = text.trim();
  if (isPublicJwt(value) === true) return true;
  if (opaqueKeyKind(value) === 'publishable') return true;
  return value === LOCAL_SECRET_KEY || value === LOCAL_JWT_SECRET || LOCAL_S3_KEYS.has(value);
}

/**
 * Wraps a value with its verdict. Order matters: deploy-time values are always secret; a secret
 * shape beats any name (a service key in `VITE_SUPABASE_ANON_KEY` is still a service key); a
 * public-by-design shape beats a secret-sounding name; then the name decides.
 */
export function classifyValue(name: string, text: string, origin: 'file' | 'deploy-env'): Sensitive {
  return new Sensitive(text, isSecret(name, text, origin));
}

function isSecret(name: string, text: string, origin: 'file' | 'deploy-env'): boolean {
  if (origin === 'deploy-env') return true;
  if (isSecretValue(text)) return true;
  if (isPublicByDesign(text)) return false;
  // A stand-in under a secret-sounding name (`DB_PASSWORD=acme` in a self-hosting example named
  // after the product, `API_KEY=changeme`) is no credential, and redacting it wherever it occurs
  // would turn the product's name into [redacted] across the whole report.
  return isSecretName(name) && !isNamedPlaceholder(text.trim());
}

/**
 * Shorter strings are not redacted wherever they occur: a secret of `true`, `1` or `test` (a
 * placeholder under a secret-sounding name, seen in a real `.env.test`) would shred every report,
 * down to the file name `.env.test`. Below this length a value is no credential worth the damage.
 */
export const MIN_REDACTED_LENGTH = 6;

/** The spellings in which a secret, or a part that is secret on its own, can reach output. */
function secretFragments(secret: string): string[] {
  const whole = secret.trim();
  const fragments = [secret, whole, JSON.stringify(whole).slice(1, -1)];
  const signature = jwtSignature(whole);
  if (signature !== undefined) fragments.push(signature);
  const password = rawUrlPassword(whole);
  if (password !== undefined) fragments.push(password, safeDecode(password));
  return fragments;
}

/**
 * Replaces every occurrence of the given secrets, their JWT signatures and their connection-string
 * passwords with `[redacted]`. A last line of defence for output channels (logs, summaries, PR
 * comments, crash messages): findings should never contain secrets in the first place.
 *
 * A literal multi-string search (`literal-search.ts`), never a regular expression built from the
 * secrets: a pattern of a 100 KB password made V8 throw "Regular expression too large" with the
 * password in the message. Linear in the text and the secrets; cannot throw. Where
 * occurrences overlap, the union is replaced, so no tail of a secret is left behind.
 */
export function redactText(text: string, secrets: Iterable<string>): string {
  return secretMatcher(secrets).replace(text, REDACTED);
}

/** `redactText` for several texts with one build of the search (it costs the secrets' size). */
export function redactor(secrets: Iterable<string>): (text: string) => string {
  const matcher = secretMatcher(secrets);
  return (text) => matcher.replace(text, REDACTED);
}

function secretMatcher(secrets: Iterable<string>): LiteralMatcher {
  const fragments = new Set<string>();
  for (const secret of secrets) {
    for (const fragment of secretFragments(secret)) {
      if (fragment.length >= MIN_REDACTED_LENGTH) fragments.add(fragment);
    }
  }
  return new LiteralMatcher(fragments);
}

/**
 * A value whose *name* says secret (`ADMIN_PASSWORD`, `STRIPE_SECRET`, `GITHUB_TOKEN`, `API_KEY`,
 * but not `SUPABASE_ANON_KEY` or browser-exposed names) and that is no placeholder: at least 8
 * characters, none of the placeholder words, not public by design. Its shape says nothing, so a
 * commit of it is worth a warning (a plain admin password in a tracked `.env` once passed).
 */
export function looksLikeNamedSecret(name: string, text: string): boolean {
  const value = text.trim();
  if (!isSecretName(name) || isPublicByDesign(value) || isNamedPlaceholder(value)) return false;
  // An address is not a credential unless it carries one (then its shape already decided).
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** What makes a value a committed secret: its shape, not its name (placeholders are fine). */
export function plaintextSecretKind(name: string, text: string): string | undefined {
  const value = text.trim();
  if (value === '' || isPrefixedPlaceholder(value)) return undefined;
  if (isSecretValue(value)) {
    if (value.startsWith('sb_secret_')) return 'a Supabase secret key';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'a connection string with a password';
    if (value.includes('PRIVATE KEY')) return 'a private key';
    return 'a secret token (a JWT with a privileged role, such as service_role)';
  }
  if (/JWT_SECRET$/i.test(name) && value.length >= 32 && value !== 'super-secret-jwt-token-with-at-least-32-characters-long' && !isPlaceholderPhrase(value)) return 'a JWT secret';
  // Named for what they are, with the exact shape Cloudflare issues: a 40-character API token, and
  // an R2 secret access key of 64 hex characters (a template that holds a real one leaks it too).
  if (/^(?:CLOUDFLARE|CF)_(?:API_)?TOKEN$/i.test(name) && /^[A-Za-z0-9_-]{40}$/.test(value) && !/^(.)\1*$|x{4,}|your|example|placeholder/i.test(value) && !isPlaceholderPhrase(value)) return 'a Cloudflare API token';
  if (/SECRET_ACCESS_KEY$/i.test(name) && /^[0-9a-f]{64}$/i.test(value) && !/^(.)\1*$/.test(value) && !LOCAL_S3_KEYS.has(value)) return 'an R2 secret access key';
  return undefined;
}

/** A crash message is cut here: a crash on a 5 MB secret once printed 10 MB of stderr. */
export const MAX_FAILURE_MESSAGE = 2_000;

/**
 * The last-resort handlers' message: redacted with every secret this process has wrapped (and any
 * given), then cut. Redaction first, so a cut cannot split a secret into an unrecognised piece.
 */
export function redactFailure(message: string, secrets: Iterable<string> = []): string {
  const safe = redactText(message, [...secretsSeen(), ...secrets]);
  return safe.length <= MAX_FAILURE_MESSAGE ? safe : `${safe.slice(0, MAX_FAILURE_MESSAGE)}… (cut)`;
}
