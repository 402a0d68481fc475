/**
 * Cloudflare Pages projects configured by a wrangler file (`pages_build_output_dir`). Pages reads
 * the same file with different rules, from wrangler's own code and Cloudflare's docs:
 *
 * - workers-sdk `packages/workers-utils/src/config/validation-pages.ts` (`validatePagesConfig`, run
 *   by `readPagesConfig` for `wrangler pages deploy`, `pages dev` and Pages' own builds): no `main`;
 *   `name` (the project) at the top level; only `[env.preview]` and `[env.production]`; only the
 *   fields of `supportedPagesConfigFields` (an unsupported one that differs from wrangler's default
 *   refuses the config); a Durable Object binding needs `script_name`; `ASSETS` is reserved.
 *   `wrangler pages functions build-env` (offline) confirms each of these with wrangler 4.164.0.
 * - `normalizeAndValidateConfig` (validation.ts): `wrangler pages deploy` targets `production` or
 *   `preview` (by branch); when that `[env.*]` is absent the top level is used as is, otherwise the
 *   environment is resolved like a Worker's (inheritable keys inherited, bindings and vars not).
 * - Docs, "Pages Functions configuration" (developers.cloudflare.com/pages/functions/wrangler-configuration/,
 *   "Non-inheritable keys"): when an environment overrides one non-inheritable key it must give all
 *   of them; wrangler itself only warns.
 * - `wrangler pages deploy` (pages/deploy.ts): `<output dir>/_worker.js` (a file, or a folder whose
 *   `index.js` is the entry) is the advanced-mode Worker and replaces `functions/`; otherwise the
 *   `functions/` folder is compiled, one route per file that exports `onRequest*`
 *   (`generateConfigFromFileTree`, packages/pages-functions/src/routing/filepath-routing.ts).
 */
import path from 'node:path/posix';
import type { PagesProject } from '../model.js';
import type { KeyPath } from '../read/document.js';
import { INHERITABLE_KEYS, NOT_INHERITABLE_KEYS, TOP_LEVEL_ONLY_KEYS } from './bindings.js';
import { type Context, type Table, isTable, keyLabel, report, sectionLabel } from './context.js';

export const PAGES_ENVIRONMENTS = ['preview', 'production'] as const;

/** wrangler's `isPagesConfig`. */
export function isPagesConfig(data: Table): boolean {
  return data.pages_build_output_dir !== undefined;
}

/** validation-pages.ts `supportedPagesConfigFields` (wrangler 4.164). */
const SUPPORTED = new Set([
  'pages_build_output_dir', 'name', 'compatibility_date', 'compatibility_flags', 'send_metrics', 'no_bundle', 'limits', 'placement',
  'vars', 'durable_objects', 'kv_namespaces', 'queues', 'r2_buckets', 'd1_databases', 'vectorize', 'hyperdrive', 'services',
  'analytics_engine_datasets', 'ai', 'version_metadata', 'dev', 'mtls_certificates', 'browser', 'upload_source_maps',
]);

/** Keys wrangler knows (others are dropped with an "unexpected field" warning, so Pages never sees them). */
const WRANGLER_KEYS = new Set<string>([...INHERITABLE_KEYS, ...NOT_INHERITABLE_KEYS, ...TOP_LEVEL_ONLY_KEYS, 'dependencies_instrumentation']);

/** Non-inheritable keys Pages supports: the ones an environment must repeat (docs, "Non-inheritable keys"). */
const PAGES_NOT_INHERITABLE = (NOT_INHERITABLE_KEYS as readonly string[]).filter((k) => SUPPORTED.has(k));

/**
 * Whether a value equals wrangler's default for its key (`defaultWranglerConfig`), which
 * `validateUnsupportedFields` lets pass. Approximate: empty lists and tables, and the few
 * non-empty defaults (`build` without a command, the JSX factories).
 */
function isDefault(key: string, value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isTable(value)) {
    if (key === 'build') return value.command === undefined && value.cwd === undefined && (value.watch_dir === undefined || value.watch_dir === './src');
    if (key === 'observability') return Object.keys(value).every((k) => k === 'enabled') && value.enabled !== false;
    return Object.values(value).every((v) => v === undefined || (Array.isArray(v) && v.length === 0) || (isTable(v) && Object.keys(v).length === 0));
  }
  return (key === 'jsx_factory' && value === 'React.createElement') || (key === 'jsx_fragment' && value === 'React.Fragment');
}

const REFUSED = 'wrangler pages deploy (and a Pages build) refuses this config';

