import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';
import { makeLegacyKey, REF_A } from '../supabase/keys.js';

const service = await makeLegacyKey({ ref: REF_A, role: 'service_role' });
const anon = await makeLegacyKey({ ref: REF_A, role: 'anon' });
const web = (env: string) => ({ 'package.json': '{ "name": "web", "devDependencies": { "vite": "^7.0.0" } }', '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n${env}` });

describe('service-role-exposed', () => {
  ruleCases('service-role-exposed', [
    { name: 'fires: a service_role key in a VITE_ variable, shipped to every visitor', files: web(`VITE_SUPABASE_SERVICE_KEY=${service}\n`), expected: ['error .env.production:2 [production] VITE_SUPABASE_SERVICE_KEY'] },
    { name: 'fires: an sb_secret_ key in a browser-exposed variable', files: web('VITE_SUPABASE_KEY=sb_secret_abcdefghijklmnopqrstuvwxyz012345\n'), expected: ['error .env.production:2 [production] VITE_SUPABASE_KEY'] },
    { name: 'must not fire: the anon key is public by design', files: web(`VITE_SUPABASE_ANON_KEY=${anon}\n`), expected: [] },
    { name: 'must not fire: a service key in a Worker secret file (never bundled for the browser)', files: { 'wrangler.toml': 'name = "api"\n', '.dev.vars': `SUPABASE_SERVICE_ROLE_KEY=${service}\n` }, expected: [] },
  ]);
});
