/**
 * Worker environments exactly as wrangler 4 resolves them, from wrangler's
 * `normalizeAndValidateEnvironment` (see bindings.ts for the sources):
 * - `[env.NAME]` inherits name, main, compatibility_flags, routes, build, assets, logfwdr, ... but
 *   NOT vars, secrets or any other binding: a binding declared only at the top level does not
 *   exist under `--env NAME` (wrangler merely warns).
 * - wasm_modules / text_blobs / data_blobs and `[site]` come from the top level whatever the environment.
 * - the inherited `name` is `<name>-<NAME>` (`appendEnvName`); an env's own `name` is used as is.
 * - routes, custom domains and workers.dev: endpoints.ts. Pages projects: pages.ts. Names used
 *   twice: unique-names.ts.
 * Wrong types never throw: the bad piece is skipped and reported as a problem with its line, and
 * the rest of the config is still resolved.
 */
import path from 'node:path/posix';
import type { Binding, Location, WorkerEnvironment } from '../model.js';
import type { KeyPath, SourceDocument } from '../read/document.js';
import { BINDING_SOURCES } from './bindings.js';
import { readBindings, readSecrets, readVars } from './env-entries.js';
import { type ConfigProblem, type Context, type Table, isTable, keyLabel, locationOf, readString, readStringList, report, sectionLabel, typeName } from './context.js';
import { resolveEndpoints } from './endpoints.js';
import { PAGES_ENVIRONMENTS, checkNonInheritable, isPagesConfig, pagesProject, validatePagesConfig } from './pages.js';
import { checkUniqueNames } from './unique-names.js';
import { meantForPages, reportMisplacedKeys } from './misplaced-keys.js';
import { compareText } from '../compare-text.js';

export { keyLabel, type ConfigProblem };

export type ResolvedWorkerConfig = {
  environments: WorkerEnvironment[];
  problems: ConfigProblem[];
  /** A Pages project's top level: what `wrangler pages dev` runs (its deployments are `production` and `preview`). */
  local?: WorkerEnvironment;
};

export type ResolveOptions = {
  configFile: string;
  /**
   * Code files in the repository (repo-relative, as discovery lists them). Only a Pages project
   * needs them: its usage entry is `_worker.js` or the `functions/` folder, whichever exists.
   */
  codeFiles?: ReadonlySet<string>;
};

/** `main` as a repo-relative path: wrangler resolves it against the config file's directory. */
export function resolveMain(configFile: string, main: string): string {
  return path.normalize(path.join(path.dirname(configFile), main.replace(/\\/g, '/')));
}

/**
 * The script `wrangler deploy [--env NAME]` uploads (`getScriptName`: `--name` or the resolved
 * `config.name`). An env's own `name` wins; otherwise the inherited name gets `-NAME` appended
 * (`appendEnvName`). Service environments (`legacy_env = false`, refused by wrangler 4 since the
 * field's removal) kept the top-level script name and deployed NAME as an environment of it.
 * `name = ""` is no name to wrangler (the deploy refuses to run without `--name`): it is labelled
 * like a missing one, by the config's folder.
 */
export function scriptNameFor(top: { name: string | undefined; fallback: string; serviceEnvironments: boolean }, envName: string | null, ownName: string | undefined): string {
  const base = top.name || top.fallback;
  if (envName === null || top.serviceEnvironments) return base;
  return ownName || `${base}-${envName}`;
}

/** A config without `name` cannot be deployed; label it by its folder so reports still say which Worker. */
function fallbackName(configFile: string): string {
  const dir = path.basename(path.dirname(configFile));
  return dir === '.' || dir === '' ? 'worker' : dir;
}

/** `[site]` (Workers Sites): its KV binding and the legacy entry point. */
type Site = { binding: Binding; entry: string; at: Location };

type TopLevel = {
  name: string | undefined;
  main: string | undefined;
  flags: string[];
  serviceEnvironments: boolean;
  /** Bindings of inherited and top-level-only sources, read once so a problem in them is reported once. */
  inherited: Map<string, Binding[]>;
  topLevelOnly: Binding[];
  site?: Site;
};

