/**
 * A main that names what @cloudflare/vite-plugin builds (absent in a checkout) is analysed from
 * the source the plugin builds it from, with a note; anything else missing stays missing.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createUsageAnalyzer } from '../../src/usage/index.js';
import { writeTree } from '../helpers/tree.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function analyze(files: Record<string, string>, main: string, config = 'wrangler.toml') {
  const root = writeTree(files);
  roots.push(root);
  return createUsageAnalyzer({ root, packageJsonFiles: [] }).analyzeWorker(main, { file: config, line: 2, column: 1 });
}

const plugin = (options = '') => `import { defineConfig } from "vite";\nimport { cloudflare as cf } from "@cloudflare/vite-plugin";\nexport default defineConfig({ plugins: [cf(${options})] });`;
const source = { 'src/worker.ts': 'export default { fetch(req, env) { return env.FROM_SOURCE; } };' };

describe('main built by @cloudflare/vite-plugin', () => {
  it('follows configPath to the source entry, with a note naming both', () => {
    const usage = analyze({ ...source, 'vite.config.ts': plugin('{ configPath: "./wrangler.vite.jsonc" }'), 'wrangler.vite.jsonc': '{ "name": "shop-api", "main": "./src/worker.ts" }' }, 'dist/shop_api/index.js');
    expect(usage.reads.map((r) => r.name)).toEqual(['FROM_SOURCE']);
    expect(usage.modules).toEqual(['src/worker.ts']);
    expect(usage.problems).toEqual([expect.objectContaining({ file: 'wrangler.toml', line: 2, message: 'main dist/shop_api/index.js is @cloudflare/vite-plugin output (built by vite.config.ts from wrangler.vite.jsonc); analysed its source src/worker.ts' })]);
  });

  it('finds the plugin\'s default config (wrangler.jsonc before wrangler.toml) and an auxiliary Worker by its output folder', () => {
    const files = {
      ...source,
      'cron/job.ts': 'export default { scheduled(e, env) { return env.FROM_CRON; } };',
      'vite.config.mts': plugin('{ auxiliaryWorkers: [{ configPath: "./cron/wrangler.toml" }] }'),
      'wrangler.jsonc': '{ "name": "app", "main": "src/worker.ts" }',
      'wrangler.toml': 'name = "other"\nmain = "src/other.ts"',
      'src/other.ts': 'export default { fetch(req, env) { return env.FROM_OTHER; } };',
      'cron/wrangler.toml': 'name = "nightly-cron"\nmain = "job.ts"',
    };
    expect(analyze(files, 'dist/app/index.js', 'wrangler.jsonc').reads.map((r) => r.name)).toEqual(['FROM_SOURCE']);
    expect(analyze(files, 'dist/nightly_cron/index.js', 'deploy/wrangler.toml').reads.map((r) => r.name)).toEqual(['FROM_CRON']);
  });

  it('honours build.outDir, environments.<name>.build.outDir and viteEnvironment.name', () => {
    const files = {
      ...source,
      'vite.config.js': 'import { cloudflare } from "@cloudflare/vite-plugin";\nexport default { build: { outDir: "out" }, environments: { server: { build: { outDir: "build/server" } } }, plugins: [cloudflare({ viteEnvironment: { name: "server" } })] };',
      'wrangler.toml': 'name = "api"\nmain = "src/worker.ts"',
    };
    expect(analyze(files, 'build/server/index.js').reads.map((r) => r.name)).toEqual(['FROM_SOURCE']);
  });

  it('leaves main missing when the plugin is not used, the config names itself, or main is a virtual module', () => {
    const cases: Record<string, string>[] = [
      { ...source, 'vite.config.ts': 'export default { plugins: [] };', 'wrangler.jsonc': '{ "name": "a", "main": "src/worker.ts" }' },
      { ...source, 'vite.config.ts': plugin(), 'wrangler.jsonc': '{ "name": "a", "main": "dist/a/index.js" }' },
      { ...source, 'vite.config.ts': plugin(), 'wrangler.jsonc': '{ "name": "a", "main": "virtual:react-router/server-build" }' },
    ];
    for (const files of cases) {
      const usage = analyze(files, 'dist/a/index.js', 'wrangler.jsonc');
      expect(usage.modules).toEqual([]);
      expect(usage.reads).toEqual([]);
    }
  });
});
