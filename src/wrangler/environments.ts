/**
 * Worker environments exactly as wrangler 4 resolves them (DESIGN §3), from wrangler's
 * `normalizeAndValidateEnvironment` (see bindings.ts for the sources):
 * - `[env.NAME]` inherits name, main, compatibility_flags, routes, build, assets, logfwdr, ... but
 *   NOT vars, secrets or any other binding: a binding declared only at the top level does not
 *   exist under `--env NAME` (wrangler merely warns).
 * - wasm_modules / text_blobs / data_blobs come from the top level whatever the environment.
 * - the inherited `name` is `<name>-<NAME>` (`appendEnvName`); an env's own `name` is used as is.
 * Wrong types never throw: the bad piece is skipped and reported as a problem with its line, and
 * the rest of the config is still resolved.
 */
import path from 'node:path/posix';
import type { Binding, DeclaredSecret, Location, Value, WorkerEnvironment } from '../model.js';
import type { KeyPath, SourceDocument } from '../read/document.js';
import { Sensitive } from '../sensitive.js';
import { BINDING_SOURCES, type BindingSource } from './bindings.js';

/**
 * Something wrangler would reject or ignore. `severity` is absent for what makes wrangler fail
 * (the caller reports it as an error) and 'warning' for what wrangler only warns about.
 */
export type ConfigProblem = { message: string; line: number; column: number; severity?: 'warning' };

export type ResolvedWorkerConfig = { environments: WorkerEnvironment[]; problems: ConfigProblem[] };

type Table = Record<string, unknown>;

/** What every reading function needs: where positions come from and where problems go. */
type Context = { doc: SourceDocument; configFile: string; problems: ConfigProblem[] };

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a table';
  return `the ${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

/** `['env', 'staging', 'kv_namespaces', 0]` → `env.staging.kv_namespaces[0]`, as a person writes it. */
export function keyLabel(keyPath: KeyPath): string {
  return keyPath.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${k}`)).join('');
}

function locationOf(ctx: Context, keyPath: KeyPath): Location {
  const { line, column } = ctx.doc.locate(keyPath);
  return { file: ctx.configFile, line, column };
}

function report(ctx: Context, keyPath: KeyPath, message: string, severity?: 'warning'): void {
  const { line, column } = ctx.doc.locate(keyPath);
  ctx.problems.push({ message, line, column, ...(severity ? { severity } : {}) });
}

function readString(ctx: Context, table: Table, key: string, prefix: KeyPath): string | undefined {
  const value = table[key];
  if (value === undefined || typeof value === 'string') return value;
  report(ctx, [...prefix, key], `${keyLabel([...prefix, key])} must be a string, not ${typeName(value)}.`);
  return undefined;
}

/** The strings of an array, with their indexes (so locations stay right when an item is skipped). */
function readStringList(ctx: Context, table: Table, key: string, prefix: KeyPath): { text: string; index: number }[] | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  const keyPath = [...prefix, key];
  if (!Array.isArray(value)) {
    report(ctx, keyPath, `${keyLabel(keyPath)} must be an array of strings, not ${typeName(value)}.`);
    return undefined;
  }
  const result: { text: string; index: number }[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item === 'string') result.push({ text: item, index });
    else report(ctx, [...keyPath, index], `${keyLabel([...keyPath, index])} must be a string, not ${typeName(item)}.`);
  });
  return result;
}

/** Scalar fields of a binding entry (id, bucket_name, service, ...): what a snippet or a live check needs. */
function detailsOf(entry: Table, nameField: string): Record<string, string> | undefined {
  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k !== nameField && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) details[k] = String(v);
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

