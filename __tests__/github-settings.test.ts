/**
 * Values a deploy workflow takes from GitHub's settings (`${{ secrets.X }}`, `${{ vars.X }}`): which GitHub
 * environment's `secrets.X` / `vars.X` a Worker's secret or a frontend's build receives, shown in
 * the reports although the value is not in the repository.
 */
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../src/check.js';
import { toJsonReport } from '../src/report/json.js';
import { formatText } from '../src/report/text.js';
import { writeTree } from './helpers/tree.js';

const WRANGLER = `name = "api"
main = "src/index.ts"

[env.staging]
[env.production]
`;
const WORKER_CODE = `import { createClient } from '@supabase/supabase-js';
export default { async fetch(_r: Request, env: { SUPABASE_URL: string; SUPABASE_ANON_KEY: string; API_TOKEN: string }) {
  const supabase = createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY);
  return Response.json({ ok: !!supabase, t: env.API_TOKEN });
} };
`;
const worker = { 'api/wrangler.toml': WRANGLER, 'api/src/index.ts': WORKER_CODE };

type Supplied = { variable: string; from: string; file: string; line: number };

/** The JSON report's `supplied` list of each surface that has one, by "environment label". */
function suppliedBySurface(files: Record<string, string>): Record<string, Supplied[]> {
  const result = runCheck({ root: writeTree(files) });
  const report = toJsonReport(result, { root: '.' }) as { surfaces: { environment: string; label: string; supplied: Supplied[] }[] };
  return Object.fromEntries(report.surfaces.filter((s) => s.supplied.length > 0).map((s) => [`${s.environment} ${s.label}`, s.supplied]));
}

