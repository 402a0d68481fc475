/**
 * The pair compared must be the pair that talks: a frontend is compared with the Workers a browser
 * can call (a fetch handler, a reachable host), never with the cron producer, queue consumer or
 * tail Worker that sits in the same repository on another project.
 */
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../src/check.js';
import { main } from '../src/cli-main.js';
import { writeTree } from './helpers/tree.js';
import { ruleCases } from './helpers/rule-cases.js';
import { REF_A, REF_B } from './helpers/paths.js';

const frontend = (extra = '') => ({
  'package.json': JSON.stringify({ name: 'web', scripts: { build: 'vite build' }, devDependencies: { vite: '^7.0.0' } }),
  '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n${extra}`,
});
const worker = (dir: string, name: string, ref: string, code: string, toml = '') => ({
  [`${dir}/wrangler.toml`]: `name = "${name}"\nmain = "src/index.ts"\n${toml}\n[vars]\nSUPABASE_URL = "https://${ref}.supabase.co"\n`,
  [`${dir}/src/index.ts`]: code,
});
const api = (ref: string) => worker('apps/api', 'api', ref, 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n', 'routes = [{ pattern = "api.example.com", custom_domain = true }]\n');
const cron = worker('workers/cron', 'cron', REF_B, 'export default { async scheduled(e: unknown, env: Env) { console.log(env.SUPABASE_URL); } };\n', '[triggers]\ncrons = ["*/5 * * * *"]\n');
const consumer = worker('workers/consumer', 'consumer', REF_B, 'export default { async queue(batch: unknown, env: Env) { console.log(env.SUPABASE_URL); } };\n', '[[queues.consumers]]\nqueue = "jobs"\n');
const hidden = worker('workers/internal', 'internal', REF_B, 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n', 'workers_dev = false\n');

describe('supabase-ref-mismatch compares only the Workers a frontend can call', () => {
  ruleCases('supabase-ref-mismatch', [
    {
      name: 'must not fire: a root frontend, its API on a custom domain on the same project, a cron Worker and a queue consumer on another',
      files: { ...frontend('VITE_API_URL=https://api.example.com\n'), ...api(REF_A), ...cron, ...consumer },
      expected: [],
    },
    {
      name: 'fires once: the same monorepo with the API Worker on another project, exactly that pair',
      files: { ...frontend('VITE_API_URL=https://api.example.com\n'), ...api(REF_B), ...cron, ...consumer },
      expected: ['error apps/api/wrangler.toml:6 [production] SUPABASE_URL'],
    },
    {
      name: 'must not fire: nothing names an API, and the only Worker in the folder is a cron producer',
      files: { ...frontend(), ...cron },
      expected: [],
    },
    {
      name: 'must not fire: the only Worker in the folder answers HTTP but is reachable by no host (workers_dev = false, no route)',
      files: { ...frontend(), ...hidden },
      expected: [],
    },
    {
      name: 'fires: the only Worker in the folder with a fetch handler is paired by proximity, beside a cron Worker',
      files: { ...frontend(), ...worker('workers/api', 'api', REF_B, 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n'), ...cron },
      expected: ['error workers/api/wrangler.toml:5 [production] SUPABASE_URL'],
    },
  ]);
});

describe('every frontend folder is seen', () => {
  it('a nested app with its own vite.config and Pages config is a frontend of its own, and its Pages project is its own', () => {
    const root = writeTree({
      'package.json': JSON.stringify({ name: 'shop', private: true, devDependencies: { vite: '^7.0.0' } }),
      '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n`,
      'admin/package.json': JSON.stringify({ name: '@shop/admin', dependencies: { react: '19' } }),
      'admin/vite.config.ts': 'export default {};\n',
      'admin/.env.production': `VITE_SUPABASE_URL=https://${REF_B}.supabase.co\n`,
      'admin/wrangler.toml': 'name = "shop-admin"\npages_build_output_dir = "dist"\n',
    });
    const { model } = runCheck({ root });
    expect(model.surfaces.filter((s) => s.kind === 'frontend' && s.environment === 'production').map((s) => s.label)).toEqual(['frontend shop (vite, mode production)', 'frontend admin (vite, mode production)']);
    expect(model.pairs.filter((p) => p.worker.path === 'admin/wrangler.toml').map((p) => [p.frontend.path, p.environment, p.link.kind])).toEqual([['admin', 'production', 'pages-functions']]);
  });

  it('Supabase Edge Functions are no frontend, whatever their .env names', () => {
    const root = writeTree({ 'supabase/functions/.env': 'VITE_INBOUND_EMAIL=inbox@example.com\n', ...api(REF_B) });
    expect(runCheck({ root }).model.surfaces.filter((s) => s.kind === 'frontend')).toEqual([]);
  });

  it('a frontend that uses Supabase and commits no value appears, named, with why its project is not decidable', () => {
    const root = writeTree({
      'apps/web/package.json': JSON.stringify({ name: '@acme/web', dependencies: { '@supabase/supabase-js': '^2', vite: '^7' } }),
      'apps/web/src/supabase.ts': 'import { createClient } from "@supabase/supabase-js";\nexport const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);\n',
      'apps/docs/package.json': JSON.stringify({ name: '@acme/docs', dependencies: { vite: '^7' } }),
    });
    let stdout = '';
    main(['check', root, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {}, cwd: root, isTty: false });
    const surfaces = (JSON.parse(stdout) as { surfaces: { label: string; project: string }[] }).surfaces;
    expect(surfaces.map((s) => [s.label, s.project])).toEqual([
      ['frontend apps/web (vite, mode production)', 'not decidable (no VITE_SUPABASE_* value is committed; the build may take it from its environment)'],
    ]);
  });
});

const nextApp = (ref: string, binding: string) => ({
  'web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15', '@opennextjs/cloudflare': '1' } }),
  'web/wrangler.jsonc': `{ "name": "web", "main": ".open-next/worker.js", "assets": { "directory": ".open-next/assets", "binding": "ASSETS" },\n  "vars": { "NEXT_PUBLIC_SUPABASE_URL": "https://${ref}.supabase.co" },\n  ${binding} }\n`,
});
const myApi = (ref: string) => worker('api', 'my-api', ref, 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n');

describe('a Worker that binds another is its caller', () => {
  ruleCases('supabase-ref-mismatch', [
    {
      name: 'must not fire: an OpenNext app binding its API Worker, both on one project',
      files: { ...nextApp(REF_A, '"services": [{ "binding": "API", "service": "my-api" }]'), ...myApi(REF_A) },
      expected: [],
    },
    {
      name: 'fires: the same app and API on two projects, exactly that pair',
      files: { ...nextApp(REF_A, '"services": [{ "binding": "API", "service": "my-api" }]'), ...myApi(REF_B) },
      expected: ['error api/wrangler.toml:5 [top-level] SUPABASE_URL'],
    },
    {
      name: 'must not fire: a binding to another environment of the API (environment field) that is on the same project',
      files: {
        ...nextApp(REF_A, '"services": [{ "binding": "API", "service": "my-api", "environment": "production" }]'),
        'api/wrangler.toml': `name = "my-api"\nmain = "src/index.ts"\n\n[vars]\nSUPABASE_URL = "https://${REF_B}.supabase.co"\n\n[env.production.vars]\nSUPABASE_URL = "https://${REF_A}.supabase.co"\n`,
        'api/src/index.ts': 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n',
      },
      expected: [],
    },
  ]);

  it('says why the pair was made: the binding, never "assumed"', () => {
    const { model } = runCheck({ root: writeTree({ ...nextApp(REF_A, '"services": [{ "binding": "API", "service": "my-api" }]'), ...myApi(REF_B) }) });
    const pair = model.pairs.find((p) => p.caller === 'worker')!;
    expect(pair.link.kind).toBe('service-binding');
    expect(pair.link.detail).toBe('worker web (web/wrangler.jsonc) binds API to worker my-api (api/wrangler.toml)');
  });
});

describe('a Worker whose Supabase address is not in the repository says why', () => {
  const surfacesOf = (files: Record<string, string>) => {
    const root = writeTree(files);
    let stdout = '';
    main(['check', root, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {}, cwd: root, isTty: false });
    return (JSON.parse(stdout) as { surfaces: { label: string; project: string }[] }).surfaces.filter((s) => s.label.includes('top level'));
  };
  const reads = 'export default { fetch(r: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n';

  it('a secret declared without a value, a value set nowhere, and a Worker that uses no Supabase', () => {
    expect(surfacesOf({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[secrets]\nrequired = ["SUPABASE_URL"]\n', 'src/index.ts': reads }).map((s) => s.project))
      .toEqual(['not decidable (SUPABASE_URL is a secret set outside the repository)']);
    expect(surfacesOf({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'src/index.ts': reads }).map((s) => s.project))
      .toEqual(['not decidable (SUPABASE_URL is read, and nothing in the repository sets it)']);
    expect(surfacesOf({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[vars]\nLOG = "1"\n', 'src/index.ts': 'export default { fetch(r: Request, env: Env) { return new Response(env.LOG); } };\n' }).map((s) => s.project))
      .toEqual(['no Supabase settings found']);
  });
});
