import { describe, expect, test } from '@jest/globals';
import { inspect } from 'node:util';
import {
  BROWSER_PREFIXES,
  classifyValue,
  isBrowserExposed,
  isPublicByDesign,
  isSecretName,
  isSecretValue,
  redactText,
} from '../src/classify.js';
import { LOCAL_JWT_SECRET, LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from '../src/supabase/keys.js';
import { REF_A, REF_B, makeAccessToken, makeDemoKey, makeLegacyKey } from './supabase/keys.js';

const anonKey = await makeLegacyKey({ ref: REF_A, role: 'anon' });
const serviceKey = await makeLegacyKey({ ref: REF_A, role: 'service_role' });
const demoAnon = await makeDemoKey('anon');
const demoService = await makeDemoKey('service_role');
const userToken = await makeAccessToken({ ref: REF_B });
const foreignJwt = await makeLegacyKey({ role: 'user', iss: 'https://example.auth0.com/' });

describe('browser exposure', () => {
  test('the agreed prefixes', () => {
    expect(BROWSER_PREFIXES).toEqual(['VITE_', 'NEXT_PUBLIC_', 'PUBLIC_', 'EXPO_PUBLIC_', 'NUXT_PUBLIC_', 'REACT_APP_', 'GATSBY_', 'VUE_APP_', 'NG_APP_']);
    expect(Object.isFrozen(BROWSER_PREFIXES)).toBe(true);
  });

  test.each<[string, boolean]>([
    ['VITE_SUPABASE_URL', true],
    ['NEXT_PUBLIC_SUPABASE_ANON_KEY', true],
    ['PUBLIC_SUPABASE_URL', true],
    ['EXPO_PUBLIC_API', true],
    ['NUXT_PUBLIC_X', true],
    ['REACT_APP_KEY', true],
    ['GATSBY_X', true],
    ['VUE_APP_X', true],
    ['NG_APP_X', true],
    ['SUPABASE_URL', false],
    ['vite_supabase_url', false], // bundlers match the prefix case-sensitively
    ['MY_VITE_URL', false],
  ])('%s → %s', (name, exposed) => {
    expect(isBrowserExposed(name)).toBe(exposed);
  });
});

describe('isSecretName', () => {
  test.each<[string, boolean]>([
    ['SUPABASE_SERVICE_ROLE_KEY', true],
    ['SERVICE_ROLE_KEY', true],
    ['SUPABASE_SERVICE_ROLE', true],
    ['SUPABASE_SECRET_KEY', true],
    ['SUPABASE_JWT_SECRET', true],
    ['API_KEY', true],
    ['apiKey', true],
    ['OPENAI_APIKEY', true],
    ['GITHUB_TOKEN', true],
    ['DB_PASSWORD', true],
    ['POSTGRES_PASSWORD_PROD', true],
    ['DBPASSWORD', true],
    ['SMTP_PASS', true],
    ['PRIVATE_KEY_PEM', true],
    ['SECRET_KEY_BASE', true],
    ['GOOGLE_CREDENTIALS', true],
    ['RECAPTCHA_SECRET_KEY', true],
    ['SUPABASE_KEY', true], // by name; an anon key in it is public by value (see classifyValue)
    // Public by design.
    ['SUPABASE_ANON_KEY', false],
    ['SUPABASE_PUBLISHABLE_KEY', false],
    ['SUPABASE_PUBLISHABLE_DEFAULT_KEY', false],
    ['VAPID_PUBLIC_KEY', false],
    ['TURNSTILE_SITE_KEY', false],
    ['VITE_SUPABASE_ANON_KEY', false],
    ['NEXT_PUBLIC_STRIPE_KEY', false],
    ['VITE_SUPABASE_SERVICE_ROLE_KEY', false], // browser-exposed: decided by its value
    // Not credentials.
    ['SUPABASE_URL', false],
    ['DATABASE_URL', false],
    ['TOKEN_URL', false],
    ['ACCESS_KEY_ID', false],
    ['KEYBOARD_LAYOUT', false],
    ['MONKEY', false],
    ['NODE_ENV', false],
    ['', false],
  ])('%s → %s', (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });
});

describe('isSecretValue', () => {
  test.each<[string, string, boolean]>([
    ['service_role JWT', serviceKey, true],
    ['user access token (role authenticated)', userToken, true],
    ['foreign JWT', foreignJwt, true],
    ['sb_secret_ key', 'sb_secret_abcDEF123-xyz_0123456789', true],
    ['personal access token', 'sbp_0123456789abcdef0123456789abcdef01234567', true],
    ['password in a pooler URL', `postgresql://postgres.${REF_A}:Tr0ub4dor-3@aws-0-eu-west-1.pooler.supabase.com:6543/postgres`, true],
    ['password in a direct URL', `postgres://postgres:Tr0ub4dor-3@db.${REF_A}.supabase.co:5432/postgres`, true],
    ['password with @ in it', 'postgres://u:p@ss@db.example.com/x', true],
    ['password in a redis URL', 'redis://default:s3cret-value@cache.example.com:6379', true],
    ['PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----', true],
    // Public by design.
    ['anon JWT', anonKey, false],
    ['demo anon JWT', demoAnon, false],
    ['demo service_role JWT (public, local only)', demoService, false],
    ['sb_publishable_ key', 'sb_publishable_abcDEF123_xyz', false],
    ['local sb_secret_ key', LOCAL_SECRET_KEY, false],
    ['local stack database', 'postgresql://postgres:postgres@127.0.0.1:54322/postgres', false],
    ['placeholder password', `postgresql://postgres.${REF_A}:[YOUR-PASSWORD]@aws-0-eu-west-1.pooler.supabase.com:6543/postgres`, false],
    ['angle placeholder', 'postgres://postgres:<password>@db.example.com/x', false],
    ['user without password', 'postgres://postgres@db.example.com/x', false],
    ['plain URL', `https://${REF_A}.supabase.co`, false],
    ['random-looking id', '0123456789abcdef0123456789abcdef', false],
    ['empty', '', false],
  ])('%s → %s', (_label, text, secret) => {
    expect(isSecretValue(text)).toBe(secret);
  });
});

describe('isPublicByDesign', () => {
  test.each<[string, string, boolean]>([
    ['anon JWT', anonKey, true],
    ['demo service JWT', demoService, true],
    ['publishable key', 'sb_publishable_abc', true],
    ['local publishable key', LOCAL_PUBLISHABLE_KEY, true],
    ['local JWT secret', LOCAL_JWT_SECRET, true],
    ['service JWT', serviceKey, false],
    ['arbitrary text', 'hello', false],
  ])('%s → %s', (_label, text, expected) => {
    expect(isPublicByDesign(text)).toBe(expected);
  });
});

describe('classifyValue', () => {
  test.each<[string, string, string, 'file' | 'deploy-env', boolean]>([
    ['anon key is public', 'VITE_SUPABASE_ANON_KEY', anonKey, 'file', false],
    ['anon key in a key-named variable is public', 'SUPABASE_KEY', anonKey, 'file', false],
    ['publishable key in a key-named variable is public', 'SUPABASE_KEY', 'sb_publishable_abc123', 'file', false],
    ['service key is secret', 'SUPABASE_SERVICE_ROLE_KEY', serviceKey, 'file', true],
    ['service key in a browser variable is still secret', 'VITE_SUPABASE_ANON_KEY', serviceKey, 'file', true],
    ['sb_secret in any variable is secret', 'MY_VALUE', 'sb_secret_abc123', 'file', true],
    ['password in DATABASE_URL is secret', 'DATABASE_URL', 'postgres://postgres:hunter22@db.example.com/x', 'file', true],
    ['secret name hides an unknown value', 'STRIPE_KEY', 'wh4tever-Kx9q', 'file', true],
    ['a plain word under a secret name is no credential (a product name in a self-hosting example)', 'DB_PASSWORD', 'hyperion', 'file', false],
    ['a vendor prefix with a stand-in is no credential', 'STRIPE_WEBHOOK_SECRET', 'whsec_xxx', 'file', false],
    ['a plain word handed in at deploy time is still secret', 'DB_PASSWORD', 'hyperion', 'deploy-env', true],
    ['browser name does not hide an unknown value', 'VITE_STRIPE_KEY', 'pk_test_123', 'file', false],
    ['URL is public', 'SUPABASE_URL', `https://${REF_A}.supabase.co`, 'file', false],
    ['deploy-env values are always secret', 'SUPABASE_URL', `https://${REF_A}.supabase.co`, 'deploy-env', true],
    ['deploy-env anon key is secret too', 'SUPABASE_ANON_KEY', anonKey, 'deploy-env', true],
  ])('%s', (_label, name, text, origin, secret) => {
    const value = classifyValue(name, text, origin);
    expect(value.secret).toBe(secret);
    expect(value.reveal()).toBe(text);
  });

  test('a secret value never prints', () => {
    const value = classifyValue('SUPABASE_SERVICE_ROLE_KEY', serviceKey, 'file');
    expect(String(value)).toBe('[redacted]');
    expect(JSON.stringify({ value })).not.toContain(serviceKey.slice(0, 10));
    expect(inspect(value)).not.toContain(serviceKey.slice(0, 10));
    expect(value.display()).toBe('[redacted]');
  });
});

describe('redactText', () => {
  const signature = serviceKey.split('.')[2]!;

  test('replaces whole secrets', () => {
    expect(redactText(`key=${serviceKey}; again ${serviceKey}`, [serviceKey])).toBe('key=[redacted]; again [redacted]');
  });

  test('replaces a JWT signature printed on its own', () => {
    expect(redactText(`sig: ${signature}`, [serviceKey])).toBe('sig: [redacted]');
  });

  test('replaces connection-string passwords, as written and decoded', () => {
    const url = 'postgres://postgres:p%40ss-word@db.example.com/x';
    expect(redactText(`url ${url}`, [url])).toBe('url [redacted]');
    expect(redactText('password is p@ss-word', [url])).toBe('password is [redacted]');
    expect(redactText('encoded p%40ss-word', [url])).toBe('encoded [redacted]');
  });

  test('replaces the JSON-escaped spelling', () => {
    const secret = 'pa"ss\\word';
    expect(redactText(JSON.stringify({ secret }), [secret])).toBe('{"secret":"[redacted]"}');
  });

  test('secrets under six characters are left alone rather than shredding the text', () => {
    expect(redactText('secret is secret', ['secret', '1'])).toBe('[redacted] is [redacted]');
    expect(redactText('a 1 b', ['1'])).toBe('a 1 b');
    expect(redactText('SUPABASE_SERVICE_ROLE_KEY in .env.test', ['test'])).toBe('SUPABASE_SERVICE_ROLE_KEY in .env.test');
  });

  test('longest first, one pass, no double replacement', () => {
    expect(redactText('abcdefgh', ['abcd', 'abcdefgh'])).toBe('[redacted]');
    expect(redactText('x redacted y', ['redacted'])).toBe('x [redacted] y');
  });

  test('regex characters in secrets are literal', () => {
    expect(redactText('a.*b+c and axxbbc', ['a.*b+c'])).toBe('[redacted] and axxbbc');
  });

  test('no secrets, no change', () => {
    expect(redactText('nothing here', [])).toBe('nothing here');
    expect(redactText('nothing here', new Set<string>())).toBe('nothing here');
  });
});
