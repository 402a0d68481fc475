/** A config without `main`: the entry given to `wrangler deploy` on the command line, from package.json scripts. */
import { describe, expect, it } from '@jest/globals';
import { applyScriptEntries, configForEntry, deployEntriesFromScripts, pickEntry, type PackageScripts } from '../../src/wrangler/entry-from-scripts.js';

describe('deployEntriesFromScripts', () => {
  it.each([
    ['plain', 'wrangler deploy src/index.ts', { entry: 'src/index.ts' }],
    ['with --env before the entry', 'wrangler deploy --env staging ./src/worker.ts', { entry: 'src/worker.ts', env: 'staging' }],
    ['with -e= and --minify', 'wrangler deploy -e=production --minify src/index.ts', { entry: 'src/index.ts', env: 'production' }],
    ['through npx, after a build', 'npm run build && npx wrangler deploy dist/worker.js --name api', { entry: 'dist/worker.js' }],
    ['pnpm exec, a config flag', 'pnpm exec wrangler deploy --config wrangler.prod.toml src/index.ts', { entry: 'src/index.ts', config: 'wrangler.prod.toml' }],
    ['the old name publish', 'wrangler publish src/index.js', { entry: 'src/index.js' }],
    ['after cd', 'cd worker && wrangler deploy src/index.ts', { entry: 'worker/src/index.ts' }],
    ['quoted, with a var', 'FOO=1 wrangler deploy "src/index.ts" --var "A:b c"', { entry: 'src/index.ts' }],
    ['an unknown switch before the entry', 'wrangler deploy --experimental-something src/index.ts', { entry: 'src/index.ts' }],
  ])('%s', (_name, command, expected) => {
    expect(deployEntriesFromScripts({ deploy: command })).toEqual([{ script: 'deploy', ...(expected as object) }]);
  });

  it.each([
    ['no entry', 'wrangler deploy --env production'],
    ['another command', 'wrangler dev src/index.ts'],
    ['pages', 'wrangler pages deploy dist'],
    ['not wrangler', 'vite build src/index.ts'],
  ])('finds nothing for %s', (_name, command) => {
    expect(deployEntriesFromScripts({ deploy: command })).toEqual([]);
  });

  it('ignores scripts that are not strings and a missing scripts field', () => {
    expect(deployEntriesFromScripts({ deploy: 1, other: ['wrangler deploy a.ts'] })).toEqual([]);
    expect(deployEntriesFromScripts(undefined)).toEqual([]);
  });
});

describe('pickEntry and configForEntry', () => {
  const entries = deployEntriesFromScripts({
    'deploy:staging': 'wrangler deploy --env staging src/staging.ts',
    deploy: 'wrangler deploy src/index.ts',
    'deploy:other': 'wrangler deploy src/other.ts',
  });

  it('prefers the script for the environment, then the script named deploy, then one without --env', () => {
    expect(pickEntry(entries, 'staging')?.entry).toBe('src/staging.ts');
    expect(pickEntry(entries, null)?.entry).toBe('src/index.ts');
    expect(pickEntry(entries, 'production')?.entry).toBe('src/index.ts');
  });

  it('finds the config as wrangler does: --config, else the nearest one from the entry folder up', () => {
    const configs = ['worker/wrangler.toml', 'worker/src/admin/wrangler.json', 'wrangler.toml'];
    expect(configForEntry('worker', { script: 'd', entry: 'src/index.ts' }, configs)).toBe('worker/wrangler.toml');
    expect(configForEntry('worker', { script: 'd', entry: 'src/admin/x.ts' }, configs)).toBe('worker/src/admin/wrangler.json');
    expect(configForEntry('.', { script: 'd', entry: 'tools/x.ts' }, configs)).toBe('wrangler.toml');
    expect(configForEntry('worker', { script: 'd', entry: 'src/index.ts', config: 'wrangler.prod.toml' }, configs)).toBeUndefined();
  });
});

describe('applyScriptEntries', () => {
  const env = (name: string | null, extra: object = {}) => ({ name, dev: false, ...extra });
  const pkg: PackageScripts = { path: 'worker/package.json', entries: deployEntriesFromScripts({ deploy: 'wrangler deploy src/index.ts' }), locate: () => ({ line: 4, column: 5 }) };

  it('sets main and mainAt for environments without main, with one note naming the script', () => {
    const { workers, notes } = applyScriptEntries([{ path: 'worker/wrangler.toml', environments: [env(null), env('staging'), env('dev', { dev: true })] }], [pkg], new Map());
    expect(workers[0]!.environments.map((e) => (e as { main?: string }).main)).toEqual(['worker/src/index.ts', 'worker/src/index.ts', undefined]);
    expect(workers[0]!.environments[0]).toMatchObject({ mainAt: { file: 'worker/package.json', line: 4, column: 5 } });
    expect(notes).toEqual([expect.objectContaining({ file: 'worker/wrangler.toml', severity: 'note', message: expect.stringMatching(/analysed worker\/src\/index\.ts, the entry the script "deploy" \(worker\/package\.json:4\)/) })]);
  });

  it('leaves main alone for the environments no script deploys with an entry', () => {
    const worker = { path: 'worker/wrangler.toml', environments: [env('staging', { main: 'worker/src/main.ts' })] };
    expect(applyScriptEntries([worker], [pkg], new Map())).toEqual({ workers: [worker], notes: [] });
  });

  it('an entry on the command line replaces main for the environment the script deploys, as wrangler does (seen in a public repository)', () => {
    const daily: PackageScripts = { path: 'worker/package.json', entries: deployEntriesFromScripts({ 'deploy:daily': 'wrangler deploy src/daily/index.ts --env daily' }), locate: () => ({ line: 7, column: 5 }) };
    const worker = { path: 'worker/wrangler.toml', environments: [env(null, { main: 'worker/src/main.ts' }), env('daily', { main: 'worker/src/main.ts' })] };
    const { workers, notes } = applyScriptEntries([worker], [daily], new Map());
    expect(workers[0]!.environments.map((e) => (e as { main?: string }).main)).toEqual(['worker/src/main.ts', 'worker/src/daily/index.ts']);
    expect(notes).toEqual([expect.objectContaining({ message: expect.stringMatching(/deploys worker\/src\/daily\/index\.ts, the entry the script "deploy:daily" .* in place of its main/) })]);
  });

  it('says when a Worker with code has no entry anywhere, but not for Pages or assets-only Workers', () => {
    const workers = ['a', 'pages', 'assets'].map((dir) => ({ path: `${dir}/wrangler.toml`, environments: [env(null)] }));
    const kinds = new Map([['pages/wrangler.toml', { pages: true, assets: false }], ['assets/wrangler.toml', { pages: false, assets: true }]]);
    const { notes } = applyScriptEntries(workers, [], kinds);
    expect(notes).toEqual([expect.objectContaining({ file: 'a/wrangler.toml', message: expect.stringMatching(/sets no main, and no package\.json script/) })]);
  });
});
