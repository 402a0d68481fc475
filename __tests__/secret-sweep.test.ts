/**
 * The sweep: plant every kind of secret in a repository and in the deploy environment, then read
 * every output channel (CLI text, JSON, markdown; the action's log with annotations, job summary
 * and outputs). No secret may appear whole, nor its JWT signature segment, nor a password.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { PROJECT_ROOT } from './helpers/paths.js';
import { tempDir, writeTree } from './helpers/tree.js';
import { makeLegacyKey, REF_A, REF_B } from './supabase/keys.js';

const serviceA = await makeLegacyKey({ ref: REF_A, role: 'service_role' });
const serviceB = await makeLegacyKey({ ref: REF_B, role: 'service_role' });
const sbSecret = 'sb_secret_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0L';
const dbPassword = 'c0rrect-h0rse-battery-staple';
const jwtSecret = 'this-is-the-projects-jwt-secret-value-0123456789';
const hyperdrivePassword = 'Hyp3rdr1ve-real-db-passw0rd';
const unsafeText = 'sk_live_51HunsafeSecretTextValue0123456789';
// Credentials committed outside configuration: a heredoc, a checklist, a CI file.
const scriptKey = await makeLegacyKey({ ref: REF_B, role: 'supabase_admin' });
const cloudflareToken = 'Xq7Lm2Np9Rt4Vw8Yz3Bc6Df1Gh5Jk0Ls2Mn4Pq7R';
const r2Secret = 'a3f9c2e8b7d14f6a9e0c5b2d8f7a1e4c3b6d9f0a2e5c8b1d4f7a0e3c6b9d2f5a';
const ciPassword = 'Ci-r3al-pa55word-for-migrations';
const deployed = { SUPABASE_URL: `https://${REF_B}.supabase.co`, SUPABASE_SERVICE_ROLE_KEY: serviceB, STRIPE_API_KEY: 'sk_live_deployOnlySecretValue42' };

/** Every string that must never be printed, and the parts of them that must not be either. */
const forbidden = [
  serviceA, serviceA.split('.')[2]!, serviceB, serviceB.split('.')[2]!, sbSecret, dbPassword, jwtSecret, hyperdrivePassword, unsafeText,
  deployed.SUPABASE_URL, deployed.STRIPE_API_KEY,
  scriptKey, scriptKey.split('.')[2]!, cloudflareToken, r2Secret, ciPassword,
];

function plantedRepo(): string {
  const root = writeTree({
    'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } }),
    '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\nVITE_SUPABASE_SERVICE_ROLE_KEY=${serviceA}\nVITE_STRIPE_KEY=${sbSecret}\n`,
    'api/wrangler.toml': [
      'name = "api"', 'main = "src/index.ts"', '', '[vars]',
      `DATABASE_URL = "postgresql://postgres.${REF_A}:${dbPassword}@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"`, '',
      // [env.production] lacks it: the missing-binding fix it suggests once copied this password (seen in a public repository).
      '[[hyperdrive]]', 'binding = "HYPERDRIVE"', 'id = "524a9438f01e47e88558cb5a181d0b14"',
      `localConnectionString = "postgresql://postgres:${hyperdrivePassword}@db.${REF_A}.supabase.co:5432/postgres"`,
      // An unsafe secret_text binding's text, which the same snippet copied (a review found it).
      '[[unsafe.bindings]]', 'name = "UPSTREAM_KEY"', 'type = "secret_text"', `text = "${unsafeText}"`,
      '', '[env.production]', 'secrets = { required = ["SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "STRIPE_API_KEY"] }', '',
    ].join('\n'),
    'api/.dev.vars': `SUPABASE_URL=https://${REF_A}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${serviceA}\nSUPABASE_JWT_SECRET=${jwtSecret}\n`,
    'scripts/bootstrap.sh': `cat > api/.dev.vars <<EOF\nSUPABASE_SERVICE_ROLE_KEY=${scriptKey}\nEOF\nexport CLOUDFLARE_API_TOKEN=${cloudflareToken}\n`,
    'docs/DEPLOY.md': `- [ ] R2: \`R2_SECRET_ACCESS_KEY=${r2Secret}\`\n- [ ] the admin key ${scriptKey}\n`,
    '.github/workflows/migrate.yml': `on: push\njobs:\n  m:\n    runs-on: ubuntu-latest\n    steps:\n      - run: psql "postgresql://postgres.${REF_A}:${ciPassword}@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"\n`,
    'api/src/index.ts': 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL + env.SUPABASE_SERVICE_ROLE_KEY + env.STRIPE_API_KEY + env.DATABASE_URL + env.HYPERDRIVE.connectionString + env.UPSTREAM_KEY); } };\n',
  });
  spawnSync('git', ['init', '-q'], { cwd: root });
  spawnSync('git', ['add', '-A'], { cwd: root });
  return root;
}

