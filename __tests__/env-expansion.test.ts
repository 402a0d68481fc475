/**
 * The values and project the guard gives each frontend mode and `wrangler dev`'s .env files equal
 * what the real loaders give on the same files: Vite's `loadEnv`, Next.js's `loadEnvConfig`
 * (`@next/env`), and for wrangler its `loadDotEnv` (packages/wrangler/src/config/dot-env.ts in
 * cloudflare/workers-sdk: dotenv per file merged with override, then dotenv-expand 12), rebuilt
 * from dotenv and dotenv-expand because wrangler itself is too large a dependency for this.
 * Generated file sets: quoting, `export`, spaces, comments, multiline values, expansion within
 * and across files, defaults and escapes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import dotenv from 'dotenv';
import { expand } from 'dotenv-expand';
import fc from 'fast-check';
import { frontendValues, wranglerDotEnvValues } from '../src/env-values.js';
import { frontendEnvFiles, type FrontendFramework } from '../src/layers.js';
import { readEnvFile } from '../src/read/env-file.js';
import type { LoadedEnvFile } from '../src/repo-data.js';
import { Sensitive } from '../src/sensitive.js';
import { evidenceOf, type LayeredVariable } from '../src/supabase/evidence.js';
import { surfaceTarget } from '../src/supabase/target.js';
import { runCheck } from '../src/check.js';
import { viewSurface, describeExpansion } from '../src/report/view.js';
import { tempDir, writeTree } from './helpers/tree.js';

const nextEnv = createRequire(import.meta.url)('@next/env') as typeof import('@next/env');

const REF_A = 'abcdefghijklmnopqrst';
const REF_B = 'bcdefghijklmnopqrstu';
/** Names no process environment holds, so the loaders' own environment does not leak in. */
const NAMES = ['DGQ_REF', 'DGQ_HOST', 'DGQ_A', 'VITE_SUPABASE_URL', 'NEXT_PUBLIC_SUPABASE_URL', 'SUPABASE_URL'];
const RUNS = Number(process.env.EXPANSION_RUNS ?? 300);

/**
 * A value of NAMES[rank] reads only names of a lower rank (or names set nowhere): a variable that
 * reaches itself makes the loaders loop for ever (Vite's and wrangler's dotenv-expand grow the
 * value without end, Next's overflows the stack), so cycles are left out. Escapes stand only before
 * names set nowhere for the same reason (`A=x\$A` then `B=$A$A`).
 */
function valueOf(rank: number): fc.Arbitrary<string> {
  const readable = NAMES.slice(0, rank);
  const missing = fc.constantFrom('\\${DGQ_MISSING}', '\\$DGQ_MISSING', '\\$', '$', '${', '}', '$$', '${DGQ_MISSING}', '$DGQ_MISSING', '${DGQ_MISSING:-' + REF_B + '}');
  const reference =
    readable.length === 0
      ? missing
      : fc.oneof(
          fc.constantFrom(...readable).map((n) => `\${${n}}`),
          fc.constantFrom(...readable).map((n) => `$${n}`),
          fc.tuple(fc.constantFrom(...readable), fc.constantFrom(':-', '-', ':+', '+'), fc.constantFrom('', 'dflt', REF_B, 'x-y')).map(([n, op, d]) => `\${${n}${op}${d}}`),
          missing,
        );
  const piece = fc.oneof(reference, fc.constantFrom('https://', '.supabase.co', REF_A, REF_B, 'x', ' ', '#', '-', 'http://localhost:54321', '\\n'));
  return fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
}
const rank = fc.integer({ min: 0, max: NAMES.length - 1 });
const line = fc.oneof(
  fc.tuple(fc.constantFrom('', 'export ', '  ', 'export  '), rank.chain((r) => fc.tuple(fc.constant(NAMES[r]!), valueOf(r))), fc.constantFrom('=', ' = ', '= '), fc.constantFrom('', '"', "'", '`'), fc.constantFrom('', ' # note')).map(
    ([prefix, [name, v], eq, quote, comment]) => `${prefix}${name}${eq}${quote}${v}${quote}${comment}`,
  ),
  rank.chain((r) => fc.tuple(fc.constant(NAMES[r]!), valueOf(r), valueOf(r))).map(([name, a, b]) => `${name}="${a}\n${b}"`),
  fc.constantFrom('# comment', '', 'not a line', `DGQ_REF=${REF_A}`, `DGQ_REF=${REF_B}`),
);
const fileText = fc.array(line, { maxLength: 5 }).map((lines) => lines.join('\n'));
/** For each of the four files a mode may load: its text, or absent. */
const fileSet = fc.tuple(fc.option(fileText), fc.option(fileText), fc.option(fileText), fc.option(fileText));

