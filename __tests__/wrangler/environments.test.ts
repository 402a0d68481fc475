import { describe, expect, it } from '@jest/globals';
import { readJsonc } from '../../src/read/jsonc.js';
import { readToml } from '../../src/read/toml.js';
import type { SourceDocument } from '../../src/read/document.js';
import { BINDING_SOURCES, INHERITABLE_KEYS, NOT_INHERITABLE_KEYS } from '../../src/wrangler/bindings.js';
import { resolveWorkerConfig, scriptNameFor } from '../../src/wrangler/environments.js';

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

/** A SourceDocument built from plain data: `locate` answers from a table of key paths, and records what was asked. */
function fakeDoc(data: unknown, lines: Record<string, number> = {}, file = 'svc/wrangler.json') {
  const asked: string[] = [];
  const doc: SourceDocument = {
    file,
    format: 'json',
    data,
    locate(keyPath) {
      const key = keyPath.join('/');
      asked.push(key);
      return { line: lines[key] ?? 1, column: 3 };
    },
    locateValue: () => undefined,
  };
  return { doc, asked };
}

describe('resolveWorkerConfig on a plain SourceDocument', () => {
  it('locates an env binding by env/NAME/key/index/binding', () => {
    const { doc, asked } = fakeDoc(
      { name: 'svc', env: { staging: { kv_namespaces: [{ binding: 'A', id: '1' }, { binding: 'B', id: '2' }] } } },
      { 'env/staging/kv_namespaces/1/binding': 42, 'env/staging': 40 },
    );
    const { environments } = resolveWorkerConfig(doc, { configFile: 'svc/wrangler.json' });
    const staging = environments[1]!;
    expect(staging.bindings.map((b) => [b.name, b.at])).toEqual([
      ['A', { file: 'svc/wrangler.json', line: 1, column: 3 }],
      ['B', { file: 'svc/wrangler.json', line: 42, column: 3 }],
    ]);
    expect(staging.at.line).toBe(40);
    expect(asked).toContain('env/staging/kv_namespaces/0/binding');
    expect(staging.bindings[1]!.details).toEqual({ id: '2' });
  });

  it('inherits assets (with or without a binding) and logfwdr; an env that sets assets keeps only its own', () => {
    const { doc } = fakeDoc({
      name: 'site',
      assets: { directory: './public', binding: 'ASSETS' },
      logfwdr: { bindings: [{ name: 'LOGS', destination: 'x' }] },
      env: { a: {}, b: { assets: { directory: './dist' } } },
    });
    const { environments, problems } = resolveWorkerConfig(doc, { configFile: 'wrangler.json' });
    expect(problems).toEqual([]);
    expect(environments.map((e) => e.bindings.map((b) => `${b.name}:${b.kind}`))).toEqual([
      ['ASSETS:assets', 'LOGS:logfwdr'], ['ASSETS:assets', 'LOGS:logfwdr'], ['LOGS:logfwdr'],
    ]);
  });

  it('takes wasm_modules, text_blobs and data_blobs from the top level for every environment, and warns under [env]', () => {
    const { doc } = fakeDoc({ name: 'sw', wasm_modules: { WASM: 'a.wasm' }, env: { x: { text_blobs: { TEXT: 'a.txt' } } } }, { 'env/x/text_blobs': 7 });
    const { environments, problems } = resolveWorkerConfig(doc, { configFile: 'wrangler.json' });
    expect(environments.map((e) => e.bindings.map((b) => b.name))).toEqual([['WASM'], ['WASM']]);
    expect(problems).toEqual([{ message: expect.stringMatching(/wrangler ignores env.x.text_blobs/), line: 7, column: 3, severity: 'warning' }]);
  });

  it('reports a name used twice in one environment (wrangler refuses it), not across environments', () => {
    const { doc } = fakeDoc({
      name: 'dup',
      vars: { CACHE: 'x' },
      kv_namespaces: [{ binding: 'CACHE', id: '1' }],
      env: { ok: { kv_namespaces: [{ binding: 'CACHE', id: '2' }], secrets: { required: ['TOKEN'] }, vars: { TOKEN: 'y' } } },
    }, { 'vars/CACHE': 2, 'kv_namespaces/0/binding': 3, 'env/ok/vars/TOKEN': 9, 'env/ok/secrets/required/0': 8 });
    const { problems } = resolveWorkerConfig(doc, { configFile: 'wrangler.json' });
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [3, expect.stringMatching(/^CACHE is declared more than once in the top level \(lines 2, 3\)/)],
      [9, expect.stringMatching(/^TOKEN is declared more than once in \[env.ok\] \(lines 8, 9\)/)],
    ]);
  });

  it('names scripts as wrangler deploys them', () => {
    const resolveNames = (data: unknown, configFile = 'api/wrangler.json') => resolveWorkerConfig(fakeDoc(data).doc, { configFile }).environments.map((e) => e.scriptName);
    expect(resolveNames({ name: 'api', env: { staging: {}, prod: { name: 'api-live' } } })).toEqual(['api', 'api-live', 'api-staging']);
    // No name: wrangler cannot deploy it; the folder labels it.
    expect(resolveNames({ env: { dev: {} } })).toEqual(['api', 'api-dev']);
    expect(resolveNames({}, 'wrangler.toml')).toEqual(['worker']);
    expect(scriptNameFor({ name: 'api', fallback: 'x', serviceEnvironments: true }, 'staging', undefined)).toBe('api');
  });

  it('reports legacy_env = false (service environments) and keeps the top-level script name', () => {
    const { doc } = fakeDoc({ name: 'api', legacy_env: false, env: { staging: {} } }, { legacy_env: 2 });
    const { environments, problems } = resolveWorkerConfig(doc, { configFile: 'wrangler.json' });
    expect(environments.map((e) => e.scriptName)).toEqual(['api', 'api']);
    expect(problems).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/legacy_env = false/) })]);
  });

  it('keeps each required secret at its own index when an item is skipped', () => {
    const { doc } = fakeDoc({ secrets: { required: [5, 'A', 'A'] } }, { 'secrets/required/1': 4, 'secrets/required/2': 5 });
    const { environments, problems } = resolveWorkerConfig(doc, { configFile: 'wrangler.json' });
    expect(environments[0]!.secrets.map((s) => [s.name, s.at?.line])).toEqual([['A', 4], ['A', 5]]);
    expect(problems.map((p) => p.message)).toEqual([
      'secrets.required[0] must be a string, not the number 5.',
      expect.stringMatching(/^A is declared more than once/),
    ]);
  });

  it('keeps vars that are JSON objects, numbers and booleans as JSON text, never secret here', () => {
    const { doc } = fakeDoc({ vars: { FLAGS: { beta: true }, MAX: 3, ON: false, S: 'text' } });
    const vars = resolveWorkerConfig(doc, { configFile: 'wrangler.json' }).environments[0]!.vars;
    expect(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, [v.value.reveal(), v.value.secret]]))).toEqual({
      FLAGS: ['{"beta":true}', false], MAX: ['3', false], ON: ['false', false], S: ['text', false],
    });
  });

  it('resolves main against the config folder, inherited or the env\'s own', () => {
    const { doc } = fakeDoc({ main: './src/index.ts', env: { a: {}, b: { main: '..\\shared\\b.ts' } } }, { main: 3, 'env/b/main': 9 });
    const envs = resolveWorkerConfig(doc, { configFile: 'apps/api/wrangler.json' }).environments;
    expect(envs.map((e) => [e.main, e.mainAt?.line])).toEqual([['apps/api/src/index.ts', 3], ['apps/api/src/index.ts', 3], ['apps/shared/b.ts', 9]]);
  });

  it('never throws on wrong types anywhere, and names the key in each problem', () => {
    const weird: unknown[] = [5, 'x', true, null, [], [1], {}, { binding: 5 }, [{ name: 3 }], { bindings: 'no' }, { producers: {} }];
    const keys = ['name', 'main', 'compatibility_flags', 'vars', 'secrets', 'env', 'legacy_env', 'route', 'routes', 'workers_dev', 'site', 'pages_build_output_dir', ...BINDING_SOURCES.map((s) => s.key)];
    for (const key of keys) {
      for (const value of weird) {
        for (const data of [{ [key]: value }, { env: { e: { [key]: value } } }]) {
          const { problems } = resolveWorkerConfig(fakeDoc(data).doc, { configFile: 'wrangler.json' });
          for (const p of problems) expect(p.message).toMatch(new RegExp(`${key}|legacy_env|declared more than once`));
        }
      }
    }
    expect(resolveWorkerConfig(fakeDoc([1, 2]).doc, { configFile: 'wrangler.json' }).problems[0]!.message).toMatch(/must be a table of settings/);
  });
});

