/**
 * What the repository's deploy commands say about each Worker config (DeployFacts
 * in model.ts): which environments are deployed, which only `wrangler dev` runs, and which secret
 * names a command supplies. Read from package.json scripts and `.github/workflows/*.yml`: `run:`
 * steps (multi-line, `working-directory` of the step or `defaults.run`, the workflow's `env:` and
 * the job's `strategy.matrix` filled in as GitHub does before the shell runs) and
 * `cloudflare/wrangler-action` steps. Scripts that call scripts (`npm run deploy:api`, `turbo run
 * deploy`) are followed by name, a few levels deep.
 *
 * Only names are read, never values: `wrangler secret put NAME`, the names in the file given to
 * `wrangler secret bulk FILE` / `--secrets-file FILE` (asked of the caller), wrangler-action's
 * `secrets:` list.
 *
 * Sources (cloudflare/workers-sdk, packages/wrangler/src):
 * - `secret put <key>` and `secret bulk [file]` take `--name`, `--env`, `--config`; the Worker is
 *   `getLegacyScriptName(args, config)`: `--name X` alone is script X, `--name X --env E` is
 *   `X-E`, without `--name` the config's name (secret/index.ts, utils/getLegacyScriptName.ts).
 * - Without `--config`, the config is found from the working folder upwards (`findWranglerConfig`),
 *   from the script's folder for `wrangler deploy <script>` (deploy/index.ts).
 * - `CLOUDFLARE_ENV` selects the environment when `--env` is not given (wrangler 4 changesets
 *   "support CLOUDFLARE_ENV for environment selection"); `@cloudflare/vite-plugin` builds for it
 *   and writes a redirected config that a later plain `wrangler deploy` deploys.
 * - `--env X` without an `[env.X]` deploys the top level's settings as `<name>-X` (wrangler warns).
 * Sources (cloudflare/wrangler-action, src/wranglerAction.ts): `command:` is one wrangler command
 * per line (default `deploy`), run in `workingDirectory` with `--env <environment>` appended when
 * the line has no `--env`; `secrets:` lists names whose values come from the step's env, piped as
 * JSON to `wrangler secret bulk --env <environment>` before the commands; `preCommands` /
 * `postCommands` are shell lines.
 *
 * Pure: texts in, facts out. Never throws on user input; a workflow that is not YAML is a note.
 * The parts: deploy-interpreter.ts runs shell text and records facts; workflow-commands.ts walks
 * workflows (workflow-yaml.ts reads their YAML); package-scripts.ts knows package managers; this
 * module reads every command once and groups the facts by config.
 */
import path from 'node:path';
import type { DeployFacts, Location } from '../model.js';
import { MAX_FOLLOWED, runShell, type Context, type DeployInputs, type DeployNote, type Fact, type StepValue } from './deploy-interpreter.js';
import { readWorkflow } from './workflow-commands.js';

export type { DeployInputs, DeployNote, DeployTarget, PackageSource, StepValue, WorkflowSource } from './deploy-interpreter.js';

/** Reads every command of the repository once and groups what they say by Worker config. */
export function readDeployCommands(inputs: DeployInputs): { facts: Map<string, DeployFacts>; notes: DeployNote[]; stepValues: StepValue[] } {
  const ctx: Context = {
    inputs,
    configPaths: inputs.configs.map((c) => c.path),
    packagesByDir: new Map([...inputs.packages].sort((a, b) => (a.path < b.path ? -1 : 1)).map((p) => [path.posix.dirname(p.path), p])),
    facts: new Map(),
    stepValues: new Map(),
  };
  const notes: DeployNote[] = [];
  for (const pkg of [...inputs.packages].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    for (const name of Object.keys(pkg.scripts).sort()) {
      const text = pkg.scripts[name]!;
      if (typeof text !== 'string') continue;
      let where: { line: number; column: number };
      try {
        where = pkg.locate(name);
      } catch {
        where = { line: 1, column: 1 };
      }
      const at: Location = { file: pkg.path, line: where.line, column: where.column };
      runShell(ctx, text, path.posix.dirname(pkg.path), new Map(), { at: () => at, via: `${pkg.path} script "${name}"` }, { depth: 0, budget: { left: MAX_FOLLOWED }, chain: new Set([`${pkg.path}\0${name}`]) });
    }
  }
  for (const wf of [...inputs.workflows].sort((a, b) => (a.path < b.path ? -1 : 1))) readWorkflow(ctx, wf, notes);
  return { facts: group(ctx.facts.values()), notes, stepValues: [...ctx.stepValues.values()] };
}

/** The facts by config, sorted (environment, then name) so reports are stable. */
function group(facts: Iterable<Fact>): Map<string, DeployFacts> {
  const byConfig = new Map<string, DeployFacts>();
  for (const f of facts) {
    let entry = byConfig.get(f.config);
    if (!entry) {
      entry = { deployed: [], devOnly: [], secrets: [] };
      byConfig.set(f.config, entry);
    }
    if (f.kind === 'deployed') entry.deployed.push({ env: f.env, at: f.at, via: f.via });
    else if (f.kind === 'devOnly' && f.env !== null) entry.devOnly.push({ env: f.env, at: f.at, via: f.via });
    else if (f.kind === 'secret' && f.name !== undefined) entry.secrets.push({ name: f.name, env: f.env, at: f.at, via: f.via, ...(f.from ? { from: f.from } : {}) });
  }
  const envOrder = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const out = new Map<string, DeployFacts>();
  for (const config of [...byConfig.keys()].sort()) {
    const f = byConfig.get(config)!;
    out.set(config, {
      deployed: f.deployed.sort((a, b) => envOrder(a.env, b.env)),
      // An environment some command deploys is not dev-only, whatever else runs it locally.
      devOnly: f.devOnly.filter((d) => !f.deployed.some((x) => x.env === d.env)).sort((a, b) => envOrder(a.env, b.env)),
      secrets: f.secrets.sort((a, b) => envOrder(a.env, b.env) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    });
  }
  return out;
}

