import { describe, expect, it } from '@jest/globals';
import { readJsonc } from '../../src/read/jsonc.js';
import { readToml } from '../../src/read/toml.js';
import { resolveWorkerConfig } from '../../src/wrangler/environments.js';

function resolve(text: string, file = 'api/wrangler.toml') {
  const read = file.endsWith('.toml') ? readToml(text, file) : readJsonc(text, file, 'jsonc');
  if (!read.ok) throw new Error(read.error.message);
  return resolveWorkerConfig(read.doc, { configFile: file });
}

describe('resolveWorkerConfig', () => {
  const config = `name = "api"
main = "./src/index.ts"
compatibility_flags = ["nodejs_compat"]
kv_namespaces = [{ binding = "CACHE", id = "a" }]

[vars]
LEVEL = "info"

[env.staging]
main = "src/staging.ts"

[env.production]
name = "api-live"
[[env.production.d1_databases]]
binding = "DB"
database_id = "x"
`;

  it('inherits name, main and flags, but neither vars nor bindings', () => {
    const { environments, problems } = resolve(config);
    expect(problems).toEqual([]);
    const [top, production, staging] = environments;
    expect(top).toMatchObject({ name: null, scriptName: 'api', main: 'api/src/index.ts', compatibilityFlags: ['nodejs_compat'] });
    expect(top!.bindings.map((b) => b.name)).toEqual(['CACHE']);
    expect(Object.keys(top!.vars)).toEqual(['LEVEL']);
    expect(staging).toMatchObject({ name: 'staging', scriptName: 'api-staging', main: 'api/src/staging.ts', bindings: [], vars: {} });
    expect(production).toMatchObject({ name: 'production', scriptName: 'api-live', main: 'api/src/index.ts', compatibilityFlags: ['nodejs_compat'] });
    expect(production!.bindings.map((b) => [b.name, b.kind, b.at.line])).toEqual([['DB', 'd1_database', 15]]);
  });

  it('points every binding, var and secret at its own line', () => {
    const { environments } = resolve(config);
    expect(environments[0]!.bindings[0]!.at).toEqual({ file: 'api/wrangler.toml', line: 4, column: 20 });
    expect(environments[0]!.vars.LEVEL!.at.line).toBe(7);
    expect(environments[1]!.at.line).toBe(12);
  });

  it('reads names from `name` where wrangler does (durable objects, send_email, ratelimits, unsafe)', () => {
    const { environments } = resolve(`{
      "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "Room" }] },
      "send_email": [{ "name": "MAIL" }],
      "ratelimits": [{ "name": "LIMIT", "namespace_id": "1" }],
      "unsafe": { "bindings": [{ "name": "RAW", "type": "x" }] },
      "queues": { "producers": [{ "binding": "Q", "queue": "q" }], "consumers": [{ "queue": "q" }] },
      "tail_consumers": [{ "service": "t" }],
      "define": { "DEBUG": "false" },
      "wasm_modules": { "WASM": "a.wasm" },
    }`, 'wrangler.jsonc');
    expect(environments[0]!.bindings.map((b) => `${b.name}:${b.kind}`)).toEqual(['LIMIT:ratelimit', 'MAIL:send_email', 'Q:queue', 'RAW:unsafe', 'ROOMS:durable_object', 'WASM:wasm_module']);
  });

  it('keeps secrets.required per environment, not inherited', () => {
    const { environments } = resolve('name = "a"\nsecrets = { required = ["TOP"] }\n[env.x]\nsecrets = { required = ["A", "B"] }\n');
    expect(environments.map((e) => e.secrets.map((s) => s.name))).toEqual([['TOP'], ['A', 'B']]);
    expect(environments[1]!.secrets[1]!.at?.line).toBe(4);
  });

  it.each([
    ['name = 5\n', /name must be a string, not the number 5/, 1],
    ['kv_namespaces = "x"\n', /kv_namespaces must be an array of tables/, 1],
    ['env = 3\n', /env must be a table of \[env.NAME\] sections/, 1],
    ['[env]\nstaging = 1\n', /env.staging must be a table/, 2],
    ['[[kv_namespaces]]\nid = "x"\n', /kv_namespaces\[0\] has no "binding"/, 1],
    ['vars = ["A"]\n', /vars must be a table of NAME = value/, 1],
    ['secrets = { required = "A" }\n', /secrets.required must be an array of strings/, 1],
  ])('reports %j as a problem with its line, without throwing', (text, message, line) => {
    const { problems } = resolve(text);
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(message), line })]);
  });
});
