import { describe, expect, test } from '@jest/globals';
import type { SupabaseEvidence, SupabaseTarget } from '../../src/model.js';
import { Sensitive } from '../../src/sensitive.js';
import {
  describeTarget,
  projectRefFromFile,
  resolveSupabaseValue,
  sameTarget,
  surfaceTarget,
  type SupabaseResolution,
} from '../../src/supabase/target.js';
import { LOCAL_JWT_SECRET, LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from '../../src/supabase/keys.js';
import { REF_A, REF_B, TEST_EXP, makeAccessToken, makeDemoKey, makeLegacyKey } from './keys.js';

const resolve = (name: string, text: string): SupabaseResolution | undefined =>
  resolveSupabaseValue(name, new Sensitive(text, false));

const project = (ref: string, via: 'url' | 'jwt' | 'connection-string' | 'project-ref-file') => ({ kind: 'project', ref, via }) as const;
const local = { kind: 'local' } as const;
const unknown = (reason: string) => ({ kind: 'unknown', reason }) as const;

const anonA = await makeLegacyKey({ ref: REF_A, role: 'anon' });
const serviceB = await makeLegacyKey({ ref: REF_B, role: 'service_role' });
const demoAnon = await makeDemoKey('anon');
const demoService = await makeDemoKey('service_role');
const tokenA = await makeAccessToken({ ref: REF_A });
const localToken = await makeAccessToken({ issuer: 'http://127.0.0.1:54321/auth/v1' });
const customToken = await makeAccessToken({ issuer: 'https://auth.example.com/auth/v1' });
const noRefKey = await makeLegacyKey({ role: 'service_role' });
const noIssKey = await makeLegacyKey({ role: 'anon', iss: null });
const upperRefKey = await makeLegacyKey({ ref: REF_A.toUpperCase(), role: 'anon' });
const shortRefKey = await makeLegacyKey({ ref: 'abcdefghij', role: 'anon' });
const otherIssuer = await makeLegacyKey({ role: 'user', iss: 'https://example.auth0.com/' });
const noIssNoKeyRole = await makeLegacyKey({ role: 'editor', iss: null });

describe('resolveSupabaseValue: values that resolve', () => {
  test.each<[string, string, string, SupabaseResolution['role'], SupabaseTarget]>([
    // Project URLs, whatever the variable is called: the value describes itself.
    ['frontend URL', 'VITE_SUPABASE_URL', `https://${REF_A}.supabase.co`, 'url', project(REF_A, 'url')],
    ['trailing slash and path', 'SUPABASE_URL', `https://${REF_A}.supabase.co/rest/v1/`, 'url', project(REF_A, 'url')],
    ['unrelated name', 'API_BASE', `https://${REF_B}.supabase.co`, 'url', project(REF_B, 'url')],
    ['http scheme', 'SUPABASE_URL', `http://${REF_A}.supabase.co`, 'url', project(REF_A, 'url')],
    ['legacy .supabase.in', 'SUPABASE_URL', `https://${REF_A}.supabase.in`, 'url', project(REF_A, 'url')],
    ['functions subdomain', 'FUNCTIONS_URL', `https://${REF_A}.functions.supabase.co`, 'url', project(REF_A, 'url')],
    // DNS is case-insensitive: the same host, so the same project.
    ['upper-case host', 'SUPABASE_URL', `https://${REF_A.toUpperCase()}.SUPABASE.CO`, 'url', project(REF_A, 'url')],
    ['surrounding whitespace', 'SUPABASE_URL', `  https://${REF_A}.supabase.co \n`, 'url', project(REF_A, 'url')],
    // Local stack spellings.
    ['127.0.0.1:54321', 'VITE_SUPABASE_URL', 'http://127.0.0.1:54321', 'url', local],
    ['localhost:54321', 'SUPABASE_URL', 'http://localhost:54321', 'url', local],
    ['0.0.0.0', 'SUPABASE_URL', 'http://0.0.0.0:54321', 'url', local],
    ['IPv6 loopback', 'SUPABASE_URL', 'http://[::1]:54321', 'url', local],
    ['docker host', 'SUPABASE_URL', 'http://host.docker.internal:54321', 'url', local],
    ['self-hosted port on localhost', 'SUPABASE_URL', 'http://localhost:8000', 'url', local],
    ['54321 under any name', 'API_URL', 'http://localhost:54321', 'url', local],
    ['54321 on a LAN address', 'EXPO_PUBLIC_SUPABASE_URL', 'http://192.168.1.20:54321', 'url', local],
    // Custom domains: only when the name says it is the Supabase address; host only, no userinfo.
    ['custom domain', 'SUPABASE_URL', 'https://api.example.com', 'url', unknown('custom domain api.example.com')],
    ['custom domain hides userinfo', 'VITE_SUPABASE_URL', 'https://user:hunter22@api.example.com/x', 'url', unknown('custom domain api.example.com')],
    ['suffixed name', 'SUPABASE_URL_PROD', 'https://db.example.org', 'url', unknown('custom domain db.example.org')],
    ['placeholder', 'SUPABASE_URL', 'your-supabase-url', 'url', unknown('not a URL')],
    ['supabase.co host without a ref', 'API_BASE', 'https://abc.supabase.co', 'url', unknown('abc.supabase.co is not a project host')],
    ['a host in the case it is written', 'SUPABASE_URL', 'https://API.Supabase.co', 'url', unknown('API.Supabase.co is not a project host')],
    ['a custom domain in the case it is written', 'SUPABASE_URL', 'https://Api.Example.com', 'url', unknown('custom domain Api.Example.com')],
    ['a database host in the case it is written', 'SUPABASE_DB_URL', 'postgres://u@DB.Example.org:5432/postgres', 'database-url', unknown('database host DB.Example.org')],
    // Opaque keys.
    ['publishable key', 'VITE_SUPABASE_PUBLISHABLE_KEY', 'sb_publishable_abcDEF123_xyz', 'publishable-key', unknown('opaque key, names no project')],
    ['secret key', 'SUPABASE_SECRET_KEY', 'sb_secret_abcDEF123-xyz', 'secret-key', unknown('opaque key, names no project')],
    ['local publishable key', 'SUPABASE_KEY', LOCAL_PUBLISHABLE_KEY, 'publishable-key', local],
    ['local secret key', 'SUPABASE_KEY', LOCAL_SECRET_KEY, 'secret-key', local],
    // Postgres.
    ['direct connection', 'DATABASE_URL', `postgresql://postgres:pw@db.${REF_A}.supabase.co:5432/postgres`, 'database-url', project(REF_A, 'connection-string')],
    ['direct, postgres scheme, upper-case host', 'DB', `postgres://postgres:pw@DB.${REF_A.toUpperCase()}.SUPABASE.CO/postgres`, 'database-url', project(REF_A, 'connection-string')],
    ['session pooler', 'DATABASE_URL', `postgres://postgres.${REF_B}:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres`, 'database-url', project(REF_B, 'connection-string')],
    ['transaction pooler, newer host', 'DIRECT_URL', `postgresql://postgres.${REF_B}:[YOUR-PASSWORD]@aws-1-us-east-1.pooler.supabase.com:6543/postgres`, 'database-url', project(REF_B, 'connection-string')],
    ['pooler with another role', 'DATABASE_URL', `postgres://prisma.${REF_A}:pw@aws-0-us-west-1.pooler.supabase.com:6543/postgres`, 'database-url', project(REF_A, 'connection-string')],
    ['pooler without a ref', 'DATABASE_URL', 'postgres://postgres:pw@aws-0-us-west-1.pooler.supabase.com:6543/postgres', 'database-url', unknown('pooler connection string names no project')],
    ['local stack database', 'DATABASE_URL', 'postgresql://postgres:postgres@127.0.0.1:54322/postgres', 'database-url', local],
    ['local database named Supabase', 'SUPABASE_DB_URL', 'postgresql://postgres:postgres@localhost:5432/postgres', 'database-url', local],
    ['foreign database named Supabase', 'SUPABASE_DB_URL', 'postgres://u:p@db.example.com/app', 'database-url', unknown('database host db.example.com')],
    // JWT secret.
    ['JWT secret', 'SUPABASE_JWT_SECRET', 'a-very-long-random-secret-value-0123456789', 'jwt-secret', unknown('a JWT secret names no project')],
    ['local default JWT secret', 'SUPABASE_AUTH_JWT_SECRET', LOCAL_JWT_SECRET, 'jwt-secret', local],
  ])('%s', (_label, name, text, role, target) => {
    const result = resolve(name, text);
    expect(result?.role).toBe(role);
    expect(result?.target).toEqual(target);
  });
});

describe('resolveSupabaseValue: JWTs', () => {
  test.each<[string, string, string, SupabaseResolution['role'], SupabaseTarget, string | undefined, string | undefined]>([
    ['anon key', 'VITE_SUPABASE_ANON_KEY', anonA, 'anon-key', project(REF_A, 'jwt'), 'anon', 'supabase'],
    ['service key under any name', 'X', serviceB, 'service-key', project(REF_B, 'jwt'), 'service_role', 'supabase'],
    ['demo anon key', 'SUPABASE_ANON_KEY', demoAnon, 'anon-key', local, 'anon', 'supabase-demo'],
    ['demo service key', 'SUPABASE_SERVICE_ROLE_KEY', demoService, 'service-key', local, 'service_role', 'supabase-demo'],
    ['user access token', 'TEST_USER_TOKEN', tokenA, 'access-token', project(REF_A, 'jwt'), 'authenticated', `https://${REF_A}.supabase.co/auth/v1`],
    ['local access token', 'TOKEN', localToken, 'access-token', local, 'authenticated', 'http://127.0.0.1:54321/auth/v1'],
    ['custom-domain access token', 'TOKEN', customToken, 'access-token', unknown('custom domain auth.example.com'), 'authenticated', 'https://auth.example.com/auth/v1'],
    ['self-hosted key without ref', 'SERVICE_ROLE_KEY', noRefKey, 'service-key', unknown('JWT key names no project'), 'service_role', 'supabase'],
    ['oldest key without iss', 'SUPABASE_KEY', noIssKey, 'anon-key', unknown('JWT key names no project'), 'anon', undefined],
    ['upper-case ref is no ref', 'SUPABASE_ANON_KEY', upperRefKey, 'anon-key', unknown('JWT key carries an invalid project ref'), 'anon', 'supabase'],
    ['short ref is no ref', 'SUPABASE_ANON_KEY', shortRefKey, 'anon-key', unknown('JWT key carries an invalid project ref'), 'anon', 'supabase'],
  ])('%s', (_label, name, text, role, target, jwtRole, issuer) => {
    const result = resolve(name, text);
    expect(result?.role).toBe(role);
    expect(result?.target).toEqual(target);
    expect(result?.jwtRole).toBe(jwtRole);
    expect(result?.issuer).toBe(issuer);
  });

  test('expiry comes from exp', async () => {
    expect(resolve('K', anonA)?.expiresAt).toEqual(new Date(TEST_EXP * 1000));
    const expired = await makeLegacyKey({ ref: REF_A, role: 'anon', exp: new Date('2020-01-01T00:00:00Z') });
    expect(resolve('K', expired)?.expiresAt).toEqual(new Date('2020-01-01T00:00:00Z'));
  });
});

describe('resolveSupabaseValue: values that do not resolve', () => {
  const [header, payload] = anonA.split('.');
  test.each<[string, string, string]>([
    ['plain URL', 'API_URL', 'https://api.example.com'],
    ['plain localhost URL', 'API_URL', 'http://localhost:3000'],
    ['redirect URL named Supabase', 'SUPABASE_REDIRECT_URL', 'https://app.example.com/auth/callback'],
    ['Supabase marketing site', 'DOCS_URL', 'https://supabase.com/docs'],
    ['empty', 'SUPABASE_URL', '   '],
    ['plain word', 'MODE', 'production'],
    ['unrelated host in an API variable', 'API_BASE', 'https://example.com'],
    ['foreign database', 'DATABASE_URL', 'postgres://u:p@ep-cool-1.neon.tech/db'],
    ['local Postgres, not Supabase', 'DATABASE_URL', 'postgres://u:p@localhost:5432/db'],
    ['malformed JWT', 'SUPABASE_ANON_KEY_X', 'eyJhbGciOiJIUzI1NiJ9.not-base64-json.sig'],
    ['truncated JWT', 'TOKEN', `${header}.${payload}`],
    ['JWT with garbage payload', 'TOKEN', `${header}.e30x.sig`],
    ['JWT of another issuer', 'AUTH0_TOKEN', otherIssuer],
    ['JWT with no issuer and no key role', 'TOKEN', noIssNoKeyRole],
    ['opaque key placeholder', 'SUPABASE_SECRET', 'sb_secret_...'],
    ['bare JWT_SECRET is the app\'s own', 'JWT_SECRET', 'abcdef0123456789abcdef0123456789'],
    ['personal access token', 'SUPABASE_ACCESS_TOKEN', 'sbp_0123456789abcdef0123456789abcdef01234567'],
  ])('%s', (_label, name, text) => {
    expect(resolve(name, text)).toBeUndefined();
  });

  test('never throws on odd input', () => {
    const odd = ['http://', 'https://[::1', 'postgres://', 'postgres://%zz:%zz@db.x', 'eyJ..', '\u0000', 'https://a b.supabase.co'];
    for (const text of odd) {
      for (const name of ['SUPABASE_URL', 'DATABASE_URL', 'X']) expect(() => resolve(name, text)).not.toThrow();
    }
  });

  test('refs of the wrong shape in hosts are not projects', () => {
    expect(resolve('SUPABASE_URL', `https://${REF_A.slice(1)}.supabase.co`)?.target.kind).toBe('unknown');
    expect(resolve('SUPABASE_URL', `https://${REF_A}x.supabase.co`)?.target.kind).toBe('unknown');
    expect(resolve('SUPABASE_URL', 'https://abcdefghij0123456789.supabase.co')?.target.kind).toBe('unknown');
    expect(resolve('DATABASE_URL', `postgres://postgres.${REF_A.toUpperCase()}:pw@aws-0-x.pooler.supabase.com/postgres`)?.target).toEqual(
      unknown('pooler connection string names no project'),
    );
  });

  test('reasons never contain credentials', () => {
    const result = resolve('SUPABASE_URL', 'https://admin:s3cr3t-pass@api.example.com');
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
    expect(JSON.stringify(resolve('SUPABASE_DB_URL', 'postgres://u:s3cr3t-pass@db.example.com/x'))).not.toContain('s3cr3t');
  });
});

describe('projectRefFromFile', () => {
  test.each<[string, string | undefined]>([
    [REF_A, REF_A],
    [`${REF_A}\n`, REF_A],
    [`  ${REF_B}  \r\n`, REF_B],
    [REF_A.toUpperCase(), undefined],
    ['abcdefghij', undefined],
    [`${REF_A}a`, undefined],
    ['', undefined],
    [`${REF_A}\n${REF_B}`, undefined],
  ])('%j', (text, ref) => {
    expect(projectRefFromFile(text)).toBe(ref);
  });
});

describe('sameTarget', () => {
  test.each<[string, SupabaseTarget, SupabaseTarget, boolean | undefined]>([
    ['same ref, different evidence', project(REF_A, 'url'), project(REF_A, 'jwt'), true],
    ['different refs', project(REF_A, 'url'), project(REF_B, 'url'), false],
    ['local and local', local, { kind: 'local' }, true],
    ['local and project', local, project(REF_A, 'url'), false],
    ['project and local', project(REF_A, 'url'), local, false],
    ['unknown and project', unknown('custom domain a.example'), project(REF_A, 'url'), undefined],
    ['unknown and local', local, unknown('x'), undefined],
    ['unknown and unknown', unknown('x'), unknown('x'), undefined],
  ])('%s', (_label, a, b, expected) => {
    expect(sameTarget(a, b)).toBe(expected);
  });

  test('local spellings all compare equal', () => {
    const spellings = ['http://127.0.0.1:54321', 'http://localhost:54321', 'http://[::1]:54321', 'http://host.docker.internal:54321'];
    const targets = spellings.map((text) => resolve('SUPABASE_URL', text)?.target);
    for (const target of targets) expect(sameTarget(target!, targets[0]!)).toBe(true);
  });
});

describe('describeTarget', () => {
  test.each<[SupabaseTarget, string]>([
    [project(REF_A, 'url'), `project ${REF_A}`],
    [local, 'local Supabase stack'],
    [unknown('custom domain api.example.com'), 'unknown (custom domain api.example.com)'],
  ])('%j', (target, text) => {
    expect(describeTarget(target)).toBe(text);
  });
});

describe('surfaceTarget', () => {
  const at = { file: '.env', line: 1, column: 1 };
  const ev = (variable: string, role: SupabaseEvidence['role'], target: SupabaseTarget): SupabaseEvidence => ({
    variable,
    role,
    target,
    at,
    source: 'file',
  });
  const customUrl = ev('SUPABASE_URL', 'url', unknown('custom domain api.example.com'));

  test('no evidence, no target', () => {
    expect(surfaceTarget([])).toBeUndefined();
  });

  test('the URL decides when it names a project', () => {
    const url = ev('SUPABASE_URL', 'url', project(REF_A, 'url'));
    const key = ev('SUPABASE_ANON_KEY', 'anon-key', project(REF_B, 'jwt'));
    expect(surfaceTarget([key, url])).toEqual({ target: project(REF_A, 'url'), evidence: url });
  });

  test('a local URL decides', () => {
    const url = ev('SUPABASE_URL', 'url', local);
    expect(surfaceTarget([ev('K', 'service-key', project(REF_B, 'jwt')), url])?.target).toEqual(local);
  });

  test('behind a custom domain, a key names the project', () => {
    const key = ev('SUPABASE_ANON_KEY', 'anon-key', project(REF_B, 'jwt'));
    expect(surfaceTarget([customUrl, key])).toEqual({ target: project(REF_B, 'jwt'), evidence: key });
  });

  test('keys before connection strings', () => {
    const db = ev('DATABASE_URL', 'database-url', project(REF_A, 'connection-string'));
    const key = ev('SUPABASE_SERVICE_ROLE_KEY', 'service-key', project(REF_B, 'jwt'));
    expect(surfaceTarget([customUrl, db, key])?.evidence).toBe(key);
    expect(surfaceTarget([customUrl, db])?.evidence).toBe(db);
  });

  test('otherwise unknown, reported with the URL', () => {
    const opaque = ev('SUPABASE_PUBLISHABLE_KEY', 'publishable-key', unknown('opaque key, names no project'));
    expect(surfaceTarget([opaque, customUrl])).toEqual({ target: customUrl.target, evidence: customUrl });
  });

  test('a project-ref file alone does not say where requests go', () => {
    const ref = ev('supabase/.temp/project-ref', 'project-ref', project(REF_A, 'project-ref-file'));
    expect(surfaceTarget([ref])?.target.kind).toBe('unknown');
  });
});