describe('the binding table agrees with wrangler 4', () => {
  it('lists every key wrangler 4 does not let [env.NAME] inherit from the top level', () => {
    const design = ['vars', 'define', 'secrets', 'durable_objects', 'kv_namespaces', 'r2_buckets', 'd1_databases', 'queues', 'services', 'vectorize',
      'hyperdrive', 'analytics_engine_datasets', 'ai', 'ai_search', 'browser', 'images', 'media', 'stream', 'version_metadata', 'send_email',
      'dispatch_namespaces', 'mtls_certificates', 'pipelines', 'ratelimits', 'secrets_store_secrets', 'tail_consumers', 'streaming_tail_consumers',
      'workflows', 'worker_loaders', 'vpc_services', 'vpc_networks', 'containers', 'cloudchamber', 'unsafe', 'connect', 'agent_memory', 'websearch',
      'artifacts', 'flagship'];
    expect(design.filter((k) => !(NOT_INHERITABLE_KEYS as readonly string[]).includes(k))).toEqual([]);
    expect((INHERITABLE_KEYS as readonly string[]).filter((k) => (NOT_INHERITABLE_KEYS as readonly string[]).includes(k))).toEqual([]);
  });

  it('gives [env.e] a top-level binding as wrangler 4 does: never, unless the key is inheritable or top-level only', () => {
    // What a user sees is the inventory of [env.e]; the expectation comes from wrangler's key lists above.
    const expected = (key: string) => ((NOT_INHERITABLE_KEYS as readonly string[]).includes(key) ? 'absent' : 'present');
    for (const source of BINDING_SOURCES) {
      const entry = { [source.nameField]: 'THING', id: 'x', class_name: 'C', database_id: 'x', bucket_name: 'b', queue: 'q', service: 's' };
      const value = source.shape === 'map' ? { THING: 'thing.bin' } : source.shape === 'object' ? entry : source.list ? { [source.list]: [entry] } : [entry];
      const { environments } = resolve(JSON.stringify({ name: 'api', main: 'src/index.ts', [source.key]: value, env: { e: {} } }), 'api/wrangler.json');
      const top = environments.find((e) => e.name === null)!;
      const e = environments.find((x) => x.name === 'e')!;
      expect({ key: source.key, top: top.bindings.some((b) => b.name === 'THING') }).toEqual({ key: source.key, top: true });
      expect({ key: source.key, e: e.bindings.some((b) => b.name === 'THING') ? 'present' : 'absent' }).toEqual({ key: source.key, e: expected(source.key) });
    }
  });
});

