import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';
import { REF_A, REF_B } from '../supabase/keys.js';

/** A Vite frontend at the root and a Worker in api/, each naming a Supabase project for production. */
const repo = (frontendRef: string, workerUrl: string) => ({
  'package.json': '{ "name": "web", "devDependencies": { "vite": "^7.0.0" } }',
  '.env.production': `VITE_SUPABASE_URL=https://${frontendRef}.supabase.co\n`,
  'api/wrangler.toml': `name = "api"\nmain = "src/index.ts"\n\n[env.production.vars]\nSUPABASE_URL = "${workerUrl}"\n`,
  'api/src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n',
});

describe('supabase-ref-mismatch', () => {
  ruleCases('supabase-ref-mismatch', [
    { name: 'fires: the frontend and its Worker talk to different projects', files: repo(REF_A, `https://${REF_B}.supabase.co`), expected: ['error api/wrangler.toml:5 [production] SUPABASE_URL'] },
    { name: 'fires: one side on the local stack, the other on a hosted project', files: repo(REF_A, 'http://127.0.0.1:54321'), expected: ['error api/wrangler.toml:5 [production] SUPABASE_URL'] },
    { name: 'must not fire: both on the same project', files: repo(REF_A, `https://${REF_A}.supabase.co`), expected: [] },
    { name: 'must not fire: a custom domain may be either project (never a guess)', files: repo(REF_A, 'https://db.example.com'), expected: [] },
  ]);
});
