/**
 * env handed to functions: a parameter that receives env reads what it reads, whatever its name
 * or type, in the same module or in one the graph follows; what cannot be followed is opaque.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createUsageAnalyzer } from '../../src/usage/index.js';
import { analyzeModule } from '../../src/usage/module-facts.js';
import { writeTree } from '../helpers/tree.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function analyze(files: Record<string, string>, main = 'src/index.ts') {
  const root = writeTree(files);
  roots.push(root);
  const packageJsonFiles = Object.keys(files).filter((f) => f.endsWith('package.json'));
  return createUsageAnalyzer({ root, packageJsonFiles }).analyzeWorker(main);
}

const names = (usage: { reads: { name: string }[] }) => [...new Set(usage.reads.map((r) => r.name))].sort();
const reasons = (usage: { opaque: { reason: string }[] }) => usage.opaque.map((o) => o.reason);

describe('env handed to a function of the same module', () => {
  it.each([
    ['a destructured, typed parameter of a helper env is handed to', 'async function handleUpload(req: Request, { UPLOADS }: { UPLOADS: R2Bucket }) { await UPLOADS.put("k", req.body); }\nexport default { fetch(request, env) { return handleUpload(request, env); } };', ['UPLOADS']],
    ['a parameter with another name', 'function f(req, e) { return e.KV.get("x"); }\nexport default { fetch(req, env) { return f(req, env); } };', ['KV']],
    ['c.env handed on (Hono)', 'function f(req, e) { return e.KV.get("x"); }\napp.get("/", (c) => f(c.req, c.env));', ['KV']],
    ['an arrow function in a const', 'const f = async (r, b) => b.BUCKET;\nexport default { fetch(req, env) { return f(req, env); } };', ['BUCKET']],
    ['a function expression in a const', 'const f = function (b) { return b["QUOTED"]; };\nexport default { fetch(req, env) { return f(env); } };', ['QUOTED']],
    ['a method of a const object', 'const api = { upload(req, b) { return b.UPLOADS; }, other: (b) => b.OTHER };\nexport default { fetch(req, env) { return api.upload(req, env) ?? api.other(env); } };', ['OTHER', 'UPLOADS']],
    ['a method of the same class through this', 'export class Room { constructor(ctx, env) { this.env = env; }\n  fetch(req) { return this.handle(req, this.env); }\n  handle(req, b) { return b.ROOM_KV; } }', ['ROOM_KV']],
    ['a class constructor', 'class Store { constructor(b) { this.kv = b.STORE_KV; } }\nexport default { fetch(req, env) { return new Store(env); } };', ['STORE_KV']],
    ['destructuring and an alias inside', 'function f(b) { const { A, B: renamed } = b; const c = b; return c.C; }\nexport default { fetch(r, env) { return f(env); } };', ['A', 'B', 'C']],
    ['handed on again, transitively', 'function g(x) { return x.DEEP; }\nfunction f(y) { return g(y); }\nexport default { fetch(r, env) { return f(env); } };', ['DEEP']],
    ['an inline function called at once', 'export default { fetch(req, env) { return ((b) => b.IIFE)(env); } };', ['IIFE']],
    ['a typed parameter that cannot hold env is not followed', 'function f(b: string, e) { return e.KV; }\nexport default { fetch(req, env) { return f(env, env); } };', ['KV']],
    ['recursion ends', 'function f(y, n) { return n ? f(y, n - 1) : y.REC; }\nexport default { fetch(r, env) { return f(env, 3); } };', ['REC']],
    ['an env alias (const e = env)', 'export default { fetch(r, env) { const e = env; return e.ALIASED; } };', ['ALIASED']],
    ['destructuring c.env', 'app.get("/", (c) => { const { KV } = c.env; return KV; });', ['KV']],
  ])('%s', (_name, code, expected) => {
    const usage = analyze({ 'src/index.ts': code as string });
    expect(names(usage)).toEqual(expected);
    expect(usage.opaque).toEqual([]);
  });

  it('does not count what a nested function reads from its own parameter of the same name', () => {
    const usage = analyze({ 'src/index.ts': 'function f(e) { [1].map((e) => e.NOT_ENV); return e.YES; }\nexport default { fetch(r, env) { return f(env); } };' });
    expect(names(usage)).toEqual(['YES']);
  });

  it('does not count a parameter that is never handed env', () => {
    const usage = analyze({ 'src/index.ts': 'function f(e) { return e.NOT_ENV; }\nexport default { fetch(r, env) { f({ NOT_ENV: 1 }); return env.YES; } };' });
    expect(names(usage)).toEqual(['YES']);
  });

  it('places each read where it is written', () => {
    const usage = analyze({ 'src/index.ts': 'export default { fetch(r, env) { return f(env); } };\nfunction f(b) {\n  return b.KV;\n}' });
    expect(usage.reads).toEqual([{ name: 'KV', at: { file: 'src/index.ts', line: 3, column: 12 } }]);
  });
});

describe('env handed to a function of another module', () => {
  it('follows a relative import, export default, re-exports and export *', () => {
    const usage = analyze({
      'src/index.ts': [
        'import { handleUpload } from "./upload";',
        'import serve from "./serve";',
        'import * as admin from "./admin";',
        'import { routes } from "./routes";',
        'import { viaStar } from "./barrel";',
        'export default { fetch(req, env) { handleUpload(req, env); serve(env); admin.purge(env); routes.list(req, env); return viaStar(env); } };',
      ].join('\n'),
      'src/upload.ts': 'export async function handleUpload(req: Request, { UPLOADS }: { UPLOADS: R2Bucket }) { return UPLOADS.put("k", req.body); }',
      'src/serve.ts': 'export default function (b) { return b.ASSETS_KV; }',
      'src/admin.ts': 'export const purge = (b) => b.PURGE_QUEUE.send({});',
      'src/routes.ts': 'export const routes = { list(req, b) { return b.LIST_DB; } };',
      'src/barrel.ts': 'export * from "./impl";',
      'src/impl.ts': 'export function viaStar(b) { return b.STAR; }',
    });
    expect(names(usage)).toEqual(['ASSETS_KV', 'LIST_DB', 'PURGE_QUEUE', 'STAR', 'UPLOADS']);
    expect(usage.opaque).toEqual([]);
  });

  it('follows `export { x as y } from` chains and a renamed import', () => {
    const usage = analyze({
      'src/index.ts': 'import { run as go } from "./lib";\nexport default { fetch(r, env) { return go(env); } };',
      'src/lib/index.ts': 'export { inner as run } from "./inner";',
      'src/lib/inner.ts': 'export function inner(b) { return b.RENAMED; }',
    });
    expect(names(usage)).toEqual(['RENAMED']);
  });

  it('follows CommonJS require and module.exports / exports.f', () => {
    const usage = analyze({
      'src/index.js': 'const { upload } = require("./upload.cjs"); const serve = require("./serve.cjs"); const lib = require("./lib.cjs");\nmodule.exports = { fetch(req, env) { upload(req, env); serve(env); return lib.purge(env); } };',
      'src/upload.cjs': 'function upload(req, b) { return b.CJS_UPLOADS; }\nmodule.exports = { upload };',
      'src/serve.cjs': 'module.exports = function (b) { return b.CJS_DEFAULT; };',
      'src/lib.cjs': 'exports.purge = (b) => b.CJS_NAMED;',
    }, 'src/index.js');
    expect(names(usage)).toEqual(['CJS_DEFAULT', 'CJS_NAMED', 'CJS_UPLOADS']);
    expect(usage.opaque).toEqual([]);
  });

  it('follows tsconfig paths and workspace packages', () => {
    const usage = analyze({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['./src/lib/*'] } } }),
      'src/index.ts': 'import { fromPaths } from "@lib/a"; import { fromWorkspace } from "@mono/db";\nexport default { fetch(r, env) { return fromPaths(env) + fromWorkspace(r, env); } };',
      'src/lib/a.ts': 'export const fromPaths = (b) => b.VIA_PATHS;',
      'packages/db/package.json': JSON.stringify({ name: '@mono/db', main: 'src/index.ts' }),
      'packages/db/src/index.ts': 'export function fromWorkspace(req, { DB }) { return DB; }',
    });
    expect(names(usage)).toEqual(['DB', 'VIA_PATHS']);
    expect(usage.opaque).toEqual([]);
  });

  it('ignores a method of an object it does not model (a router\'s fetch hands env to handlers it sees)', () => {
    const usage = analyze({
      'src/index.ts': 'import { Hono } from "hono"; import { app as routes } from "./app";\nconst app = new Hono();\nexport default { fetch(req, env, ctx) { routes.fetch(req, env, ctx); console.log(env); return app.fetch(req, env, ctx); } };',
      'src/app.ts': 'import { Hono } from "hono";\nexport const app = new Hono();\napp.get("/", (c) => c.env.ROUTE_KV);',
    });
    expect(names(usage)).toEqual(['ROUTE_KV']);
    expect(usage.opaque).toEqual([]);
  });
});

describe('env handed to something deploy-guard cannot follow is opaque, never lost', () => {
  it.each([
    ['a function value', 'const h = makeHandler();\nexport default { fetch(r, env) { return h(r, env); } };', /env escapes into h\(\), a value deploy-guard cannot follow/],
    ['a callback parameter', 'function run(cb, b) { return cb(b); }\nexport default { fetch(r, env) { return run(() => 1, env); } };', /env escapes into cb\(\)/],
    ['a computed callee', 'const handlers = { a(b) { return b.A; } };\nexport default { fetch(r, env) { return handlers[r.method](env); } };', /computed callee/],
    ['a package', 'import { drizzle } from "drizzle-orm/d1";\nfunction db(b) { return drizzle(b); }\nexport default { fetch(r, env) { return db(env); } };', /drizzle\(\) from the package "drizzle-orm\/d1"/],
    ['a rest parameter', 'function all(...args) { return args; }\nexport default { fetch(r, env) { return all(r, env); } };', /rest parameter \.\.\.args of all\(\)/],
    ['a computed key on a parameter', 'function get(b, k) { return b[k]; }\nexport default { fetch(r, env) { return get(env, r.url); } };', /computed key/],
    ['a spread parameter', 'function copy(b) { return { ...b }; }\nexport default { fetch(r, env) { return copy(env); } };', /spread/],
    ['an export that is not a function', 'import { handler } from "./h";\nexport default { fetch(r, env) { return handler(r, env); } };', /env escapes into handler\(\) from "\.\/h"/],
  ])('%s', (_name, code, reason) => {
    const usage = analyze({ 'src/index.ts': code as string, 'src/h.ts': 'export const handler = wrap(() => 1);' });
    expect(reasons(usage)).toEqual([expect.stringMatching(reason as RegExp)]);
  });

  it('names the call in the module that hands env on', () => {
    const usage = analyze({ 'src/index.ts': 'export default {\n  fetch(r, env) {\n    return h(env);\n  },\n};\nconst h = wrap();' });
    expect(usage.opaque).toEqual([{ reason: expect.stringMatching(/h\(\)/), at: { file: 'src/index.ts', line: 3, column: 12 } }]);
  });
});

describe('env handed to a base class', () => {
  it('super(ctx, env) in a Durable Object is not an escape: this.env reads count', () => {
    const facts = analyzeModule('import { DurableObject } from "cloudflare:workers";\nexport class Room extends DurableObject {\n  constructor(ctx, env) { super(ctx, env); }\n  fetch() { return this.env.ROOMS; }\n}', 'src/room.ts');
    expect(facts.opaque).toEqual([]);
    expect(facts.envCalls).toEqual([]);
    expect(facts.reads.map((r) => r.name)).toEqual(['ROOMS']);
  });
});
