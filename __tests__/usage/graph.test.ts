/** Reachability from main: only modules the Worker really imports count. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createUsageAnalyzer } from '../../src/usage/index.js';
import { writeTree } from '../helpers/tree.js';

function analyze(files: Record<string, string>, main = 'worker/src/index.ts') {
  const root = writeTree(files);
  const packageJsonFiles = Object.keys(files).filter((f) => f.endsWith('package.json'));
  return createUsageAnalyzer({ root, packageJsonFiles }).analyzeWorker(main);
}

const names = (usage: { reads: { name: string }[] }) => [...new Set(usage.reads.map((r) => r.name))].sort();

describe('module graph from main', () => {
  it('follows relative imports with .js → .ts mapping, index files and re-exports, and ignores unreachable files', () => {
    const usage = analyze({
      'worker/src/index.ts': 'import { a } from "./a.js"; export * from "./lib"; export default { fetch(r, env) { return a(env); } };',
      'worker/src/a.ts': 'export function a(env: Env) { return env.FROM_A; }',
      'worker/src/lib/index.ts': 'export { b } from "./b";',
      'worker/src/lib/b.ts': 'export const b = (env: Env) => env.FROM_B;',
      'worker/src/unused.ts': 'export const u = (env: Env) => env.ONLY_IN_UNREACHABLE_FILE;',
    });
    expect(names(usage)).toEqual(['FROM_A', 'FROM_B']);
    expect(usage.modules).toEqual(['worker/src/a.ts', 'worker/src/index.ts', 'worker/src/lib/b.ts', 'worker/src/lib/index.ts']);
    expect(usage.mainExports).toEqual(['b', 'default']);
  });

  it('follows dynamic import() and require() with literals, and survives import cycles', () => {
    const usage = analyze({
      'worker/src/index.ts': 'export default { async fetch(r, env) { const m = await import("./lazy"); return m.run(env); } };',
      'worker/src/lazy.ts': 'const c = require("./cjs.cjs"); import "./index"; export const run = (env: Env) => env.LAZY;',
      'worker/src/cjs.cjs': 'module.exports = function (env) { return env.FROM_CJS; };',
    });
    expect(names(usage)).toEqual(['FROM_CJS', 'LAZY']);
  });

  it('resolves tsconfig paths (with extends) and workspace packages without node_modules', () => {
    const usage = analyze({
      'package.json': JSON.stringify({ name: 'mono', workspaces: ['packages/*', 'worker'] }),
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["worker/src/lib/*"] } } }',
      'worker/tsconfig.json': '{ // comments allowed\n "extends": "../tsconfig.base.json" }',
      'worker/package.json': JSON.stringify({ name: 'worker' }),
      'worker/src/index.ts': 'import { util } from "@lib/util"; import { shared } from "@mono/shared"; import { sub } from "@mono/shared/sub"; import { Hono } from "hono";\nexport default { fetch(r, env) { return util(env) + shared(env) + sub(env); } };',
      'worker/src/lib/util.ts': 'export const util = (env: Env) => env.VIA_PATHS;',
      'packages/shared/package.json': JSON.stringify({ name: '@mono/shared', exports: { '.': { import: './dist/index.js' }, './sub': './src/sub.ts' } }),
      'packages/shared/src/index.ts': 'export function shared(env: { SHARED_URL: string }) { return env.SHARED_URL; }',
      'packages/shared/src/sub.ts': 'export const sub = (env: Env) => env.SUBPATH;',
    });
    expect(names(usage)).toEqual(['SHARED_URL', 'SUBPATH', 'VIA_PATHS']);
    expect(usage.problems).toEqual([]);
  });

  it('names an import that cannot be found, and keeps going', () => {
    const usage = analyze({
      'worker/src/index.ts': 'import { gone } from "./gone";\nexport default { fetch(r, env) { return env.STILL_COUNTED; } };',
    });
    expect(names(usage)).toEqual(['STILL_COUNTED']);
    expect(usage.problems).toEqual([expect.objectContaining({ file: 'worker/src/index.ts', line: 1, message: expect.stringMatching(/cannot find module "\.\/gone"/) })]);
  });

  it('refuses a main outside the repository and a main that does not exist, naming where main is set', () => {
    const root = writeTree({ 'worker/src/index.ts': '' });
    const analyzer = createUsageAnalyzer({ root, packageJsonFiles: [] });
    const at = { file: 'worker/wrangler.toml', line: 2, column: 1 };
    // Reported by the main-not-found rule from `missingMain`.
    expect(analyzer.analyzeWorker('../outside/index.ts', at)).toMatchObject({ modules: [], missingMain: { main: '../outside/index.ts', at, reason: 'outside' } });
    expect(analyzer.analyzeWorker('worker/dist/index.js', at)).toMatchObject({ modules: [], missingMain: { main: 'worker/dist/index.js', at, reason: 'missing' } });
  });

  it('does not follow a symbolic link out of the repository', () => {
    const outside = writeTree({ 'evil.ts': 'export const e = (env: Env) => env.OUTSIDE;' });
    const root = writeTree({ 'worker/src/index.ts': 'import "./linked";\nexport default { fetch(r, env) { return env.INSIDE; } };' });
    fs.symlinkSync(path.join(outside, 'evil.ts'), path.join(root, 'worker/src/linked.ts'));
    const usage = createUsageAnalyzer({ root, packageJsonFiles: [] }).analyzeWorker('worker/src/index.ts');
    expect(names(usage)).toEqual(['INSIDE']);
    expect(usage.problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/outside the repository/) })]);
  });

  it('treats env handed to a package as opaque, but not env handed to a workspace package', () => {
    const usage = analyze({
      'package.json': JSON.stringify({ name: 'mono' }),
      'packages/db/package.json': JSON.stringify({ name: 'db', main: 'index.ts' }),
      'packages/db/index.ts': 'export const connect = (env: Env) => env.DB;',
      'worker/src/index.ts': 'import { connect } from "db"; import { drizzle } from "drizzle-orm/d1";\nexport default { fetch(r, env) { connect(env); return drizzle(env); } };',
    });
    expect(names(usage)).toEqual(['DB']);
    expect(usage.opaque).toEqual([expect.objectContaining({ reason: expect.stringMatching(/drizzle\(\) from the package "drizzle-orm\/d1"/), at: expect.objectContaining({ line: 2 }) })]);
  });
});
