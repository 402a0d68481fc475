/**
 * What a template's stand-in looks like, so that no placeholder is reported as a committed secret
 * nor redacted as one: filler (`xxxx`, `<key>`, `${KEY}`), placeholder words and phrases
 * (`your-api-key-here`), a vendor prefix followed by a stand-in (`sk_test_xxxx`). Pure.
 */

/** A value that is only template syntax or filler: `<key>`, `${KEY}`, `xxxx`, `...`, `null`. */
const STAND_IN = /^(?:\[.*\]|<.*>|\$\{.*\}|\{\{.*\}\}|%.*%|x+|\*+|\.+|-+|null|none|undefined|false|true)$/i;
/**
 * Words that make a value a placeholder or a local-only stand-in (`your-api-token`,
 * `changeme`, `local-dev-secret`, `${ADMIN_PASSWORD}`), not a credential worth a warning.
 */
const PLACEHOLDER_VALUE = new RegExp(`${STAND_IN.source}|your|example|change[-_ ]?(?:me|this|it)|placeholder|replace|dummy|sample|fake|todo|insert|redacted|here|local|dev|test|demo`, 'i');

/**
 * What a value under a secret-sounding name must not be to count as a credential: shorter than 8
 * characters, a placeholder word or filler, a vendor prefix with a stand-in, a phrase of
 * placeholder words, or one plain word shorter than any generated credential (`acme`,
 * `postgres`, a product's name in a self-hosting example), which has no entropy to protect.
 */
export function isNamedPlaceholder(value: string): boolean {
  return value.length < 8 || /^(?:[a-z]{1,11}|[A-Z]{1,11})$/.test(value) || PLACEHOLDER_VALUE.test(value) || isPrefixedPlaceholder(value) || isPlaceholderPhrase(value);
}

/**
 * A template's stand-in written out in words, as `your-super-secure-jwt-secret-change-this` (seen
 * in a real tracked `.env.production`): words joined by `-`, `_`, `.` or spaces, one of them a
 * placeholder word. Both, because a random secret may hold a placeholder word by chance
 * (`…x7Dev…`) but never this shape, and a passphrase without such a word may be real.
 */
export function isPlaceholderPhrase(value: string): boolean {
  if (!/^[a-z0-9]+(?:[-_. ][a-z0-9]+){2,}$/i.test(value)) return false;
  // A word that is a placeholder word or starts with one (`development`, `testing`), not one that
  // merely holds one: `orbit-sphere-latest` holds "here" and "test" by chance.
  const words = value.toLowerCase().split(/[-_. ]/);
  return words.some((word) => PLACEHOLDER_WORDS.has(word) || PLACEHOLDER_STEMS.some((stem) => word.startsWith(stem))) ||
    /(?:^|[-_. ])change[-_. ]?(?:me|this|it)(?:$|[-_. ])/i.test(value);
}

/**
 * A vendor's key prefix followed by a stand-in: `whsec_xxx`, `sk_test_xxxxxxxx`, `pk_live_...`,
 * `sb_secret_xxx`, `re_your_api_key`. The prefix (lower-case words each ended by `_`, as Stripe,
 * Supabase, Resend and most others spell them) says which kind of key belongs there, not that one
 * is there: what follows it is judged as a value of its own. Shorter than 8 characters, one
 * character repeated, or a placeholder word or phrase: a stand-in.
 */
export function isPrefixedPlaceholder(value: string): boolean {
  const prefix = /^(?:[a-z]{1,12}_){1,3}/.exec(value)?.[0];
  if (!prefix) return false;
  const rest = value.slice(prefix.length);
  // Not PLACEHOLDER_VALUE's loose words: a random key body holds `dev` or `test` by chance.
  return rest.length < 8 || /^(.)\1*$/.test(rest) || STAND_IN.test(rest) || isPlaceholderPhrase(rest) || /^(?:your|change|replace|insert|placeholder|example)/i.test(rest);
}

/** Short words matched whole (`dev`, not `device`); stems matched at a word's start (`testing`). */
const PLACEHOLDER_WORDS = new Set(['your', 'here', 'dev', 'xxx', 'todo', 'fake', 'demo']);
const PLACEHOLDER_STEMS = ['example', 'changeme', 'placeholder', 'replace', 'dummy', 'sample', 'insert', 'redact', 'local', 'develop', 'test'];
