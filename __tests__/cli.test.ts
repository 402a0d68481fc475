/** The CLI as a user drives it: flags, exit codes, formats, and what must never be printed. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { EXAMPLE, PROJECT_ROOT, REF_A, REF_B, SCENARIOS } from './helpers/paths.js';
import { tempDir } from './helpers/tree.js';

function run(args: string[], env: Record<string, string> = {}, cwd = PROJECT_ROOT) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd, isTty: false });
  return { code, stdout, stderr };
}

describe('deploy-guard check on the bundled incident example', () => {
  it('prints the production mismatch at the Worker line with the frontend line as related, and exits 1', () => {
    const { code, stdout } = run(['check', 'examples/incident']);
    expect(code).toBe(1);
    expect(stdout).toContain('Environment: production');
    expect(stdout).toContain('workers/wrangler.toml:21');
    expect(stdout).toContain('supabase-ref-mismatch');
    expect(stdout).toContain(`project ${REF_B}`);
    expect(stdout).toContain(`project ${REF_A}`);
    expect(stdout).toMatch(/related: \.env\.production:2/);
    expect(stdout).toContain('Environment: development');
    expect(stdout).toMatch(/workers\/wrangler\.toml:8:5 +dead-binding/);
    expect(stdout).toContain('2 errors');
  });

  it('treats the command name as optional and the folder as the current one by default', () => {
    expect(run([], {}, EXAMPLE).code).toBe(1);
    expect(run(['examples/incident']).code).toBe(1);
  });

  it('exits 0 when --fail-on never, and when the threshold is above the findings', () => {
    expect(run(['check', 'examples/incident', '--fail-on', 'never']).code).toBe(0);
  });

  it('exits 0 on a repository where everything agrees', () => {
    const { code, stdout } = run(['check', path.join(SCENARIOS, 'same-project', 'repo')]);
    expect(code).toBe(0);
    expect(stdout).toContain('No problems found');
    expect(stdout).toMatch(/production .*same project/);
  });
});

describe('flags and exit code 2', () => {
  it.each([
    [['--format', 'yaml'], /--format must be one of text, json, markdown, sarif/],
    [['--fail-on', 'fatal'], /--fail-on must be one of/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['a', 'b'], /at most one folder/],
    [['does/not/exist'], /does not exist/],
    [['--config', 'missing.json', 'examples/incident'], /cannot read the config file missing\.json/],
  ])('%j is a user error with a clear message and exit 2', (args, message) => {
    const { code, stderr, stdout } = run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(stdout).toBe('');
  });

  it('rejects a config file with an unknown key, naming the key', () => {
    const dir = tempDir('dg-config-');
    fs.writeFileSync(path.join(dir, 'deploy-guard.config.json'), '{ "rulez": {} }');
    const { code, stderr } = run([dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown key "rulez"');
  });

  it('--help explains every flag and exits 0', () => {
    const { code, stdout } = run(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--env', '--format', '--output', '--config', '--fail-on', 'Exit codes']) expect(stdout).toContain(flag);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version']).stdout.trim()).toBe(pkg.version);
  });
});

describe('JSON output', () => {
  it('follows the JSON contract (version, root, summary, findings) with the Worker inventory', () => {
    const { code, stdout } = run(['check', 'examples/incident', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    expect(report.root).toBe('examples/incident');
    expect(report.summary).toEqual({ errors: 2, warnings: 0, notes: 0 });
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'dead-binding', severity: 'error', file: 'workers/wrangler.toml', line: 8, environment: 'development', subject: 'SESSIONS' }),
      expect.objectContaining({ rule: 'supabase-ref-mismatch', severity: 'error', file: 'workers/wrangler.toml', line: 21, environment: 'production', subject: 'SUPABASE_URL' }),
    ]);
    const envs = report.workers[0].environments;
    const development = envs.find((e: { name: string | null; dev: boolean }) => e.name === 'development' && !e.dev);
    expect(development).toMatchObject({
      scriptName: 'jobmatch-api-development',
      bindings: [{ name: 'SESSIONS', kind: 'kv_namespace' }],
      vars: ['ENVIRONMENT'],
      secrets: ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_URL'],
    });
    const production = envs.find((e: { name: string | null; dev: boolean }) => e.name === 'production' && !e.dev);
    expect(production.bindings).toEqual([]); // not inherited, and none declared
  });

  it('is byte-for-byte the same on every run', () => {
    const first = run(['check', 'examples/incident', '--format', 'json']).stdout;
    const second = run(['check', 'examples/incident', '--format', 'json']).stdout;
    expect(second).toBe(first);
  });

  it('--output writes the report to a file and keeps stdout clean', () => {
    const dir = tempDir('dg-out-');
    const file = path.join(dir, 'nested', 'report.json');
    const { code, stdout, stderr } = run(['check', 'examples/incident', '--format', 'json', '--output', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('report written to');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).summary.errors).toBe(2);
  });
});

describe('deploy-time values', () => {
  const repo = path.join(SCENARIOS, 'deploy-time-secret', 'repo');
  const expected = JSON.parse(fs.readFileSync(path.join(SCENARIOS, 'deploy-time-secret', 'expected.json'), 'utf8')) as { processEnv: Record<string, string> };
  const secrets = Object.values(expected.processEnv);

  it('compares values handed in with --env, and prints none of them in any format', () => {
    for (const format of ['text', 'json', 'markdown']) {
      const { code, stdout, stderr } = run(['check', repo, '--env', 'production', '--format', format], expected.processEnv);
      expect(code).toBe(1);
      expect(stdout).toContain('supabase-ref-mismatch');
      for (const secret of secrets) {
        expect(stdout).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
      const key = expected.processEnv.SUPABASE_SERVICE_ROLE_KEY!;
      expect(stdout).not.toContain(key.split('.')[2]!); // not even the signature segment
    }
  });

  it('ignores the process environment without --env', () => {
    const { code } = run(['check', repo], expected.processEnv);
    expect(code).toBe(0);
  });
});

describe('the committed bundles', () => {
  it('run with plain node and no node_modules anywhere near them', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = tempDir('dg-bundle-');
    fs.cpSync(path.join(PROJECT_ROOT, 'dist'), dir, { recursive: true });
    fs.cpSync(path.join(PROJECT_ROOT, 'examples', 'incident'), path.join(dir, 'example'), { recursive: true });
    const cli = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'check', 'example', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout).summary.errors).toBe(2);
    const action = spawnSync(process.execPath, [path.join(dir, 'index.js')], { cwd: path.join(dir, 'example'), encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(action.stdout).toMatch(/::error title=deploy-guard%3A supabase-ref-mismatch/);
  });
});

describe('deploy-guard check --format sarif on a folder below the repository top', () => {
  const wrangler = 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "SESSIONS", id = "a1" }]\n';
  const tree = (withGit: boolean) => {
    const root = tempDir('dg-sarif-');
    fs.mkdirSync(path.join(root, 'app', 'src'), { recursive: true });
    if (withGit) fs.mkdirSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, 'app', 'wrangler.toml'), wrangler);
    fs.writeFileSync(path.join(root, 'app', 'src', 'index.ts'), 'export default { fetch() { return new Response("ok"); } };\n');
    return root;
  };
  const uris = (cwd: string, folder: string) => {
    const log = JSON.parse(run(['check', folder, '--format', 'sarif'], {}, cwd).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    return log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
  };

  it('writes repository-relative URIs, as code scanning resolves them from the repository root', () => {
    const root = tree(true);
    expect(uris(root, 'app')).toEqual(['app/wrangler.toml']);
    // Run from inside the folder: the same URIs.
    expect(uris(path.join(root, 'app'), '.')).toEqual(['app/wrangler.toml']);
  });

  it('keeps paths relative to the checked folder outside a repository', () => {
    expect(uris(tree(false), 'app')).toEqual(['wrangler.toml']);
  });
});
