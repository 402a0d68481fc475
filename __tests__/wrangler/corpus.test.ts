/**
 * The binding inventory against a real wrangler 4 over a corpus of real-world configs
 * (WRANGLER_CORPUS: a folder of `<case>/wrangler.{json,jsonc,toml}` plus the files they name, such
 * as the project's shared wrangler-configs). Opt-in and slow (one wrangler run per config and
 * environment): set WRANGLER_CORPUS, WRANGLER_BIN (wrangler 4's bin/wrangler.js) and
 * NODE_FOR_WRANGLER (Node >= 22.12).
 *
 * For a Worker, `wrangler deploy --dry-run --no-bundle [--env NAME]` prints "Your Worker has access
 * to the following bindings" offline; its `env.NAME` rows must be exactly our bindings and vars,
 * less what a dry run cannot show: `secrets.required` (set separately) and `__STATIC_CONTENT`
 * (Workers Sites: the namespace is created by the real upload, which a dry run skips). A config
 * wrangler accepts must have no error-level problem here (wrangler also refuses for reasons no
 * config check sees, such as a missing Dockerfile or entry file, so not the other way round).
 * For a Pages project,
 * `wrangler pages functions build-env` with PAGES_ENVIRONMENT prints the vars of `production` and
 * `preview`, or refuses the config.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { WorkerEnvironment } from '../../src/model.js';
import { readJsonc } from '../../src/read/jsonc.js';
import { readToml } from '../../src/read/toml.js';
import { resolveWorkerConfig } from '../../src/wrangler/environments.js';

const corpus = process.env.WRANGLER_CORPUS;
const wranglerBin = process.env.WRANGLER_BIN;
const node = process.env.NODE_FOR_WRANGLER ?? process.execPath;
const CONFIG_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];

function wrangler(cwd: string, args: string[], extraEnv: Record<string, string> = {}): { status: number | null; out: string } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(CLOUDFLARE_|CF_|WRANGLER_)/.test(k)) env[k] = v;
  const child = spawnSync(node, [wranglerBin!, ...args], {
    cwd, encoding: 'utf8', timeout: 120_000,
    env: { ...env, CI: 'true', NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: path.join(cwd, '.logs'), ...extraEnv },
  });
  return { status: child.status, out: `${child.stdout}\n${child.stderr}` };
}

/**
 * Stubs what the corpus leaves out and a dry run still opens (entry files, assets folders,
 * Dockerfiles), so wrangler gets as far as listing the bindings. Returns false when it knows no fix.
 */
function stubMissingFile(dir: string, output: string): boolean {
  const out = output.replace(/\u001b\[[0-9;]*m/g, '');
  const entry = /The entry-point file at "([^"]+)" was not found/.exec(out)?.[1];
  const folder = /"assets\.directory" field in your configuration file does not exist:\s*\n\s*(\S+)/.exec(out)?.[1];
  const image = /The image "([^"]+)" does not appear to be a valid path to a Dockerfile/.exec(out)?.[1];
  const target = entry ?? image;
  if (target && !target.includes('..')) {
    fs.mkdirSync(path.dirname(path.resolve(dir, target)), { recursive: true });
    fs.writeFileSync(path.resolve(dir, target), entry ? 'export default { fetch() { return new Response("stub"); } };\n' : 'FROM scratch\n');
    return true;
  }
  if (folder && path.resolve(folder).startsWith(dir)) {
    fs.mkdirSync(folder, { recursive: true });
    return true;
  }
  return false;
}

/**
 * wrangler's own resolved config per environment (`unstable_readConfig`, the function every
 * command uses), reduced to what decides the endpoints: run once per config under wrangler's Node.
 */
const READ_CONFIG = `
const wrangler = require(process.argv[1]);
const [config, ...envs] = process.argv.slice(2);
const out = {};
for (const env of envs) {
  try {
    const c = wrangler.unstable_readConfig({ config, env: env === '' ? undefined : env }, { hideWarnings: true });
    out[env] = { name: c.name, route: c.route, routes: c.routes, workers_dev: c.workers_dev };
  } catch (e) { out[env] = { error: String(e.message).slice(0, 200) }; }
}
console.log(JSON.stringify(out));
`;

