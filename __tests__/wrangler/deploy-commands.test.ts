/** What deploy commands say about each Worker config: deployed environments, dev-only ones, secret names. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DeployFacts } from '../../src/model.js';
import { shellCommands } from '../../src/wrangler/command-line.js';
import { readDeployCommands, type DeployInputs, type PackageSource } from '../../src/wrangler/deploy-commands.js';

const CONFIGS: DeployInputs['configs'] = [
  {
    path: 'wrangler.toml',
    environments: [
      { name: null, scriptName: 'api' },
      { name: 'local', scriptName: 'api-local' },
      { name: 'production', scriptName: 'api-production' },
      { name: 'staging', scriptName: 'api-staging' },
    ],
  },
  { path: 'workers/mail/wrangler.jsonc', environments: [{ name: null, scriptName: 'mail' }, { name: 'production', scriptName: 'mail-prod' }] },
];

const FILES: Record<string, string[]> = { 'secrets.json': ['STRIPE_KEY', 'RESEND_KEY'], '.env.production': ['DATABASE_URL'] };

function pkg(path: string, scripts: Record<string, string>): PackageSource {
  const names = Object.keys(scripts);
  return { path, scripts, locate: (s) => ({ line: names.indexOf(s) + 3, column: 5 }) };
}

function read(packages: PackageSource[], workflows: DeployInputs['workflows'] = []) {
  return readDeployCommands({ configs: CONFIGS, packages, workflows, secretFileNames: (f) => FILES[f] });
}

/** Per config: `deployed` / `devOnly` environments ('top' for the top level) and secrets as NAME@env. */
function summary(facts: Map<string, DeployFacts>) {
  const env = (e: string | null) => e ?? 'top';
  return Object.fromEntries(
    [...facts].map(([config, f]) => [config, { deployed: f.deployed.map((d) => env(d.env)), devOnly: f.devOnly.map((d) => d.env), secrets: f.secrets.map((s) => `${s.name}@${env(s.env)}`) }]),
  );
}

const only = (deployed: string[], devOnly: string[] = [], secrets: string[] = []) => ({ 'wrangler.toml': { deployed, devOnly, secrets } });
const mail = (deployed: string[], secrets: string[] = []) => ({ 'workers/mail/wrangler.jsonc': { deployed, devOnly: [], secrets } });