/** What sits under a source's key (below `list` for `durable_objects.bindings` etc.), or undefined after reporting a wrong shape. */
function containerOf(ctx: Context, env: Table, prefix: KeyPath, source: BindingSource): { container: unknown; basePath: KeyPath } | undefined {
  const outer = env[source.key];
  const outerPath: KeyPath = [...prefix, source.key];
  if (!source.list) return { container: outer, basePath: outerPath };
  if (!isTable(outer)) {
    report(ctx, outerPath, `${keyLabel(outerPath)} must be a table with a "${source.list}" array, not ${typeName(outer)}.`);
    return undefined;
  }
  return { container: outer[source.list], basePath: [...outerPath, source.list] };
}

/** The bindings one source declares in one table (top level or `[env.NAME]`). */
function readBindings(ctx: Context, env: Table, prefix: KeyPath, source: BindingSource): Binding[] {
  if (env[source.key] === undefined) return [];
  const found = containerOf(ctx, env, prefix, source);
  if (!found || found.container === undefined) return [];
  const { container, basePath } = found;
  if (source.shape === 'map') {
    if (!isTable(container)) {
      report(ctx, basePath, `${keyLabel(basePath)} must be a table of NAME = "path", not ${typeName(container)}.`);
      return [];
    }
    return Object.keys(container).map((name) => ({ name, kind: source.kind, at: locationOf(ctx, [...basePath, name]) }));
  }
  // wrangler's validators want one shape per key, but a single table where a list is expected (or
  // the reverse) still names the binding the author meant: read both.
  let entries: [unknown, KeyPath][];
  if (Array.isArray(container)) entries = container.map((item: unknown, i) => [item, [...basePath, i]]);
  else if (isTable(container)) entries = [[container, basePath]];
  else {
    report(ctx, basePath, `${keyLabel(basePath)} must be ${source.shape === 'object' ? 'a table' : 'an array of tables'}, not ${typeName(container)}.`);
    return [];
  }
  const result: Binding[] = [];
  for (const [entry, entryPath] of entries) {
    if (!isTable(entry)) {
      report(ctx, entryPath, `${keyLabel(entryPath)} must be a table, not ${typeName(entry)}.`);
      continue;
    }
    const name = entry[source.nameField];
    if (typeof name !== 'string' || name === '') {
      if (name === undefined && source.nameOptional) continue;
      report(ctx, entryPath, `${keyLabel(entryPath)} has no "${source.nameField}": wrangler needs it to name the binding.`);
      continue;
    }
    const details = detailsOf(entry, source.nameField);
    result.push({ name, kind: source.kind, at: locationOf(ctx, [...entryPath, source.nameField]), ...(details ? { details } : {}) });
  }
  return result;
}

/** `[vars]`: each key is a binding of kind var; non-string values (JSON objects, numbers) are kept as JSON text. */
function readVars(ctx: Context, env: Table, prefix: KeyPath): Record<string, Value> {
  const vars = env.vars;
  if (vars === undefined) return {};
  const keyPath = [...prefix, 'vars'];
  if (!isTable(vars)) {
    report(ctx, keyPath, `${keyLabel(keyPath)} must be a table of NAME = value, not ${typeName(vars)}.`);
    return {};
  }
  const result: Record<string, Value> = {};
  for (const [name, value] of Object.entries(vars)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    // Not secret here: classify.ts decides that in the model builder, from the name and the text.
    result[name] = { value: new Sensitive(text, false), at: locationOf(ctx, [...keyPath, name]) };
  }
  return result;
}

/** `secrets = { required = [...] }`: wrangler's own manifest of the secrets this environment needs. */
function readSecrets(ctx: Context, env: Table, prefix: KeyPath): DeclaredSecret[] {
  const secrets = env.secrets;
  if (secrets === undefined) return [];
  const keyPath = [...prefix, 'secrets'];
  if (!isTable(secrets)) {
    report(ctx, keyPath, `${keyLabel(keyPath)} must be a table such as { required = ["NAME"] }, not ${typeName(secrets)}.`);
    return [];
  }
  const names = readStringList(ctx, secrets, 'required', keyPath) ?? [];
  return names.map(({ text, index }) => ({ name: text, source: 'secrets.required' as const, at: locationOf(ctx, [...keyPath, 'required', index]) }));
}

