import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';
import { makeLegacyKey, REF_A } from '../supabase/keys.js';

// The checks run with "now" = 2026-11-24 (helpers/rule-cases.ts).
const expired = await makeLegacyKey({ ref: REF_A, role: 'anon', exp: new Date('2026-01-01T00:00:00Z') });
const soon = await makeLegacyKey({ ref: REF_A, role: 'anon', exp: new Date('2026-12-10T00:00:00Z') });
const valid = await makeLegacyKey({ ref: REF_A, role: 'anon' });
const web = (key: string) => ({ 'package.json': '{ "name": "web", "devDependencies": { "vite": "^7.0.0" } }', '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\nVITE_SUPABASE_ANON_KEY=${key}\n` });

describe('key-expired', () => {
  ruleCases('key-expired', [
    { name: 'fires: the key expired in January', files: web(expired), expected: ['warning .env.production:2 [production] VITE_SUPABASE_ANON_KEY'] },
    { name: 'a note: it expires within 30 days', files: web(soon), expected: ['note .env.production:2 [production] VITE_SUPABASE_ANON_KEY'] },
    { name: 'must not fire: valid for years', files: web(valid), expected: [] },
  ]);
});