/**
 * `[site]`, top level only (`normalizeAndValidateSite` reads the raw top level for every
 * environment). A deploy uploads the bucket to a KV namespace and binds it as `__STATIC_CONTENT`
 * (`addWorkersSitesBindings`, deploy-helpers workers-sites-bindings.ts; `--dry-run` skips the upload
 * and so does not list it). `__STATIC_CONTENT_MANIFEST` is not modelled: a modules Worker imports
 * it (`import manifest from "__STATIC_CONTENT_MANIFEST"`), and a service-worker one (entry without
 * exports: `guessWorkerFormat`) gets it, like all its bindings, as a global, never as `env.X`.
 * Without `main`, the entry is `site["entry-point"]` (default "workers-site"), `index.js` inside
 * it when it names a folder.
 */
function readSite(ctx: Context, data: Table, main: string | undefined): Site | undefined {
  const site = data.site;
  if (site === undefined) return undefined;
  if (!isTable(site)) {
    report(ctx, ['site'], `site must be a table such as { bucket = "./public" }, not ${typeName(site)}.`);
    return undefined;
  }
  if (typeof site.bucket !== 'string') report(ctx, ['site'], 'site needs bucket = "<folder of static files>": wrangler refuses [site] without it.');
  const entryPoint = site['entry-point'];
  if (entryPoint !== undefined && main !== undefined) {
    report(ctx, ['site', 'entry-point'], 'site.entry-point and main both name the entry point: wrangler refuses the config; delete site.entry-point.');
  }
  const entry = typeof entryPoint === 'string' ? entryPoint : 'workers-site';
  return {
    binding: { name: '__STATIC_CONTENT', kind: 'kv_namespace', at: locationOf(ctx, ['site']), ...(typeof site.bucket === 'string' ? { details: { bucket: site.bucket } } : {}) },
    entry: path.extname(entry) === '' ? path.join(entry, 'index.js') : entry,
    at: locationOf(ctx, typeof entryPoint === 'string' ? ['site', 'entry-point'] : ['site']),
  };
}

function readTopLevel(ctx: Context, data: Table, pages: boolean): TopLevel {
  // wrangler 4 refuses `legacy_env` whatever its value, unless a build tool generated the config.
  if (data.legacy_env === false) {
    report(ctx, ['legacy_env'], 'legacy_env = false (service environments) was removed from wrangler 4: current wrangler refuses this config, and older wrangler deployed each [env.NAME] as an environment of the top-level script instead of a Worker named "<name>-<NAME>".');
  } else if (data.legacy_env !== undefined) {
    report(ctx, ['legacy_env'], 'legacy_env is no longer supported: wrangler 4 refuses a config that sets it. legacy_env = true was the default, so deleting the line changes nothing.');
  }
  const inherited = new Map<string, Binding[]>();
  const topLevelOnly: Binding[] = [];
  for (const source of BINDING_SOURCES) {
    if (source.scope === 'inherited') inherited.set(source.key, readBindings(ctx, data, [], source));
    if (source.scope === 'top-level') topLevelOnly.push(...readBindings(ctx, data, [], source));
  }
  const name = readString(ctx, data, 'name', []);
  if (name === '' && !pages) report(ctx, ['name'], 'name is empty, which wrangler takes as no name: wrangler deploy refuses to run without --name.', 'warning');
  const main = readString(ctx, data, 'main', []);
  // [site] holding only a misplaced pages_build_output_dir is no Workers Sites (misplaced-keys.ts reports it).
  const site = pages || meantForPages(data) ? undefined : readSite(ctx, data, main);
  return {
    name,
    main,
    flags: (readStringList(ctx, data, 'compatibility_flags', []) ?? []).map((f) => f.text),
    serviceEnvironments: data.legacy_env === false,
    inherited,
    topLevelOnly,
    ...(site ? { site } : {}),
  };
}

