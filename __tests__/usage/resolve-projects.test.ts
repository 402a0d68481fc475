/**
 * Imports resolved the way the Worker's build resolves them: tsconfig project references and
 * extends, Vite's resolve.alias, package.json imports; an import that looks local but leads
 * nowhere stops the analysis there, loudly (a note), instead of calling bindings dead.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createUsageAnalyzer } from '../../src/usage/index.js';
import { includePattern } from '../../src/usage/resolve.js';
import { applyAlias, readViteConfig } from '../../src/usage/vite-config.js';
import { writeTree } from '../helpers/tree.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function analyze(files: Record<string, string>, main = 'worker/index.ts') {
  const root = writeTree(files);
  roots.push(root);
  const packageJsonFiles = Object.keys(files).filter((f) => f.endsWith('package.json'));
  return createUsageAnalyzer({ root, packageJsonFiles }).analyzeWorker(main, { file: 'wrangler.jsonc', line: 5, column: 3 });
}

const names = (usage: { reads: { name: string }[] }) => [...new Set(usage.reads.map((r) => r.name))].sort();

/** The layout of `npm create cloudflare -- --framework=react` (Vite + @cloudflare/vite-plugin). */
const viteReactTemplate = {
  'tsconfig.json': '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }, { "path": "./tsconfig.worker.json" }] }',
  'tsconfig.app.json': '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } }, "include": ["src"] }',
  'tsconfig.node.json': '{ "compilerOptions": { "types": ["node"] }, "include": ["vite.config.ts"] }',
  'tsconfig.worker.json': '{ "extends": "./tsconfig.node.json", // comments\n "compilerOptions": { "paths": { "@/*": ["./*"] } }, "include": ["worker-configuration.d.ts", "worker"] }',
  'worker/index.ts': 'import { api } from "@/worker/api";\nexport default { fetch(req, env) { return api(req, env); } };',
  'worker/api.ts': 'export function api(req, env: Env) { return env.DB.prepare("select 1").all(); }',
  'src/worker/api.ts': 'export function api(req, env: Env) { return env.WRONG_ONE; }',
};

describe('tsconfig references and extends', () => {
  it('resolves an alias kept in a referenced project that covers the file (the root tsconfig has "files": [])', () => {
    const usage = analyze(viteReactTemplate);
    expect(names(usage)).toEqual(['DB']);
    expect(usage.modules).toEqual(['worker/api.ts', 'worker/index.ts']);
    expect(usage.problems).toEqual([]);
  });

  it('tries the other referenced projects when the covering one has no matching paths', () => {
    const usage = analyze({
      'tsconfig.json': '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./worker" }] }',
      'tsconfig.app.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["shared/*"] } }, "include": ["src"] }',
      'worker/tsconfig.json': '{ "include": ["**/*.ts"] }',
      'worker/index.ts': 'import { util } from "~/util";\nexport default { fetch(req, env) { return util(env); } };',
      'shared/util.ts': 'export const util = (env: Env) => env.SHARED;',
    });
    expect(names(usage)).toEqual(['SHARED']);
  });

  it('inherits paths through extends, relative to the config that declares them', () => {
    const usage = analyze({
      'config/tsconfig.base.json': '{ "compilerOptions": { "paths": { "#lib/*": ["../lib/*"] } } }',
      'tsconfig.json': '{ "extends": "./config/tsconfig.base.json", "include": ["worker", "lib"] }',
      'worker/index.ts': 'import { f } from "#lib/f";\nexport default { fetch(req, env) { return f(env); } };',
      'lib/f.ts': 'export const f = (env: Env) => env.FROM_BASE;',
    });
    expect(names(usage)).toEqual(['FROM_BASE']);
  });

  it('matches include patterns as TypeScript does', () => {
    const at = (p: string) => includePattern(p, '/repo');
    expect(at('worker').test('/repo/worker/a/b.ts')).toBe(true);
    expect(at('worker').test('/repo/workers/b.ts')).toBe(false);
    expect(at('src/**/*.ts').test('/repo/src/a/b/c.ts')).toBe(true);
    expect(at('src/**/*.ts').test('/repo/src/c.ts')).toBe(true);
    expect(at('src/*.ts').test('/repo/src/a/c.ts')).toBe(false);
    expect(at('./worker-configuration.d.ts').test('/repo/worker-configuration.d.ts')).toBe(true);
  });
});

