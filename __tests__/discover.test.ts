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

describe('discover through symbolic links', () => {
  const pages = {
    'functions/api/hello.ts': 'export const onRequest = () => new Response("hi");\n',
    'functions/.dev.vars.example': 'SUPABASE_URL=\n',
    'web/wrangler.toml': 'name = "web"\npages_build_output_dir = "dist"\n',
    'web/package.json': '{ "name": "web" }\n',
  };

  it('reads a folder a link aliases (web/functions -> ../functions) under both paths', () => {
    const root = writeTree(pages);
    roots.push(root);
    fs.symlinkSync('../functions', `${root}/web/functions`);
    const found = discover(root);
    expect(found.codeFiles).toEqual(['functions/api/hello.ts', 'web/functions/api/hello.ts']);
    expect(found.files.map((f) => f.path)).toEqual(expect.arrayContaining(['functions/.dev.vars.example', 'web/functions/.dev.vars.example']));
    expect(found.skipped).toEqual([]);
  });

  it('skips a loop, and a second alias of a folder already aliased, each with its reason', () => {
    const root = writeTree(pages);
    roots.push(root);
    fs.symlinkSync('../functions', `${root}/web/functions`);
    fs.symlinkSync('../functions', `${root}/web/more-functions`);
    fs.symlinkSync('..', `${root}/functions/api/up`);
    const found = discover(root);
    expect(found.codeFiles).toEqual(['functions/api/hello.ts', 'web/functions/api/hello.ts']);
    expect(found.skipped).toEqual([
      { path: 'functions/api/up', reason: 'is a symbolic link loop (it leads back to a folder that holds it)' },
      { path: 'web/more-functions', reason: 'leads to functions, which is already read through another alias' },
    ]);
  });
});
