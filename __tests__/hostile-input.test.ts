/**
 * Hostile input: random and malformed files must end in a JSON report with exit 0 or 1, a finding
 * naming the file and line, and every other file still checked. Property-based with fast-check;
 * `npm run fuzz` runs the same properties with many more cases (FUZZ_RUNS).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { main } from '../src/cli-main.js';
import { readEnvFile } from '../src/read/env-file.js';
import { readJsonc } from '../src/read/jsonc.js';
import { decodeText } from '../src/read/text.js';
import { readToml } from '../src/read/toml.js';
import { analyzeModule } from '../src/usage/module-facts.js';
import { ensureNode24 } from './helpers/node24.js';
import { PROJECT_ROOT, REF_A, REF_B } from './helpers/paths.js';
import { tempDir, writeTree } from './helpers/tree.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** `npm run fuzz` (FUZZ_RUNS above the default) climbs the ladders below to their top rungs. */
const FULL = RUNS > 150;
const PIPELINE_RUNS = Math.max(10, Math.round(RUNS / 8));

type Report = { findings: { rule: string; severity: string; file: string; line: number; message: string; subject?: string }[] };

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
    ['an invalid UTF-8 .dev.vars', { 'bad/wrangler.toml': 'name = "bad"\n', 'bad/.dev.vars': Buffer.from([0x41, 0x3d, 0xc3, 0x28, 0x0a]) }, /not valid UTF-8|is not text/],
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

/** A repository where one Supabase password is `size` characters long (100 KB once crashed redaction, printing it). */
function passwordRepo(password: string): string {
  return writeTree({
    'api/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n',
    'api/src/index.ts': 'export default { fetch(r: Request, env: { DATABASE_URL: string }) { return new Response(env.DATABASE_URL); } };\n',
    'api/.dev.vars': `DATABASE_URL=postgresql://postgres:${password}@db.${REF_A}.supabase.co:5432/postgres\n`,
  });
}

describe('hostile files cost little and never leak', () => {
  it('a 200 KB database password: a report, not a crash, and the password in no output', () => {
    const password = `pw${'k7'.repeat(100_000)}`;
    const root = passwordRepo(password);
    for (const format of ['json', 'text', 'sarif', 'markdown']) {
      let stdout = '';
      let stderr = '';
      const code = main(['check', root, '--format', format], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: PROJECT_ROOT, isTty: false });
      expect([0, 1]).toContain(code);
      expect(stderr).toBe('');
      expect(stdout).not.toContain(password.slice(0, 64));
    }
  });

  it('a crash after the secrets were read: the last-resort message is redacted and short', () => {
    const password = `pw${'q9'.repeat(60)}`;
    const root = passwordRepo(password);
    // --output under a regular file: mkdir fails, and Node's error quotes the path, password and all.
    const blocker = path.join(tempDir('dg-crash-'), 'file');
    fs.writeFileSync(blocker, '');
    let stderr = '';
    const code = main(['check', root, '--output', path.join(blocker, password, 'report.json')], { stdout: () => {}, stderr: (t) => (stderr += t), env: {}, cwd: PROJECT_ROOT, isTty: false });
    expect(code).toBe(2);
    expect(stderr).toMatch(/ENOTDIR/);
    expect(stderr).toContain('[redacted]');
    expect(stderr).not.toContain(password);
  });

  it('1,000,000 blank lines before a junk line: one finding at the right line', () => {
    // Reading was once quadratic and this took minutes (100,000 lines took 73 s); no time is asserted, only the answer.
    const root = writeTree({ 'api/wrangler.toml': 'name = "api"\n', 'api/.dev.vars': `${'\n'.repeat(1_000_000)}junk\nA=1\n` });
    const { report } = check(root);
    expect(report.findings.filter((f) => f.file === 'api/.dev.vars' && f.rule === 'parse-error')).toEqual([
      expect.objectContaining({ line: 1_000_001, message: expect.stringMatching(/line 1000001 is not a NAME=value line/) }),
    ]);
  });

  it('800,000 junk lines: 20 listed, one finding counts the rest', () => {
    const root = writeTree({ 'api/wrangler.toml': 'name = "api"\n', 'api/.dev.vars': 'junk\n'.repeat(800_000) });
    const { report } = check(root);
    const mine = report.findings.filter((f) => f.file === 'api/.dev.vars');
    expect(mine).toHaveLength(21);
    expect(mine.at(-1)).toEqual(expect.objectContaining({ line: 21, message: expect.stringMatching(/: 799980 more lines from line 21 on are not NAME=value lines/) }));
  });

  it('120 findings of one rule in one file: 50 listed, one finding counts the rest', () => {
    const vars = Array.from({ length: 120 }, (_, i) => `V${String(i).padStart(3, '0')} = "x"`).join('\n');
    const root = writeTree({ 'api/wrangler.toml': `name = "api"\nmain = "src/index.ts"\n[vars]\n${vars}\n`, 'api/src/index.ts': 'export default { fetch() { return new Response("ok"); } };\n' });
    const unused = check(root).report.findings.filter((f) => f.rule === 'unused-var');
    expect(unused).toHaveLength(51);
    expect(unused.at(-1)!.message).toMatch(/70 more unused-var findings in api\/wrangler\.toml, from line 54 on, are not listed/);
  });

  it.each([
    ['wrangler.json', (n: number) => `{"name":"api","main":"src/index.ts","vars":{"X":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`],
    ['wrangler.toml', (n: number) => `name = "api"\nmain = "src/index.ts"\n[vars]\nX = ${'{a='.repeat(n)}1${'}'.repeat(n)}\n`],
  ])('%s nested 2,000 deep is a parse error naming the limit; 900 deep is read', (name, nested) => {
    const code = 'export default { fetch() { return new Response("ok"); } };\n';
    const deep = check(writeTree({ [`api/${name}`]: nested(2_000), 'api/src/index.ts': code })).report;
    expect(deep.findings).toContainEqual(expect.objectContaining({ rule: 'parse-error', file: `api/${name}`, message: expect.stringMatching(/nested deeper than 1000 levels/) }));
    const read = check(writeTree({ [`api/${name}`]: nested(900), 'api/src/index.ts': code })).report;
    expect(read.findings.filter((f) => f.rule === 'parse-error')).toEqual([]);
  });
});

