/**
 * Hostile input: random and malformed files must end in a JSON report with exit 0 or 1, a finding
 * naming the file and line, and every other file still checked. Property-based with fast-check;
 * `npm run fuzz` runs the same properties with many more cases (FUZZ_RUNS).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { main } from '../src/cli-main.js';
import { readEnvFile } from '../src/read/env-file.js';
import { readJsonc } from '../src/read/jsonc.js';
import { decodeText } from '../src/read/text.js';
import { readToml } from '../src/read/toml.js';
import { analyzeModule } from '../src/usage/module-facts.js';
import { PROJECT_ROOT, REF_A, REF_B } from './helpers/paths.js';
import { writeTree } from './helpers/tree.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const PIPELINE_RUNS = Math.max(10, Math.round(RUNS / 8));

type Report = { findings: { rule: string; severity: string; file: string; line: number; message: string }[] };

function check(root: string): { code: number; report: Report; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = <number>main(['check', root, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: PROJECT_ROOT, isTty: false });
  return { code, report: JSON.parse(stdout) as Report, stderr };
}

/** Text that looks like config often enough to reach deep into the parsers. */
const configish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.constantFrom('[env.production]', '[[kv_namespaces]]', 'binding = "X"', 'name = 5', 'kv_namespaces = "x"', 'env = 3', '{', '}', '[', ']', '"', "'''", ',', '=', '\u0000', '\uFEFF', '\r\n', '#', 'vars = { A = 1 }', `SUPABASE_URL = "https://${REF_A}.supabase.co"`, 'main = "../../etc/passwd"', '// c', '/*', '"env": {', 'A="unterminated', 'export B=`x`'), { maxLength: 40 }).map((parts) => parts.join('\n')),
);

describe('parsers never throw', () => {
  it('readToml', () => fc.assert(fc.property(configish, (text) => { readToml(text, 'wrangler.toml'); }), { numRuns: RUNS }));
  it('readJsonc', () => fc.assert(fc.property(configish, (text) => { readJsonc(text, 'wrangler.jsonc', 'jsonc'); readJsonc(text, 'wrangler.json', 'json'); }), { numRuns: RUNS }));
  it('readEnvFile', () => fc.assert(fc.property(configish, (text) => { readEnvFile(text, '.env'); }), { numRuns: RUNS }));
  it('decodeText', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => { decodeText(Buffer.from(bytes), 'f'); }), { numRuns: RUNS }));
  it('analyzeModule', () => fc.assert(fc.property(fc.oneof(configish, fc.constantFrom('export default { fetch(r, env) { return env[', 'import(', '<div>{env.X</div>', 'class { @dec m(env) { env.A } }')), (text) => { analyzeModule(text, 'src/index.tsx'); }), { numRuns: RUNS }));
});

describe('the whole pipeline on random repositories', () => {
  const names = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc', '.env', '.env.production', '.dev.vars', '.dev.vars.staging', 'package.json', 'src/index.ts', 'with space/.env.local', 'ünïcödé/wrangler.toml', 'a/b/.env.example'];
  it('always ends with a JSON report, exit 0 or 1, and findings that name real files', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), configish, { minKeys: 1, maxKeys: 6 }), (files) => {
        const root = writeTree(files);
        const { code, report, stderr } = check(root);
        expect([0, 1]).toContain(code);
        expect(stderr).toBe('');
        for (const f of report.findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(fs.existsSync(path.join(root, f.file)) || f.file.endsWith('.ts')).toBe(true);
        }
        fs.rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: PIPELINE_RUNS },
    );
  });
});

describe('named hostile inputs', () => {
  const good = {
    'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^7.0.0' } }),
    '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n`,
    'good/wrangler.toml': `name = "good"\n\n[env.production.vars]\nSUPABASE_URL = "https://${REF_B}.supabase.co"\n`,
  };
  const stillFindsTheMismatch = (report: Report) =>
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: 'supabase-ref-mismatch', file: 'good/wrangler.toml' }));

  it.each<[string, Record<string, string | Buffer>, RegExp]>([
    ['60,000-deep TOML', { 'deep/wrangler.toml': `a = ${'['.repeat(60_000)}` }, /deep\/wrangler\.toml/],
    ['60,000-deep JSONC', { 'deep/wrangler.jsonc': '['.repeat(60_000) }, /deep\/wrangler\.jsonc/],
    ['a binary wrangler.toml', { 'bin/wrangler.toml': Buffer.from([0x6e, 0x00, 0xff, 0x00]) }, /looks binary/],
    ['an invalid UTF-8 .dev.vars', { 'bad/wrangler.toml': 'name = "bad"\n', 'bad/.dev.vars': Buffer.from([0x41, 0x3d, 0xc3, 0x28, 0x0a]) }, /not valid UTF-8/],
    ['wrong types everywhere', { 'types/wrangler.toml': 'name = 5\nkv_namespaces = "x"\nenv = 3\nvars = [1]\n' }, /name must be a string/],
    ['a main outside the repository', { 'escaping/wrangler.toml': 'name = "escaping"\nmain = "../../../../etc/hosts"\n' }, /outside the repository/],
    ['an empty wrangler.json', { 'empty/wrangler.json': '' }, /empty/],
  ])('%s: a finding names it, the rest is still checked', (_name, files, message) => {
    const root = writeTree({ ...good });
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    }
    const { code, report } = check(root);
    expect(code).toBe(1);
    expect(report.findings.some((f) => message.test(f.message) || message.test(f.file))).toBe(true);
    stillFindsTheMismatch(report);
  });

  it('a 30 MB single-line .env is skipped with a note naming it', () => {
    const root = writeTree({ ...good, 'huge/.env': `HUGE=${'x'.repeat(30 * 1024 * 1024)}\n` });
    const { report } = check(root);
    expect(report.findings).toContainEqual(expect.objectContaining({ rule: 'parse-error', severity: 'note', file: 'huge/.env', message: expect.stringMatching(/above the 5 MiB limit/) }));
    stillFindsTheMismatch(report);
  });

  it('a directory named .env.production, a symlink loop and a link out of the root', () => {
    const root = writeTree({ ...good, '.env.staging/readme.txt': 'a folder named like an env file' });
    fs.symlinkSync('..', path.join(root, 'good', 'loop'));
    fs.symlinkSync('/etc', path.join(root, 'escape'));
    const { code, report } = check(root);
    expect(code).toBe(1);
    expect(report.findings).toContainEqual(expect.objectContaining({ file: 'escape', message: expect.stringMatching(/outside the repository/) }));
    stillFindsTheMismatch(report);
  });

  it('BOM, CRLF and duplicate keys are read as the tools read them', () => {
    const root = writeTree({ ...good, '.env.production': `\uFEFFVITE_SUPABASE_URL=https://${REF_B}.supabase.co\r\nVITE_SUPABASE_URL=https://${REF_A}.supabase.co\r\n` });
    stillFindsTheMismatch(check(root).report);
  });
});
