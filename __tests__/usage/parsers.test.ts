/**
 * The two parsers are interchangeable, so a report never depends on which one ran: oxc's tree,
 * turned into Babel's shapes by
 * estree-to-babel.ts, gives the same facts as Babel's, fact for fact: the same reads, imports,
 * exports, env hand-offs, Supabase clients, opaque accesses, at the same lines and columns.
 *
 * The suite runs on Node 20, where oxc's raw transfer cannot run, so here oxc hands its tree over
 * as JSON (its default API), which gives the same tree; the last test runs the bundle on Node 24,
 * where raw transfer is what `--parser oxc` uses, and compares whole reports.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parseSync } from 'oxc-parser';
import { analyzeModule } from '../../src/usage/module-facts.js';
import { factsToData } from '../../src/usage/facts-data.js';
import { useOxc, parseModule } from '../../src/usage/parsers/index.js';
import { parseWithBabel } from '../../src/usage/parsers/babel.js';
import { forEachNode, pos, readingTree } from '../../src/usage/ast.js';
import { oxcOptions, type OxcParse } from '../../src/usage/parsers/oxc-options.js';
import { ensureNode24 } from '../helpers/node24.js';
import { PROJECT_ROOT } from '../helpers/paths.js';
import { tempDir } from '../helpers/tree.js';

const oxcThroughJson: OxcParse = (text, file) => {
  const result = parseSync(file, text, oxcOptions(file));
  return { program: result.program, errorCount: result.errors.length };
};

afterEach(() => useOxc(undefined));

/** Facts as plain data, from each parser; and which parser the oxc run really used. */
function factsByParser(text: string, file: string): { babel: unknown; oxc: unknown; oxcParsed: boolean } {
  useOxc(undefined);
  const babel = factsToData(analyzeModule(text, file));
  useOxc(oxcThroughJson);
  const oxcParsed = parseModule(text, file).dialect === 'oxc';
  const oxc = factsToData(analyzeModule(text, file));
  useOxc(undefined);
  return { babel, oxc, oxcParsed };
}

const CODE = /\.(?:[cm]?[jt]sx?)$/;

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...codeFiles(full));
    else if (CODE.test(entry.name)) out.push(full);
  }
  return out.sort();
}

// Shapes where the two trees differ (the list in estree-to-babel.ts), each next to an env read
// whose position must come out the same.
const SHAPES: [string, string, string][] = [
  ['optional chains', 'export default { fetch(r, env) { return [env?.A?.get("x"), env.B?.(), c?.env.C, env?.D!.x]; } };', 'src/index.ts'],
  ['object methods, getters and setters', 'const h = { fetch(r, env) { return env.A; }, get x() { return 1; }, set y(v) {}, async *g() {} }; export default h;', 'src/index.ts'],
  ['class members, private ones too', 'export class Room { #k = 1; static s = 2; constructor(private env: Env) {} get n() { return this.#k; } #m() { return this.env.ROOMS; } fetch() { return this.#m(); } }', 'src/room.ts'],
  ['abstract and overloaded members', 'abstract class B { abstract run(env: Env): void; f(a: string): void; f(a: any) { return a; } } export class C extends B { run(env: Env) { return env.X; } }', 'src/b.ts'],
  ['dynamic import, export * as', 'export * as ns from "./a"; export * from "./b"; export const load = () => import("./c"); import("./d", { with: { type: "json" } });', 'src/index.ts'],
  ['every literal kind', 'export default { fetch(r, env) { return [/re/g, 10n, null, true, 1.5, "s", env["KEY"], env[`T`]]; } };', 'src/index.ts'],
  ['positions after astral and accented characters', 'const s = "é😀😀"; export default { fetch(r, env) { return s + env.AFTER_UNICODE; } };', 'src/index.ts'],
  ['CRLF, CR, U+2028 and U+2029 line breaks', 'const a = 1;\r\nconst b = 2;\rconst c = "\u2028";\u2029export default { fetch(r, env) {\r\n return env.AFTER_BREAKS; } };', 'src/index.ts'],
  ['destructuring with defaults, rest and nesting', 'export default { fetch(r, { A, B: b = 1, C: [c] = [], ...rest }) { const { D, E: { F } } = rest as any; return [A, b, c, D, F]; } };', 'src/index.ts'],
  ['JSX attributes and children', 'export const App = ({ env }: { env: Env }) => <div title="t" data-x={env.TITLE}>{env.BODY}</div>;', 'src/app.tsx'],
  ['JSX in a .js module', 'export const App = (props) => <p>{props.env.JS_JSX}</p>;', 'src/app.js'],
  ['decorators and TS-only syntax', '@sealed class K { @field() x = 1; } enum E { A = "a" } namespace N { export const y = 1; } export function f(env: Env) { return (env satisfies Env).A ?? (<Env>env).B; }', 'src/k.ts'],
  ['CommonJS', 'const { createClient } = require("@supabase/supabase-js"); module.exports = { fetch(r, env) { return createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY); } };', 'src/index.cjs'],
  ['env handed on and read by a helper', 'function helper(e) { return e.HELPER_READ; } export default { fetch(r, env) { return helper(env); } };', 'src/index.ts'],
  ['hashbang and directives', '#!/usr/bin/env node\n"use strict";\nexport default { fetch(r, env) { return env.AFTER_HASHBANG; } };', 'src/index.mjs'],
  ['a syntax error (Babel parses it, whatever the parser)', 'export default { fetch(r, env) { return env.A +; } };', 'src/index.ts'],
  ['an error only a semantic check finds (a name imported twice)', 'import { a } from "x";\nimport { a } from "y";\nexport default { fetch(r, env) { return env.A; } };', 'src/index.tsx'],
  ['a decorated exported class starts at its decorator', '@dec export class K { x = 1; m(env: Env) { return env.A; } }\n@dec\nexport default class { y = 2; }', 'src/k.ts'],
  ['parenthesised and template-literal parameter types', 'export function f(x: (string), e: (Env), t: `a${string}`) { return [x.length, e.PET, t.length]; }', 'src/types.ts'],
  ['guards and what the code does without the value', 'function k(b) { const v = b.K; if (!v) throw new Error(`no ${"K"}`); return v; }\nexport default { async fetch(r, env) {\n  if (!env.A || !(env.B as any)) return Response.json({ error: "off" }, { status: 503 });\n  if (typeof env.C === "undefined") return Promise.reject("c");\n  const { D = 1 } = env; if (env.E != null) {} else { return c.text("no E", 500); }\n  return k(env) + (env.F ?? D);\n} };', 'src/index.ts'],
  ['auto-accessors, parameter decorators and private names', 'export class K { accessor x = 1; #y = 2; m(@inject(env.D) a, env: Env) { return [this.#y, env.A]; } }', 'src/k.ts'],
];

