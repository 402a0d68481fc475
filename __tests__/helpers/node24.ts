/**
 * A Node 24 binary for tests that must run on the runtime action.yml declares (`node24`) while the
 * suite itself runs on Node 20: the npm `node` package ships one. Installed once into the same
 * tool folder the workerd test uses (DEPLOY_GUARD_WORKERD_TOOLS, default: the OS temp folder), so
 * both share one download. Without the registry: undefined, and a message says what was skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TOOLS = process.env.DEPLOY_GUARD_WORKERD_TOOLS ?? path.join(os.tmpdir(), 'deploy-guard-workerd-tools');

export function ensureNode24(skipping: string): string | undefined {
  const node = path.join(TOOLS, 'node_modules', 'node', 'bin', 'node');
  if (process.versions.node.startsWith('24.')) return process.execPath;
  if (fs.existsSync(node)) return node;
  fs.mkdirSync(TOOLS, { recursive: true });
  if (!fs.existsSync(path.join(TOOLS, 'package.json'))) fs.writeFileSync(path.join(TOOLS, 'package.json'), '{ "name": "deploy-guard-workerd-tools", "private": true }\n');
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', 'node@24'], { cwd: TOOLS, encoding: 'utf8', timeout: 240_000 });
  if (install.status !== 0 || !fs.existsSync(node)) {
    console.info(`${skipping} skipped: could not install node@24 into ${TOOLS}: ${(install.stderr || install.error?.message || '').slice(-300)}`);
    return undefined;
  }
  return node;
}
