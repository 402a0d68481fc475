/**
 * What every reader of a wrangler config shares: where positions come from, where problems go,
 * and the small type checks that turn a wrong shape into a problem with its line instead of a
 * throw.
 */
import type { Location } from '../model.js';
import type { KeyPath, SourceDocument } from '../read/document.js';

/**
 * Something wrangler would reject or ignore. `severity` is absent for what makes wrangler fail
 * (the caller reports it as an error) and 'warning' for what wrangler only warns about, or for a
 * trap it does not see.
 */
export type ConfigProblem = { message: string; line: number; column: number; severity?: 'warning' };

export type Table = Record<string, unknown>;

/** What every reading function needs: where positions come from and where problems go. */
export type Context = { doc: SourceDocument; configFile: string; problems: ConfigProblem[] };

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a table';
  return `the ${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

/** `['env', 'staging', 'kv_namespaces', 0]` → `env.staging.kv_namespaces[0]`, as a person writes it. */
export function keyLabel(keyPath: KeyPath): string {
  return keyPath.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${k}`)).join('');
}

/** `[]` → "the top level", `['env', 'x']` → "[env.x]". */
export function sectionLabel(prefix: KeyPath): string {
  return prefix.length === 0 ? 'the top level' : `[${keyLabel(prefix)}]`;
}

export function locationOf(ctx: Context, keyPath: KeyPath): Location {
  const { line, column } = ctx.doc.locate(keyPath);
  return { file: ctx.configFile, line, column };
}

export function report(ctx: Context, keyPath: KeyPath, message: string, severity?: 'warning'): void {
  const { line, column } = ctx.doc.locate(keyPath);
  ctx.problems.push({ message, line, column, ...(severity ? { severity } : {}) });
}

export function readString(ctx: Context, table: Table, key: string, prefix: KeyPath): string | undefined {
  const value = table[key];
  if (value === undefined || typeof value === 'string') return value;
  report(ctx, [...prefix, key], `${keyLabel([...prefix, key])} must be a string, not ${typeName(value)}.`);
  return undefined;
}

/** The strings of an array, with their indexes (so locations stay right when an item is skipped). */
export function readStringList(ctx: Context, table: Table, key: string, prefix: KeyPath): { text: string; index: number }[] | undefined {
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
