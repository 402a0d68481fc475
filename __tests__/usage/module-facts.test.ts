/** Which expressions read a binding, and which do not (a real parser: comments, strings and types never count). */
import { describe, expect, it } from '@jest/globals';
import { analyzeModule } from '../../src/usage/module-facts.js';

function reads(code: string, file = 'src/index.ts'): string[] {
  return [...new Set(analyzeModule(code, file).reads.map((r) => r.name))].sort();
}

describe('reads that count', () => {
  it.each([
    ['module worker env parameter', 'export default { fetch(req, env, ctx) { return env.KV.get("x"); } };', ['KV'], 'src/index.ts'],
    ['bracket access with a literal', 'export default { fetch(req, env) { return env["KV"]; } };', ['KV'], 'src/index.ts'],
    ['optional chaining', 'export default { fetch(req, env) { return env?.KV?.get("x"); } };', ['KV'], 'src/index.ts'],
    ['scheduled handler', 'export default { async scheduled(event, env, ctx) { await env.QUEUE.send(1); } };', ['QUEUE'], 'src/index.ts'],
    ['parameter typed Env', 'export function helper(bindings: Env) { return bindings.DB; }', ['DB'], 'src/index.ts'],
    ['destructured parameter typed Env', 'export function helper({ DB, CACHE: c }: Env) { return [DB, c]; }', ['CACHE', 'DB'], 'src/index.ts'],
    ['destructured handler parameter', 'export default { fetch(req, { TOKEN }) { return TOKEN; } };', ['TOKEN'], 'src/index.ts'],
    ['Hono context', 'app.get("/", (c) => c.json(c.env.SUPABASE_URL));', ['SUPABASE_URL'], 'src/index.ts'],
    ['Durable Object this.env', 'export class Room { fetch() { return this.env.ROOMS; } }', ['ROOMS'], 'src/index.ts'],
    ['Pages Functions context.env', 'export const onRequest = (context) => context.env.KV;', ['KV'], 'src/index.ts'],
    ['SvelteKit platform.env', 'export const load = ({ platform }) => platform.env.DB;', ['DB'], 'src/index.ts'],
    ['Astro locals.runtime.env', 'const db = Astro.locals.runtime.env.DB;', ['DB'], 'src/index.ts'],
    ['OpenNext getCloudflareContext().env', 'const { env } = getCloudflareContext(); const x = getCloudflareContext().env.BUCKET;', ['BUCKET'], 'src/index.ts'],
    ['React Router context.cloudflare.env', 'export const loader = ({ context }) => context.cloudflare.env.KV;', ['KV'], 'src/index.ts'],
    ['import { env } from "cloudflare:workers"', 'import { env } from "cloudflare:workers"; export const x = env.API_KEY;', ['API_KEY'], 'src/index.ts'],
    ['aliased cloudflare:workers env', 'import { env as bindings } from "cloudflare:workers"; export const x = bindings.API_KEY;', ['API_KEY'], 'src/index.ts'],
    ['destructuring a declaration', 'export default { fetch(r, env) { const { A, B: b, C = 1 } = env; return A + b + C; } };', ['A', 'B', 'C'], 'src/index.ts'],
    ['nested destructuring of a context', 'app.get("/", (c) => { const { env: { X } } = c; return X; });', ['X'], 'src/index.ts'],
    ['alias of c.env', 'app.get("/", (c) => { const e = c.env; return e.Y; });', ['Y'], 'src/index.ts'],
    ['type assertion', 'export function f(env) { return (env as Env).Z; }', ['Z'], 'src/index.ts'],
    ['process.env with nodejs_compat', 'export const url = process.env.SUPABASE_URL;', ['SUPABASE_URL'], 'src/index.ts'],
    ['JSX in a .tsx module', 'export const App = ({ env }: { env: Env }) => <div>{env.TITLE}</div>;', ['TITLE'], 'src/app.tsx'],
  ])('%s', (_name, code, expected, file) => {
    expect(reads(code as string, file as string)).toEqual(expected);
  });
});