describe('Vite resolve.alias', () => {
  it.each([
    ['object form with path.resolve(__dirname)', 'import path from "node:path";\nexport default defineConfig({ resolve: { alias: { "@": path.resolve(__dirname, "./src") } } });'],
    ['array form with fileURLToPath(new URL())', 'import { fileURLToPath, URL } from "node:url";\nexport default defineConfig({ plugins: [], resolve: { alias: [{ find: "@", replacement: fileURLToPath(new URL("./src", import.meta.url)) }] } });'],
    ['a function config and a constant', 'import { resolve } from "path";\nconst src = resolve(__dirname, "src");\nexport default defineConfig(({ mode }) => { return { resolve: { alias: { "@": src } } }; });'],
    ['a root-relative literal', 'export default { resolve: { alias: [{ find: /^@\\//, replacement: "/src/" }] } };'],
  ])('%s', (_name, viteConfig) => {
    const usage = analyze({
      'vite.config.ts': viteConfig as string,
      'worker/index.ts': 'import { api } from "@/server/api";\nexport default { fetch(req, env) { return api(env); } };',
      'src/server/api.ts': 'export const api = (env: Env) => env.VIA_ALIAS;',
    });
    expect(names(usage)).toEqual(['VIA_ALIAS']);
    expect(usage.problems).toEqual([]);
  });

  it('reads aliases and the Cloudflare plugin options without running the config', () => {
    const config = readViteConfig(
      'import { cloudflare } from "@cloudflare/vite-plugin";\nconst plugins = [cloudflare({ configPath: "./api/wrangler.jsonc", viteEnvironment: { name: "api" }, auxiliaryWorkers: [{ configPath: "./cron/wrangler.toml" }] })];\nexport default defineConfig({ plugins, build: { outDir: "out" }, environments: { api: { build: { outDir: "out/server" } } }, resolve: { alias: { "~": `${__dirname}/app`, unknown: someCall() } } });',
      '/repo/vite.config.ts',
    );
    expect(config).toMatchObject({
      aliases: [{ find: '~', replacement: '/repo/app' }],
      outDir: 'out',
      environmentOutDirs: { api: 'out/server' },
      cloudflare: { configPath: './api/wrangler.jsonc', environmentName: 'api', auxiliaryConfigPaths: ['./cron/wrangler.toml'] },
    });
    expect(readViteConfig('export default {', '/repo/vite.config.ts').aliases).toEqual([]);
  });

  it('matches an alias as @rollup/plugin-alias does', () => {
    const aliases = [{ find: '@', replacement: '/r/src' }, { find: 'lib/', replacement: '/r/lib/' }];
    expect(applyAlias(aliases, '@/a')?.replaced).toBe('/r/src/a');
    expect(applyAlias(aliases, '@')?.replaced).toBe('/r/src');
    expect(applyAlias(aliases, '@scope/pkg')).toBeUndefined();
    expect(applyAlias(aliases, 'lib/x')?.replaced).toBe('/r/lib/x');
  });
});

describe('package.json imports', () => {
  it('resolves #subpath imports of the nearest package', () => {
    const usage = analyze({
      'package.json': JSON.stringify({ name: 'app', imports: { '#db/*': './worker/db/*.ts', '#config': { workerd: './worker/config.ts', default: './nope.ts' } } }),
      'worker/index.ts': 'import { q } from "#db/query"; import { c } from "#config";\nexport default { fetch(req, env) { return q(env) + c(env); } };',
      'worker/db/query.ts': 'export const q = (env: Env) => env.DB;',
      'worker/config.ts': 'export const c = (env: Env) => env.CONFIG_KV;',
    });
    expect(names(usage)).toEqual(['CONFIG_KV', 'DB']);
  });
});

describe('an import that looks local but leads nowhere', () => {
  it.each([
    ['@/ with no alias at all', 'import { api } from "@/worker/api";', /"@\/worker\/api" looks like a local import/],
    ['~/ with no alias at all', 'import { api } from "~/api";', /"~\/api" looks like a local import/],
    ['# with no imports entry', 'import { api } from "#api";', /"#api" looks like a local import/],
    ['a paths pattern that names no file', 'import { api } from "@app/gone";', /matches the tsconfig paths pattern "@app\/\*" of tsconfig.json but no file does/],
  ])('%s: a note names file and line, and the graph counts as incomplete', (_name, importLine, message) => {
    const usage = analyze({
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["./app/*"] } } }',
      'worker/index.ts': `${importLine}\nexport default { fetch(req, env) { return env.SEEN; } };`,
    });
    expect(usage.problems).toEqual([expect.objectContaining({ file: 'worker/index.ts', line: 1, message: expect.stringMatching(message as RegExp) })]);
    expect(usage.problems[0]!.message).toMatch(/the analysis stopped there/);
    expect(usage.opaque).toEqual([expect.objectContaining({ reason: expect.stringMatching(/could not be resolved/), at: expect.objectContaining({ file: 'worker/index.ts', line: 1 }) })]);
  });

  it('an npm package, a scoped package and a data module stay quiet', () => {
    const usage = analyze({
      'worker/index.ts': 'import { Hono } from "hono"; import { z } from "@hono/zod-validator"; import schema from "./schema.sql"; import page from "./page.html";\nexport default { fetch(req, env) { return env.SEEN; } };',
      'worker/schema.sql': 'select 1;',
      'worker/page.html': '<p></p>',
    });
    expect(usage.problems).toEqual([]);
    expect(usage.opaque).toEqual([]);
  });
});