/**
 * wrangler refuses a config where one environment uses a name twice across bindings, vars and
 * `secrets.required` (`validateBindingsHaveUniqueNames`): `env.X` could only be one of them.
 */
function checkUniqueNames(ctx: Context, env: WorkerEnvironment, where: string): void {
  const uses = new Map<string, Location[]>();
  const add = (name: string, at: Location | undefined) => uses.set(name, [...(uses.get(name) ?? []), at ?? env.at]);
  for (const b of env.bindings) add(b.name, b.at);
  for (const [name, value] of Object.entries(env.vars)) add(name, value.at);
  for (const s of env.secrets) add(s.name, s.at);
  for (const [name, places] of uses) {
    if (places.length < 2) continue;
    const sorted = [...places].sort((a, b) => a.line - b.line || a.column - b.column);
    const second = sorted[1]!;
    ctx.problems.push({ message: `${name} is declared more than once in ${where} (lines ${sorted.map((p) => p.line).join(', ')}): wrangler refuses a binding, var or required secret name used twice.`, line: second.line, column: second.column });
  }
}

/** `main` as a repo-relative path: wrangler resolves it against the config file's directory. */
export function resolveMain(configFile: string, main: string): string {
  return path.normalize(path.join(path.dirname(configFile), main.replace(/\\/g, '/')));
}

/**
 * The script `wrangler deploy [--env NAME]` uploads (`getScriptName`: `--name` or the resolved
 * `config.name`). An env's own `name` wins; otherwise the inherited name gets `-NAME` appended
 * (`appendEnvName`). Service environments (`legacy_env = false`, accepted by wrangler 4 until its
 * removal) kept the top-level script name and deployed NAME as an environment of it.
 */
export function scriptNameFor(top: { name: string | undefined; fallback: string; serviceEnvironments: boolean }, envName: string | null, ownName: string | undefined): string {
  const base = top.name ?? top.fallback;
  if (envName === null || top.serviceEnvironments) return base;
  return ownName ?? `${base}-${envName}`;
}

/** A config without `name` cannot be deployed; label it by its folder so reports still say which Worker. */
function fallbackName(configFile: string): string {
  const dir = path.basename(path.dirname(configFile));
  return dir === '.' || dir === '' ? 'worker' : dir;
}

type TopLevel = {
  name: string | undefined;
  main: string | undefined;
  flags: string[];
  serviceEnvironments: boolean;
  /** Bindings of inherited and top-level-only sources, read once so a problem in them is reported once. */
  inherited: Map<string, Binding[]>;
  topLevelOnly: Binding[];
};