const dir = tempDir('dg-expand-');

/** Writes the files (absent ones removed) and reads them as the guard does, in the tool's load order. */
function writeFiles(names: readonly string[], texts: readonly (string | null)[]): LoadedEnvFile[] {
  const loaded: LoadedEnvFile[] = [];
  names.forEach((name, i) => {
    const file = path.join(dir, name);
    const text = texts[i];
    if (text === null || text === undefined) {
      fs.rmSync(file, { force: true });
      return;
    }
    fs.writeFileSync(file, text);
    loaded.push({ path: name, entries: readEnvFile(text, name).entries, gitignored: false });
  });
  return loaded;
}

/** Only the names the files set: the loaders also hand back the whole process environment. */
function fileNamesOf(files: readonly LoadedEnvFile[]): Set<string> {
  return new Set(files.flatMap((f) => f.entries.map((e) => e.name)));
}

function restrict(values: Record<string, string | undefined>, names: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...names].sort()) if (values[name] !== undefined) out[name] = values[name]!;
  return out;
}

function guardTexts(vars: ReadonlyMap<string, LayeredVariable>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...vars.keys()].sort()) out[name] = vars.get(name)!.value.reveal();
  return out;
}

/**
 * The project a surface holding these values talks to: a ref, `local`, or `unknown`. No evidence
 * at all counts as unknown: where a value reads a variable set nowhere, the guard names the
 * missing variable (an unknown target) while the loader's text, with an empty string in its place,
 * may say nothing about Supabase.
 */
function projectOf(vars: Iterable<LayeredVariable>): string {
  const chosen = surfaceTarget(evidenceOf(vars));
  if (!chosen) return 'unknown';
  return chosen.target.kind === 'project' ? chosen.target.ref : chosen.target.kind;
}

/** The loader's values where the guard found each name, so only the values decide. */
function asVariables(values: Record<string, string>, guard: ReadonlyMap<string, LayeredVariable>): LayeredVariable[] {
  return Object.entries(values).map(([name, text]) => ({ name, value: new Sensitive(text, false), at: guard.get(name)?.at ?? { file: '.env', line: 1, column: 1 }, source: 'file' as const }));
}

function agrees(framework: FrontendFramework, mode: string, texts: readonly (string | null)[], truth: (files: LoadedEnvFile[]) => Record<string, string | undefined>): void {
  const files = writeFiles(frontendEnvFiles(framework, mode), texts);
  const expected = restrict(truth(files), fileNamesOf(files));
  const { vars } = frontendValues(framework, files);
  const actual = guardTexts(vars);
  expect(actual).toEqual(expected);
  expect(projectOf(vars.values())).toBe(projectOf(asVariables(expected, vars)));
}

