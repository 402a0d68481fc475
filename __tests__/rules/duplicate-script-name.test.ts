import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

const code = 'export default { fetch: () => new Response("ok") };\n';

describe('duplicate-script-name', () => {
  ruleCases('duplicate-script-name', [
    {
      name: 'fires: two configs deploy a Worker named api',
      files: { 'api/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'api/src/index.ts': code, 'legacy/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'legacy/src/index.ts': code },
      expected: ['warning legacy/wrangler.toml:1 [top-level] api'],
    },
    {
      name: 'must not fire: [env.production] gets its own name (api-production)',
      files: { 'api/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[env.production]\n', 'api/src/index.ts': code, 'web/wrangler.toml': 'name = "web"\nmain = "src/index.ts"\n', 'web/src/index.ts': code },
      expected: [],
    },
  ]);
});
