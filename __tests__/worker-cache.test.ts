/**
 * The Worker results cache (src/usage/worker-cache.ts): a Worker none of whose inputs changed is
 * answered from the cache, and anything its analysis rested on (a module's text, a file appearing
 * where an import looked, a tsconfig, a file going away) makes the next run analyse it again,
 * giving the report a run without the cache gives.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { CacheFolder } from '../src/usage/analysis-cache.js';
import { createUsageAnalyzer } from '../src/usage/index.js';
import { moduleSignature, sameStat, WORKERS_FILE, type WorkerEntry } from '../src/usage/worker-cache.js';
import { tempDir, writeTree } from './helpers/tree.js';

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: process.cwd(), isTty: false });
  return { code, stdout, stderr };
}

const WRANGLER = `name = "api"
main = "src/index.ts"
compatibility_date = "2024-09-01"

[[kv_namespaces]]
binding = "SESSIONS"
id = "0123456789abcdef0123456789abcdef"

[vars]
MODE = "production"
`;

const ENTRY = `import { helper } from './lib/extra';
export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    return new Response(String(env.MODE) + helper(env));
  },
};
`;

/** The Worker's usage, from a fresh analyzer over the cache folder; `reused`: Workers answered from the cache. */
function analyse(root: string, cache: string) {
  const folder = new CacheFolder(cache, 'test-build');
  const analyzer = createUsageAnalyzer({ root, packageJsonFiles: [], store: folder.facts, workers: folder.workers });
  const usage = analyzer.analyzeWorker('src/index.ts');
  analyzer.close();
  folder.save();
  expect(folder.notes()).toEqual([]);
  return { usage, reused: folder.workers.reused };
}

/** The check's JSON report with the cache, and without it, after `change`. */
function afterChange(files: Record<string, string>, change: (root: string) => void) {
  const root = writeTree(files);
  const cache = tempDir('dg-worker-cache-');
  const before = run(['check', root, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]);
  change(root);
  const cached = run(['check', root, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]);
  const fresh = run(['check', root, '--format', 'json', '--fail-on', 'never']);
  return { before: before.stdout, cached: cached.stdout, fresh: fresh.stdout };
}

