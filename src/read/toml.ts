/**
 * wrangler.toml, parsed with smol-toml (the parser wrangler 4 bundles), plus a locator: smol-toml
 * gives no positions, so after a successful parse a small scanner walks the same text and records
 * where each key path was written (table headers, [[array tables]] by occurrence, dotted and
 * quoted keys, inline tables and arrays across lines). The scanner runs only on text smol-toml
 * accepted, never recurses, and never throws (a failure only loses positions).
 */
import { parse, TomlError } from 'smol-toml';
import type { KeyPath, Position, ReadResult, SourceDocument } from './document.js';
import { LineIndex, PositionTable, pathKey } from './positions.js';

/** smol-toml's own limit would throw past this; we report it as a parse error instead. */
const MAX_DEPTH = 1000;

function plain(value: unknown): unknown {
  // Dates become ISO strings so the data is plain JSON (iterative: nesting can be deep).
  const root = { v: value };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown> | unknown[];
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (child instanceof Date) (node as Record<string, unknown>)[key] = Number.isNaN(child.getTime()) ? String(child) : child.toISOString();
      else if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return root.v;
}

export function readToml(text: string, file: string): ReadResult {
  const source = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = plain(parse(source, { maxDepth: MAX_DEPTH }));
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? 'invalid TOML';
      return { ok: false, error: { message: `invalid TOML: ${message}`, line: error.line, column: error.column } };
    }
    if (error instanceof RangeError) return { ok: false, error: { message: 'invalid TOML: nesting too deep to read', line: 1, column: 1 } };
    return { ok: false, error: { message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 } };
  }
  const lines = new LineIndex(source);
  const table = new PositionTable();
  try {
    scanToml(source, table);
  } catch {
    // Positions are best effort; the data is still right.
  }
  return { ok: true, doc: makeDocument(file, 'toml', data, table, lines) };
}

export function makeDocument(file: string, format: SourceDocument['format'], data: unknown, table: PositionTable, lines: LineIndex): SourceDocument {
  return {
    file,
    format,
    data,
    locate(path: KeyPath): Position {
      const offset = table.keyOffset(path);
      return offset === undefined ? { line: 1, column: 1 } : lines.position(offset);
    },
    locateValue(path: KeyPath): Position | undefined {
      const offset = table.valueOffset(path);
      return offset === undefined ? undefined : lines.position(offset);
    },
  };
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  pos = 0;
  constructor(readonly s: string) {}

  get done(): boolean {
    return this.pos >= this.s.length;
  }

  peek(offset = 0): string {
    return this.s[this.pos + offset] ?? '';
  }

  /** Skips spaces and tabs (and newlines and comments when `lines`). */
  skip(lines: boolean): void {
    while (!this.done) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || (lines && (c === '\n' || c === '\r'))) this.pos++;
      else if (c === '#' && lines) this.skipComment();
      else if (c === '#') return;
      else return;
    }
  }

  skipComment(): void {
    const end = this.s.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.s.length : end;
  }

  /** Reads a string token starting at a quote; returns its decoded-enough value (for keys). */
  string(): string {
    const s = this.s;
    const quote = s[this.pos]!;
    const triple = s.startsWith(quote.repeat(3), this.pos);
    if (triple) {
      let end = s.indexOf(quote.repeat(3), this.pos + 3);
      if (end === -1) end = s.length;
      // A closing run may hold up to two extra quotes that belong to the content.
      while (s[end + 3] === quote) end++;
      const value = s.slice(this.pos + 3, end);
      this.pos = end + 3;
      return value;
    }
    let i = this.pos + 1;
    let value = '';
    while (i < s.length && s[i] !== quote && s[i] !== '\n') {
      if (quote === '"' && s[i] === '\\') {
        const next = s[i + 1];
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next ?? '';
        i += 2;
        continue;
      }
      value += s[i];
      i++;
    }
    this.pos = i + 1;
    return value;
  }

  /** A dotted key: bare or quoted segments separated by dots. */
  key(): string[] {
    const segments: string[] = [];
    for (;;) {
      this.skip(false);
      const c = this.peek();
      if (c === '"' || c === "'") segments.push(this.string());
      else {
        const start = this.pos;
        while (!this.done && BARE_KEY.test(this.peek())) this.pos++;
        if (this.pos === start) break;
        segments.push(this.s.slice(start, this.pos));
      }
      this.skip(false);
      if (this.peek() !== '.') break;
      this.pos++;
    }
    return segments;
  }
}