describe('package.json scripts', () => {
  it.each([
    ['wrangler deploy', 'wrangler deploy', only(['top'])],
    ['--env', 'wrangler deploy --env staging', only(['staging'])],
    ['npx, -e=, other flags', 'npx wrangler deploy -e=production --minify --outdir dist', only(['production'])],
    ['CLOUDFLARE_ENV before wrangler', 'CLOUDFLARE_ENV=staging wrangler deploy', only(['staging'])],
    ['a Vite build for CLOUDFLARE_ENV, then a plain deploy', 'CLOUDFLARE_ENV=production vite build && wrangler deploy', only(['production'])],
    ['versions upload', 'wrangler versions upload --env staging', only(['staging'])],
    ['the old name publish', 'wrangler publish', only(['top'])],
    ['a package binary through pnpm', 'pnpm wrangler deploy --env staging', only(['staging'])],
    ['OpenNext', 'opennextjs-cloudflare build && opennextjs-cloudflare deploy --env production', only(['production'])],
    ['an --env the repository does not say: every environment', 'wrangler deploy --env "$DEPLOY_ENV"', only(['top', 'local', 'production', 'staging'])],
    ['--env X without [env.X]: recorded as written', 'wrangler deploy --env preview', only(['preview'])],
    ['cd into another config', 'cd workers/mail && wrangler deploy --env production', mail(['production'])],
    ['--config', 'wrangler deploy -c workers/mail/wrangler.jsonc', mail(['top'])],
    ['--cwd', 'wrangler deploy --cwd workers/mail', mail(['top'])],
    ['an entry in another config folder', 'wrangler deploy workers/mail/src/index.ts', mail(['top'])],
    ['wrangler dev --env', 'wrangler dev --env local --port 8787', only([], ['local'])],
    ['secret put, for an environment', 'echo "$KEY" | wrangler secret put API_KEY --env production', only([], [], ['API_KEY@production'])],
    ['secret put without --env: the top level', 'wrangler secret put API_KEY', only([], [], ['API_KEY@top'])],
    ['secret put --name: the environment with that script name', 'wrangler secret put API_KEY --name mail-prod', mail([], ['API_KEY@production'])],
    ['secret put --name --env: <name>-<env>', 'wrangler secret put API_KEY --name api --env staging', only([], [], ['API_KEY@staging'])],
    ['secret bulk FILE: the names in the file', 'wrangler secret bulk secrets.json --env staging', only([], [], ['RESEND_KEY@staging', 'STRIPE_KEY@staging'])],
    ['--secrets-file', 'wrangler deploy --secrets-file .env.production --env production', only(['production'], [], ['DATABASE_URL@production'])],
    ['a loop of secret puts', 'for s in A_KEY B_KEY; do echo x | wrangler secret put $s; done', only([], [], ['A_KEY@top', 'B_KEY@top'])],
    ['a multi-line command', 'wrangler deploy \\\n  --env staging', only(['staging'])],
  ])('%s', (_name, command, expected) => {
    expect(summary(read([pkg('package.json', { deploy: command })]).facts)).toEqual(expected);
  });

  it.each([
    ['wrangler dev without --env', 'wrangler dev'],
    ['Pages', 'wrangler pages deploy dist'],
    ['a secret whose name is not known', 'wrangler secret put $NAME'],
    ['secret bulk from stdin', 'echo "$JSON" | wrangler secret bulk'],
    ['a secret for a Worker no config names', 'wrangler secret put KEY --name other-worker'],
    ['a comment', '# wrangler deploy --env production'],
    ['a here document', 'cat <<EOF > notes.txt\nwrangler deploy --env production\nEOF'],
    ['not wrangler', 'vite build && supabase functions deploy'],
    ['a folder outside the repository', 'cd /tmp && wrangler deploy'],
  ])('finds nothing for %s', (_name, command) => {
    expect(summary(read([pkg('package.json', { deploy: command })]).facts)).toEqual({});
  });

  it('follows scripts that run scripts, with the arguments they pass, and says which script ran', () => {
    const { facts } = read([pkg('package.json', { deploy: 'npm run build && npm run deploy:worker -- --env staging', 'deploy:worker': 'wrangler deploy', build: 'tsc' })]);
    expect(summary(facts)).toEqual(only(['top', 'staging']));
    expect(facts.get('wrangler.toml')!.deployed).toEqual([
      { env: null, at: { file: 'package.json', line: 4, column: 5 }, via: 'package.json script "deploy:worker"' },
      { env: 'staging', at: { file: 'package.json', line: 3, column: 5 }, via: 'package.json script "deploy" (script "deploy:worker")' },
    ]);
  });

  it('runs a script in the package a flag names, and ends loops of scripts', () => {
    const root = pkg('package.json', { 'deploy:mail': 'pnpm -C workers/mail run deploy --env production', a: 'npm run b', b: 'npm run a' });
    const child = pkg('workers/mail/package.json', { deploy: 'wrangler deploy' });
    expect(summary(read([root, child]).facts)).toEqual(mail(['top', 'production']));
  });

  it('runs the task of every package for turbo', () => {
    const root = pkg('package.json', { deploy: 'CLOUDFLARE_ENV=production turbo run deploy' });
    const child = pkg('workers/mail/package.json', { deploy: 'vite build && wrangler deploy' });
    expect(summary(read([root, child]).facts)).toEqual(mail(['top', 'production']));
  });

  it('does not count an environment as dev-only when a command deploys it', () => {
    expect(summary(read([pkg('package.json', { dev: 'wrangler dev --env staging', deploy: 'wrangler deploy --env staging' })]).facts)).toEqual(only(['staging']));
  });
});

const WORKFLOW = `name: Deploy
on: push
env:
  TARGET: production
jobs:
  deploy:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: workers/mail
    steps:
      - uses: actions/checkout@v4
      - name: Deploy mail
        run: |
          npm ci
          npx wrangler deploy --env \${{ env.TARGET }}
      - working-directory: .
        run: |
          echo "sk_live_not_a_real_value" | npx wrangler secret put STRIPE_KEY --env staging
  regions:
    strategy:
      matrix:
        env: [staging, production]
    runs-on: ubuntu-latest
    steps:
      - run: npx wrangler deploy --env \${{ matrix.env }}
      - name: Wrangler action
        uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.CF_API_TOKEN }}
          workingDirectory: workers/mail
          environment: production
          secrets: |
            RESEND_KEY
            SUPABASE_SERVICE_ROLE_KEY
        env:
          RESEND_KEY: \${{ secrets.RESEND_KEY }}
      - uses: cloudflare/wrangler-action@v3
        with:
          apiToken: \${{ secrets.CF_API_TOKEN }}
          environment: production
          command: |
            versions upload --env local
            deploy
`;

