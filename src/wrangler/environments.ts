/**
 * Worker environments exactly as wrangler 4 resolves them (DESIGN §3): `[env.NAME]` inherits
 * name, main, compatibility settings, routes, build and assets, but NOT vars, secrets or any
 * binding. A binding declared only at the top level does not exist under `--env NAME`.
 * Wrong types never throw: the bad piece is skipped and reported as a problem with its line.
 */
import path from 'node:path/posix';
import type { Binding, DeclaredSecret, Location, Value, WorkerEnvironment } from '../model.js';
import type { KeyPath, SourceDocument } from '../read/document.js';
import { Sensitive } from '../sensitive.js';
import { BINDING_SOURCES, type BindingSource } from './bindings.js';

export type ConfigProblem = { message: string; line: number; column: number };

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Resolver {
  readonly problems: ConfigProblem[] = [];
  constructor(readonly doc: SourceDocument, readonly configFile: string) {}

  at(keyPath: KeyPath): Location {
    const { line, column } = this.doc.locate(keyPath);
    return { file: this.configFile, line, column };
  }

  problem(keyPath: KeyPath, message: string): void {
    const { line, column } = this.doc.locate(keyPath);
    this.problems.push({ message, line, column });
  }

  describe(keyPath: KeyPath): string {
    return keyPath.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');
  }

  string(table: Table, key: string, prefix: KeyPath): string | undefined {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    this.problem([...prefix, key], `${this.describe([...prefix, key])} must be a string, not ${typeName(value)}.`);
    return undefined;
  }

  stringList(table: Table, key: string, prefix: KeyPath): string[] {
    const value = table[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem([...prefix, key], `${this.describe([...prefix, key])} must be an array of strings, not ${typeName(value)}.`);
      return [];
    }
    return value.filter((item, i) => {
      if (typeof item === 'string') return true;
      this.problem([...prefix, key, i], `${this.describe([...prefix, key, i])} must be a string, not ${typeName(item)}.`);
      return false;
    });
  }

  bindings(env: Table, prefix: KeyPath, source: BindingSource): Binding[] {
    let container = env[source.key];
    if (container === undefined) return [];
    const basePath: (string | number)[] = [...prefix, source.key];
    if (source.list) {
      if (!isTable(container)) {
        this.problem(basePath, `${this.describe(basePath)} must be a table with a "${source.list}" array, not ${typeName(container)}.`);
        return [];
      }
      container = container[source.list];
      basePath.push(source.list);
      if (container === undefined) return [];
    }
    if (source.shape === 'map') {
      if (!isTable(container)) {
        this.problem(basePath, `${this.describe(basePath)} must be a table of NAME = "path", not ${typeName(container)}.`);
        return [];
      }
      return Object.keys(container).map((name) => ({ name, kind: source.kind, at: this.at([...basePath, name]) }));
    }
    // Some single-object kinds are written as arrays by newer configs, and vice versa: accept both.
    const entries: [unknown, (string | number)[]][] = Array.isArray(container)
      ? container.map((item, i) => [item, [...basePath, i]])
      : isTable(container) ? [[container, basePath]] : [];
    if (entries.length === 0 && !Array.isArray(container)) {
      this.problem(basePath, `${this.describe(basePath)} must be ${source.shape === 'object' ? 'a table' : 'an array of tables'}, not ${typeName(container)}.`);
      return [];
    }
    const result: Binding[] = [];
    for (const [entry, entryPath] of entries) {
      if (!isTable(entry)) {
        this.problem(entryPath, `${this.describe(entryPath)} must be a table, not ${typeName(entry)}.`);
        continue;
      }
      const name = entry[source.nameField];
      if (typeof name !== 'string' || name === '') {
        this.problem(entryPath, `${this.describe(entryPath)} has no "${source.nameField}": wrangler needs it to name the binding.`);
        continue;
      }
      const details: Record<string, string> = {};
      for (const [k, v] of Object.entries(entry)) if (k !== source.nameField && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) details[k] = String(v);
      result.push({ name, kind: source.kind, at: this.at([...entryPath, source.nameField]), ...(Object.keys(details).length > 0 ? { details } : {}) });
    }
    return result;
  }

  vars(env: Table, prefix: KeyPath): Record<string, Value> {
    const vars = env.vars;
    if (vars === undefined) return {};
    if (!isTable(vars)) {
      this.problem([...prefix, 'vars'], `${this.describe([...prefix, 'vars'])} must be a table of NAME = value, not ${typeName(vars)}.`);
      return {};
    }
    const result: Record<string, Value> = {};
    for (const [name, value] of Object.entries(vars)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      // Classification (secret or not) happens in the model builder, by classify.ts.
      result[name] = { value: new Sensitive(text, false), at: this.at([...prefix, 'vars', name]) };
    }
    return result;
  }

  secrets(env: Table, prefix: KeyPath): DeclaredSecret[] {
    const secrets = env.secrets;
    if (secrets === undefined) return [];
    if (!isTable(secrets)) {
      this.problem([...prefix, 'secrets'], `${this.describe([...prefix, 'secrets'])} must be a table such as { required = ["NAME"] }, not ${typeName(secrets)}.`);
      return [];
    }
    const names = this.stringList(secrets, 'required', [...prefix, 'secrets']);
    return names.map((name) => {
      const index = (secrets.required as unknown[]).indexOf(name);
      return { name, source: 'secrets.required' as const, at: this.at([...prefix, 'secrets', 'required', index]) };
    });
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a table';
  return `the ${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

function resolveMain(configFile: string, main: string | undefined): string | undefined {
  if (main === undefined) return undefined;
  const joined = path.normalize(path.join(path.dirname(configFile), main.replace(/\\/g, '/')));
  return joined;
}

export type ResolvedWorkerConfig = { environments: WorkerEnvironment[]; problems: ConfigProblem[] };

export function resolveWorkerConfig(doc: SourceDocument, opts: { configFile: string }): ResolvedWorkerConfig {
  const resolver = new Resolver(doc, opts.configFile);
  const data = doc.data;
  if (!isTable(data)) {
    resolver.problem([], `the config must be a table of settings, not ${typeName(data)}.`);
    return { environments: [], problems: resolver.problems };
  }

  const topName = resolver.string(data, 'name', []);
  const topMain = resolver.string(data, 'main', []);
  const topFlags = resolver.stringList(data, 'compatibility_flags', []);
  const topAssets = BINDING_SOURCES.filter((s) => s.inheritable).flatMap((s) => resolver.bindings(data, [], s));

  const environment = (env: Table, name: string | null): WorkerEnvironment => {
    const prefix: KeyPath = name === null ? [] : ['env', name];
    const ownName = name === null ? topName : resolver.string(env, 'name', prefix);
    const ownMain = name === null ? topMain : resolver.string(env, 'main', prefix);
    const flags = name === null || env.compatibility_flags === undefined ? topFlags : resolver.stringList(env, 'compatibility_flags', prefix);
    const bindings: Binding[] = [];
    for (const source of BINDING_SOURCES) {
      if (source.inheritable && name !== null && env[source.key] === undefined) {
        bindings.push(...topAssets);
        continue;
      }
      bindings.push(...resolver.bindings(env, prefix, source));
    }
    const base = topName ?? path.basename(path.dirname(opts.configFile) || '.');
    // wrangler names the script of [env.NAME] "<name>-<NAME>" unless the environment sets `name`.
    const scriptName = ownName ?? (name === null ? base : `${base}-${name}`);
    const main = name === null ? resolveMain(opts.configFile, topMain) : resolveMain(opts.configFile, ownMain ?? topMain);
    const mainAt = name !== null && ownMain !== undefined ? resolver.at([...prefix, 'main']) : resolver.at(['main']);
    return {
      config: opts.configFile,
      name,
      dev: false,
      scriptName,
      ...(main ? { main, mainAt } : {}),
      compatibilityFlags: flags,
      bindings: bindings.sort((a, b) => a.name.localeCompare(b.name) || a.at.line - b.at.line),
      vars: resolver.vars(env, prefix),
      secrets: resolver.secrets(env, prefix).sort((a, b) => a.name.localeCompare(b.name)),
      at: name === null ? { file: opts.configFile, line: 1, column: 1 } : resolver.at(prefix),
    };
  };

  const environments = [environment(data, null)];
  const envs = data.env;
  if (envs !== undefined && !isTable(envs)) {
    resolver.problem(['env'], `env must be a table of [env.NAME] sections, not ${typeName(envs)}.`);
  } else if (envs) {
    for (const name of Object.keys(envs).sort()) {
      const env = envs[name];
      if (!isTable(env)) {
        resolver.problem(['env', name], `env.${name} must be a table, not ${typeName(env)}.`);
        continue;
      }
      environments.push(environment(env, name));
    }
  }
  const unique = new Map(resolver.problems.map((p) => [`${p.line}:${p.column}:${p.message}`, p]));
  return { environments, problems: [...unique.values()] };
}

/** `.wrangler/deploy/config.json` (written by build tools): the config deploys really use. */
export function readDeployRedirect(doc: SourceDocument): string | undefined {
  const data = doc.data;
  return isTable(data) && typeof data.configPath === 'string' ? data.configPath : undefined;
}
