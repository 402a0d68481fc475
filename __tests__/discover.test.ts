/** What the walk lists: git-tracked files whatever .gitignore says, code files for frontends. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { discover } from '../src/discover.js';
import { writeTree } from './helpers/tree.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function gitRepo(files: Record<string, string>, forceAdd: string[]): string {
  const root = writeTree(files);
  roots.push(root);
  spawnSync('git', ['init', '-q'], { cwd: root });
  spawnSync('git', ['add', '--', ...Object.keys(files).filter((f) => !forceAdd.includes(f))], { cwd: root });
  if (forceAdd.length > 0) spawnSync('git', ['add', '-f', '--', ...forceAdd], { cwd: root });
  return root;
}

describe('discover', () => {
  it('reads a wrangler config that git tracks although .gitignore lists it', () => {
    const root = gitRepo({
      '.gitignore': 'wrangler.jsonc\nworker/\n',
      'wrangler.jsonc': '{ "name": "app", "main": "worker/index.ts" }',
      'worker/index.ts': 'export default {};',
      'worker/wrangler.toml': 'name = "inner"',
    }, ['wrangler.jsonc', 'worker/index.ts', 'worker/wrangler.toml']);
    const found = discover(root);
    expect(found.files.filter((f) => f.kind === 'wrangler-config').map((f) => f.path)).toEqual(['worker/wrangler.toml', 'wrangler.jsonc']);
    expect(found.codeFiles).toEqual(['worker/index.ts']);
  });

  it('still skips what .gitignore lists and git does not track', () => {
    const root = gitRepo({
      '.gitignore': 'generated/\nwrangler.generated.toml\n',
      'generated/wrangler.toml': 'name = "generated"',
      'wrangler.toml': 'name = "app"',
    }, []);
    expect(discover(root).files.map((f) => f.path)).toEqual(['wrangler.toml']);
  });

  it('lists code modules, not declaration files, sorted', () => {
    const root = writeTree({ 'src/b.tsx': '', 'src/a.ts': '', 'src/types.d.ts': '', 'src/App.svelte': '', 'README.md': '' });
    roots.push(root);
    expect(discover(root).codeFiles).toEqual(['src/App.svelte', 'src/a.ts', 'src/b.tsx']);
  });
});
