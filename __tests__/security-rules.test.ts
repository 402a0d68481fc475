/**
 * service-role-exposed, secret-in-plaintext, key-expired, supabase-jwt-secret-mismatch: each with
 * cases that must fire and cases that must not, on mini-repos made in temporary git work trees.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../src/check.js';
import type { Finding } from '../src/model.js';
import { writeTree } from './helpers/tree.js';
import { makeDemoKey, makeLegacyKey, REF_A, REF_B, TEST_JWT_SECRET } from './supabase/keys.js';

const NOW = new Date('2026-11-24T00:00:00Z');
const VITE = JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } });

function gitRepo(files: Record<string, string>, track: (path: string) => boolean = () => true): string {
  const root = writeTree(files);
  spawnSync('git', ['init', '-q'], { cwd: root });
  const tracked = Object.keys(files).filter(track);
  if (tracked.length > 0) spawnSync('git', ['add', '--', ...tracked], { cwd: root });
  return root;
}

function findings(root: string, rule: string): Finding[] {
  return runCheck({ root, now: NOW }).findings.filter((f) => f.rule === rule);
}

const serviceA = await makeLegacyKey({ ref: REF_A, role: 'service_role' });
const anonA = await makeLegacyKey({ ref: REF_A, role: 'anon' });

describe('service-role-exposed', () => {
  it.each([
    ['VITE_SUPABASE_SERVICE_ROLE_KEY', serviceA],
    ['NEXT_PUBLIC_SUPABASE_KEY', 'sb_secret_0123456789abcdefghijklmnopqr'],
    ['VITE_SUPABASE_ANON_KEY', serviceA], // the name says anon, the value is a service key
  ])('fires for %s holding a secret key', (name, value) => {
    const root = gitRepo({ 'package.json': VITE, '.env.production.local': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n${name}=${value}\n` }, () => false);
    expect(findings(root, 'service-role-exposed')).toEqual([expect.objectContaining({ file: '.env.production.local', line: 2, subject: name, severity: 'error' })]);
  });

  it.each([
    ['an anon key in a browser variable', `VITE_SUPABASE_ANON_KEY=${anonA}`],
    ['a publishable key in a browser variable', 'VITE_SUPABASE_KEY=sb_publishable_0123456789abcdefghijklmn'],
    ['a service key in a server-only variable', `SUPABASE_SERVICE_ROLE_KEY=${serviceA}`],
  ])('does not fire for %s', (_name, line) => {
    const root = gitRepo({ 'package.json': VITE, '.env.local': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n${line}\n` }, () => false);
    expect(findings(root, 'service-role-exposed')).toEqual([]);
  });
});

describe('secret-in-plaintext', () => {
  it('judges what follows a vendor prefix: stand-ins are quiet in a tracked .env, real-looking keys fire', () => {
    const root = gitRepo({
      '.env': [
        'STRIPE_WEBHOOK_SECRET=whsec_xxx',
        'STRIPE_SECRET_KEY=sk_live_...',
        'RESEND_API_KEY=re_xxxxxxxxxxxxxxxx',
        'OPENAI_API_KEY=sk_proj_your_key_here',
        'SUPABASE_SECRET_KEY=sb_secret_xxxxxxxxxxxxxxxx',
        'PAYMENT_SECRET_KEY=sk_live_51NzQe8Kd2vRtY7pLm4Xw9BcJh3Fs6Ga',
        'SUPABASE_SECRET_KEY_2=sb_secret_N7q2Vx9LkR4tZp8WmB3cYd6Hs1Jf5Ge0',
        '',
      ].join('\n'),
    });
    expect(findings(root, 'secret-in-plaintext').map((f) => [f.severity, f.line, f.subject])).toEqual([
      ['warning', 6, 'PAYMENT_SECRET_KEY'],
      ['error', 7, 'SUPABASE_SECRET_KEY_2'],
    ]);
  });

  it('fires for a tracked .dev.vars with a service key, and for secrets in [vars]', () => {
    const root = gitRepo({
      'api/wrangler.toml': `name = "api"\n\n[vars]\nDATABASE_URL = "postgresql://postgres.${REF_A}:hunter2-real-password@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"\nLOG_LEVEL = "info"\n`,
      'api/.dev.vars': `SUPABASE_URL=https://${REF_A}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${serviceA}\n`,
    });
    expect(findings(root, 'secret-in-plaintext').map((f) => [f.file, f.line, f.subject])).toEqual([
      ['api/.dev.vars', 2, 'SUPABASE_SERVICE_ROLE_KEY'],
      ['api/wrangler.toml', 4, 'DATABASE_URL'],
    ]);
  });

  it('does not fire for an untracked .dev.vars, placeholders in a tracked example, or local demo keys', async () => {
    const root = gitRepo({
      'api/wrangler.toml': 'name = "api"\n',
      'api/.dev.vars': `SUPABASE_SERVICE_ROLE_KEY=${serviceA}\n`,
      'api/.dev.vars.example': 'SUPABASE_SERVICE_ROLE_KEY=your-service-role-key\nDATABASE_URL=postgresql://postgres:[YOUR-PASSWORD]@db.abcdefghijklmnopqrst.supabase.co:5432/postgres\n',
      'local/.env': `SUPABASE_SERVICE_ROLE_KEY=${await makeDemoKey('service_role')}\n`,
    }, (p) => !p.endsWith('.dev.vars'));
    expect(findings(root, 'secret-in-plaintext')).toEqual([]);
  });

  it('says tracking is unknown outside a git work tree instead of guessing', () => {
    const root = writeTree({ 'api/wrangler.toml': 'name = "api"\n', 'api/.dev.vars': `SUPABASE_SERVICE_ROLE_KEY=${serviceA}\n` });
    expect(findings(root, 'secret-in-plaintext')).toEqual([expect.objectContaining({ severity: 'note', message: expect.stringMatching(/whether git tracks them is unknown/) })]);
  });
});

describe('key-expired', () => {
  it('warns for a past exp and notes one within 30 days, not for a key valid for years', async () => {
    const expired = await makeLegacyKey({ ref: REF_A, role: 'anon', exp: new Date('2026-01-01T00:00:00Z') });
    const soon = await makeLegacyKey({ ref: REF_A, role: 'anon', exp: new Date('2026-12-10T00:00:00Z') });
    const root = gitRepo({
      'package.json': VITE,
      '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\nVITE_SUPABASE_ANON_KEY=${expired}\n`,
      '.env.staging': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\nVITE_SUPABASE_ANON_KEY=${soon}\n`,
      '.env.development': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\nVITE_SUPABASE_ANON_KEY=${anonA}\n`,
    });
    expect(findings(root, 'key-expired').map((f) => [f.file, f.severity])).toEqual([
      ['.env.production', 'warning'],
      ['.env.staging', 'note'],
    ]);
  });
});

describe('supabase-jwt-secret-mismatch', () => {
  it('fires for a key the JWT secret does not verify, not for one it does', async () => {
    const other = await makeLegacyKey({ ref: REF_A, role: 'anon', secret: 'another-projects-jwt-secret-0123456789abcdef' });
    const root = gitRepo({
      'api/wrangler.toml': 'name = "api"\n',
      'api/.dev.vars': `SUPABASE_URL=https://${REF_A}.supabase.co\nSUPABASE_JWT_SECRET=${TEST_JWT_SECRET}\nSUPABASE_ANON_KEY=${other}\nSUPABASE_SERVICE_ROLE_KEY=${serviceA}\n`,
    }, () => false);
    expect(findings(root, 'supabase-jwt-secret-mismatch')).toEqual([expect.objectContaining({ file: 'api/.dev.vars', line: 3, subject: 'SUPABASE_ANON_KEY', related: [expect.objectContaining({ line: 2 })] })]);
  });
});

describe('a project the keys disagree on is still caught with a custom domain', () => {
  it('supabase-key-mismatch between two keys when the URL names no project', async () => {
    const anonB = await makeLegacyKey({ ref: REF_B, role: 'anon' });
    const root = gitRepo({ 'package.json': VITE, '.env.production': `VITE_SUPABASE_URL=https://auth.example.com\nVITE_SUPABASE_ANON_KEY=${anonA}\nVITE_OTHER_SUPABASE_ANON_KEY=${anonB}\n` });
    expect(findings(root, 'supabase-key-mismatch')).toEqual([expect.objectContaining({ line: 3 })]);
  });
});

describe('secret-in-plaintext by name: a non-placeholder value under a name that says secret', () => {
  it('warns for a plain password under a secret name in a tracked .env', () => {
    const root = gitRepo({ 'package.json': VITE, '.env': 'ADMIN_PASSWORD=Tr0ub4dor-and-3-horses\nAPI_TOKEN=ghp_not_a_shape_we_know_123456\n' });
    expect(findings(root, 'secret-in-plaintext').map((f) => [f.severity, f.subject, f.line])).toEqual([['warning', 'ADMIN_PASSWORD', 1], ['warning', 'API_TOKEN', 2]]);
  });

  it.each([
    ['a placeholder', '.env', 'ADMIN_PASSWORD=your-admin-password'],
    ['a reference', '.env', 'ADMIN_PASSWORD=${ADMIN_PASSWORD}'],
    ['a local stand-in', '.env.development', 'JWT_SECRET=local-dev-jwt-secret'],
    ['a short value', '.env', 'ADMIN_PASSWORD=hunter2'],
    ['a template', '.env.example', 'ADMIN_PASSWORD=Tr0ub4dor-and-3-horses'],
    ['a name that does not say secret', '.env', 'ADMIN_EMAIL=admin@example.org'],
    ['a public key name', '.env', 'SUPABASE_ANON_KEY=sb_publishable_abcdefghijklmnop'],
    ['a browser-exposed name', '.env', 'VITE_MAPS_API_KEY=AIzaSyA-not-a-secret-by-design'],
    ["the local stack's S3 secret, the same on every machine", 'supabase/functions/.env', 'S3_SECRET_ACCESS_KEY=850181e4652dd023b7a98c58ae0d2d34bd487ee0cc3254aed6eda37307425907'],
  ])('quiet for %s', (_name, file, line) => {
    const root = gitRepo({ 'package.json': VITE, [file]: `${line}\n` });
    expect(findings(root, 'secret-in-plaintext')).toEqual([]);
  });

  it('quiet when git does not track the file', () => {
    const root = gitRepo({ 'package.json': VITE, '.env.local': 'ADMIN_PASSWORD=Tr0ub4dor-and-3-horses\n' }, () => false);
    expect(findings(root, 'secret-in-plaintext')).toEqual([]);
  });
});

describe('secret-in-plaintext in any committed file', () => {
  const r2Secret = 'a3f9c2e8b7d14f6a9e0c5b2d8f7a1e4c3b6d9f0a2e5c8b1d4f7a0e3c6b9d2f5a';

  it('finds a service_role key in a heredoc, a Markdown checklist and an oddly named file: one finding, the other places related', async () => {
    const root = gitRepo({
      'scripts/setup.sh': `#!/bin/sh\ncat > api/.dev.vars <<EOF\nSUPABASE_URL=https://${REF_A}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${serviceA}\nEOF\n`,
      'docs/DEPLOY.md': `# Deploy checklist\n\n1. Set the key:\n\n   \`wrangler secret put SUPABASE_SERVICE_ROLE_KEY\` and paste ${serviceA}\n`,
      'config/secrets.env.bak': `SERVICE_KEY="${serviceA}"\n`,
    });
    const found = findings(root, 'secret-in-plaintext');
    expect(found.map((f) => [f.file, f.line, f.related?.map((r) => `${r.file}:${r.line}`)])).toEqual([
      ['config/secrets.env.bak', 1, ['docs/DEPLOY.md:5', 'scripts/setup.sh:4']],
    ]);
    expect(found[0]!.message).toContain(`a Supabase service_role key of project ${REF_A}`);
    expect(JSON.stringify(found)).not.toContain(serviceA.split('.')[2]!);
  });

  it('finds a database password in a CI file and an R2 secret in a template, and an sb_secret_ key in a Makefile', () => {
    const root = gitRepo({
      '.github/workflows/migrate.yml': `on: push\njobs:\n  m:\n    runs-on: ubuntu-latest\n    steps:\n      - run: psql "postgresql://postgres.${REF_A}:Rq8-real-Passw0rd@aws-0-eu-west-1.pooler.supabase.com:6543/postgres" -f m.sql\n`,
      '.env.example': `R2_ACCESS_KEY_ID=9f3a2c1e8b7d6f5a4e3c2b1d0f9e8a7c\nR2_SECRET_ACCESS_KEY=${r2Secret}\n`,
      Makefile: 'deploy:\n\tSUPABASE_SECRET_KEY=sb_secret_N7q2Vx9LkR4tZp8WmB3cYd6Hs1Jf5Ge0 wrangler deploy\n',
    });
    expect(findings(root, 'secret-in-plaintext').map((f) => [f.file, f.line, f.severity])).toEqual([
      ['.env.example', 2, 'error'],
      ['.github/workflows/migrate.yml', 6, 'error'],
      ['Makefile', 2, 'error'],
    ]);
  });

  it('is quiet on placeholders, anon keys, local stack values, and files git does not track', () => {
    const root = gitRepo({
      'README.md': `Set \`SUPABASE_SERVICE_ROLE_KEY=your-service-role-key\` and \`SUPABASE_SECRET_KEY=sb_secret_xxxxxxxxxxxx\`.\nThe anon key is public: ${anonA}\nLocal: postgresql://postgres:postgres@127.0.0.1:54322/postgres\nDATABASE_URL=postgresql://postgres:[YOUR-PASSWORD]@db.${REF_A}.supabase.co:5432/postgres\nR2_SECRET_ACCESS_KEY=<your-r2-secret>\n`,
      'notes/untracked.md': `key ${serviceA}\n`,
    }, (file) => file !== 'notes/untracked.md');
    expect(findings(root, 'secret-in-plaintext')).toEqual([]);
  });
});

describe('secret-in-plaintext in any committed file: what is no leak', () => {
  it('is quiet on a key of the local stack (signed with its published JWT secret), a URL whose host is a shell variable, and {name} placeholders', async () => {
    const { SignJWT } = await import('jose');
    const oldDemoKey = await new SignJWT({ role: 'service_role' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('supabase').setIssuedAt(1603968834).setExpirationTime(2550653634).sign(new TextEncoder().encode('super-secret-jwt-token-with-at-least-32-characters-long'));
    const root = gitRepo({
      '.github/workflows/test.yml': `env:\n  SERVICE_KEY: ${oldDemoKey}\n`,
      'docker/run.sh': 'psql postgres://postgres:postgres@$DB_HOST_PORT/postgres -c "select 1"\n',
      'docs/backup.md': 'pg_dump "postgresql://postgres.{projectRef}:{dbPassword}@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"\n',
    });
    expect(findings(root, 'secret-in-plaintext')).toEqual([]);
  });

  it('finds a Cloudflare token written as Markdown code, and groups one database password across ports as one credential', () => {
    const password = 'Gq7-real-Pa55word-2024';
    const root = gitRepo({
      'docs/CONFIG.md': '- ✅ `CLOUDFLARE_API_TOKEN` = `Xq7Lm2Np9Rt4Vw8Yz3Bc6Df1Gh5Jk0Ls2Mn4Pq7R` (full permissions)\n',
      'CLAUDE.md': `direct: postgresql://postgres:${password}@db.${REF_A}.supabase.co:5432/postgres\npooled: postgresql://postgres.${REF_A}:${password}@aws-0-eu-west-1.pooler.supabase.com:6543/postgres\n`,
    });
    expect(findings(root, 'secret-in-plaintext').map((f) => [f.file, f.line, f.related?.length ?? 0])).toEqual([
      ['CLAUDE.md', 1, 1],
      ['docs/CONFIG.md', 1, 0],
    ]);
  });
});
