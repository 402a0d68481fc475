/**
 * The entries of one wrangler table (the top level or an `[env.NAME]`): its bindings of one kind
 * (BINDING_SOURCES in bindings.ts says where each kind lives and which field names it), its
 * `[vars]` and its `secrets.required`. Wrong types are reported with their line and skipped, never
 * thrown. Which table an environment takes each from is environments.ts's to decide.
 */
import type { Binding, DeclaredSecret, Value } from '../model.js';
import type { KeyPath } from '../read/document.js';
import { Sensitive } from '../sensitive.js';
import type { BindingSource } from './bindings.js';
import { type Context, type Table, isTable, keyLabel, locationOf, readStringList, report, typeName } from './context.js';

/**
 * Binding fields that can hold a credential: Hyperdrive's `localConnectionString`, the database
 * `wrangler dev` connects to, often a real one with its password (seen committed in a public
 * repository, where a missing-binding snippet then copied it into the report); an unsafe
 * `secret_text` binding's `text`; any field named for a password, secret or token (but not a
 * `secret_name` or `…_id`, which name one).
 */
const CREDENTIAL_FIELD = /^(?:localConnectionString|text)$|^(?!.*_(?:name|id)$).*(?:password|secret|token|connection_?string)/i;

/** Scalar fields of a binding entry (id, bucket_name, service, ...): what a snippet or a live check needs; credentials apart. */
function fieldsOf(ctx: Context, entry: Table, entryPath: KeyPath, nameField: string): Pick<Binding, 'details' | 'credentials'> {
  const details: Record<string, string> = {};
  const credentials: Record<string, Value> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k === nameField || !(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) continue;
    // Not secret here: classify.ts decides that in the model builder, as for [vars].
    if (CREDENTIAL_FIELD.test(k)) credentials[k] = { value: new Sensitive(String(v), false), at: locationOf(ctx, [...entryPath, k]) };
    else details[k] = String(v);
  }
  return { ...(Object.keys(details).length > 0 ? { details } : {}), ...(Object.keys(credentials).length > 0 ? { credentials } : {}) };
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
export function readBindings(ctx: Context, env: Table, prefix: KeyPath, source: BindingSource): Binding[] {
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
    // `[assets] binding = ""` is no binding at all: deploy and `wrangler types` test `assets?.binding`.
    if (source.nameOptional && (name === undefined || name === '')) continue;
    if (typeof name !== 'string' || name === '') {
      report(ctx, entryPath, `${keyLabel(entryPath)} has no "${source.nameField}": wrangler needs it to name the binding.`);
      continue;
    }
    result.push({ name, kind: source.kind, at: locationOf(ctx, [...entryPath, source.nameField]), ...fieldsOf(ctx, entry, entryPath, source.nameField) });
  }
  return result;
}

/** `[vars]`: each key is a binding of kind var; non-string values (JSON objects, numbers) are kept as JSON text. */
export function readVars(ctx: Context, env: Table, prefix: KeyPath): Record<string, Value> {
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
export function readSecrets(ctx: Context, env: Table, prefix: KeyPath): DeclaredSecret[] {
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
