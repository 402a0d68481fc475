#!/usr/bin/env node
/**
 * Regenerates the golden `wrangler types` output for every config under
 * __tests__/fixtures/wrangler-configs/<case>/, one file per environment in <case>/wrangler-types/.
 * The oracle test compares deploy-guard's binding inventory with these files.
 *
 *   node scripts/wrangler-oracle.mjs --node /path/to/node24 --wrangler /path/to/wrangler/bin/wrangler.js
 *
 * wrangler 4 needs Node >= 22.12; it runs offline. Without `--env`, `wrangler types` merges all
 * environments into one optional Env, so the top level is generated from a copy of the config
 * with its `env` table removed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { parse as parseJsonc } from 'jsonc-parser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const casesDir = path.join(root, '__tests__', 'fixtures', 'wrangler-configs');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const node = flag('node', process.env.NODE_FOR_WRANGLER ?? process.execPath);
const wrangler = flag('wrangler', process.env.WRANGLER_BIN);
const outDirName = flag('out', 'wrangler-types');
if (!wrangler) {
  console.error('usage: wrangler-oracle.mjs --node NODE_24 --wrangler PATH/TO/wrangler/bin/wrangler.js [--out DIR]');
  process.exit(2);
}

const CONFIG_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];

function readConfig(file) {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.toml') ? parseToml(text) : parseJsonc(text, [], { allowTrailingComma: true });
}

function runTypes(cwd, config, env, output) {
  const argv = [wrangler, 'types', '--include-runtime=false', '-c', config, ...(env ? ['--env', env] : []), output];
  const child = spawnSync(node, argv, { cwd, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' } });
  if (child.status !== 0) throw new Error(`wrangler types failed in ${cwd} (${env ?? 'top level'}):\n${child.stdout}\n${child.stderr}`);
}

for (const name of fs.readdirSync(casesDir).sort()) {
  const dir = path.join(casesDir, name);
  const configName = CONFIG_NAMES.find((n) => fs.existsSync(path.join(dir, n)));
  if (!configName) continue;
  const config = readConfig(path.join(dir, configName));
  const outDir = path.join(dir, outDirName);
  fs.mkdirSync(outDir, { recursive: true });

  const topLevelCopy = path.join(dir, 'wrangler.top-level.oracle.json');
  const { env: _envs, ...topLevel } = config;
  fs.writeFileSync(topLevelCopy, JSON.stringify(topLevel, null, 2));
  try {
    runTypes(dir, path.basename(topLevelCopy), undefined, path.join(outDir, 'top-level.d.ts'));
  } finally {
    fs.rmSync(topLevelCopy, { force: true });
  }
  for (const env of Object.keys(config.env ?? {}).sort()) {
    runTypes(dir, configName, env, path.join(outDir, `${env}.d.ts`));
  }
  fs.rmSync(path.join(dir, '.wrangler'), { recursive: true, force: true });
  console.log(`${name}: ${fs.readdirSync(outDir).sort().join(', ')}`);
}