/**
 * Size and depth ladders (no input above 5 s or 1 GB is the aim): each rung is one `check` of a generated repository;
 * the time and the process's peak memory so far are printed per rung, not asserted (timings depend
 * on the machine). `npm run fuzz` climbs to the top rungs; `npm test` stops lower.
 */
describe('ladders: time per input', () => {
  const rows: string[] = [];
  afterAll(() => {
    if (rows.length > 0) console.info(`hostile-input ladders (ms per check, peak RSS so far):\n${rows.join('\n')}`);
  });
  const rung = (label: string, files: Record<string, string>, secret?: string) => {
    const root = writeTree(files);
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    const code = main(['check', root, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: PROJECT_ROOT, isTty: false });
    const ms = performance.now() - started;
    fs.rmSync(root, { recursive: true, force: true });
    rows.push(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(6)} MB`);
    expect([0, 1]).toContain(code);
    expect(stderr).toBe('');
    if (secret) expect(stdout).not.toContain(secret);
  };
  const worker = 'name = "api"\nmain = "src/index.ts"\n';
  const code = 'export default { fetch() { return new Response("ok"); } };\n';
  const ladder = (full: number[], quick: number[]) => (FULL ? full : quick);

  it.each(ladder([10_000, 100_000, 1_000_000, 4_000_000], [10_000, 100_000]))('blank lines then junk in .dev.vars: %i lines', (n) => {
    rung(`.dev.vars, ${n} blank lines then junk`, { 'api/wrangler.toml': worker, 'api/src/index.ts': code, 'api/.dev.vars': `${'\n'.repeat(n)}junk\n` });
  });
  it.each(ladder([10_000, 100_000, 800_000], [10_000, 100_000]))('junk lines in .dev.vars: %i lines', (n) => {
    rung(`.dev.vars, ${n} junk lines`, { 'api/wrangler.toml': worker, 'api/src/index.ts': code, 'api/.dev.vars': 'junk\n'.repeat(n) });
  });
  it.each(ladder([1_000, 100_000, 1_000_000, 4_000_000], [1_000, 100_000]))('a database password of %i characters', (n) => {
    const password = 'p'.repeat(n);
    rung(`database password, ${n} chars`, { 'api/wrangler.toml': worker, 'api/src/index.ts': code, 'api/.dev.vars': `DATABASE_URL=postgresql://postgres:${password}@db.${REF_A}.supabase.co:5432/postgres\n` }, password.slice(0, 64));
  });
  it.each(ladder([1_000, 10_000, 50_000], [1_000]))('%i secrets in one .dev.vars', (n) => {
    const lines = Array.from({ length: n }, (_, i) => `K${i}_SECRET=s3cr3t-${i}-${'z'.repeat(24)}`);
    rung(`.dev.vars, ${n} secrets`, { 'api/wrangler.toml': worker, 'api/src/index.ts': code, 'api/.dev.vars': lines.join('\n') }, `s3cr3t-${n - 1}-`);
  });
  it.each(ladder([100, 500, 990, 2_000, 60_000], [100, 990, 2_000]))('wrangler.json nested %i deep', (n) => {
    rung(`wrangler.json, ${n} levels`, { 'api/wrangler.json': `{"name":"api","main":"src/index.ts","vars":{"X":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`, 'api/src/index.ts': code });
  });
  it.each(ladder([100, 500, 990, 2_000, 60_000], [100, 990, 2_000]))('wrangler.toml nested %i deep', (n) => {
    rung(`wrangler.toml, ${n} levels (inline tables)`, { 'api/wrangler.toml': `${worker}[vars]\nX = ${'{a='.repeat(n)}1${'}'.repeat(n)}\n`, 'api/src/index.ts': code });
  });
  it.each(ladder([100, 990, 2_000, 100_000], [100, 2_000]))('a dotted TOML header %i keys long', (n) => {
    rung(`wrangler.toml, header of ${n} dotted keys`, { 'api/wrangler.toml': `${worker}[vars.${'a.'.repeat(n)}a]\n${Array.from({ length: 1000 }, (_, i) => `k${i} = 1`).join('\n')}\n`, 'api/src/index.ts': code });
  });
  // Documentation read for declared secret names: one pass over the lines, whatever their shape.
  it.each(ladder([10_000, 100_000, 1_000_000], [10_000, 100_000]))('README: a table of %i secret names, a fence never closed, code spans', (n) => {
    const rows = Array.from({ length: n }, (_, i) => `| \`SECRET_${i}\` | x |`).join('\n');
    rung(`README.md, ${n} table rows + open fence`, { 'api/wrangler.toml': worker, 'api/src/index.ts': code, 'README.md': `| Secret | Use |\n|---|---|\n${rows}\n\n${'`x` '.repeat(n)}\n\`\`\`sh\n${'wrangler secret put A\n'.repeat(n)}` });
  });
  it.each(ladder([10_000, 100_000, 1_000_000], [10_000, 100_000]))('Makefile and wrangler.toml comments: %i lines each', (n) => {
    rung(`Makefile + config comments, ${n} lines`, { 'api/wrangler.toml': `${worker}${'# secret A_B, C_D\n'.repeat(n)}`, 'api/src/index.ts': code, Makefile: `s:\n${'\twrangler secret put A_B\n'.repeat(n)}` });
  });
});

