import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';
import { makeLegacyKey, REF_A, TEST_JWT_SECRET } from '../supabase/keys.js';

const signedHere = await makeLegacyKey({ ref: REF_A, role: 'service_role' });
const signedElsewhere = await makeLegacyKey({ ref: REF_A, role: 'service_role', secret: 'another-projects-jwt-secret-0123456789abcdef' });
const worker = (key: string) => ({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n',
  'src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.SUPABASE_URL + env.SUPABASE_SERVICE_ROLE_KEY + env.SUPABASE_JWT_SECRET); } };\n',
  '.dev.vars': `SUPABASE_URL=https://${REF_A}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY=${key}\nSUPABASE_JWT_SECRET=${TEST_JWT_SECRET}\n`,
});

describe('supabase-jwt-secret-mismatch', () => {
  ruleCases('supabase-jwt-secret-mismatch', [
    { name: 'fires: the key was signed with another JWT secret', files: worker(signedElsewhere), expected: ['error .dev.vars:2 [local] SUPABASE_SERVICE_ROLE_KEY'] },
    { name: 'must not fire: the key verifies with the JWT secret beside it', files: worker(signedHere), expected: [] },
  ]);
});
