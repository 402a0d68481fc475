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
    { name: 'must not fire: a public setting', files: worker('LOG_LEVEL = "debug"\n'), expected: [] },
  ]);
});