function readTopLevel(ctx: Context, data: Table): TopLevel {
  if (data.legacy_env === false) {
    report(ctx, ['legacy_env'], 'legacy_env = false (service environments) was removed from wrangler 4: current wrangler refuses this config, and older wrangler deployed each [env.NAME] as an environment of the top-level script instead of a Worker named "<name>-<NAME>".');
  }
  const inherited = new Map<string, Binding[]>();
  const topLevelOnly: Binding[] = [];
  for (const source of BINDING_SOURCES) {
    if (source.scope === 'inherited') inherited.set(source.key, readBindings(ctx, data, [], source));
    if (source.scope === 'top-level') topLevelOnly.push(...readBindings(ctx, data, [], source));
  }
  return {
    name: readString(ctx, data, 'name', []),
    main: readString(ctx, data, 'main', []),
    flags: (readStringList(ctx, data, 'compatibility_flags', []) ?? []).map((f) => f.text),
    serviceEnvironments: data.legacy_env === false,
    inherited,
    topLevelOnly,
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
  return bindings.sort((a, b) => a.name.localeCompare(b.name) || a.at.line - b.at.line);
}

function resolveEnvironment(ctx: Context, top: TopLevel, env: Table, name: string | null): WorkerEnvironment {
  const prefix: KeyPath = name === null ? [] : ['env', name];
  const ownName = name === null ? undefined : readString(ctx, env, 'name', prefix);
  const ownMain = name === null ? undefined : readString(ctx, env, 'main', prefix);
  const ownFlags = name === null ? undefined : readStringList(ctx, env, 'compatibility_flags', prefix);
  const main = ownMain ?? top.main;
  const environment: WorkerEnvironment = {
    config: ctx.configFile,
    name,
    dev: false,
    scriptName: scriptNameFor({ ...top, fallback: fallbackName(ctx.configFile) }, name, ownName),
    ...(main !== undefined ? { main: resolveMain(ctx.configFile, main), mainAt: locationOf(ctx, ownMain !== undefined ? [...prefix, 'main'] : ['main']) } : {}),
    compatibilityFlags: ownFlags ? ownFlags.map((f) => f.text) : top.flags,
    bindings: environmentBindings(ctx, top, env, prefix),
    vars: readVars(ctx, env, prefix),
    secrets: readSecrets(ctx, env, prefix).sort((a, b) => a.name.localeCompare(b.name)),
    at: name === null ? { file: ctx.configFile, line: 1, column: 1 } : locationOf(ctx, prefix),
  };
  checkUniqueNames(ctx, environment, name === null ? 'the top level' : `[env.${name}]`);
  return environment;
}

/**
 * One WorkerEnvironment for the top level (`name: null`) and one per `[env.NAME]` in name order,
 * as `wrangler deploy [--env NAME]` would see them. Local-dev environments are built elsewhere.
 */
export function resolveWorkerConfig(doc: SourceDocument, opts: { configFile: string }): ResolvedWorkerConfig {
  const ctx: Context = { doc, configFile: opts.configFile, problems: [] };
  const data = doc.data;
  if (!isTable(data)) {
    report(ctx, [], `the config must be a table of settings, not ${typeName(data)}.`);
    return { environments: [], problems: ctx.problems };
  }
  const top = readTopLevel(ctx, data);
  const environments = [resolveEnvironment(ctx, top, data, null)];
  const envs = data.env;
  // `"env": null` is how wrangler treats no environments (`rawConfig.env ?? {}`).
  if (envs !== undefined && envs !== null && !isTable(envs)) {
    report(ctx, ['env'], `env must be a table of [env.NAME] sections, not ${typeName(envs)}.`);
  } else if (isTable(envs)) {
    for (const name of Object.keys(envs).sort()) {
      const env = envs[name];
      if (isTable(env)) environments.push(resolveEnvironment(ctx, top, env, name));
      else report(ctx, ['env', name], `env.${name} must be a table, not ${typeName(env)}.`);
    }
  }
  return { environments, problems: ctx.problems };
}

/**
 * `.wrangler/deploy/config.json` (written by build tools such as the Cloudflare Vite plugin):
 * `{"configPath": "..."}` names the generated config that `wrangler deploy` really uses
 * (wrangler's `findRedirectedWranglerConfig`). Returns the raw `configPath`.
 */
export function readDeployRedirect(doc: SourceDocument): string | undefined {
  const data = doc.data;
  return isTable(data) && typeof data.configPath === 'string' && data.configPath !== '' ? data.configPath : undefined;
}

/**
 * The redirect's target, repo-relative: wrangler resolves `configPath` against the directory of
 * the deploy config file (`.wrangler/deploy/`), not the project's. Undefined when it leaves the repo.
 */
export function resolveDeployRedirect(deployConfigFile: string, configPath: string): string | undefined {
  const relative = configPath.replace(/\\/g, '/');
  if (path.isAbsolute(relative) || /^[A-Za-z]:\//.test(relative)) return undefined;
  const target = path.normalize(path.join(path.dirname(deployConfigFile), relative));
  return target === '..' || target.startsWith('../') ? undefined : target;
}
