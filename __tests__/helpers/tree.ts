import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';

/**
 * Temporary folders made by a test file, removed when the file's tests are done (a full test
 * run once left about 64 `dg-*` folders behind). Jest evaluates this module once per test file
 * (each file has its own module registry), so the hook below is registered at the top level of
 * every test file that imports it, and runs after all of that file's tests.
 */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder in the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'dg-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes a mini repository into a fresh temporary folder (removed after the test file) and returns its path. */
export function writeTree(files: Record<string, string | Buffer>): string {
  const root = tempDir('dg-tree-');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}