/** Every binding of one environment, each source taken from where wrangler takes it. */
function environmentBindings(ctx: Context, top: TopLevel, env: Table, prefix: KeyPath): Binding[] {
  const isTop = prefix.length === 0;
  const bindings: Binding[] = [];
  for (const source of BINDING_SOURCES) {
    if (source.scope === 'top-level') {
      if (!isTop && env[source.key] !== undefined) {
        report(ctx, [...prefix, source.key], `wrangler ignores ${keyLabel([...prefix, source.key])}: it reads ${source.key} from the top level only, for every environment.`, 'warning');
      }
      continue;
    }
    if (source.scope === 'inherited' && (isTop || env[source.key] === undefined)) {
      bindings.push(...(top.inherited.get(source.key) ?? []));
      continue;
    }
    bindings.push(...readBindings(ctx, env, prefix, source));
  }
  bindings.push(...top.topLevelOnly);
  // A binding of the same name is replaced by the Sites one at deploy (the upload's bindings are keyed by name).
  if (top.site && !bindings.some((b) => b.name === top.site!.binding.name)) bindings.push(top.site.binding);
  return bindings.sort((a, b) => compareText(a.name, b.name) || a.at.line - b.at.line);
}

/** The raw value an environment has for a config key, taken from where wrangler takes it. */
function rawValueOf(data: Table, env: Table, prefix: KeyPath): (key: string) => unknown {
  const isTop = prefix.length === 0;
  return (key) => {
    const source = BINDING_SOURCES.find((s) => s.key === key);
    if (source?.scope === 'top-level') return data[key];
    if (source?.scope === 'inherited') return isTop ? data[key] : env[key] ?? data[key];
    return (isTop ? data : env)[key];
  };
}

/** What an environment is made of before it is named and placed: bindings, vars, secrets, flags. */
function resolveContents(ctx: Context, top: TopLevel, data: Table, env: Table, prefix: KeyPath, pages: boolean): Omit<WorkerEnvironment, 'name' | 'scriptName' | 'dev' | 'config'> {
  const isTop = prefix.length === 0;
  const ownFlags = isTop ? undefined : readStringList(ctx, env, 'compatibility_flags', prefix);
  const contents = {
    compatibilityFlags: ownFlags ? ownFlags.map((f) => f.text) : top.flags,
    bindings: environmentBindings(ctx, top, env, prefix),
    vars: readVars(ctx, env, prefix),
    secrets: readSecrets(ctx, env, prefix).sort((a, b) => compareText(a.name, b.name)),
    at: isTop ? { file: ctx.configFile, line: 1, column: 1 } : locationOf(ctx, prefix),
  };
  const secrets = isTable(env.secrets) ? env.secrets.required : undefined;
  checkUniqueNames(ctx, { ...contents, config: ctx.configFile, name: null, dev: false, scriptName: '' }, sectionLabel(prefix), rawValueOf(data, env, prefix), secrets, pages);
  return contents;
}

function resolveEnvironment(ctx: Context, top: TopLevel, data: Table, env: Table, name: string | null): WorkerEnvironment {
  const prefix: KeyPath = name === null ? [] : ['env', name];
  const ownName = name === null ? undefined : readString(ctx, env, 'name', prefix);
  if (ownName === '') report(ctx, [...prefix, 'name'], `${keyLabel([...prefix, 'name'])} is empty, which wrangler takes as no name: wrangler deploy --env ${name} refuses to run without --name.`, 'warning');
  const ownMain = name === null ? undefined : readString(ctx, env, 'main', prefix);
  const main = ownMain ?? top.main;
  const mainSetting = main !== undefined
    ? { main: resolveMain(ctx.configFile, main), mainAt: locationOf(ctx, ownMain !== undefined ? [...prefix, 'main'] : ['main']) }
    : top.site ? { main: resolveMain(ctx.configFile, top.site.entry), mainAt: top.site.at } : {};
  const scriptName = scriptNameFor({ ...top, fallback: fallbackName(ctx.configFile) }, name, ownName);
  // Without a real name the workers.dev host is unknown; routes still say where it would answer.
  const named = name === null || top.serviceEnvironments ? Boolean(top.name) : ownName !== undefined ? ownName !== '' : Boolean(top.name);
  const endpoints = resolveEndpoints(ctx, data, env, prefix, scriptName).filter((e) => named || e.kind !== 'workers-dev');
  return {
    config: ctx.configFile,
    name,
    dev: false,
    scriptName,
    ...mainSetting,
    endpoints,
    ...resolveContents(ctx, top, data, env, prefix, false),
  };
}

/**
 * A Pages project: the top level (what `wrangler pages dev` runs) and its two deployments,
 * `preview` and `production`, each the top level as is when its [env.*] is absent. All carry the
 * project's name (no `-<env>` suffix: both deploy to the one project) and its Functions entry.
 */