describe('what is not a read', () => {
  it.each([
    ['a comment', '// env.SESSIONS is written elsewhere\n/* env.SESSIONS */\nexport default { fetch(r, env) { return env.OTHER; } };', ['OTHER']],
    ['a string and a template', 'export default { fetch(r, env) { return "env.SESSIONS" + `env.SESSIONS` + env.OTHER; } };', ['OTHER']],
    ['a type declaration', 'type Bindings = { SESSIONS: KVNamespace }; interface Env { SESSIONS: KVNamespace } export default { fetch(r, env: Env) { return env.OTHER; } };', ['OTHER']],
    ['import.meta.env (Vite)', 'export const url = import.meta.env.VITE_SUPABASE_URL;', []],
    ['a property of something else', 'const config = { env: "x" }; export const y = config.SESSIONS; export const z = other.SESSIONS;', []],
  ])('%s', (_name, code, expected) => {
    expect(reads(code, 'src/index.ts')).toEqual(expected);
  });
});

describe('accesses that could read anything', () => {
  it.each([
    ['computed key', 'export default { fetch(r, env) { const k = new URL(r.url).pathname; return env[k]; } };', /computed key/],
    ['spread', 'export default { fetch(r, env) { return run({ ...env }); } };', /spread/],
    ['rest destructuring', 'export default { fetch(r, env) { const { A, ...rest } = env; return rest; } };', /rest of env/],
    ['Object.keys', 'export default { fetch(r, env) { return Object.keys(env); } };', /Object\.keys/],
  ])('%s is opaque', (_name, code, reason) => {
    const facts = analyzeModule(code, 'src/index.ts');
    expect(facts.opaque).toEqual([expect.objectContaining({ reason: expect.stringMatching(reason) })]);
  });

  it('records env handed to a package function for the graph to judge', () => {
    const facts = analyzeModule('import { drizzle } from "drizzle-orm/d1"; export default { fetch(r, env) { return drizzle(env); } };', 'src/index.ts');
    expect(facts.envCalls).toEqual([expect.objectContaining({ argIndex: 0, callee: expect.objectContaining({ kind: 'import', label: 'drizzle', specifier: 'drizzle-orm/d1' }) })]);
  });
});

describe('imports and exports', () => {
  it('lists static, re-exported, dynamic and required modules, but not type-only imports', () => {
    const facts = analyzeModule(
      'import a from "./a"; import type { T } from "./types"; export { b } from "./b"; export * from "./c"; export type { U } from "./u";\nconst d = await import("./d"); const e = require("./e");',
      'src/index.ts',
    );
    expect(facts.imports.map((i) => i.specifier)).toEqual(['./a', './b', './c', './d', './e']);
    expect(facts.exportStars).toEqual(['./c']);
  });

  it('lists exported names, for Durable Object classes', () => {
    const facts = analyzeModule('export class Room {} export function f() {} export const g = 1; export { h as i }; export default {};', 'src/index.ts');
    expect(facts.exports.sort()).toEqual(['Room', 'default', 'f', 'g', 'i']);
  });

  it('reports a syntax error with its line instead of throwing', () => {
    const facts = analyzeModule('export default {\n  fetch(r, env) {\n    return env.A +;\n  }\n};', 'src/index.ts');
    expect(facts.problems[0]).toMatchObject({ line: 3 });
  });

  it('survives deeply nested code without overflowing the stack', () => {
    const code = `export const x = ${'['.repeat(20_000)}${']'.repeat(20_000)};`;
    expect(() => analyzeModule(code, 'src/index.ts')).not.toThrow();
  });
});

