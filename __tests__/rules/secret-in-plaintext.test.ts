import { describe } from '@jest/globals';
import { ruleCases, workerRepo } from '../helpers/rule-cases.js';

const worker = (vars: string) => workerRepo(`\n[vars]\n${vars}`, 'JSON.stringify(env)');

describe('secret-in-plaintext', () => {
  ruleCases('secret-in-plaintext', [
    { name: 'fires: an sb_secret_ key in wrangler [vars]', files: worker('SUPABASE_SECRET_KEY = "sb_secret_abcdefghijklmnopqrstuvwxyz012345"\n'), expected: ['error wrangler.toml:5 [top-level] SUPABASE_SECRET_KEY'] },
    {
      name: 'a note outside git: a secret in .dev.vars, and whether git tracks it is unknown',
      files: { ...worker('LOG_LEVEL = "debug"\n'), '.dev.vars': 'SUPABASE_SECRET_KEY=sb_secret_abcdefghijklmnopqrstuvwxyz012345\n' },
      expected: ['note .dev.vars:1'],
    },
    { name: 'must not fire: a placeholder', files: worker('SUPABASE_SECRET_KEY = "your-secret-key"\n'), expected: [] },
    {
      name: 'must not fire: a vendor prefix followed by a stand-in (the prefix is not the secret)',
      files: worker('SUPABASE_SECRET_KEY = "sb_secret_xxxxxxxxxxxxxxxxxxxx"\nSB_SERVICE_KEY = "sb_secret_your-service-key"\n'),
      expected: [],
    },
    { name: 'fires: a JWT secret in [vars], even one written as words', files: worker('JWT_SECRET = "correct-horse-battery-staple-signing-secret-2024"\n'), expected: ['error wrangler.toml:5 [top-level] JWT_SECRET'] },
    { name: 'fires: a JWT secret of words that hold placeholder words inside them (sphere, latest)', files: worker('JWT_SECRET = "orbit-sphere-latest-cobalt-anchor-violet"\n'), expected: ['error wrangler.toml:5 [top-level] JWT_SECRET'] },
    { name: 'must not fire: a JWT secret placeholder whose words start with placeholder words (development, testing)', files: worker('JWT_SECRET = "development-jwt-secret-for-testing-purposes-only"\n'), expected: [] },
    {
      name: "must not fire: an unsafe binding's text that is a placeholder, or a plain value under a secret-sounding name (second review)",
      files: workerRepo('\n[[unsafe.bindings]]\nname = "API_KEY"\ntype = "secret_text"\ntext = "your-api-key-here"\n\n[[unsafe.bindings]]\nname = "SESSION_SECRET"\ntype = "plain_text"\ntext = "production"\n', 'env.API_KEY + env.SESSION_SECRET'),
      expected: [],
    },
    { name: 'fires: a random JWT secret that holds a placeholder word by chance', files: worker('JWT_SECRET = "q8Rz3dEvKp0TestW4nYx7LmB2cHs9Jf6A"\n'), expected: ['error wrangler.toml:5 [top-level] JWT_SECRET'] },
    { name: 'must not fire: a JWT secret placeholder written as words (seen in a real .env.production)', files: worker('JWT_SECRET = "your-super-secure-jwt-secret-for-production-change-this"\n'), expected: [] },
    { name: 'must not fire: a public setting', files: worker('LOG_LEVEL = "debug"\n'), expected: [] },
    {
      name: "fires: Hyperdrive's localConnectionString with the real database's password (seen in a public repository)",
      files: workerRepo('\n[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "524a9438f01e47e88558cb5a181d0b14"\nlocalConnectionString = "postgresql://postgres:Sup3r-real-passw0rd@db.abcdefghijklmnopqrst.supabase.co:5432/postgres"\n', 'env.HYPERDRIVE.connectionString'),
      expected: ['error wrangler.toml:7 [top-level] HYPERDRIVE.localConnectionString'],
    },
    {
      name: 'must not fire: localConnectionString to a docker-compose service (one-label host)',
      files: workerRepo('\n[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "524a9438f01e47e88558cb5a181d0b14"\nlocalConnectionString = "postgres://app:Xk9mQ2vLp7Rz@postgres:5432/app"\n', 'env.HYPERDRIVE.connectionString'),
      expected: [],
    },
    {
      name: "must not fire: localConnectionString to a database on the developer's machine",
      files: workerRepo('\n[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "524a9438f01e47e88558cb5a181d0b14"\nlocalConnectionString = "postgresql://postgres:postgres@127.0.0.1:54322/postgres"\n', 'env.HYPERDRIVE.connectionString'),
      expected: [],
    },
  ]);
});
