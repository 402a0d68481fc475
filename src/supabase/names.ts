/**
 * Reading variable names. Names come in many spellings (`SUPABASE_URL`, `supabaseUrl`,
 * `NEXT_PUBLIC_SUPABASE_URL`, `supabase-url` in a JSON config), so every name test works on the
 * same upper-case word list instead of ad-hoc regexes that miss one of the spellings.
 */

/** `supabaseServiceRoleKey` and `SUPABASE_SERVICE_ROLE_KEY` both give `SUPABASE SERVICE ROLE KEY`. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((token) => token !== '');
}

/** True when a word of the name contains SUPABASE (`SUPABASE_URL`, `MYSUPABASE_URL`). */
export function mentionsSupabase(name: string): boolean {
  return nameTokens(name).some((token) => token.includes('SUPABASE'));
}

// Words that make a Supabase-named variable hold the app's own URL rather than the project's API:
// `SUPABASE_REDIRECT_URL`, `SUPABASE_AUTH_SITE_URL`, `SUPABASE_WEBHOOK_URL` point back at the app.
const NOT_THE_API = new Set(['REDIRECT', 'CALLBACK', 'SITE', 'WEBHOOK', 'RETURN']);
const ADDRESS_WORDS = new Set(['URL', 'URI', 'HOST', 'ENDPOINT']);

/**
 * A variable whose name says it holds the Supabase API address (`VITE_SUPABASE_URL`,
 * `SUPABASE_API_URL`, `SUPABASE_URL_PROD`). Only for such names does a non-Supabase host count as
 * evidence (a custom domain); an `API_URL` pointing elsewhere says nothing about Supabase.
 */
export function namesSupabaseAddress(name: string): boolean {
  const tokens = nameTokens(name);
  return (
    tokens.some((token) => token.includes('SUPABASE')) &&
    tokens.some((token) => ADDRESS_WORDS.has(token)) &&
    !tokens.some((token) => NOT_THE_API.has(token))
  );
}

/** `SUPABASE_JWT_SECRET`, `SUPABASE_AUTH_JWT_SECRET`; a bare `JWT_SECRET` may be the app's own. */
export function namesSupabaseJwtSecret(name: string): boolean {
  const tokens = nameTokens(name);
  return (
    tokens.some((token) => token.includes('SUPABASE')) &&
    tokens.includes('JWT') &&
    tokens.includes('SECRET')
  );
}
