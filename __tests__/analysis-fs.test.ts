/**
 * The journal of what a Worker's analysis asked the file system (src/usage/analysis-fs.ts): one
 * line per folder looked in, and `stillHolds` false as soon as any answer would now differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { MemoFs } from '../src/usage/analysis-fs.js';
import { RecordingFs } from '../src/usage/recording-fs.js';
import { SCENARIOS } from './helpers/paths.js';
import { tempDir, writeTree } from './helpers/tree.js';

/** The journal of `ask` on a fresh run over `root`. */
function journalOf(root: string, ask: (files: RecordingFs) => void) {
  const files = new RecordingFs(new MemoFs(root));
  ask(files);
  return files.journal();
}

const holds = (root: string, journal: ReturnType<typeof journalOf>) => new MemoFs(root).stillHolds(journal);

describe('the analysis file system journal', () => {
  it('journals a folder once for every candidate a resolution tried in it', () => {
    const root = writeTree({ 'src/a.ts': '', 'src/b.ts': '' });
    const journal = journalOf(root, (files) => {
      for (const name of ['a.ts', 'a.tsx', 'b.ts', 'c.ts', 'c.js']) files.isFile(path.join(root, 'src', name));
    });
    expect(journal).toEqual([['names', 'src', expect.any(String), ['a.ts', 'a.tsx', 'b.ts', 'c.js', 'c.ts']]]);
    expect(holds(root, journal)).toBe(true);
  });

  it('still holds when a file nobody asked about appears beside the ones asked about', () => {
    const root = writeTree({ 'src/a.ts': '', 'tsconfig.json': '{}' });
    const journal = journalOf(root, (files) => {
      files.isFile(path.join(root, 'src', 'a.ts'));
      files.isFile(path.join(root, 'tsconfig.json'));
    });
    fs.writeFileSync(path.join(root, 'README.md'), '# notes');
    fs.writeFileSync(path.join(root, 'src', 'notes.md'), '');
    expect(holds(root, journal)).toBe(true);
    fs.writeFileSync(path.join(root, 'src', 'a.tsx'), '');
    expect(holds(root, journal)).toBe(true);
    fs.rmSync(path.join(root, 'tsconfig.json'));
    expect(holds(root, journal)).toBe(false);
  });

  it('no longer holds when a file appears where a resolution looked, or goes away', () => {
    const root = writeTree({ 'src/a.ts': '' });
    const journal = journalOf(root, (files) => {
      files.isFile(path.join(root, 'src', 'extra.ts'));
      files.isFile(path.join(root, 'src', 'a.ts'));
    });
    fs.writeFileSync(path.join(root, 'src', 'extra.ts'), '');
    expect(holds(root, journal)).toBe(false);
    fs.rmSync(path.join(root, 'src', 'extra.ts'));
    expect(holds(root, journal)).toBe(true);
    fs.rmSync(path.join(root, 'src', 'a.ts'));
    expect(holds(root, journal)).toBe(false);
  });

  it('no longer holds when a config it read changed, and holds when only its time did', () => {
    const root = writeTree({ 'tsconfig.json': '{"compilerOptions":{}}' });
    const file = path.join(root, 'tsconfig.json');
    const journal = journalOf(root, (files) => files.readText(file));
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    expect(holds(root, journal)).toBe(true);
    fs.writeFileSync(file, '{"compilerOptions":{"baseUrl":"."}}');
    expect(holds(root, journal)).toBe(false);
  });

  it('holds after a dependency bump in a package.json, not after its exports changed', () => {
    const manifest = (version: string, entry: string) => JSON.stringify({ name: '@mono/lib', exports: entry, dependencies: { hono: version } });
    const root = writeTree({ 'packages/lib/package.json': manifest('4.0.0', './src/index.ts') });
    const file = path.join(root, 'packages/lib/package.json');
    const journal = journalOf(root, (files) => expect(files.readManifest(file)).toEqual({ name: '@mono/lib', exports: './src/index.ts' }));
    fs.writeFileSync(file, manifest('4.6.1', './src/index.ts'));
    expect(holds(root, journal)).toBe(true);
    fs.writeFileSync(file, manifest('4.6.1', './src/main.ts'));
    expect(holds(root, journal)).toBe(false);
  });

  it('asks a link itself where it leads, and no longer holds when it leads out of the repository', () => {
    const outside = tempDir('dg-outside-');
    fs.writeFileSync(path.join(outside, 'x.ts'), '');
    const root = writeTree({ 'src/real.ts': '' });
    const link = path.join(root, 'src', 'linked.ts');
    fs.symlinkSync(path.join(root, 'src', 'real.ts'), link);
    const journal = journalOf(root, (files) => expect(files.realInside(link)).toBe(true));
    expect(journal.map(([question, rel]) => [question, rel])).toEqual([['real', 'src/linked.ts']]);
    expect(holds(root, journal)).toBe(true);
    fs.rmSync(link);
    fs.symlinkSync(path.join(outside, 'x.ts'), link);
    expect(holds(root, journal)).toBe(false);
  });
});

describe('a repository checked through a link to it', () => {
  it('finds its modules inside it, as when checked at its real path', () => {
    const real = writeTree({ 'src/a.ts': '' });
    const link = path.join(tempDir('dg-link-'), 'repo');
    fs.symlinkSync(real, link);
    const files = new MemoFs(link);
    expect(files.realInside(path.join(link, 'src', 'a.ts'))).toBe(true);
    expect(new MemoFs(real).realInside(path.join(real, 'src', 'a.ts'))).toBe(true);
  });

  it('reports what a check at its real path reports', () => {
    const real = path.join(SCENARIOS, 'helper-destructured-param', 'repo');
    const link = path.join(tempDir('dg-link-'), 'repo');
    fs.symlinkSync(real, link);
    const findings = (root: string) => {
      let stdout = '';
      main(['check', root, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => {}, env: {}, cwd: process.cwd(), isTty: false });
      return (JSON.parse(stdout) as { findings: unknown[] }).findings;
    };
    expect(findings(link)).toEqual(findings(real));
    expect(findings(real).length).toBeGreaterThan(0);
  });
});