describe('Worker secrets put from GitHub settings', () => {
  it('names the GitHub environment whose secret `wrangler secret put` pipes in', () => {
    const workflow = `name: deploy
on: push
jobs:
  production:
    runs-on: ubuntu-latest
    environment: production
    defaults:
      run:
        working-directory: api
    steps:
      - run: |
          echo "\${{ secrets.SUPABASE_URL }}" | npx wrangler secret put SUPABASE_URL --env production
          printf %s "$KEY" | npx wrangler secret put SUPABASE_ANON_KEY --env production
          echo "\${{ secrets.API_TOKEN }}" | npx wrangler secret put API_TOKEN --env production
          npx wrangler deploy --env production
        env:
          KEY: \${{ vars.SUPABASE_ANON_KEY }}
`;
    const files = { ...worker, '.github/workflows/deploy.yml': workflow };
    expect(suppliedBySurface(files)).toEqual({
      'production worker api-production (api/wrangler.toml [env.production])': [
        { variable: 'SUPABASE_ANON_KEY', from: 'vars.SUPABASE_ANON_KEY of GitHub environment "production"', file: '.github/workflows/deploy.yml', line: 13 },
        { variable: 'SUPABASE_URL', from: 'secrets.SUPABASE_URL of GitHub environment "production"', file: '.github/workflows/deploy.yml', line: 12 },
      ],
    });
    const result = runCheck({ root: writeTree(files) });
    // The names are supplied, so nothing is missing in production; staging has no command putting them.
    const missing = result.findings.filter((f) => f.rule === 'missing-secret').map((f) => `${f.environment} ${f.subject}`);
    expect(missing.filter((m) => m.startsWith('production'))).toEqual([]);
    expect(formatText(result, { colour: false, failOn: 'error' })).toContain('SUPABASE_URL ← secrets.SUPABASE_URL of GitHub environment "production" (.github/workflows/deploy.yml:12); the value is not in the repository');
  });

  it("follows wrangler-action's secrets list to the step's env, per matrix environment", () => {
    const workflow = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [staging, production]
    environment: \${{ matrix.target }}
    steps:
      - uses: cloudflare/wrangler-action@v3
        with:
          workingDirectory: api
          environment: \${{ matrix.target }}
          secrets: |
            SUPABASE_URL
            API_TOKEN
        env:
          SUPABASE_URL: \${{ vars.SUPABASE_URL }}
          API_TOKEN: \${{ secrets.API_TOKEN }}
`;
    expect(suppliedBySurface({ ...worker, '.github/workflows/deploy.yml': workflow })).toEqual({
      'production worker api-production (api/wrangler.toml [env.production])': [
        { variable: 'SUPABASE_URL', from: 'vars.SUPABASE_URL of GitHub environment "production"', file: '.github/workflows/deploy.yml', line: 15 },
      ],
      'staging worker api-staging (api/wrangler.toml [env.staging])': [
        { variable: 'SUPABASE_URL', from: 'vars.SUPABASE_URL of GitHub environment "staging"', file: '.github/workflows/deploy.yml', line: 15 },
      ],
    });
  });

  it('keeps an environment the workflow does not settle as written, and says nothing for a literal or a name outside Supabase', () => {
    const workflow = `on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: \${{ inputs.target }}
    steps:
      - run: |
          echo "$U" | npx wrangler secret put SUPABASE_URL --env production
          echo "$T" | npx wrangler secret put API_TOKEN --env production
        working-directory: api
        env:
          U: \${{ secrets.SUPABASE_URL }}
          T: \${{ secrets.API_TOKEN }}
      - run: echo "https://abcdefghijklmnopqrst.supabase.co" | npx wrangler secret put SUPABASE_URL --env staging
        working-directory: api
`;
    expect(suppliedBySurface({ ...worker, '.github/workflows/deploy.yml': workflow })).toEqual({
      'production worker api-production (api/wrangler.toml [env.production])': [
        { variable: 'SUPABASE_URL', from: 'secrets.SUPABASE_URL of GitHub environment "${{ inputs.target }}"', file: '.github/workflows/deploy.yml', line: 8 },
      ],
    });
  });

  it('gives no source when one line names several GitHub values', () => {
    const workflow = `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ secrets.A }}\${{ vars.B }}" | npx wrangler secret put SUPABASE_URL --env production
        working-directory: api
`;
    expect(suppliedBySurface({ ...worker, '.github/workflows/deploy.yml': workflow })).toEqual({});
  });
});

describe('frontend builds with values from GitHub settings', () => {
  const web = {
    'web/package.json': JSON.stringify({ scripts: { build: 'tsc && vite build', 'build:staging': 'vite build --mode staging' }, dependencies: { vite: '^6.0.0', '@supabase/supabase-js': '^2.0.0' } }),
    'web/.env.example': 'VITE_SUPABASE_URL=\nVITE_SUPABASE_ANON_KEY=\nVITE_APP_TITLE=\n',
    'web/src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);\n",
  };
  const workflow = (environment: string, command: string, dir = 'web') => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    environment: ${environment}
    env:
      VITE_APP_TITLE: \${{ vars.TITLE }}
    steps:
      - run: ${command}
        working-directory: ${dir}
        env:
          VITE_SUPABASE_URL: \${{ vars.SUPABASE_URL }}
          VITE_SUPABASE_ANON_KEY: https://not-a-github-value.example
`;

  it.each([
    ['staging', 'npm run build:staging'],
    ['production', 'npm run build'],
  ])('attributes a build step to the frontend in its folder and the mode it builds (%s)', (mode, command) => {
    expect(suppliedBySurface({ ...web, '.github/workflows/web.yml': workflow(mode, command) })).toEqual({
      [`${mode} frontend web (vite, mode ${mode})`]: [
        { variable: 'VITE_SUPABASE_URL', from: `vars.SUPABASE_URL of GitHub environment "${mode}"`, file: '.github/workflows/web.yml', line: 12 },
      ],
    });
  });

  it('repeats a build step for each GitHub environment a matrix job deploys to', () => {
    const matrix = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [staging, production]
    environment: \${{ matrix.target }}
    steps:
      - run: npm run build
        working-directory: web
        env:
          VITE_SUPABASE_URL: \${{ vars.SUPABASE_URL }}
`;
    expect(suppliedBySurface({ ...web, '.github/workflows/web.yml': matrix })['production frontend web (vite, mode production)']!.map((v) => v.from)).toEqual([
      'vars.SUPABASE_URL of GitHub environment "production"',
      'vars.SUPABASE_URL of GitHub environment "staging"',
    ]);
  });

  it('says nothing for a step that runs no build (tests with Supabase values in their env)', () => {
    expect(suppliedBySurface({ ...web, '.github/workflows/web.yml': workflow('test', 'npx playwright test') })).toEqual({});
  });

  it('attributes a build at the root only when one frontend lies under it', () => {
    const root = { '.github/workflows/web.yml': workflow('production', 'npx vite build web', '.') };
    expect(Object.keys(suppliedBySurface({ ...web, ...root }))).toEqual(['production frontend web (vite, mode production)']);
    const second = Object.fromEntries(Object.entries(web).map(([k, v]) => [k.replace(/^web\//, 'admin/'), v]));
    expect(suppliedBySurface({ ...web, ...second, ...root })).toEqual({});
    // The folder a build runs in after `cd` decides, not the step's.
    const cd = { '.github/workflows/web.yml': workflow('production', 'cd admin && npx vite build', '.') };
    expect(Object.keys(suppliedBySurface({ ...web, ...second, ...cd }))).toEqual(['production frontend admin (vite, mode production)']);
  });

  it('does not attribute a step in another folder', () => {
    expect(suppliedBySurface({ ...web, ...worker, '.github/workflows/web.yml': workflow('production', 'npm run build', 'api') })).toEqual({});
  });
});