describe('the Worker results cache', () => {
  it('answers a Worker from the cache when nothing changed, even when its files were touched', () => {
    const root = writeTree({ 'wrangler.toml': WRANGLER, 'src/index.ts': ENTRY, 'src/lib/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n' });
    const cache = tempDir('dg-worker-cache-');
    const first = analyse(root, cache);
    expect(first.reused).toBe(0);
    expect(first.usage.reads.map((r) => r.name)).toEqual(['MODE', 'SESSIONS']);
    const second = analyse(root, cache);
    expect(second.reused).toBe(1);
    expect(second.usage).toEqual(first.usage);
    // A fresh checkout gives every file new times: the content keys still match.
    const later = new Date(Date.now() + 60_000);
    for (const rel of ['src/index.ts', 'src/lib/extra.ts']) fs.utimesSync(path.join(root, rel), later, later);
    const touched = analyse(root, cache);
    expect(touched.reused).toBe(1);
    expect(touched.usage).toEqual(first.usage);
  });

  it('stores a result reused by content with the stats its modules have now', () => {
    const root = writeTree({ 'wrangler.toml': WRANGLER, 'src/index.ts': ENTRY, 'src/lib/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n' });
    const cache = tempDir('dg-worker-cache-');
    analyse(root, cache);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'src/index.ts'), later, later);
    expect(analyse(root, cache).reused).toBe(1);
    const stored = JSON.parse(fs.readFileSync(path.join(cache, WORKERS_FILE), 'utf8')) as { body: Record<string, WorkerEntry> };
    const [entry] = Object.values(stored.body);
    expect(entry!.modules.find((m) => m[0] === 'src/index.ts')![2]).toBe(fs.statSync(path.join(root, 'src/index.ts')).mtimeMs);
  });

  it('never trusts the stat of a file whose times were close to the clock when it was read', () => {
    const stat = fs.statSync(writeTree({ 'a.ts': 'x' }));
    const readAt = Math.max(stat.mtimeMs, stat.ctimeMs);
    // Read in the same tick it was written: a same-size edit in that tick would keep every time.
    expect(sameStat(moduleSignature('a.ts', stat, 'key', readAt + 500), stat)).toBe(false);
    // Read long after it was written: the stat is the file's.
    expect(sameStat(moduleSignature('a.ts', stat, 'key', readAt + 10_000), stat)).toBe(true);
  });

  it('does not hand a result to a copy of the repository elsewhere, where an absolute path means another file', () => {
    const cache = tempDir('dg-worker-cache-');
    const first = writeTree({});
    const files = (root: string): Record<string, string> => ({
      'wrangler.toml': WRANGLER,
      'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': [`${root}/lib/*`] } } }),
      'src/index.ts': ENTRY.replace("'./lib/extra'", "'@lib/extra'"),
      'lib/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n',
    });
    for (const [rel, text] of Object.entries(files(first))) {
      fs.mkdirSync(path.dirname(path.join(first, rel)), { recursive: true });
      fs.writeFileSync(path.join(first, rel), text);
    }
    const copy = path.join(tempDir('dg-worker-copy-'), 'repo');
    fs.cpSync(first, copy, { recursive: true });
    run(['check', first, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]);
    const cached = run(['check', copy, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]);
    const fresh = run(['check', copy, '--format', 'json', '--fail-on', 'never']);
    expect(cached.stdout).toBe(fresh.stdout);
  });

  it('does not believe a cache folder git tracks: a commit could have forged it', () => {
    const root = writeTree({ 'wrangler.toml': WRANGLER, 'src/index.ts': ENTRY, 'src/lib/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n' });
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    const cache = path.join(root, 'node_modules', '.cache', 'deploy-guard');
    const fresh = run(['check', root, '--format', 'json', '--fail-on', 'never']);
    run(['check', root, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]);
    // Forged: every read of the Worker removed, so its bindings would look dead.
    const file = path.join(cache, WORKERS_FILE);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { body: Record<string, WorkerEntry> };
    for (const entry of Object.values(stored.body)) entry.usage.reads = [];
    fs.writeFileSync(file, JSON.stringify(stored));
    expect(run(['check', root, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]).stdout).not.toBe(fresh.stdout);
    git('add', '-A', '-f');
    git('commit', '-q', '-m', 'cache');
    const result = run(['check', root, '--format', 'json', '--fail-on', 'never', '--cache-location', cache]);
    expect(result.stderr).toMatch(/ignored the cache in .*: git tracks files there/);
    expect(result.stdout).toBe(fresh.stdout);
  });

  it('analyses a Worker again when one of its modules changed', () => {
    const root = writeTree({ 'wrangler.toml': WRANGLER, 'src/index.ts': ENTRY, 'src/lib/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n' });
    const cache = tempDir('dg-worker-cache-');
    analyse(root, cache);
    fs.writeFileSync(path.join(root, 'src/lib/extra.ts'), 'export function helper(env: Env) { return "none"; }\n');
    const changed = analyse(root, cache);
    expect(changed.reused).toBe(0);
    expect(changed.usage.reads.map((r) => r.name)).toEqual(['MODE']);
  });

  it('finds a module added where an import looked for it', () => {
    const { before, cached, fresh } = afterChange({ 'wrangler.toml': WRANGLER, 'src/index.ts': ENTRY }, (root) => {
      fs.mkdirSync(path.join(root, 'src/lib'));
      fs.writeFileSync(path.join(root, 'src/lib/extra.ts'), 'export function helper(env: Env) { return String(env.SESSIONS); }\n');
    });
    expect(cached).toBe(fresh);
    expect(cached).not.toBe(before);
  });

  it('notices a module that went away', () => {
    const { before, cached, fresh } = afterChange(
      { 'wrangler.toml': WRANGLER, 'src/index.ts': ENTRY, 'src/lib/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n' },
      (root) => fs.rmSync(path.join(root, 'src/lib/extra.ts')),
    );
    expect(cached).toBe(fresh);
    expect(cached).not.toBe(before);
  });

  it('resolves an import to a workspace package added since', () => {
    const { before, cached, fresh } = afterChange({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'wrangler.toml': WRANGLER,
      'src/index.ts': ENTRY.replace("'./lib/extra'", "'@mono/extra'"),
      // packages/ already there: only the list of package.json files discovery hands in changes.
      'packages/other/package.json': JSON.stringify({ name: '@mono/other' }),
    }, (root) => {
      fs.mkdirSync(path.join(root, 'packages/extra/src'), { recursive: true });
      fs.writeFileSync(path.join(root, 'packages/extra/package.json'), JSON.stringify({ name: '@mono/extra', main: 'src/index.ts' }));
      fs.writeFileSync(path.join(root, 'packages/extra/src/index.ts'), 'export function helper(env: Env) { return String(env.SESSIONS); }\n');
    });
    expect(cached).toBe(fresh);
    expect(cached).not.toBe(before);
  });

  it('follows a tsconfig whose paths now lead elsewhere', () => {
    const tsconfig = (target: string) => JSON.stringify({ compilerOptions: { paths: { '@/*': [`${target}/*`] } } });
    const { before, cached, fresh } = afterChange({
      'wrangler.toml': WRANGLER,
      'tsconfig.json': tsconfig('src/a'),
      'src/index.ts': ENTRY.replace("'./lib/extra'", "'@/extra'"),
      'src/a/extra.ts': 'export function helper(env: Env) { return String(env.SESSIONS); }\n',
      'src/b/extra.ts': 'export function helper(env: Env) { return "none"; }\n',
    }, (root) => fs.writeFileSync(path.join(root, 'tsconfig.json'), tsconfig('src/b')));
    expect(cached).toBe(fresh);
    expect(cached).not.toBe(before);
  });
});
