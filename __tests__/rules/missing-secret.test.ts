import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

const worker = (extra: Record<string, string> = {}) => ({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n',
  'src/index.ts': 'export default {\n  fetch(request: Request, env: Env) {\n    return new Response(env.API_TOKEN);\n  },\n};\n',
  ...extra,
});

describe('missing-secret', () => {
  ruleCases('missing-secret', [
    { name: 'fires: code reads a name that is no var, binding or declared secret', files: worker(), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'must not fire: .dev.vars declares it as a secret', files: worker({ '.dev.vars': 'API_TOKEN=local-only\n' }), expected: [] },
    { name: 'must not fire: secrets.required lists it', files: worker({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[secrets]\nrequired = ["API_TOKEN"]\n' }), expected: [] },
    { name: 'must not fire: it is a var', files: worker({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[vars]\nAPI_TOKEN = "public"\n' }), expected: [] },
  ]);
});
