/**
 * Deploy commands decide which environments the binding rules judge: a repository
 * whose scripts and workflows deploy some environments, run through the whole check.
 */
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../src/check.js';
import { toJsonReport } from '../src/report/json.js';
import { writeTree } from './helpers/tree.js';

/** Every environment but [env.production] lacks the D1 binding DB the code reads. */
const WRANGLER = `name = "api"
main = "src/index.ts"
kv_namespaces = [{ binding = "CACHE", id = "a1" }]

[env.production]
kv_namespaces = [{ binding = "CACHE", id = "b1" }]
d1_databases = [{ binding = "DB", database_name = "api", database_id = "d1" }]

[env.staging]
kv_namespaces = [{ binding = "CACHE", id = "c1" }]

[env.local]
kv_namespaces = [{ binding = "CACHE", id = "e1" }]

[env.qa]
kv_namespaces = [{ binding = "CACHE", id = "f1" }]
`;
const CODE = 'export default { async fetch(_r: Request, env: { DB: D1Database; CACHE: KVNamespace }) { await env.CACHE.get("k"); return Response.json(await env.DB.prepare("select 1").first()); } };\n';

/** The environments where missing-binding reports DB. */
function judged(files: Record<string, string>): string[] {
  const root = writeTree({ 'wrangler.toml': WRANGLER, 'src/index.ts': CODE, ...files });
  return runCheck({ root }).findings.filter((f) => f.rule === 'missing-binding' && f.subject === 'DB').map((f) => f.environment!).sort();
}

const scripts = (s: Record<string, string>) => ({ 'package.json': JSON.stringify({ scripts: s }) });

describe('environments judged by the binding rules', () => {
  it.each([
    ['no deploy command: every environment', {}, ['local', 'qa', 'staging', 'top-level']],
    ['deploys only --env production: the top level and local are not deployed, staging and qa may be', scripts({ deploy: 'wrangler deploy --env production' }), ['qa', 'staging']],
    ['qa used only by wrangler dev', scripts({ deploy: 'wrangler deploy --env production', 'dev:qa': 'wrangler dev --env qa' }), ['staging']],
    ['--env preview without [env.preview] deploys the top level', scripts({ deploy: 'wrangler deploy --env production', preview: 'wrangler deploy --env preview' }), ['qa', 'staging', 'top-level']],
    ['a command deploying local makes it judged', scripts({ deploy: 'wrangler deploy --env production && wrangler deploy -e local' }), ['local', 'qa', 'staging']],
    [
      'a workflow deploying the top level with wrangler-action',
      { ...scripts({ deploy: 'wrangler deploy --env production' }), '.github/workflows/deploy.yml': 'jobs:\n  d:\n    steps:\n      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: x\n' },
      ['qa', 'staging', 'top-level'],
    ],
    [
      'a workflow below the root, which GitHub never runs',
      { ...scripts({ deploy: 'wrangler deploy --env production' }), 'tools/.github/workflows/deploy.yml': 'jobs:\n  d:\n    steps:\n      - run: npx wrangler deploy\n' },
      ['qa', 'staging'],
    ],
  ])('%s', (_name, files, expected) => {
    expect(judged(files)).toEqual(expected);
  });

  it('lists the deploy facts in the JSON report, and a broken workflow is a note', () => {
    const root = writeTree({
      'wrangler.toml': WRANGLER,
      'src/index.ts': CODE,
      ...scripts({ deploy: 'wrangler deploy --env production', 'secrets:prod': 'wrangler secret put API_TOKEN --env production' }),
      '.github/workflows/broken.yml': 'jobs: [\n',
    });
    const result = runCheck({ root });
    const report = toJsonReport(result, { root: '.' });
    expect(report.workers[0]).toMatchObject({
      config: 'wrangler.toml',
      deploy: {
        deployed: [{ env: 'production', at: { file: 'package.json', line: 1 }, via: 'package.json script "deploy"' }],
        devOnly: [],
        secrets: [{ name: 'API_TOKEN', env: 'production', via: 'package.json script "secrets:prod"' }],
      },
    });
    const production = result.model.workers[0]!.environments.find((e) => e.name === 'production' && !e.dev)!;
    expect(production.secrets).toContainEqual({ name: 'API_TOKEN', source: 'deploy-command', at: { file: 'package.json', line: 1, column: expect.any(Number) } });
    expect(result.findings).toContainEqual(expect.objectContaining({ severity: 'note', file: '.github/workflows/broken.yml', line: 2 }));
  });
});

describe('names a deploy command supplies', () => {
  const code = 'export default { async fetch(_r: Request, env: { API_ORIGIN: string; OTHER: string }) { return new Response(env.API_ORIGIN + env.OTHER); } };\n';
  const missing = (files: Record<string, string>) =>
    runCheck({ root: writeTree({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n\n[env.production]\n', 'src/index.ts': code, ...files }) })
      .findings.filter((f) => f.rule === 'missing-secret').map((f) => `${f.environment} ${f.subject}`).sort();

  it('counts `wrangler deploy --var NAME:VALUE` (one or several) as supplying NAME to the environment it deploys', () => {
    expect(missing(scripts({ deploy: 'wrangler deploy --env production --var API_ORIGIN:https://app.example.com' }))).toEqual(['production OTHER']);
    expect(missing(scripts({ deploy: 'wrangler deploy --env production --var API_ORIGIN:https://app.example.com OTHER:1' }))).toEqual([]);
    // Nothing declares either name: one finding lists both.
    expect(missing(scripts({ deploy: 'wrangler deploy --env production' }))).toEqual(['production API_ORIGIN, OTHER']);
  });
});