/** The fields of one table that Pages does not support. */
function checkFields(ctx: Context, table: Table, prefix: KeyPath): void {
  for (const [key, value] of Object.entries(table)) {
    const keyPath = [...prefix, key];
    if (key === 'main') {
      report(ctx, keyPath, `${keyLabel(keyPath)}: a config cannot have both main and pages_build_output_dir (main is for a Worker, pages_build_output_dir for a Pages project); ${REFUSED}.`);
      continue;
    }
    if (key === 'queues' && isTable(value) && Array.isArray(value.consumers) && value.consumers.length > 0) {
      report(ctx, [...keyPath, 'consumers'], `Pages projects do not support queues.consumers (only producers); ${REFUSED}.`);
      continue;
    }
    if (key === 'legacy_env' || SUPPORTED.has(key) || !WRANGLER_KEYS.has(key) || value === undefined || isDefault(key, value)) continue;
    if (prefix.length > 0 && (TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) continue;
    report(ctx, keyPath, `Pages projects do not support ${key} in a wrangler config (it has pages_build_output_dir); ${REFUSED}.`);
  }
  const bindings = isTable(table.durable_objects) ? table.durable_objects.bindings : undefined;
  if (Array.isArray(bindings)) {
    bindings.forEach((b: unknown, i) => {
      if (isTable(b) && typeof b.script_name !== 'string') {
        report(ctx, [...prefix, 'durable_objects', 'bindings', i], `${keyLabel([...prefix, 'durable_objects', 'bindings', i])} needs script_name: a Pages project cannot define a Durable Object, so it must name the Worker that does; ${REFUSED}.`);
      }
    });
  }
}

/** What `validatePagesConfig` refuses, each with its line. Environments other than preview/production are reported and skipped. */
export function validatePagesConfig(ctx: Context, data: Table): void {
  if (typeof data.pages_build_output_dir !== 'string') {
    report(ctx, ['pages_build_output_dir'], `pages_build_output_dir must be a string (the build output folder, e.g. "./dist"); ${REFUSED}.`);
  }
  if (typeof data.name !== 'string' || data.name.trim() === '') {
    report(ctx, data.name === undefined ? [] : ['name'], `A Pages project (it has pages_build_output_dir) needs its name at the top level (name = "my-project"): its environments all deploy to that one project; ${REFUSED}.`);
  }
  checkFields(ctx, data, []);
  if (!isTable(data.env)) return;
  for (const [name, env] of Object.entries(data.env)) {
    if (!(PAGES_ENVIRONMENTS as readonly string[]).includes(name)) {
      report(ctx, ['env', name], `env.${name} is not a Pages environment: a config with pages_build_output_dir may only have [env.preview] and [env.production]; ${REFUSED}.`);
    } else if (isTable(env)) {
      checkFields(ctx, env, ['env', name]);
    }
  }
}

/**
 * Docs rule: an environment that overrides one non-inheritable key must give all of them. Those it
 * leaves out are simply absent from that deployment (wrangler warns "not inherited").
 */
export function checkNonInheritable(ctx: Context, data: Table, env: Table, name: string): void {
  const overridden = PAGES_NOT_INHERITABLE.filter((k) => env[k] !== undefined);
  if (overridden.length === 0) return;
  const left = PAGES_NOT_INHERITABLE.filter((k) => env[k] === undefined && data[k] !== undefined);
  if (left.length === 0) return;
  const prefix = ['env', name];
  report(ctx, prefix, `${sectionLabel(prefix)} sets ${list(overridden)} but not ${list(left)}, which environments do not inherit: the ${name} deployment has no ${list(left)}. Pages requires an environment that overrides one non-inheritable key to give them all (Cloudflare docs, "Pages Functions configuration"); repeat ${left.length === 1 ? 'it' : 'them'} in ${sectionLabel(prefix)}.`, 'warning');
}

/** ["a", "b", "c"] → "a, b and c". */
function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** File extensions `generateConfigFromFileTree` compiles. */
const FUNCTION_FILE = /\.(?:mjs|js|ts|tsx|jsx)$/;

/**
 * The project's output folder, Functions folder and advanced-mode Worker, from the code files in
 * the repository (`codeFiles`: repo-relative, as discovery lists them: not git-ignored, not in build
 * output, so a `_worker.js` a build writes into `dist/` is not seen). `main` is what the usage
 * analysis starts from: `_worker.js` (or `_worker.js/index.js`) when present, else the Functions folder.
 */
export function pagesProject(configFile: string, outputDir: string | undefined, codeFiles: ReadonlySet<string> | undefined): { pages: PagesProject; main?: string } {
  const dir = path.dirname(configFile);
  const out = path.normalize(path.join(dir, (outputDir ?? '.').replace(/\\/g, '/'))).replace(/\/$/, '');
  const pages: PagesProject = { outputDir: out };
  if (!codeFiles) return { pages };
  const worker = path.join(out, '_worker.js');
  const functions = path.join(dir, 'functions');
  let workerFolder = false;
  let hasFunctions = false;
  for (const file of codeFiles) {
    if (file.startsWith(`${worker}/`)) workerFolder = true;
    if (file.startsWith(`${functions}/`) && FUNCTION_FILE.test(file)) hasFunctions = true;
  }
  if (hasFunctions) pages.functionsDir = functions;
  if (codeFiles.has(worker)) return { pages: { ...pages, advancedWorker: worker }, main: worker };
  if (workerFolder) return { pages: { ...pages, advancedWorker: worker }, main: path.join(worker, 'index.js') };
  return hasFunctions ? { pages, main: functions } : { pages };
}
