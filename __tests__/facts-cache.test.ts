/**
 * `--cache`: a run that reads Worker results and module facts from the cache prints the same bytes
 * as one that parses everything; a changed module, a file added where the resolver looked or a
 * changed tsconfig is analysed again; a corrupt or foreign cache file is ignored with a note; the
 * cache never holds a literal of the code a report would redact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { FACTS_FOLDER } from '../src/usage/facts-cache.js';
import { WORKERS_FILE } from '../src/usage/worker-cache.js';
import { PROJECT_ROOT, SCENARIOS } from './helpers/paths.js';
import { tempDir } from './helpers/tree.js';

function run(args: string[], cwd = PROJECT_ROOT) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd, isTty: false });
  return { code, stdout, stderr };
}

/** A copy of a scenario's repository, so a test may change its files. */
function copyScenario(name: string): string {
  const root = path.join(tempDir('dg-cache-repo-'), 'repo');
  fs.cpSync(path.join(SCENARIOS, name, 'repo'), root, { recursive: true });
  return root;
}

/** Every file the cache folder holds, repo-relative to it. */
function cacheFiles(cache: string): string[] {
  return fs.readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(cache, f)).isFile()).sort();
}

const scenarios = fs.readdirSync(SCENARIOS).filter((name) => fs.existsSync(path.join(SCENARIOS, name, 'repo'))).sort();

describe('deploy-guard check --cache', () => {
  it.each(scenarios)('%s: the same report without the cache, with a cold cache and with a warm one', (name) => {
    const repo = path.join(SCENARIOS, name, 'repo');
    const cache = tempDir('dg-cache-');
    const plain = run(['check', repo, '--format', 'json']);
    const cold = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    const warm = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    expect(cold.stdout).toBe(plain.stdout);
    expect(warm.stdout).toBe(plain.stdout);
    expect(cold.code).toBe(plain.code);
    expect(warm.code).toBe(plain.code);
    expect(cold.stderr).toBe(plain.stderr);
    expect(warm.stderr).toBe(plain.stderr);
  });

  it('writes the cache where --cache-location says, and parses a changed module again', () => {
    const repo = copyScenario('helper-destructured-param');
    const cache = tempDir('dg-cache-');
    run(['check', repo, '--format', 'json', '--cache-location', cache]);
    expect(fs.existsSync(path.join(cache, WORKERS_FILE))).toBe(true);
    expect(fs.readdirSync(path.join(cache, FACTS_FOLDER)).length).toBeGreaterThan(0);
    const before = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    // Every read of the Worker's code removed: its bindings become dead, which only a new parse can tell.
    const files = fs.readdirSync(repo, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ts$/.test(f) && !f.includes('node_modules'));
    for (const file of files) fs.writeFileSync(path.join(repo, file), 'export default { async fetch() { return new Response("ok"); } };\n');
    const after = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    const fresh = run(['check', repo, '--format', 'json']);
    expect(after.stdout).toBe(fresh.stdout);
    expect(after.stdout).not.toBe(before.stdout);
  });

  it('--cache keeps it under node_modules/.cache/deploy-guard of the current folder', () => {
    const cwd = tempDir('dg-cache-cwd-');
    run(['check', path.join(SCENARIOS, 'same-project', 'repo'), '--cache'], cwd);
    expect(fs.existsSync(path.join(cwd, 'node_modules', '.cache', 'deploy-guard', WORKERS_FILE))).toBe(true);
  });

  it.each([
    ['corrupt', () => '{"format": "deploy-guard-worker-usage/2", "bo', /ignored the cache .*: it is not valid JSON/],
    ['foreign', () => JSON.stringify({ version: 3, files: {} }), /ignored the cache .*: it is not a deploy-guard cache file/],
    ['from another build', (format: string) => JSON.stringify({ format, tool: '0.0.1+old', body: {} }), /ignored the cache .*: it was written by another build/],
  ])('a %s cache file is ignored with a note, the report is right, and the file is written anew', (_kind, content, note) => {
    const repo = path.join(SCENARIOS, 'env-constant-keys', 'repo');
    const cache = tempDir('dg-cache-');
    run(['check', repo, '--format', 'json', '--cache-location', cache]);
    const written = cacheFiles(cache);
    for (const file of written) {
      fs.writeFileSync(path.join(cache, file), content(file === WORKERS_FILE ? 'deploy-guard-worker-usage/2' : 'deploy-guard-module-facts/3'));
    }
    const plain = run(['check', repo, '--format', 'json']);
    const result = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    expect(result.stdout).toBe(plain.stdout);
    expect(result.stderr).toMatch(note);
    // One line for every file of the cache that could not be used for the same reason.
    expect(written.length).toBeGreaterThan(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`and ${written.length - 1} other cache`);
    const again = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(plain.stdout);
  });

  it('an entry of the wrong shape in a cache of the right build is a miss, not a crash', () => {
    const repo = path.join(SCENARIOS, 'guarded-reads', 'repo');
    const cache = tempDir('dg-cache-');
    run(['check', repo, '--format', 'json', '--cache-location', cache]);
    for (const file of cacheFiles(cache)) {
      const full = path.join(cache, file);
      const content = JSON.parse(fs.readFileSync(full, 'utf8')) as { body: Record<string, unknown> };
      for (const key of Object.keys(content.body)) content.body[key] = file === WORKERS_FILE ? { journal: [], modules: [], usage: { reads: 'not a list' } } : ['key', { reads: 'not a list' }];
      fs.writeFileSync(full, JSON.stringify(content));
    }
    expect(run(['check', repo, '--format', 'json', '--cache-location', cache]).stdout).toBe(run(['check', repo, '--format', 'json']).stdout);
  });

  it.each(['app-builder-client-module', 'service-key-in-frontend-code'])('%s: a key written in the code never reaches the cache file', (name) => {
    const repo = path.join(SCENARIOS, name, 'repo');
    const cache = tempDir('dg-cache-');
    run(['check', repo, '--cache-location', cache]);
    const keys = fs.readdirSync(repo, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.[jt]sx?$/.test(f))
      .flatMap((f) => fs.readFileSync(path.join(repo, f), 'utf8').match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []);
    expect(keys.length).toBeGreaterThan(0);
    const stored = cacheFiles(cache).map((f) => fs.readFileSync(path.join(cache, f), 'utf8')).join('\n');
    for (const key of keys) expect(stored).not.toContain(key);
  });
});
