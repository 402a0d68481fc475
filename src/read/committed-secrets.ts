/**
 * Credentials of the services deploy-guard checks, found in any committed text file that is not
 * otherwise read as configuration: a deployment checklist in Markdown, a shell heredoc that writes
 * `.dev.vars`, a Makefile, a CI file, a tracked `prod.env.bak`. Env files and wrangler configs are
 * judged by name and value where they are read (build-model.ts); this is for everything else.
 *
 * What counts (each judged by its shape, decoded where it can be, never by a guess at entropy):
 * - a Supabase JWT with a privileged role (`service_role`, `supabase_admin`): role and project named;
 * - an `sb_secret_` key that is no placeholder;
 * - a Postgres connection string with a real password (pooler or direct);
 * - `NAME=value` where the name says what the value is: a Supabase JWT secret (`*JWT_SECRET`,
 *   32+ characters, no placeholder words), a Cloudflare API token (40 token characters), an R2 or
 *   S3 secret access key (64 hex characters: R2's shape, so a template holding one still leaks it).
 * A general secret scanner (gitleaks, trufflehog) knows hundreds of other vendors' shapes; this one
 * knows these well enough to say which project a leaked key opens.
 *
 * Linear in the text: a few global regular expressions with bounded, non-nested quantifiers.
 */
import { isSecretValue, plaintextSecretKind } from '../classify.js';
import { isPrefixedPlaceholder } from '../placeholders.js';
import { decodeJwtParts, stringClaim } from '../supabase/jwt.js';
import { LOCAL_SECRET_KEY } from '../supabase/keys.js';
import { LineIndex } from './positions.js';

export type FoundSecret = {
  /** The secret text, for grouping and redaction only: never printed. */
  text: string;
  /** What it is, in words: "a Supabase service_role key of project abc…". */
  what: string;
  line: number;
  column: number;
};

const PRIVILEGED_JWT = /\beyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{16,1000}/g;
const SB_SECRET = /\bsb_secret_[A-Za-z0-9_-]{8,200}/g;
const CONNECTION_STRING = /\bpostgres(?:ql)?:\/\/[^\s'"`<>()\\]{4,2000}/g;
/** `NAME=value`, `NAME: value`, `"NAME": "value"`, `export NAME="value"`, `--var NAME:value`, Markdown's `` `NAME` = `value` ``. */
const NAMED_VALUE = /\b([A-Za-z_][A-Za-z0-9_]{1,100})["'`]?\s{0,4}[:=]\s{0,4}["'`]?([A-Za-z0-9_\-+/=.~]{20,500})/g;

const PRIVILEGED_ROLES = new Set(['service_role', 'supabase_admin']);

function jwtKind(token: string): string | undefined {
  const decoded = decodeJwtParts(token);
  if (!decoded) return undefined;
  const role = stringClaim(decoded.claims, 'role');
  if (!role || !PRIVILEGED_ROLES.has(role) || !isSecretValue(token)) return undefined;
  const ref = stringClaim(decoded.claims, 'ref');
  return `a Supabase ${role} key${ref ? ` of project ${ref}` : ''}`;
}

function namedKind(name: string, value: string): string | undefined {
  return /JWT_SECRET$|^(?:CLOUDFLARE|CF)_(?:API_)?TOKEN$|SECRET_ACCESS_KEY$/i.test(name) ? plaintextSecretKind(name, value) : undefined;
}

/** Every credential in `text`, in order of position; one entry per place. */
export function findCommittedSecrets(text: string): FoundSecret[] {
  // Most files hold none of the markers: a cheap test first keeps the common case to one pass.
  if (!/eyJ|sb_secret_|postgres|SECRET|TOKEN|secret|token/.test(text)) return [];
  const lines = new LineIndex(text);
  const found = new Map<number, FoundSecret>();
  const add = (index: number, secret: string, what: string | undefined) => {
    if (what === undefined || found.has(index)) return;
    found.set(index, { text: secret, what, ...lines.position(index) });
  };
  for (const m of text.matchAll(PRIVILEGED_JWT)) add(m.index, m[0], jwtKind(m[0]));
  for (const m of text.matchAll(SB_SECRET)) {
    if (m[0] !== LOCAL_SECRET_KEY && !isPrefixedPlaceholder(m[0]) && isSecretValue(m[0])) add(m.index, m[0], 'a Supabase secret key (sb_secret_)');
  }
  for (const m of text.matchAll(CONNECTION_STRING)) {
    const url = m[0].replace(/[.,;:]+$/, '');
    if (isSecretValue(url)) add(m.index, url, 'a database connection string with a password');
  }
  for (const m of text.matchAll(NAMED_VALUE)) {
    const value = m[2]!;
    add(m.index + m[0].length - value.length, value, namedKind(m[1]!, value));
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
}
