#!/usr/bin/env node
/**
 * Regenerates the golden `wrangler types` output for every config under
 * __tests__/fixtures/wrangler-configs/<case>/ into <case>/wrangler-types/:
 *   top.d.ts          the top level (what `wrangler deploy` without --env binds)
 *   env.<NAME>.d.ts   `wrangler types --env NAME` for each [env.NAME]
 *   all.d.ts          `wrangler types` without --env: per-environment interfaces (<Name>Env)
 * and records the wrangler version in wrangler-configs/WRANGLER_VERSION.
 * __tests__/wrangler/oracle.test.ts compares deploy-guard's binding inventory with these files.
 *
 *   NODE_FOR_WRANGLER=/tmp/oracle/node_modules/node/bin/node \
 *   WRANGLER_BIN=/tmp/oracle/node_modules/wrangler/bin/wrangler.js \
 *   node scripts/wrangler-oracle.mjs [--case NAME] [--out-root DIR]
 * (or --node / --wrangler instead of the variables). wrangler 4 needs Node >= 22.12, which the
 * `node` npm package provides; `wrangler types` runs offline.
 *
 * Why the top level is generated from a copy without `env`: with environments present and no
 * --env, wrangler 4.164 writes one merged interface (members missing from some environment made
 * optional) plus one interface per named environment, but none for the top level alone.
 *
 * Each case runs in a temporary copy holding only the config and its sources, so wrangler neither
 * writes .wrangler/ into the fixtures nor picks up a stray .env/.dev.vars (which `wrangler types`
 * reads as secrets when the config has no `secrets` key). --out-root writes <DIR>/<case>/*.d.ts
 * instead of the fixtures (the oracle test's live check uses it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { parse as parseJsonc } from 'jsonc-parser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const casesDir = path.join(root, '__tests__', 'fixtures', 'wrangler-configs');
const CONFIG_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];
/** Fixture files that are outputs or would change what wrangler declares: never copied. */
const NOT_COPIED = /^(wrangler-types|\.wrangler|\.dev\.vars.*|\.env.*|node_modules)$/;

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

/** Accepts the wrangler package folder or its bin script. */
function wranglerScript(bin) {
  if (!bin) return undefined;
  return fs.existsSync(bin) && fs.statSync(bin).isDirectory() ? path.join(bin, 'bin', 'wrangler.js') : bin;
}

/**
 * The environment wrangler runs with: nothing that selects an account or an environment
 * (CLOUDFLARE_ENV acts like --env), no telemetry, logs kept in the temporary folder.
 */
function childEnv(tmp) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CLOUDFLARE_|CF_|WRANGLER_)/.test(k)) env[k] = v;
  return { ...env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', WRANGLER_LOG_PATH: path.join(tmp, 'logs') };
}

function run(node, wrangler, cwd, argv) {
  const child = spawnSync(node, [wrangler, ...argv], { cwd, encoding: 'utf8', env: childEnv(cwd), timeout: 120_000 });
  if (child.status !== 0) throw new Error(`wrangler ${argv.join(' ')} failed in ${cwd}:\n${child.stdout}\n${child.stderr}${child.error ? `\n${child.error.message}` : ''}`);
  return child.stdout;
}

function readConfig(file) {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.toml') ? parseToml(text) : parseJsonc(text, [], { allowTrailingComma: true });
}

function copyCase(dir, tmp) {
  for (const entry of fs.readdirSync(dir)) {
    if (!NOT_COPIED.test(entry)) fs.cpSync(path.join(dir, entry), path.join(tmp, entry), { recursive: true });
  }
}

/** Runs `wrangler types` for one case; returns { fileName: text }, or undefined when the folder has no config. */
function generateCase(node, wrangler, dir) {
  const configName = CONFIG_NAMES.find((n) => fs.existsSync(path.join(dir, n)));
  if (!configName) return undefined;
  const config = readConfig(path.join(dir, configName));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wrangler-oracle-'));
  const outputs = {};
  try {
    copyCase(dir, tmp);
    // Relative paths only, so the command wrangler records in each file's header is the same on every machine.
    const types = (argv, file) => {
      run(node, wrangler, tmp, ['types', '--include-runtime=false', ...argv, 'out.d.ts']);
      outputs[file] = fs.readFileSync(path.join(tmp, 'out.d.ts'), 'utf8');
    };
    const { env: envs, ...topLevel } = config;
    fs.writeFileSync(path.join(tmp, 'wrangler.top-level.json'), JSON.stringify(topLevel, null, 2));
    types(['-c', 'wrangler.top-level.json'], 'top.d.ts');
    const names = Object.keys(envs ?? {}).sort();
    for (const env of names) types(['-c', configName, '--env', env], `env.${env}.d.ts`);
    if (names.length > 0) types(['-c', configName], 'all.d.ts');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return outputs;
}

function main() {
  const args = process.argv.slice(2);
  const node = option(args, 'node', process.env.NODE_FOR_WRANGLER ?? process.execPath);
  const wrangler = wranglerScript(option(args, 'wrangler', process.env.WRANGLER_BIN));
  const only = option(args, 'case', undefined);
  const outRoot = option(args, 'out-root', undefined);
  if (!wrangler || !fs.existsSync(wrangler)) {
    console.error('usage: wrangler-oracle.mjs --node NODE_22_12_OR_LATER --wrangler PATH/TO/wrangler/bin/wrangler.js [--case NAME] [--out-root DIR]\n(or set NODE_FOR_WRANGLER and WRANGLER_BIN)');
    process.exit(2);
  }
  const version = run(node, wrangler, os.tmpdir(), ['--version']).trim().split('\n').pop().trim();
  const cases = fs.readdirSync(casesDir).filter((c) => fs.statSync(path.join(casesDir, c)).isDirectory() && (!only || c === only)).sort();
  for (const name of cases) {
    const outputs = generateCase(node, wrangler, path.join(casesDir, name));
    if (!outputs) continue;
    const outDir = outRoot ? path.join(outRoot, name) : path.join(casesDir, name, 'wrangler-types');
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    for (const [file, text] of Object.entries(outputs)) fs.writeFileSync(path.join(outDir, file), text);
    console.log(`${name}: ${Object.keys(outputs).sort().join(', ')}`);
  }
  fs.writeFileSync(path.join(outRoot ?? casesDir, 'WRANGLER_VERSION'), `${version}\n`);
  console.log(`wrangler ${version}`);
}

main();
