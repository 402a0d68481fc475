/**
 * Parsing in threads (src/usage/parse-pool.ts) changes nothing a user sees: the bundle, run as
 * users run it, prints the same bytes with one thread and with several, on a tree with enough
 * code (over 1 MiB) for the threads to start, and with the facts cache cold and warm. Modules
 * next to a Worker's code that nothing imports are handed to the threads too, and change nothing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { freeCoresMeter, type CoreProbe } from '../src/usage/parse-pool.js';
import { PROJECT_ROOT } from './helpers/paths.js';
import { tempDir, writeTree } from './helpers/tree.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'cli.js');
const MODULES = 400;

/** Two Workers of MODULES modules each, importing each other as a tree, each reading a binding. */
function bigTree(): string {
  const files: Record<string, string> = {};
  for (const w of [0, 1]) {
    const bindings = Array.from({ length: 6 }, (_, i) => `B${w}_${i}`);
    files[`workers/w${w}/wrangler.toml`] = `name = "w${w}"\nmain = "src/m0.ts"\ncompatibility_date = "2025-01-01"\n\n` +
      [...bindings, `DEAD_${w}`].map((b, i) => `[[kv_namespaces]]\nbinding = "${b}"\nid = "${String(i).padStart(32, '0')}"\n`).join('\n');
    for (let f = 0; f < MODULES; f++) {
      const kids = [2 * f + 1, 2 * f + 2].filter((k) => k < MODULES);
      const access = [`env.${bindings[f % 6]}`, `c.env.${bindings[f % 6]}`, `(env as Env).${bindings[f % 6]}`][f % 3];
      files[`workers/w${w}/src/m${f}.ts`] = [
        ...kids.map((k) => `import { h${k} } from './m${k}';`),
        `export async function h${f}(env: Env, c: any, input: string): Promise<string> {`,
        `  await ${access}.get("k");`,
        ...Array.from({ length: 60 }, (_, i) => `  const v${i} = input.length * ${i} + ${(f * 7 + i) % 1000}; if (v${i} < 0) return "env.DEAD_${w} in a string";`),
        ...kids.map((k) => `  await h${k}(env, c, input);`),
        '  return input;',
        '}',
        '',
      ].join('\n');
    }
    // Modules nothing imports, named to sort first so the threads are handed them before the
    // walk's own (src/usage/feed-scan.ts feeds the entry's folder): parsed or not, they must
    // not count: no read of DEAD_w, no syntax error reported.
    for (let o = 0; o < 20; o++) files[`workers/w${w}/src/a-orphan${o}.ts`] = `export function o(env: Env) { return env.DEAD_${w}; }\n`;
    files[`workers/w${w}/src/a-broken.ts`] = 'export const = ;\n';
  }
  return writeTree(files);
}

function check(repo: string, ...extra: string[]): string {
  const run = spawnSync(process.execPath, [CLI, 'check', repo, '--format', 'json', '--fail-on', 'never', ...extra], { encoding: 'utf8', timeout: 120_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

describe('deploy-guard check --threads', () => {
  it('prints the same report with 1 thread and with 3, with and without the cache', () => {
    const repo = bigTree();
    const one = check(repo, '--threads', '1');
    const findings: { rule: string; subject?: string; file?: string }[] = JSON.parse(one).findings;
    expect(findings.filter((f) => f.rule === 'dead-binding').map((f) => f.subject)).toEqual(['DEAD_0', 'DEAD_1']);
    expect(findings.filter((f) => f.file?.includes('a-'))).toEqual([]);
    expect(check(repo, '--threads', '3')).toBe(one);
    const cache = tempDir('dg-threads-cache-');
    expect(check(repo, '--threads', '3', '--cache-location', cache)).toBe(one);
    expect(check(repo, '--threads', '3', '--cache-location', cache)).toBe(one);
  });
});

describe('the default number of parse threads', () => {
  /**
   * A machine of `cores` cores where, over `elapsedMs`, other processes kept `othersBusyMs` and
   * this one `ownMs` of CPU busy. The meter reads its start when made; after `end()` every reading
   * is the end of the window.
   */
  function probe(cores: number, elapsedMs: number, othersBusyMs: number, ownMs: number, load = 0): CoreProbe & { end(): void } {
    let ended = false;
    return {
      cores,
      machineBusyMs: () => (ended ? othersBusyMs + ownMs : 0),
      ownMs: () => (ended ? ownMs : 0),
      now: () => (ended ? elapsedMs : 0),
      load: () => load,
      end: () => { ended = true; },
    };
  }

  it.each([
    ['both cores idle but for this run', 2, 2000, 0, 1900, 2],
    ['another process kept one core busy', 2, 2000, 2000, 1900, 1],
    ['other processes kept both cores busy', 2, 2000, 4000, 1000, 1],
    ['a little background work', 4, 1000, 300, 1000, 4],
  ])('%s: %s cores → %s threads', (_what, cores, elapsed, others, own, expected) => {
    const machine = probe(cores, elapsed, others, own);
    const decide = freeCoresMeter(machine);
    machine.end();
    expect(decide()).toBe(expected);
  });

  it('measures a window of a fifth of a second, whatever the load average still counts', () => {
    const machine = probe(2, 200, 0, 190, 2.1);
    const decide = freeCoresMeter(machine);
    machine.end();
    expect(decide()).toBe(2);
  });

  it('reads the load average when the window is too short to measure', () => {
    const machine = probe(2, 50, 0, 0, 1.7);
    const decide = freeCoresMeter(machine);
    machine.end();
    expect(decide()).toBe(1);
  });
});