describe('deep nesting where oxc parses (Node 24)', () => {
  // oxc's parser recurses natively; an overflow would kill the process, taking every finding with
  // it (parsers/index.ts). Each module nests as deep as its length allows in one construct, at the
  // longest text each thread lets oxc parse, and one far beyond; a shallow module beside them
  // must still be read.
  const node24 = ensureNode24('the deep-nesting check of the oxc parser');
  (node24 ? it : it.skip)('nested generics, templates and parentheses, closed or not, end in findings, not a crash, in one thread and in two', () => {
    const generics = (chars: number) => `export type T = ${'A<'.repeat(Math.floor(chars / 3))}B${'>'.repeat(Math.floor(chars / 3))};\n`;
    const templates = (chars: number) => `export const t = ${'`${'.repeat(Math.floor(chars / 5))}1${'}`'.repeat(Math.floor(chars / 5))};\n`;
    const parens = (chars: number) => `export const p = ${'('.repeat(Math.floor(chars / 2))}1${')'.repeat(Math.floor(chars / 2))};\n`;
    const filler = Array.from({ length: 400 }, (_, i) => [`src/fill${i}.ts`, `export const f${i} = (env: Env) => env.${i === 399 ? 'NEVER_DECLARED' : 'LIVE'};\n${'// filler line to reach the size that starts the parse threads\n'.repeat(50)}`]);
    const repo = writeTree({
      'wrangler.toml': 'name = "deep"\nmain = "src/index.ts"\n\n[[kv_namespaces]]\nbinding = "LIVE"\nid = "a"\n\n[[kv_namespaces]]\nbinding = "DEAD"\nid = "b"\n',
      'src/index.ts': `${filler.map((_, i) => `import { f${i} } from './fill${i}';`).join('\n')}\nimport './main-thread';\nimport './generics';\nimport './templates';\nimport './parens';\nimport './broken';\nimport './beyond';\nexport default { fetch(r: Request, env: Env) { return env.LIVE; } };\n`,
      'src/main-thread.ts': generics(3_900) + templates(3_900),
      'src/generics.ts': generics(99_000),
      'src/templates.ts': templates(99_000),
      'src/parens.ts': parens(99_000),
      // oxc finds the missing parenthesis; Babel then parses it on the main thread's stack.
      'src/broken.ts': parens(99_000).replace(');', ';'),
      'src/beyond.ts': parens(400_000),
      ...Object.fromEntries(filler),
    });
    for (const threads of ['1', '2']) {
      const run = spawnSync(node24!, [path.join(PROJECT_ROOT, 'dist', 'cli.js'), 'check', repo, '--format', 'json', '--fail-on', 'never', '--threads', threads], { encoding: 'utf8', timeout: 120_000 });
      expect({ threads, status: run.status, signal: run.signal }).toEqual({ threads, status: 0, signal: null });
      const report = JSON.parse(run.stdout) as Report;
      // What the unparsable modules read is unknown, so no binding is called dead; the shallow
      // modules beside them are still read (the last one's read of an undeclared name is reported).
      expect(report.findings.filter((f) => f.rule === 'dead-binding').map((f) => [f.severity, f.message])).toEqual([['note', expect.stringContaining('could not be parsed, so what it reads of env is unknown')]]);
      expect(report.findings.filter((f) => f.subject === 'NEVER_DECLARED').map((f) => f.file)).toEqual(['src/fill399.ts']);
      expect(report.findings.filter((f) => f.rule === 'parse-error').map((f) => f.file)).toContain('src/broken.ts');
    }
  });
});
