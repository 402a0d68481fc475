/**
 * Pages projects (`pages_build_output_dir`) resolved as Pages reads them (src/wrangler/pages.ts
 * cites wrangler's validation-pages.ts and the Pages Functions configuration docs). The refusals
 * below were each checked with wrangler 4.164.0's `wrangler pages functions build-env`.
 */
import { describe, expect, it } from '@jest/globals';
import { readToml } from '../../src/read/toml.js';
import { resolveWorkerConfig } from '../../src/wrangler/environments.js';
import { pagesProject } from '../../src/wrangler/pages.js';

function resolve(text: string, codeFiles: string[] = [], file = 'web/wrangler.toml') {
  const read = readToml(text, file);
  if (!read.ok) throw new Error(read.error.message);
  return resolveWorkerConfig(read.doc, { configFile: file, codeFiles: new Set(codeFiles) });
}

const base = 'name = "shop"\npages_build_output_dir = "./dist"\ncompatibility_date = "2024-09-23"\n';

describe('Pages projects', () => {
  it('deploys preview and production under the project name, each the top level when its [env.*] is absent', () => {
    const { environments, local, problems } = resolve(`${base}[[kv_namespaces]]\nbinding = "KV"\nid = "1"\n[vars]\nA = "1"\n`, ['web/functions/api/[id].ts']);
    expect(problems).toEqual([]);
    expect(environments.map((e) => [e.name, e.scriptName, e.main])).toEqual([['preview', 'shop', 'web/functions'], ['production', 'shop', 'web/functions']]);
    for (const env of environments) {
      expect(env.bindings.map((b) => `${b.name}:${b.kind}`)).toEqual(['ASSETS:assets', 'KV:kv_namespace']);
      expect(Object.keys(env.vars)).toEqual(['A']);
      expect(env.endpoints).toEqual([{ kind: 'pages-dev', project: 'shop' }]);
      expect(env.pages).toEqual({ outputDir: 'web/dist', functionsDir: 'web/functions' });
      expect(env.mainAt).toEqual({ file: 'web/wrangler.toml', line: 2, column: 1 });
    }
    // `wrangler pages dev` runs the top level: no deployment, no pages.dev host.
    expect(local).toMatchObject({ name: null, scriptName: 'shop', main: 'web/functions' });
    expect(local!.endpoints).toBeUndefined();
  });

  it('resolves an [env.production] like a Worker environment: inheritable keys inherited, bindings and vars not', () => {
    const { environments, problems } = resolve(`${base}compatibility_flags = ["nodejs_compat"]\nkv_namespaces = [{ binding = "KV", id = "1" }]\n[vars]\nA = "1"\n[env.production]\ncompatibility_date = "2025-01-01"\n`);
    const [preview, production] = environments;
    expect(preview!.bindings.map((b) => b.name)).toEqual(['ASSETS', 'KV']);
    expect(production!.bindings.map((b) => b.name)).toEqual(['ASSETS']);
    expect(production!.vars).toEqual({});
    expect(production!.compatibilityFlags).toEqual(['nodejs_compat']);
    expect(production!.at.line).toBe(8);
    // Overriding no non-inheritable key is wrangler's own "not inherited" warning case: left to missing-binding.
    expect(problems).toEqual([]);
  });

  it('warns when an environment overrides some non-inheritable keys but not all (Pages docs)', () => {
    const { environments, problems } = resolve(`${base}kv_namespaces = [{ binding = "KV", id = "1" }]\nr2_buckets = [{ binding = "R2", bucket_name = "b" }]\n[vars]\nA = "1"\n[env.preview.vars]\nA = "2"\n`);
    expect(environments[0]!.vars.A!.value.reveal()).toBe('2');
    expect(environments[0]!.bindings.map((b) => b.name)).toEqual(['ASSETS']);
    expect(problems).toEqual([{ line: 8, column: 1, severity: 'warning', message: expect.stringMatching(/^\[env\.preview\] sets vars but not kv_namespaces and r2_buckets, which environments do not inherit: the preview deployment has no kv_namespaces and r2_buckets\./) }]);
  });

  it('takes public/_worker.js (advanced mode) over functions/, and _worker.js/index.js for a _worker.js folder', () => {
    expect(pagesProject('wrangler.toml', './public', new Set(['public/_worker.js', 'functions/a.ts']))).toEqual({
      pages: { outputDir: 'public', functionsDir: 'functions', advancedWorker: 'public/_worker.js' }, main: 'public/_worker.js',
    });
    expect(pagesProject('app/wrangler.toml', 'out/', new Set(['app/out/_worker.js/index.js', 'app/out/_worker.js/chunk.js']))).toEqual({
      pages: { outputDir: 'app/out', advancedWorker: 'app/out/_worker.js' }, main: 'app/out/_worker.js/index.js',
    });
    // Only compiled extensions count as Functions; no code at all leaves main unset (static site or build output).
    expect(pagesProject('wrangler.toml', 'dist', new Set(['functions/README.md', 'src/main.ts']))).toEqual({ pages: { outputDir: 'dist' } });
    expect(pagesProject('wrangler.toml', 'dist', undefined)).toEqual({ pages: { outputDir: 'dist' } });
  });

  it.each([
    ['main = "src/index.ts"\n', 4, /both main and pages_build_output_dir/],
    ['[build]\ncommand = "npm run build"\n', 4, /do not support build/],
    ['[site]\nbucket = "./x"\n', 4, /do not support site/],
    ['routes = ["a.example.com/*"]\n', 4, /do not support routes/],
    ['workers_dev = true\n', 4, /do not support workers_dev/],
    ['[[send_email]]\nname = "M"\n', 4, /do not support send_email/],
    ['[[queues.consumers]]\nqueue = "q"\n', 4, /do not support queues.consumers/],
    ['[env.staging]\n', 4, /env.staging is not a Pages environment/],
    ['[[durable_objects.bindings]]\nname = "D"\nclass_name = "C"\n', 4, /needs script_name/],
    ['[[env.production.kv_namespaces]]\nbinding = "ASSETS"\nid = "x"\n', 5, /ASSETS is reserved in Pages projects/],
  ])('refuses %j as wrangler pages deploy does', (extra, line, message) => {
    const { problems } = resolve(`${base}${extra}`);
    expect(problems).toEqual([expect.objectContaining({ line, message: expect.stringMatching(message) })]);
    expect(problems[0]!.severity).toBeUndefined();
  });

  it.each([
    ['[build]\nupload.format = "directory"\n'],
    ['[env.production]\nAPI_URL = "x"\n'],
    ['kv_namespaces = []\n[[queues.producers]]\nbinding = "Q"\nqueue = "q"\n'],
    ['[[durable_objects.bindings]]\nname = "D"\nclass_name = "C"\nscript_name = "do-worker"\n'],
  ])('accepts %j as wrangler does (a default value, an unknown key, producers, a DO in another Worker)', (extra) => {
    expect(resolve(`${base}${extra}`).problems).toEqual([]);
  });

  it('needs the project name at the top level', () => {
    const { environments, problems } = resolve('pages_build_output_dir = "dist"\n', [], 'site/wrangler.toml');
    expect(environments.map((e) => e.scriptName)).toEqual(['site', 'site']);
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/needs its name at the top level/) })]);
  });
});