describe('frontend values equal the real loaders on generated files', () => {
  let savedNodeEnv: string | undefined;
  beforeAll(() => {
    // Jest runs with NODE_ENV=test, which makes @next/env load the test mode whatever it is asked.
    savedNodeEnv = process.env.NODE_ENV;
    delete process.env.NODE_ENV;
  });
  afterAll(async () => {
    nextEnv.resetEnv();
    if (savedNodeEnv !== undefined) process.env.NODE_ENV = savedNodeEnv;
  });

  it('Vite 7 loadEnv, for modes development, production and staging', async () => {
    const { loadEnv } = await import('vite');
    fc.assert(
      fc.property(fc.constantFrom('development', 'production', 'staging'), fileSet, (mode, texts) => {
        agrees('vite', mode, texts, () => loadEnv(mode, dir, ''));
      }),
      { numRuns: RUNS, seed: 25 },
    );
  });

  it('Vite 7 loadEnv with deploy-time values in its process environment', async () => {
    const { loadEnv } = await import('vite');
    // No `$` in the values handed in: one that reads its own name makes Vite loop for ever.
    const handedIn = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(REF_B, `https://${REF_B}.supabase.co`, 'http://127.0.0.1:54321', '', 'x'), { maxKeys: 3 });
    fc.assert(
      fc.property(fc.constantFrom('development', 'production'), fileSet, handedIn, (mode, texts, values) => {
        const files = writeFiles(frontendEnvFiles('vite', mode), texts);
        const saved = { ...process.env };
        Object.assign(process.env, values);
        let truth: Record<string, string>;
        try {
          truth = loadEnv(mode, dir, '');
        } finally {
          for (const name of Object.keys(values)) if (saved[name] === undefined) delete process.env[name];
        }
        const expected = restrict(truth, fileNamesOf(files));
        const { vars } = frontendValues('vite', files, new Map(Object.entries(values)));
        expect(guardTexts(vars)).toEqual(expected);
        expect(projectOf(vars.values())).toBe(projectOf(asVariables(expected, vars)));
      }),
      { numRuns: RUNS, seed: 25 },
    );
  });

  it('Next.js 15 loadEnvConfig, for development and production', async () => {
    const { loadEnvConfig } = nextEnv;
    const silent = { info: () => undefined, error: () => undefined };
    fc.assert(
      fc.property(fc.boolean(), fileSet, (dev, texts) => {
        agrees('next', dev ? 'development' : 'production', texts, () => loadEnvConfig(dir, dev, silent, true).combinedEnv);
      }),
      { numRuns: RUNS, seed: 25 },
    );
  });

  it('wrangler dev .env files (dotenv per file merged with override, then dotenv-expand 12)', () => {
    fc.assert(
      fc.property(fc.constantFrom('staging', 'production'), fileSet, (env, texts) => {
        const files = writeFiles(['.env', '.env.local', `.env.${env}`, `.env.${env}.local`], texts);
              const parsed: Record<string, string> = {};
        for (const f of files) Object.assign(parsed, dotenv.parse(fs.readFileSync(path.join(dir, f.path))));
        const processEnv: Record<string, string> = {};
        expand({ parsed, processEnv });
        const vars = wranglerDotEnvValues(files);
        expect(guardTexts(vars)).toEqual(restrict(processEnv, fileNamesOf(files)));
      }),
      { numRuns: RUNS, seed: 25 },
    );
  });
});

describe('expansion of hostile files stays bounded', () => {
  // Each line doubles the one before: 2^60 characters at the end, where the tools run out of memory.
  const doubling = ['DGQ_0=xxxxxxxx', ...Array.from({ length: 60 }, (_, i) => `DGQ_${i + 1}=\${DGQ_${i}}\${DGQ_${i}}`)].join('\n');
  const files: LoadedEnvFile[] = [{ path: '.env', entries: readEnvFile(doubling, '.env').entries, gitignored: false }];

  it.each(['vite', 'next'] as const)('%s: stops each value at 1 MiB and marks it unfinished', (framework) => {
    const started = Date.now();
    const { vars } = frontendValues(framework, files);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(vars.get('DGQ_10')!.value.reveal()).toBe('x'.repeat(8 * 1024));
    expect(vars.get('DGQ_60')!.expansion?.unfinished).toBe(true);
    expect(Math.max(...[...vars.values()].map((v) => v.value.reveal().length))).toBeLessThanOrEqual(1 << 20);
  });

  it('wrangler: the same', () => {
    const vars = wranglerDotEnvValues(files);
    expect(vars.get('DGQ_60')!.expansion?.unfinished).toBe(true);
  });

  it('a value that reads itself ends (Next.js drops the file, as its stack overflow does)', () => {
    const self: LoadedEnvFile[] = [{ path: '.env.local', entries: readEnvFile('DGQ_A=$DGQ_A', '.env.local').entries, gitignored: false }];
    expect(frontendValues('next', self).failedFiles.map((f) => [f.path, f.variable.name])).toEqual([['.env.local', 'DGQ_A']]);
    expect(frontendValues('vite', self).vars.get('DGQ_A')!.value.reveal()).toBe('');
  });
});