function resolvePages(ctx: Context, data: Table, codeFiles: ReadonlySet<string> | undefined): ResolvedWorkerConfig {
  validatePagesConfig(ctx, data);
  const top = readTopLevel(ctx, data, true);
  const projectName = top.name?.trim() ? top.name : fallbackName(ctx.configFile);
  const outputDir = typeof data.pages_build_output_dir === 'string' ? data.pages_build_output_dir : undefined;
  const { pages, main } = pagesProject(ctx.configFile, outputDir, codeFiles);
  const outputAt = locationOf(ctx, ['pages_build_output_dir']);
  const entry = { pages, ...(main ? { main, mainAt: outputAt } : {}) };
  // Pages gives Functions and `_worker.js` the static files as env.ASSETS, which is why the name is reserved.
  const assets: Binding = { name: 'ASSETS', kind: 'assets', at: outputAt, details: { directory: pages.outputDir } };
  const withAssets = (contents: ReturnType<typeof resolveContents>) => ({ ...contents, bindings: [...contents.bindings.filter((b) => b.name !== 'ASSETS'), assets].sort((a, b) => compareText(a.name, b.name) || a.at.line - b.at.line) });
  const local: WorkerEnvironment = {
    config: ctx.configFile, name: null, dev: false, scriptName: projectName, ...entry, ...withAssets(resolveContents(ctx, top, data, data, [], true)),
  };
  if (data.env !== undefined && data.env !== null && !isTable(data.env)) report(ctx, ['env'], `env must be a table of [env.NAME] sections, not ${typeName(data.env)}.`);
  const envs = isTable(data.env) ? data.env : {};
  const environments = PAGES_ENVIRONMENTS.map((name): WorkerEnvironment => {
    const raw = envs[name];
    const endpoints = [{ kind: 'pages-dev' as const, project: projectName }];
    if (!isTable(raw)) {
      if (raw !== undefined) report(ctx, ['env', name], `env.${name} must be a table, not ${typeName(raw)}.`);
      return { ...local, name, endpoints };
    }
    checkNonInheritable(ctx, data, raw, name);
    return { config: ctx.configFile, name, dev: false, scriptName: projectName, ...entry, endpoints, ...withAssets(resolveContents(ctx, top, data, raw, ['env', name], true)) };
  });
  return { environments, problems: ctx.problems, local };
}

/**
 * One WorkerEnvironment for the top level (`name: null`) and one per `[env.NAME]` in name order,
 * as `wrangler deploy [--env NAME]` would see them; for a Pages project, `preview` and
 * `production`, with the top level as `local`. Local-dev environments are built elsewhere.
 */
export function resolveWorkerConfig(doc: SourceDocument, opts: ResolveOptions): ResolvedWorkerConfig {
  const ctx: Context = { doc, configFile: opts.configFile, problems: [] };
  const data = doc.data;
  if (!isTable(data)) {
    report(ctx, [], `the config must be a table of settings, not ${typeName(data)}.`);
    return { environments: [], problems: ctx.problems };
  }
  reportMisplacedKeys(ctx, data, []);
  if (isTable(data.env)) for (const name of Object.keys(data.env).sort()) if (isTable(data.env[name])) reportMisplacedKeys(ctx, data.env[name], ['env', name]);
  if (isPagesConfig(data)) return resolvePages(ctx, data, opts.codeFiles);
  const top = readTopLevel(ctx, data, false);
  const environments = [resolveEnvironment(ctx, top, data, data, null)];
  const envs = data.env;
  // `"env": null` is how wrangler treats no environments (`rawConfig.env ?? {}`).
  if (envs !== undefined && envs !== null && !isTable(envs)) {
    report(ctx, ['env'], `env must be a table of [env.NAME] sections, not ${typeName(envs)}.`);
  } else if (isTable(envs)) {
    for (const name of Object.keys(envs).sort()) {
      const env = envs[name];
      if (isTable(env)) environments.push(resolveEnvironment(ctx, top, data, env, name));
      else report(ctx, ['env', name], `env.${name} must be a table, not ${typeName(env)}.`);
    }
  }
  return { environments, problems: ctx.problems };
}