function expectNoSecret(channel: string, text: string): void {
  for (const secret of forbidden) {
    if (text.includes(secret)) throw new Error(`${channel} contains a planted secret (${secret.slice(0, 6)}…)`);
  }
}

describe('no secret in any output channel', () => {
  const root = plantedRepo();

  it('the repository really holds the planted faults (so the sweep means something)', () => {
    let stdout = '';
    main(['check', root, '--env', 'production', '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => {}, env: deployed, cwd: PROJECT_ROOT, isTty: false });
    const rules = new Set((JSON.parse(stdout).findings as { rule: string }[]).map((f) => f.rule));
    for (const rule of ['service-role-exposed', 'secret-in-plaintext', 'supabase-ref-mismatch', 'missing-binding']) expect(rules).toContain(rule);
    const committedIn = (JSON.parse(stdout).findings as { rule: string; file: string }[]).filter((f) => f.rule === 'secret-in-plaintext').map((f) => f.file);
    for (const file of ['scripts/bootstrap.sh', '.github/workflows/migrate.yml']) expect(committedIn).toContain(file);
  });

  it.each(['text', 'json', 'markdown'])('CLI --format %s, with and without --env', (format) => {
    for (const args of [['check', root, '--format', format], ['check', root, '--env', 'production', '--format', format]]) {
      let out = '';
      main(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), env: deployed, cwd: PROJECT_ROOT, isTty: true });
      expect(out.length).toBeGreaterThan(100);
      expectNoSecret(`CLI ${args.join(' ')}`, out);
    }
  });

  it('the action: log and annotations, job summary, outputs; every secret masked first', () => {
    const temp = tempDir('dg-sweep-');
    const summary = path.join(temp, 'summary.md');
    const output = path.join(temp, 'output.txt');
    fs.writeFileSync(summary, '');
    fs.writeFileSync(output, '');
    const child = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'index.js')], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: root, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, INPUT_ENVIRONMENT: 'production', ...deployed },
    });
    expect(child.status).toBe(1);
    const masked = new Set([...child.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]));
    for (const secret of [serviceA, serviceB, sbSecret, deployed.SUPABASE_URL, deployed.STRIPE_API_KEY]) expect(masked).toContain(secret);
    const log = child.stdout.replace(/^::add-mask::.*$/gm, '');
    expectNoSecret('action log', log + child.stderr);
    expectNoSecret('job summary', fs.readFileSync(summary, 'utf8'));
    expectNoSecret('outputs', fs.readFileSync(output, 'utf8'));
    expect(log).toMatch(/::error title=deploy-guard%3A service-role-exposed/);
  });
});

describe('redaction hides secrets, not the report', () => {
  it('a plain word under a secret name (a self-hosting example named after its product) is not redacted from names', () => {
    const root = writeTree({
      'wrangler.toml': 'name = "hyperion-worker"\nmain = "src/index.ts"\n\n[vars]\nDB_PASSWORD = "hyperion"\nUNUSED_SETTING = "on"\n',
      'src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.DB_PASSWORD); } };\n',
    });
    let stdout = '';
    main(['check', root, '--format', 'json', '--fail-on', 'never'], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {}, cwd: root, isTty: false });
    expect(stdout).toContain('worker hyperion-worker');
    expect(stdout).not.toContain('[redacted]');
  });
});
