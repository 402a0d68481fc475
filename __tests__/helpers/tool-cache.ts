/**
 * Tools some tests need but the project does not depend on: Node 24 (the action's runtime, while
 * the suite runs on Node 20) and, for the workerd test, miniflare (Node >= 22; the registry does
 * not serve workerd's non-Linux binaries at every version, which would break `npm ci` as a
 * devDependency) with what the example Worker bundles. About 380 MB, so:
 *
 * - the versions are pinned, so every run tests against the same runtime;
 * - they are installed once, into a folder keyed by those versions (in the OS temp folder, or
 *   $DEPLOY_GUARD_WORKERD_TOOLS), and reused until a version here changes;
 * - without the registry the tests that need them are skipped, saying so.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Exact versions: a change here is a new cache folder, installed on the next run. */
export const PINNED_TOOLS: Readonly<Record<string, string>> = {
  node: '24.21.0',
  miniflare: '4.20260426.0',
  hono: '4.13.19',
  '@supabase/supabase-js': '2.109.0',
  esbuild: '0.28.2',
};

const KEY = createHash('sha256').update(JSON.stringify(PINNED_TOOLS)).digest('hex').slice(0, 12);
export const TOOLS = process.env.DEPLOY_GUARD_WORKERD_TOOLS ?? path.join(os.tmpdir(), `deploy-guard-tools-${KEY}`);
/** Written after a complete install: a folder without it (an install cut short) is installed again. */
const MARKER = path.join(TOOLS, '.installed');

/** The tool folder with every pinned package in it, installing them the first time; undefined (and a message) when that fails. */
export function ensureTools(skipping: string): string | undefined {
  if (fs.existsSync(MARKER) && fs.readFileSync(MARKER, 'utf8') === KEY) return TOOLS;
  fs.mkdirSync(TOOLS, { recursive: true });
  fs.writeFileSync(path.join(TOOLS, 'package.json'), `${JSON.stringify({ name: 'deploy-guard-test-tools', private: true, dependencies: PINNED_TOOLS }, null, 2)}\n`);
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: TOOLS, encoding: 'utf8', timeout: 600_000 });
  if (install.status !== 0) {
    const output = `${install.stderr ?? ''}${install.error?.message ?? ''}`;
    const why = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network/i.test(output) ? 'registry unreachable' : `npm install failed: ${output.trim().slice(-300)}`;
    console.info(`${skipping} skipped: ${why} (installing ${Object.entries(PINNED_TOOLS).map(([n, v]) => `${n}@${v}`).join(' ')} into ${TOOLS}).`);
    return undefined;
  }
  fs.writeFileSync(MARKER, KEY);
  return TOOLS;
}

/** The pinned Node 24 binary in the tool folder. */
export function toolNode(tools: string): string {
  return path.join(tools, 'node_modules', 'node', 'bin', 'node');
}