/** The 1-based line of WORKFLOW holding `text`. */
const lineOf = (text: string) => WORKFLOW.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('workflows', () => {
  const { facts, notes } = read([], [{ path: '.github/workflows/deploy.yml', text: WORKFLOW }]);

  it('reads run steps (working-directory, env, matrix) and wrangler-action steps (command, environment, secrets)', () => {
    expect(summary(facts)).toEqual({
      'wrangler.toml': { deployed: ['local', 'production', 'staging'], devOnly: [], secrets: ['STRIPE_KEY@staging'] },
      'workers/mail/wrangler.jsonc': { deployed: ['production'], devOnly: [], secrets: ['RESEND_KEY@production', 'SUPABASE_SERVICE_ROLE_KEY@production'] },
    });
    expect(notes).toEqual([]);
  });

  it('says where each command is: the line in the workflow and the step', () => {
    const file = '.github/workflows/deploy.yml';
    expect(facts.get('workers/mail/wrangler.jsonc')!.deployed).toEqual([{ env: 'production', at: { file, line: lineOf('npx wrangler deploy --env'), column: 1 }, via: `${file} step "Deploy mail"` }]);
    expect(facts.get('wrangler.toml')!.secrets).toEqual([{ name: 'STRIPE_KEY', env: 'staging', at: { file, line: lineOf('secret put STRIPE_KEY'), column: 1 }, via: `${file} job "deploy" step 3` }]);
    expect(facts.get('workers/mail/wrangler.jsonc')!.secrets.map((s) => [s.name, s.at.line, s.via])).toEqual([
      ['RESEND_KEY', lineOf('            RESEND_KEY'), `${file} step "Wrangler action"`],
      ['SUPABASE_SERVICE_ROLE_KEY', lineOf('            SUPABASE_SERVICE_ROLE_KEY'), `${file} step "Wrangler action"`],
    ]);
    expect(facts.get('wrangler.toml')!.deployed.map((d) => [d.env, d.at.line, d.via])).toEqual([
      ['local', lineOf('versions upload --env local'), `${file} job "regions" step 3`],
      ['production', lineOf('--env ${{ matrix.env }}'), `${file} job "regions" step 1`],
      ['staging', lineOf('--env ${{ matrix.env }}'), `${file} job "regions" step 1`],
    ]);
  });

  it('never keeps a value', () => {
    expect(JSON.stringify([...facts])).not.toContain('sk_live');
  });

  it('matches --name built from the workflow env and matrix to the config whose script name it is', () => {
    const text = `env:
  PROJECT: mail
jobs:
  secrets:
    strategy:
      matrix:
        suffix: [prod]
    steps:
      - run: |
          WORKER="\${{ env.PROJECT }}-\${{ matrix.suffix }}"
          echo "\${{ secrets.X }}" | npx wrangler secret put SUPABASE_URL --name $WORKER
          echo "\${{ secrets.X }}" | npx wrangler secret put OTHER --name "\${{ vars.ANY }}"
`;
    expect(summary(read([], [{ path: '.github/workflows/p.yml', text }]).facts)).toEqual(mail([], ['SUPABASE_URL@production']));
  });

  it('follows a workflow step that runs a package script in a matrix of folders', () => {
    const text = `jobs:
  deploy:
    strategy:
      matrix:
        app: [mail]
    steps:
      - run: |
          cd workers/\${{ matrix.app }}
          pnpm run deploy:prod
`;
    const child = pkg('workers/mail/package.json', { 'deploy:prod': 'wrangler deploy --env production' });
    const { facts: f } = read([child], [{ path: '.github/workflows/d.yml', text }]);
    expect(summary(f)).toEqual(mail(['production']));
  });

  it('turns a workflow that is not YAML into a note naming file and line', () => {
    const { facts: f, notes: n } = read([], [{ path: '.github/workflows/bad.yml', text: 'jobs:\n  a:\n    steps: [\n' }]);
    expect(f.size).toBe(0);
    expect(n).toEqual([expect.objectContaining({ file: '.github/workflows/bad.yml', line: 4, severity: 'note', message: expect.stringMatching(/^\.github\/workflows\/bad\.yml:4: .*deploy commands were not read/) })]);
  });

  it.each([
    ['jobs is a list', 'jobs: [1, 2]'],
    ['steps is a string', 'jobs:\n  a:\n    steps: hello'],
    ['a reusable workflow', 'jobs:\n  a:\n    uses: org/repo/.github/workflows/x.yml@v1'],
    ['a step with a number as run', 'jobs:\n  a:\n    steps:\n      - run: 42'],
    ['a matrix from an expression', 'jobs:\n  a:\n    strategy:\n      matrix: ${{ fromJson(needs.x.outputs.m) }}\n    steps:\n      - run: wrangler secret put K --env ${{ matrix.env }}'],
  ])('reads nothing, and does not fail, when %s', (_name, text) => {
    expect(summary(read([], [{ path: '.github/workflows/x.yml', text }]).facts)).toEqual({});
  });
});

describe('the command-line reader', () => {
  it('splits commands, keeps quoted words whole, and knows each line', () => {
    const commands = shellCommands('npm ci\n# wrangler deploy\nFOO="a b" wrangler deploy --var "X:y z" && echo done', '.');
    expect(commands.map((c) => [c.words, c.line])).toEqual([[['npm', 'ci'], 0], [['wrangler', 'deploy', '--var', 'X:y z'], 2], [['echo', 'done'], 2]]);
    expect(commands[1]!.vars.get('FOO')).toBe('a b');
  });

  it('never throws, and reads any text in linear time', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (script, workflow) => {
        read([pkg('package.json', { deploy: script, [script.slice(0, 5)]: `npm run ${script.slice(0, 5)}` })], [{ path: '.github/workflows/x.yml', text: workflow }]);
      }),
      { numRuns: 300 },
    );
    const long = 'wrangler deploy --env staging && '.repeat(20000) + 'wrangler dev';
    const started = Date.now();
    expect(summary(read([pkg('package.json', { deploy: long })]).facts)).toEqual(only(['staging']));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