type Resolved = { name?: string; route?: unknown; routes?: unknown[]; workers_dev?: boolean; error?: string };

/** The endpoints a deploy sets up from wrangler's resolved config (deploy.ts: `routes ?? [route]`, `getSubdomainValues`). */
function wranglerEndpoints(c: Resolved): string[] {
  const routes = c.routes ?? (c.route ? [c.route] : []);
  const out: string[] = [];
  for (const r of routes) {
    if (typeof r === 'string') out.push(`route ${r}`);
    else if (typeof r === 'object' && r !== null) {
      const o = r as { pattern: string; custom_domain?: boolean; enabled?: boolean };
      if (o.custom_domain !== true) out.push(`route ${o.pattern}`);
      else if (o.enabled !== false) out.push(`domain ${o.pattern}`);
    }
  }
  if ((c.workers_dev ?? routes.length === 0) && c.name) out.push(`workers.dev ${c.name}`);
  return out;
}

function ourEndpoints(env: WorkerEnvironment): string[] {
  return (env.endpoints ?? []).map((e) => (e.kind === 'route' ? `route ${e.pattern}` : e.kind === 'custom-domain' ? `domain ${e.host}` : e.kind === 'workers-dev' ? `workers.dev ${e.scriptName}` : `pages.dev ${e.project}`));
}

/** The `env.NAME` rows of the dry run's bindings table. */
function dryRunNames(out: string): string[] {
  const start = out.indexOf('Your Worker has access to the following bindings:');
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of out.slice(start).split('\n').slice(2)) {
    const match = /^env\.([^\s(]+)/.exec(line.trim());
    if (!match) break;
    names.push(match[1]!);
  }
  return names.sort();
}

function ours(env: WorkerEnvironment): string[] {
  const names = new Set([...env.bindings.map((b) => b.name), ...Object.keys(env.vars)]);
  names.delete('__STATIC_CONTENT');
  return [...names].sort();
}

/** wrangler's package folder (bin/wrangler.js → ..): what `require` loads for unstable_readConfig. */
function wranglerPackage(): string {
  return path.resolve(path.dirname(wranglerBin!), '..');
}

const cases = corpus && fs.existsSync(corpus) ? fs.readdirSync(corpus).filter((c) => CONFIG_NAMES.some((n) => fs.existsSync(path.join(corpus, c, n)))).sort() : [];
const runnable = cases.length > 0 && wranglerBin !== undefined && spawnSync(node, [wranglerBin, '--version'], { encoding: 'utf8', timeout: 60_000 }).status === 0;