describe('reads the code guards against absence', () => {
  const guardedNames = (code: string) => [...new Set(analyzeModule(code, 'src/index.ts').reads.filter((r) => r.guarded).map((r) => r.name))].sort();
  it.each([
    ['if (!env.X) return', 'export default { fetch(r, env) { if (!env.X) return; return env.X.get(); } };', ['X']],
    ['fallback with ??', 'export default { fetch(r, env) { return env.TOKEN ?? ""; } };', ['TOKEN']],
    ['fallback with ||', 'export default { fetch(r, env) { return env.TOKEN || "dev"; } };', ['TOKEN']],
    ['optional call', 'export default { fetch(r, env) { return env.Q?.send(1); } };', ['Q']],
    ['comparison with undefined', 'export default { fetch(r, env) { if (env.KV === undefined) return null; } };', ['KV']],
    ['typeof', 'export default { fetch(r, env) { return typeof env.KV !== "undefined"; } };', ['KV']],
    ['ternary test', 'export default { fetch(r, env) { return env.DEBUG ? 1 : 0; } };', ['DEBUG']],
    ['Boolean(…), as a health check writes it', 'export default { fetch(r, env) { return Response.json({ has_KEY: Boolean(env.KEY) }); } };', ['KEY']],
  ])('%s', (_name, code, expected) => {
    expect(guardedNames(code)).toEqual(expected);
  });

  const requiredBy = (code: string) => analyzeModule(code, 'src/index.ts').reads.filter((r) => r.requiredBy).map((r) => `${r.name} ${r.requiredBy!.line}: ${r.requiredBy!.says}`);
  it.each([
    ['a throw', 'export default { fetch(r, env) {\n if (!env.X) throw new Error("X must be set"); } };', ['X 2: the code throws "X must be set"']],
    ['c.json(…, 500) through a variable', 'app.get("/", (c) => {\n const ai = c.env.AI;\n if (!ai) return c.json({ error: "AI is not available" }, 500); });', ['AI 3: the handler answers 500 "AI is not available"']],
    ['res.status(500).json(…)', 'export function h(req, res, env) {\n if (!env.X) { console.error("no X"); return res.status(500).json({ message: "down" }); } }', ['X 2: the handler answers 500 "down"']],
    ['a helper named for an error', 'export default { fetch(r, env) {\n if (!env.X) return serverError(); } };', ['X 2: the handler answers with serverError()']],
    ['the else branch of a presence test', 'export default { fetch(r, env) {\n if (env.X) { return 1; } else { throw new Error("no"); } } };', ['X 2: the code throws "no"']],
    ['a ternary', 'export default { fetch(r, env) {\n return env.X ? 1 : Promise.reject(new Error("no X")); } };', ['X 2: the promise is rejected "no X"']],
    ['either of two, each required', 'export default { fetch(r, env) {\n if (!env.A || env.B === undefined) process.exit(1); } };', ['A 2: the process exits', 'B 2: the process exits']],
  ])('required, with what fails: %s', (_name, code, expected) => {
    expect(requiredBy(code)).toEqual(expected);
  });

  it.each([
    ['an ordinary return', 'export default { fetch(r, env) { if (!env.X) return null; } };'],
    ['a response of status 200', 'export default { fetch(r, env) { if (!env.X) return new Response("later", { status: 200 }); } };'],
    ['both must be missing (&&)', 'export default { fetch(r, env) { if (!env.A && !env.B) throw new Error("none"); } };'],
    ['a feature switch', 'export default { fetch(r, env) { if (env.X) init(env.X); } };'],
    ['a throw after the if, not in its branch', 'export default { fetch(r, env) { if (env.X) return 1; throw new Error("no"); } };'],
  ])('not required by its guard: %s', (_name, code) => {
    expect(requiredBy(code)).toEqual([]);
  });

  it.each([
    ['a comparison of values', 'export default { fetch(r, env) { return r.headers.get("x") !== env.SECRET; } };'],
    ['a plain use', 'export default { fetch(r, env) { return env.KV.get("k"); } };'],
    ['the right side of &&', 'export default { fetch(r, env) { return r.ok && env.KV.get("k"); } };'],
  ])('not guarded: %s', (_name, code) => {
    expect(guardedNames(code)).toEqual([]);
  });
});
