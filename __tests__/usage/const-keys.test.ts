/**
 * env[key] with a key the module spells out as a constant reads those names (a key list once hid
 * three undeclared secrets);
 * a key that may be anything else stays an opaque access.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyzeModule } from '../../src/usage/module-facts.js';
import { createUsageAnalyzer } from '../../src/usage/index.js';
import { writeTree } from '../helpers/tree.js';

function facts(code: string) {
  const result = analyzeModule(code, 'src/index.ts');
  return { reads: [...new Set(result.reads.map((r) => r.name))].sort(), opaque: result.opaque.map((o) => o.reason) };
}

const handler = (body: string) => `export default { async fetch(req, env) { ${body} } };`;

describe('constant keys resolve to reads', () => {
  it.each([
    ['a const string', `const KEY = "API_KEY";\n${handler('return env[KEY];')}`, ['API_KEY']],
    ['a const string inside the function', handler('const k = "LOCAL"; return env[k];'), ['LOCAL']],
    ['for…of over a literal array', `const REQUIRED_KEYS = ["SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"];\n${handler('for (const key of REQUIRED_KEYS) { if (!env[key]) throw new Error(key); }')}`, ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_URL']],
    ['an `as const` tuple with .map', `const REQUIRED = ["A", "B"] as const;\n${handler('return REQUIRED.map((k) => env[k]);')}`, ['A', 'B']],
    ['.every, .forEach, .reduce', `const R = ["A", "B"];\n${handler('R.forEach((k) => env[k]); R.every(function (k) { return env[k]; }); return R.reduce((ok, k) => ok && env[k], true);')}`, ['A', 'B']],
    ['Object.keys of a const object', `const SECRETS = { STRIPE_KEY: "stripe", RESEND_KEY: "mail" };\n${handler('return Object.keys(SECRETS).filter((k) => !env[k]);')}`, ['RESEND_KEY', 'STRIPE_KEY']],
    ['for…of Object.keys', `const SECRETS = { STRIPE_KEY: 1 } satisfies Record<string, number>;\n${handler('for (const k of Object.keys(SECRETS)) env[k];')}`, ['STRIPE_KEY']],
    ['for…in a const object', `const SECRETS = { STRIPE_KEY: 1, "QUOTED_KEY": 2 };\n${handler('for (const k in SECRETS) env[k];')}`, ['QUOTED_KEY', 'STRIPE_KEY']],
    ['for…of Object.entries with [k, v]', `const SECRETS = { STRIPE_KEY: "x" };\n${handler('for (const [k, label] of Object.entries(SECRETS)) env[k];')}`, ['STRIPE_KEY']],
    ['a property of a const object', `const NAMES = { url: "SUPABASE_URL", key: "SUPABASE_ANON_KEY" } as const;\n${handler('return env[NAMES.url] + env[NAMES["key"]];')}`, ['SUPABASE_ANON_KEY', 'SUPABASE_URL']],
    ['a template of constants', `const P = "STRIPE";\n${handler('return env[`${P}_KEY`];')}`, ['STRIPE_KEY']],
    ['spread of const arrays', `const BASE = ["A"]; const ALL = [...BASE, "B"];\n${handler('for (const k of ALL) env[k];')}`, ['A', 'B']],
    ['Object.fromEntries over a map', `const KEYS = ["A", "B"];\n${handler('return Object.fromEntries(KEYS.map((k) => [k, env[k]]));')}`, ['A', 'B']],
    ['a computed destructuring key', `const KEY = "DESTRUCTURED";\n${handler('const { [KEY]: value } = env; return value;')}`, ['DESTRUCTURED']],
    ['a conditional of constants', handler('const k = req.method === "GET" ? "READ_KEY" : "WRITE_KEY"; return env[k];'), ['READ_KEY', 'WRITE_KEY']],
    ['a const declared after its use', `${handler('return env[LATE];')}\nconst LATE = "LATE_KEY";`, ['LATE_KEY']],
  ])('%s', (_name, code, expected) => {
    expect(facts(code as string)).toEqual({ reads: expected, opaque: [] });
  });
});

describe('keys that are not certain stay opaque', () => {
  it.each([
    ['a let', handler('let k = "A"; k = req.url; return env[k];')],
    ['a parameter', 'export function read(env: Env, k: string) { return env[k]; }'],
    ['a parameter shadowing a module constant', 'const K = "A";\nexport function read(env: Env, K: string) { return env[K]; }'],
    ['a loop over a parameter', 'export function check(env: Env, keys: string[]) { for (const k of keys) env[k]; }'],
    ['a const from a call', `const KEYS = loadKeys();\n${handler('for (const k of KEYS) env[k];')}`],
    ['an array with an unknown element', `const KEYS = ["A", process.argv[2]];\n${handler('for (const k of KEYS) env[k];')}`],
    ['a cycle of constants', `const A = B; const B = A;\n${handler('return env[A];')}`],
  ])('%s', (_name, code) => {
    expect(facts(code as string).opaque).toEqual([expect.stringMatching(/computed key/)]);
  });
});

describe('constant keys on a parameter handed env', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it('resolves them in the function env is handed to, in another module', () => {
    const root = writeTree({
      'src/index.ts': 'import { assertSecrets } from "./secrets";\nexport default { fetch(r, env) { assertSecrets(env); return new Response("ok"); } };',
      'src/secrets.ts': 'const REQUIRED = ["STRIPE_KEY", "RESEND_KEY"] as const;\nexport function assertSecrets(bindings: Record<string, unknown>) { for (const k of REQUIRED) if (!bindings[k]) throw new Error(k); }',
    });
    roots.push(root);
    const usage = createUsageAnalyzer({ root, packageJsonFiles: [] }).analyzeWorker('src/index.ts');
    expect(usage.reads.map((r) => r.name).sort()).toEqual(['RESEND_KEY', 'STRIPE_KEY']);
    expect(usage.opaque).toEqual([]);
  });
});