describe('binding inventory equals a real wrangler 4 on the corpus', () => {
  if (!runnable) console.info('wrangler corpus: skipped (set WRANGLER_CORPUS, WRANGLER_BIN and NODE_FOR_WRANGLER to run it).');
  (runnable ? it : it.skip)('every config and environment', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-corpus-'));
    const mismatches: string[] = [];
    let pairs = 0;
    const refusedByWrangler: string[] = [];
    let endpointPairs = 0;
    try {
      for (const name of cases) {
        const dir = path.join(tmp, name);
        fs.cpSync(path.join(corpus!, name), dir, { recursive: true });
        for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) fs.chmodSync(path.join(dir, f), 0o755);
        const configName = CONFIG_NAMES.find((n) => fs.existsSync(path.join(dir, n)))!;
        const text = fs.readFileSync(path.join(dir, configName), 'utf8');
        const read = configName.endsWith('.toml') ? readToml(text, configName) : readJsonc(text, configName, configName.endsWith('.jsonc') ? 'jsonc' : 'json');
        if (!read.ok) {
          mismatches.push(`${name}: we cannot parse it (${read.error.message})`);
          continue;
        }
        const resolved = resolveWorkerConfig(read.doc, { configFile: configName });
        // Endpoints and script names: wrangler's resolved config, read once for every environment.
        const workerEnvs = resolved.environments.filter((e) => !e.pages);
        const readConfig = spawnSync(node, ['-e', READ_CONFIG, wranglerPackage(), configName, ...workerEnvs.map((e) => e.name ?? '')], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
        const wranglerConfigs = workerEnvs.length > 0 ? (JSON.parse(readConfig.stdout.trim().split('\n').pop() || '{}') as Record<string, Resolved>) : {};
        for (const env of workerEnvs) {
          const c = wranglerConfigs[env.name ?? ''];
          if (!c || c.error) continue;
          endpointPairs += 1;
          const label = `${name} ${env.name ?? '(top level)'}`;
          if (JSON.stringify(wranglerEndpoints(c)) !== JSON.stringify(ourEndpoints(env))) mismatches.push(`${label}: endpoints ${JSON.stringify(wranglerEndpoints(c))} vs ours ${JSON.stringify(ourEndpoints(env))}`);
          if (c.name && c.name !== env.scriptName) mismatches.push(`${label}: script name ${c.name} vs ours ${env.scriptName}`);
        }
        for (const env of resolved.environments) {
          pairs += 1;
          const label = `${name} ${env.name ?? '(top level)'}`;
          // wrangler validates the top level and the targeted environment only: an error in another [env.*] does not count.
          const others = resolved.environments.filter((e) => e.name !== null && e.name !== env.name).map((e) => `env.${e.name}`);
          const errors = resolved.problems.filter((p) => p.severity === undefined && !others.some((o) => new RegExp(`${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(p.message)));
          const weRefuse = errors.length > 0;
          if (env.pages) {
            const outfile = path.join(dir, '.build-env.json');
            wrangler(dir, ['pages', 'functions', 'build-env', dir, '--outfile', outfile], { PAGES_ENVIRONMENT: env.name! });
            const refused = !fs.existsSync(outfile);
            if (refused) refusedByWrangler.push(`${label} (pages)`);
            if (!refused && weRefuse) mismatches.push(`${label}: wrangler accepts it, we refuse it (${errors[0]!.message.slice(0, 160)})`);
            if (!refused) {
              const vars = Object.keys((JSON.parse(fs.readFileSync(outfile, 'utf8')) as { vars: Record<string, string> }).vars).sort();
              // build-env prints string vars only; ours keep JSON values as text.
              const ourVars = Object.entries(env.vars).filter(([k, v]) => vars.includes(k) || !/^(?:[[{\d-]|true$|false$|null$)/.test(v.value.reveal())).map(([k]) => k).sort();
              if (JSON.stringify(vars) !== JSON.stringify(ourVars)) mismatches.push(`${label}: vars ${JSON.stringify(vars)} vs ours ${JSON.stringify(ourVars)}`);
              fs.rmSync(outfile);
            }
            continue;
          }
          // A name, a compatibility date and (without main) an entry change no binding; they let configs that lack them run.
          const args = ['deploy', ...(env.main === undefined ? ['.dg-stub.js'] : []), '--dry-run', '--no-bundle', '--name', 'dg-corpus', '--compatibility-date', '2025-01-01', '--env', env.name ?? ''];
          fs.writeFileSync(path.join(dir, '.dg-stub.js'), 'export default { fetch() { return new Response("stub"); } };\n');
          let run = wrangler(dir, args);
          for (let tries = 0; run.status !== 0 && tries < 4 && stubMissingFile(dir, run.out); tries += 1) run = wrangler(dir, args);
          // A refusal may come from what a config check cannot see (a missing Dockerfile, a build step): only the other way round is a mismatch.
          if (run.status !== 0) {
            const reason = /(?:ERROR\S*\s*(?:\S*\[0m)?\s*(?:\S*\[1m)?)([^\n]*)/.exec(run.out)?.[1] ?? '';
            refusedByWrangler.push(`${label} (${reason.replace(/\u001b\[[0-9;]*m/g, '').slice(0, 70)})`);
            continue;
          }
          if (weRefuse) mismatches.push(`${label}: wrangler accepts it, we refuse it (${errors[0]!.message.slice(0, 160)})`);
          const theirs = dryRunNames(run.out);
          if (JSON.stringify(theirs) !== JSON.stringify(ours(env))) mismatches.push(`${label}: wrangler ${JSON.stringify(theirs)} vs ours ${JSON.stringify(ours(env))}`);
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    console.info(`wrangler corpus: ${cases.length} configs, ${pairs} config × environment pairs, ${pairs - refusedByWrangler.length} inventories and ${endpointPairs} endpoint sets compared; refused by wrangler itself:\n${refusedByWrangler.join('\n')}`);
    expect(mismatches).toEqual([]);
  }, 1_800_000);
});