type Frame = { kind: 'array'; path: (string | number)[]; index: number } | { kind: 'table'; path: (string | number)[] };

function scanToml(source: string, table: PositionTable): void {
  const sc = new Scanner(source);
  let current: (string | number)[] = [];
  const arrayTableCounts = new Map<string, number>();

  /** Resolves a header's key path, inserting the current index of each enclosing array table. */
  const resolve = (segments: string[]): (string | number)[] => {
    const resolved: (string | number)[] = [];
    for (const segment of segments) {
      resolved.push(segment);
      const count = arrayTableCounts.get(pathKey(resolved));
      if (count !== undefined) resolved.push(count - 1);
    }
    return resolved;
  };

  while (!sc.done) {
    sc.skip(true);
    if (sc.done) break;
    const start = sc.pos;
    if (sc.peek() === '[') {
      const isArrayTable = sc.peek(1) === '[';
      sc.pos += isArrayTable ? 2 : 1;
      const segments = sc.key();
      if (isArrayTable) {
        const parent = resolve(segments.slice(0, -1));
        const own = [...parent, segments.at(-1) ?? ''];
        const count = (arrayTableCounts.get(pathKey(own)) ?? 0) + 1;
        arrayTableCounts.set(pathKey(own), count);
        current = [...own, count - 1];
      } else {
        current = resolve(segments);
      }
      table.key(current, start);
      sc.skipComment();
      continue;
    }
    const keyStart = sc.pos;
    const segments = sc.key();
    if (segments.length === 0) {
      sc.skipComment();
      sc.pos++;
      continue;
    }
    const path = [...current, ...segments];
    table.key(path, keyStart);
    sc.skip(false);
    if (sc.peek() === '=') sc.pos++;
    scanValue(sc, path, table);
    sc.skipComment();
  }
}

/** Records positions inside one value (arrays and inline tables), iteratively. */
function scanValue(sc: Scanner, path: (string | number)[], table: PositionTable): void {
  sc.skip(false);
  const stack: Frame[] = [];
  let pendingPath: (string | number)[] | undefined = path;
  for (;;) {
    if (pendingPath) {
      sc.skip(stack.length > 0 && stack.at(-1)!.kind === 'array');
      table.value(pendingPath, sc.pos);
      const c = sc.peek();
      if (c === '[') {
        sc.pos++;
        stack.push({ kind: 'array', path: pendingPath, index: 0 });
      } else if (c === '{') {
        sc.pos++;
        stack.push({ kind: 'table', path: pendingPath });
      } else if (c === '"' || c === "'") {
        sc.string();
      } else {
        while (!sc.done && !',]}\n#'.includes(sc.peek())) sc.pos++;
      }
      pendingPath = undefined;
    }
    const frame = stack.at(-1);
    if (!frame) return;
    sc.skip(true);
    if (sc.done) return;
    const c = sc.peek();
    if (c === ',') {
      sc.pos++;
      continue;
    }
    if ((frame.kind === 'array' && c === ']') || (frame.kind === 'table' && c === '}')) {
      sc.pos++;
      stack.pop();
      if (stack.length === 0) return;
      continue;
    }
    if (frame.kind === 'array') {
      const elementPath = [...frame.path, frame.index];
      frame.index++;
      table.key(elementPath, sc.pos);
      pendingPath = elementPath;
    } else {
      const keyStart = sc.pos;
      const segments = sc.key();
      if (segments.length === 0) return;
      const keyPath = [...frame.path, ...segments];
      table.key(keyPath, keyStart);
      sc.skip(false);
      if (sc.peek() === '=') sc.pos++;
      pendingPath = keyPath;
    }
  }
}