// First in the file, while no tree has been walked in this process yet: the walk lists a node
// type's child keys from the first node of that type it meets (ast.ts).
describe('a first module cannot hide the next one', () => {
  it('after `export * as ns` (a Babel export without `declaration`), exported functions are still read', () => {
    analyzeModule('export * as ns from "./x";\nexport class A {}\nexport default class { #p = 1; m(@dec() a) {} }', 'src/first.ts');
    const facts = factsByParser('export function f(env) { return env.LOST; }\nexport class K { @dec(env.IN_DECORATOR) m() {} }\nexport default { fetch(r, env) { return env.KEPT; } };', 'src/next.ts');
    const names = (data: unknown) => (data as { reads: { name: string }[] }).reads.map((r) => r.name).sort();
    expect(names(facts.babel)).toEqual(['IN_DECORATOR', 'KEPT', 'LOST']);
    expect(names(facts.oxc)).toEqual(names(facts.babel));
  });
});

describe('oxc and Babel give the same facts', () => {
  it.each(SHAPES)('%s', (_name, code, file) => {
    const { babel, oxc } = factsByParser(code, file);
    expect(oxc).toEqual(babel);
  });

  it('on every code file of the scenario fixtures and the example', () => {
    const files = [...codeFiles(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'scenarios')), ...codeFiles(path.join(PROJECT_ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(50);
    let parsedByOxc = 0;
    for (const file of files) {
      const rel = path.relative(PROJECT_ROOT, file);
      const { babel, oxc, oxcParsed } = factsByParser(fs.readFileSync(file, 'utf8'), rel);
      if (oxcParsed) parsedByOxc++;
      expect({ rel, facts: oxc }).toEqual({ rel, facts: babel });
    }
    // Most fixtures are valid code: the comparison must not be Babel against Babel.
    expect(parsedByOxc).toBeGreaterThan(files.length * 0.9);
  });

  it('on the generated monorepo of the benchmark', () => {
    const out = tempDir('dg-parsers-');
    const generate = spawnSync(process.execPath, [path.join(PROJECT_ROOT, '..', 'shared', 'bench', 'make-monorepo.mjs'), out, '--workers', '2', '--files', '60', '--noise', '0'], { encoding: 'utf8' });
    expect(generate.status).toBe(0);
    const files = codeFiles(out);
    expect(files.length).toBeGreaterThan(120);
    for (const file of files) {
      const rel = path.relative(out, file);
      const { babel, oxc, oxcParsed } = factsByParser(fs.readFileSync(file, 'utf8'), rel);
      expect({ rel, oxcParsed, facts: oxc }).toEqual({ rel, oxcParsed: true, facts: babel });
    }
  });
});

describe('positions', () => {
  it("line and column worked out from the offset are Babel's own, on every node of every shape and fixture", () => {
    const texts: [string, string][] = [
      ...SHAPES.map(([, code, file]): [string, string] => [file, code]),
      ...codeFiles(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'scenarios')).map((file): [string, string] => [file, fs.readFileSync(file, 'utf8')]),
    ];
    let compared = 0;
    for (const [file, text] of texts) {
      const { program } = parseWithBabel(text, file);
      if (!program) continue;
      readingTree(text, 'babel', () => forEachNode(program, (node) => {
        compared++;
        const fromOffset = pos(node);
        const babel = { line: node.loc!.start.line, column: node.loc!.start.column + 1 };
        if (fromOffset.line !== babel.line || fromOffset.column !== babel.column) expect({ file, type: node.type, at: fromOffset }).toEqual({ file, type: node.type, at: babel });
      }));
    }
    expect(compared).toBeGreaterThan(2_000);
  });
});

describe('the parser a run uses', () => {
  it('oxc refuses the module Babel recovers from, so syntax problems read the same', () => {
    useOxc(oxcThroughJson);
    const parsed = parseModule('export const x = ;', 'src/broken.ts');
    expect(parsed.dialect).toBe('babel');
    expect(parsed.problems).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('src/broken.ts') })]);
  });

  it('a tree the readers cannot read (a conversion bug of ours) is read from Babel instead, not a crash', () => {
    const text = 'export default { fetch(r, env) { return env.KV.get("x"); } };';
    const expected = factsToData(analyzeModule(text, 'src/index.ts'));
    // A call without callee or arguments: no parser gives this, a faulty conversion could.
    useOxc(() => ({ program: { type: 'Program', body: [{ type: 'ExpressionStatement', expression: { type: 'CallExpression', callee: null, arguments: null, start: 0, end: 1 }, start: 0, end: 1 }], start: 0, end: 1 }, errorCount: 0 }));
    expect(factsToData(analyzeModule(text, 'src/index.ts'))).toEqual(expected);
    expect(expected.reads).not.toEqual([]);
  });

  it('--parser oxc on a Node without raw transfer is a clear error, and auto still checks', () => {
    if (Number(process.versions.node.split('.')[0]) >= 22) return;
    const cli = path.join(PROJECT_ROOT, 'dist', 'cli.js');
    const refused = spawnSync(process.execPath, [cli, 'check', 'examples/incident', '--parser', 'oxc'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--parser oxc cannot be used here: .*Node 22 or later.*Leave out --parser/);
    const auto = spawnSync(process.execPath, [cli, 'check', 'examples/incident'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(auto.status).toBe(1);
    const wrong = spawnSync(process.execPath, [cli, 'check', 'examples/incident', '--parser', 'swc'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--parser must be one of auto, oxc, babel (got "swc")');
  });

  const node24 = ensureNode24('the Node 24 comparison of whole reports from both parsers');
  (node24 ? it : it.skip)('on Node 24, the bundles copied away from node_modules load oxc from the binding beside them', () => {
    const dir = tempDir('dg-oxc-bundle-');
    fs.cpSync(path.join(PROJECT_ROOT, 'dist'), dir, { recursive: true });
    fs.cpSync(path.join(PROJECT_ROOT, 'examples', 'incident'), path.join(dir, 'example'), { recursive: true });
    const run = spawnSync(node24!, [path.join(dir, 'cli.js'), 'check', 'example', '--parser', 'oxc', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: '' });
    expect((JSON.parse(run.stdout) as { summary: { errors: number } }).summary.errors).toBe(2);
    // Without the binding, --parser oxc says why instead of silently parsing with Babel.
    for (const file of fs.readdirSync(dir)) if (file.endsWith('.node')) fs.rmSync(path.join(dir, file));
    const without = spawnSync(node24!, [path.join(dir, 'cli.js'), 'check', 'example', '--parser', 'oxc'], { cwd: dir, encoding: 'utf8' });
    expect(without.status).toBe(2);
    expect(without.stderr).toContain(`--parser oxc cannot be used here: oxc's native parser for ${process.platform}-${process.arch} could not be loaded`);
  });

  (node24 ? it : it.skip)('on Node 24, the bundle with raw transfer reports what Babel reports, on every scenario', () => {
    const cli = path.join(PROJECT_ROOT, 'dist', 'cli.js');
    const scenarios = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'scenarios');
    const roots = [...fs.readdirSync(scenarios).sort().map((name) => path.join(scenarios, name)), path.join(PROJECT_ROOT, 'examples', 'incident')];
    for (const root of roots) {
      const run = (parser: string) => spawnSync(node24!, [cli, 'check', root, '--format', 'json', '--fail-on', 'never', '--parser', parser, '--threads', '1'], { encoding: 'utf8' });
      const babel = run('babel');
      const oxc = run('oxc');
      expect({ root, status: oxc.status, stderr: oxc.stderr }).toEqual({ root, status: 0, stderr: '' });
      expect({ root, report: oxc.stdout }).toEqual({ root, report: babel.stdout });
    }
  });
});
