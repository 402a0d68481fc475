/**
 * `--cache`: a run that reads module facts from the cache prints the same bytes as one that
 * parses everything; a changed module is parsed again; a corrupt or foreign cache file is ignored
 * with a note; the cache never holds a literal of the code a report would redact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { CACHE_FILE } from '../src/usage/facts-cache.js';
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
    expect(fs.existsSync(path.join(cache, CACHE_FILE))).toBe(true);
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
    expect(fs.existsSync(path.join(cwd, 'node_modules', '.cache', 'deploy-guard', CACHE_FILE))).toBe(true);
  });

  it.each([
    ['corrupt', '{"format": "deploy-guard-module-facts/1", "entr', /ignored the cache .*: it is not valid JSON/],
    ['foreign', JSON.stringify({ version: 3, files: {} }), /ignored the cache .*: it is not a deploy-guard module-facts cache/],
    ['from another build', JSON.stringify({ format: 'deploy-guard-module-facts/1', tool: '0.0.1+old', entries: {} }), /ignored the cache .*: it was written by another build/],
  ])('a %s cache file is ignored with a note, the report is right, and the file is written anew', (_kind, content, note) => {
    const repo = path.join(SCENARIOS, 'env-constant-keys', 'repo');
    const cache = tempDir('dg-cache-');
    fs.writeFileSync(path.join(cache, CACHE_FILE), content);
    const plain = run(['check', repo, '--format', 'json']);
    const result = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    expect(result.stdout).toBe(plain.stdout);
    expect(result.stderr).toMatch(note);
    const again = run(['check', repo, '--format', 'json', '--cache-location', cache]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(plain.stdout);
  });

  it('an entry of the wrong shape in a cache of the right build is a miss, not a crash', () => {
    const repo = path.join(SCENARIOS, 'guarded-reads', 'repo');
    const cache = tempDir('dg-cache-');
    run(['check', repo, '--format', 'json', '--cache-location', cache]);
    const file = path.join(cache, CACHE_FILE);
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
    for (const key of Object.keys(body.entries)) body.entries[key] = { reads: 'not a list' };
    fs.writeFileSync(file, JSON.stringify(body));
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
    const stored = fs.readFileSync(path.join(cache, CACHE_FILE), 'utf8');
    for (const key of keys) expect(stored).not.toContain(key);
  });
});
