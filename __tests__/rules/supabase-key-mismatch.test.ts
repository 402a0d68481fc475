import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';
import { makeLegacyKey, REF_A, REF_B } from '../supabase/keys.js';

const anonA = await makeLegacyKey({ ref: REF_A, role: 'anon' });
const anonB = await makeLegacyKey({ ref: REF_B, role: 'anon' });
const frontend = (key: string) => ({
  'package.json': '{ "name": "web", "devDependencies": { "vite": "^7.0.0" } }',
  '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n# copied from the wrong dashboard\nVITE_SUPABASE_ANON_KEY=${key}\n`,
});

describe('supabase-key-mismatch', () => {
  ruleCases('supabase-key-mismatch', [
    { name: "fires: the anon key is another project's", files: frontend(anonB), expected: ['error .env.production:3 [production] VITE_SUPABASE_ANON_KEY'] },
    { name: 'must not fire: key and URL name the same project', files: frontend(anonA), expected: [] },
  ]);
});
