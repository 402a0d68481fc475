import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

const code = { 'src/index.ts': 'export default {\n  async fetch(request: Request, env: Env) {\n    return new Response(await env.SESSIONS.get("k") + env.LEVEL);\n  },\n};\n' };

describe('missing-binding', () => {
  ruleCases('missing-binding', [
    {
      name: 'fires at [env.production]: it lacks a binding the top level declares and the code reads',
      files: { ...code, 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "SESSIONS", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[vars]\nLEVEL = "info"\n\n[env.production]\n[env.production.vars]\nLEVEL = "warn"\n' },
      expected: ['error wrangler.toml:7 [production] SESSIONS'],
    },
    {
      name: 'a warning for a var: it may arrive as a secret',
      files: { ...code, 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "SESSIONS", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[vars]\nLEVEL = "info"\n\n[env.production]\nkv_namespaces = [{ binding = "SESSIONS", id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }]\n' },
      expected: ['warning wrangler.toml:7 [production] LEVEL'],
    },
    {
      name: 'must not fire: every environment declares what the code reads',
      files: { ...code, 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "SESSIONS", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[vars]\nLEVEL = "info"\n\n[env.production]\nkv_namespaces = [{ binding = "SESSIONS", id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }]\n[env.production.vars]\nLEVEL = "warn"\n' },
      expected: [],
    },
    {
      name: 'must not fire: the Durable Object class of a Python Worker, whose exports deploy-guard cannot read',
      files: { 'wrangler.toml': 'name = "py"\nmain = "src/entry.py"\ncompatibility_flags = ["python_workers"]\n[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n', 'src/entry.py': 'from workers import DurableObject\nclass Counter(DurableObject):\n    pass\n' },
      expected: [],
    },
    {
      name: 'must not fire: the Durable Object class of an entry with a syntax error',
      files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n', 'src/index.ts': 'export class Counter {}\nexport default { fetch() { return new Response("ok")); } };\n' },
      expected: [],
    },
    {
      name: "must not fire: the Durable Object class main re-exports from a package (export * from 'do-lib'), whose exports deploy-guard does not read",
      files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[[durable_objects.bindings]]\nname = "ROOM"\nclass_name = "Room"\n', 'src/index.ts': 'export * from "do-lib";\nexport default { fetch(r: Request, env: Env) { return new Response(String(env.ROOM)); } };\n', 'node_modules/do-lib/package.json': '{"name":"do-lib","main":"index.js"}\n', 'node_modules/do-lib/index.js': 'export class Room {}\n' },
      expected: [],
    },
    {
      name: 'fires: the Durable Object class main does not export',
      files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "Counter"\n', 'src/index.ts': 'export class Other {}\nexport default { fetch(r: Request, env: Env) { return new Response(String(env.COUNTER)); } };\n' },
      expected: ['error wrangler.toml:4 [top-level] COUNTER'],
    },
    {
      name: 'must not fire: an on/off flag only staging sets, compared with "true" (seen in a real Worker)',
      files: flagged('env.EMAIL_DRY_RUN === "true" ? "dry" : "send"', 'EMAIL_DRY_RUN', 'true'),
      expected: [],
    },
    {
      name: 'must not fire: a var compared with a development stage\'s name, which unset simply is not (seen in a real Worker)',
      files: flagged('env.ENVIRONMENT === "development" ? "verbose" : "quiet"', 'ENVIRONMENT', 'development'),
      expected: [],
    },
    {
      name: 'fires: a var compared with a value that is no flag, as a Worker missing STAGE thinks it is not in production',
      files: flagged('env.STAGE === "production" ? "live" : "test"', 'STAGE', 'staging'),
      expected: ['warning wrangler.toml:6 [production] STAGE'],
    },
  ]);
});

/** A Worker whose response is `expression`, with the var `name` set in [env.staging] only. */
function flagged(expression: string, name: string, value: string): Record<string, string> {
  return {
    'src/index.ts': `export default { async fetch(request: Request, env: Env) { return new Response(${expression}); } };\n`,
    'wrangler.toml': `name = "api"\nmain = "src/index.ts"\n[env.staging]\nvars = { ${name} = "${value}" }\n\n[env.production]\nroutes = ["api.example.com/*"]\n`,
  };
}