describe('expansion as the user sees it', () => {
  const vite = { 'package.json': '{"dependencies":{"vite":"7.0.0"}}' };

  function evidenceLines(files: Record<string, string>, mode: string, processEnv?: Record<string, string>): string[] {
    const result = runCheck({ root: writeTree(files), ...(processEnv ? { deployEnvironment: mode, processEnv } : {}) });
    const surface = result.model.surfaces.map(viewSurface).find((s) => s.kind === 'frontend' && s.environment === mode)!;
    return [surface.project, ...surface.evidence.map((e) => `${e.variable} (${e.file}:${e.line})${describeExpansion(e)} → ${e.target}`)];
  }

  it('follows a reference into another file of the mode and shows the chain', () => {
    const lines = evidenceLines({ ...vite, '.env': `APP=x\nSUPABASE_PROJECT_REF=${REF_A}\n`, '.env.production': '# prod\n\nVITE_SUPABASE_URL=https://${SUPABASE_PROJECT_REF}.supabase.co\n' }, 'production');
    expect(lines).toEqual([`project ${REF_A}`, `VITE_SUPABASE_URL (.env.production:3) = https://\${SUPABASE_PROJECT_REF}.supabase.co, SUPABASE_PROJECT_REF (.env:2) → project ${REF_A}`]);
  });

  it('names a variable set nowhere, with its case as written', () => {
    const lines = evidenceLines({ ...vite, '.env.production': 'VITE_SUPABASE_URL=https://${Supabase_Project_Ref}.supabase.co\n' }, 'production');
    expect(lines[1]).toBe(
      'VITE_SUPABASE_URL (.env.production:1) = https://${Supabase_Project_Ref}.supabase.co, Supabase_Project_Ref set nowhere → unknown (it reads ${Supabase_Project_Ref}, which is set nowhere the repository shows, so the value cannot be expanded)',
    );
  });

  it('takes a reference from a deploy-time value, and the result stays secret', () => {
    const result = runCheck({ root: writeTree({ ...vite, '.env.production': 'VITE_SUPABASE_URL=https://${DGQ_PROJECT}.supabase.co\n' }), deployEnvironment: 'production', processEnv: { DGQ_PROJECT: REF_B } });
    const surface = result.model.surfaces.find((s) => s.kind === 'frontend' && s.environment === 'production')!;
    expect(surface.evidence.map((e) => [e.variable, e.target, e.value?.secret])).toEqual([['VITE_SUPABASE_URL', { kind: 'project', ref: REF_B, via: 'url' }, true]]);
    expect(describeExpansion(viewSurface(surface).evidence[0]!)).toBe(' = https://${DGQ_PROJECT}.supabase.co, DGQ_PROJECT (handed in at deploy time)');
  });

  it('expands `wrangler dev` .env files, and leaves .dev.vars as written', () => {
    const worker = { 'wrangler.toml': 'name = "api"\n\n[env.staging]\nname = "api-staging"\n' };
    const workerEvidence = (files: Record<string, string>, label: string) =>
      runCheck({ root: writeTree({ ...worker, ...files }) })
        .model.surfaces.filter((s) => s.kind === 'worker' && s.label.endsWith(`(${label})`))
        .flatMap((s) => s.evidence.map((e) => [e.variable, e.target.kind === 'project' ? e.target.ref : e.target.kind]));
    expect(workerEvidence({ '.env': `REF=${REF_A}\n`, '.env.staging': 'SUPABASE_URL=https://${REF}.supabase.co\n' }, 'wrangler.toml wrangler dev --env staging')).toEqual([['SUPABASE_URL', REF_A]]);
    expect(workerEvidence({ '.dev.vars': `REF=${REF_A}\nSUPABASE_URL=https://\${REF}.supabase.co\n` }, 'wrangler.toml wrangler dev')).toEqual([['SUPABASE_URL', 'unknown']]);
  });

  it('keeps a value built from a secret secret, and never prints the secret as written', () => {
    const secret = 'postgres://postgres:VerySecretPassw0rd@db.' + REF_A + '.supabase.co:5432/postgres';
    const result = runCheck({ root: writeTree({ ...vite, '.env': `DATABASE_PASSWORD_URL=${secret}\nVITE_SUPABASE_DB=\${DATABASE_PASSWORD_URL}\n` }) });
    const surface = result.model.surfaces.find((s) => s.kind === 'frontend' && s.environment === 'production')!;
    const evidence = surface.evidence.find((e) => e.variable === 'VITE_SUPABASE_DB')!;
    expect(evidence.value?.secret).toBe(true);
    expect(JSON.stringify(viewSurface(surface))).not.toContain('VerySecretPassw0rd');
  });
});
