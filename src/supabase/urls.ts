/**
 * Hosts, refs and connection strings: the shapes by which a value names a Supabase project.
 * Pure string work; nothing here resolves DNS or throws on user input.
 */

/**
 * A hosted project's ref is exactly 20 lowercase letters. The Supabase CLI validates it with
 * `ProjectRefPattern = ^[a-z]{20}$` (github.com/supabase/cli, internal/utils/misc.go) and rejects
 * anything else with "Invalid project ref format. Must be like `abcdefghijklmnopqrst`"
 * (github.com/supabase/cli/issues/243).
 */
export const PROJECT_REF_PATTERN = /^[a-z]{20}$/;

export function isProjectRef(text: string): boolean {
  return PROJECT_REF_PATTERN.test(text);
}

/** `supabase start` serves the API on 54321 and Postgres on 54322 (its status output). */
export const LOCAL_API_PORT = '54321';
export const LOCAL_DB_PORT = '54322';

/** Parses without throwing; `undefined` for anything `URL` rejects. */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * Hostnames are case-insensitive (DNS), and `URL` lowercases them only for http(s); postgres://
 * is a non-special scheme whose host is kept as written, so callers lowercase through here.
 */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase();
}

/**
 * Where a local Supabase stack is reached from: the machine itself, or the Docker host from inside
 * a container (`host.docker.internal`, which `supabase start` documents for Edge Functions).
 * All of 127.0.0.0/8 is loopback, and `*.localhost` resolves to loopback (RFC 6761).
 */
export function isLocalHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '0.0.0.0' ||
    h === '[::1]' ||
    h === '::1' ||
    h === 'host.docker.internal' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
  );
}

// The platform's own domains. `.supabase.co` is the current one; `.supabase.in` appears next to it
// in the image allow-lists of older Next.js projects (`*.supabase.in` remotePatterns), so values on
// it are still Supabase. `.supabase.red` (the CLI's `ProjectHostPattern` accepts it) is Supabase's
// internal staging platform; a ref there is a different project from the same ref on .co, so it is
// deliberately not treated as a project host.
const PLATFORM_DOMAINS = ['supabase.co', 'supabase.in'];

/** True for any host under a Supabase platform domain, valid ref or not. */
export function isPlatformHost(host: string): boolean {
  const h = host.toLowerCase();
  return PLATFORM_DOMAINS.some((domain) => h === domain || h.endsWith(`.${domain}`));
}

/**
 * The ref a Supabase host names: `<ref>.supabase.co` (API), `<ref>.functions.supabase.co` and
 * `<ref>.storage.supabase.co` (service subdomains of the same project), `db.<ref>.supabase.co`
 * (direct Postgres, "db.[project-id].supabase.co:5432" in
 * https://supabase.com/docs/guides/database/connecting-to-postgres, and the CLI's
 * `ProjectHostPattern = ^(db\.)([a-z]{20})\.supabase\.(co|red)$`).
 */
export function refFromPlatformHost(host: string): string | undefined {
  const labels = host.toLowerCase().split('.');
  const domain = labels.slice(-2).join('.');
  if (!PLATFORM_DOMAINS.includes(domain)) return undefined;
  const sub = labels.slice(0, -2);
  let ref: string | undefined;
  if (sub.length === 1) ref = sub[0];
  else if (sub.length === 2 && sub[0] === 'db') ref = sub[1];
  else if (sub.length === 2 && (sub[1] === 'functions' || sub[1] === 'storage')) ref = sub[0];
  return ref !== undefined && isProjectRef(ref) ? ref : undefined;
}

/**
 * The shared pooler (Supavisor) lives on `aws-0-<region>.pooler.supabase.com` (newer projects get
 * `aws-1-…`): "postgres://postgres.<ref>:[YOUR-PASSWORD]@aws-0-[REGION].pooler.supabase.com:6543/postgres"
 * in https://supabase.com/docs/guides/database/connecting-to-postgres. The host is shared by every
 * project in the region; only the user name says which project.
 */
export function isPoolerHost(host: string): boolean {
  return host.toLowerCase().endsWith('.pooler.supabase.com');
}

/**
 * The pooler user is `<db role>.<ref>` (`postgres.abcdefghijklmnopqrst`). User names are
 * case-sensitive, so an upper-case ref is not a ref.
 */
export function refFromPoolerUser(rawUser: string): string | undefined {
  const user = safeDecode(rawUser);
  const dot = user.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const ref = user.slice(dot + 1);
  return isProjectRef(ref) ? ref : undefined;
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(text);
}

/** `URL` keeps userinfo percent-encoded; a bad escape is left as written rather than thrown. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The password part of `scheme://user:password@host`, exactly as written in the text (still
 * percent-encoded if it was), or undefined when there is none. Scanned by hand rather than with
 * `URL`, because `URL` re-encodes characters (`[` becomes `%5B`) and redaction must find the
 * spelling that is really in the text. The authority ends at the first `/`, `?` or `#`, and the
 * last `@` in it ends the userinfo, as in the WHATWG URL parser.
 */
export function rawUrlPassword(text: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1];
  if (authority === undefined) return undefined;
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return undefined;
  const password = userinfo.slice(colon + 1);
  return password === '' ? undefined : password;
}
