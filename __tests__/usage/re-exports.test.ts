/**
 * env handed to a function that a module re-exports is followed through every re-export form, so
 * the Worker stays judged: a planted unused namespace is still dead, the handler's reads count.
 */
import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

/** SESSIONS is read by the handler in src/h.ts; PLANTED by nothing. */
const config = 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [\n  { binding = "SESSIONS", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },\n  { binding = "PLANTED", id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },\n]\n';
const handler = 'export function h(request, bindings) {\n  return bindings.SESSIONS.get("k");\n}\nexport default h;\n';

/** main calls `call` on what it imports with `importLine`; src/routes.ts is `routes`. */
function repo(importLine: string, call: string, routes: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    'wrangler.toml': config,
    'src/h.ts': handler,
    'src/index.ts': `${importLine}\nexport default { async fetch(request: Request, env: Env) { return new Response(await ${call}(request, env)); } };\n`,
    'src/routes.ts': routes,
    ...more,
  };
}

const plantedIsDead = ['error wrangler.toml:5 [top-level] PLANTED'];

describe('re-exports are followed: dead-binding', () => {
  ruleCases('dead-binding', [
    { name: 'import { h }; export { h as handleAdmin }', files: repo('import { handleAdmin } from "./routes";', 'handleAdmin', 'import { h } from "./h";\nexport { h as handleAdmin };\n'), expected: plantedIsDead },
    { name: 'export { default as handleAdmin } from', files: repo('import { handleAdmin } from "./routes";', 'handleAdmin', 'export { default as handleAdmin } from "./h";\n'), expected: plantedIsDead },
    { name: 'export * from', files: repo('import { h } from "./routes";', 'h', 'export * from "./h";\n'), expected: plantedIsDead },
    { name: 'export * as ns from, called as ns.h', files: repo('import { admin } from "./routes";', 'admin.h', 'export * as admin from "./h";\n'), expected: plantedIsDead },
    { name: 'import * as ns; export { ns }, called as ns.h', files: repo('import { admin } from "./routes";', 'admin.h', 'import * as admin from "./h";\nexport { admin };\n'), expected: plantedIsDead },
    { name: 'import h; export default h', files: repo('import handle from "./routes";', 'handle', 'import h from "./h";\nexport default h;\n'), expected: plantedIsDead },
    {
      name: 'a chain: a re-export of a re-export of an import',
      files: repo('import { handleAdmin } from "./routes";', 'handleAdmin', 'export { handleAdmin } from "./admin/index";\n', { 'src/admin/index.ts': 'import { h } from "../h";\nexport { h as handleAdmin };\n' }),
      expected: plantedIsDead,
    },
    { name: 'const handle = imported; handle(request, env)', files: repo('import { h } from "./h";\nconst handle = h;', 'handle', 'export {};\n'), expected: plantedIsDead },
    {
      name: 'a note, not an error: a call that truly cannot be followed (a computed callee)',
      files: repo('import { h } from "./h";\nconst table: Record<string, typeof h> = { h };', 'table[request.method]', 'export {};\n'),
      expected: ['note wrangler.toml:1 [top-level]'],
    },
  ]);
});

describe('what cannot be followed leaves the rest judged: missing-binding', () => {
  ruleCases('missing-binding', [
    {
      name: 'fires: a binding production lacks, though env also escapes into a computed callee',
      files: {
        'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n\n[env.production]\nroutes = ["api.example.com/*"]\n',
        'src/index.ts': 'const table: Record<string, (r: Request, e: Env) => Response> = {};\nexport default { async fetch(request: Request, env: Env) { table[request.method](request, env); return new Response(await env.CACHE.get("k")); } };\n',
      },
      expected: ['error wrangler.toml:5 [production] CACHE'],
    },
  ]);
});
