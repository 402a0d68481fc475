/**
 * wrangler.toml, parsed with smol-toml (the parser wrangler 4 bundles), plus a locator: smol-toml
 * gives no positions, so after a successful parse a small scanner walks the same text and records
 * where each key path was written (table headers, [[array tables]] by occurrence, dotted and
 * quoted keys, inline tables and arrays across lines). The scanner runs only on text smol-toml
 * accepted, never recurses, and never throws (a failure only loses positions).
 */
import { parse, TomlError } from 'smol-toml';
import type { KeyPath, Position, ReadResult, SourceDocument } from './document.js';
import { LineIndex, PositionTable } from './positions.js';

/**
 * How deep a configuration file may nest (TOML and JSON alike); deeper is a parse error. Real
 * wrangler configs nest fewer than ten levels. Reading is linear at any depth; the limit keeps
 * recursion in the parsers (smol-toml, jsonc-parser) and in every later stage off the stack's edge.
 */
export const MAX_NESTING = 1000;

class TooDeep extends Error {}

function plain(value: unknown): unknown {
  // Dates become ISO strings so the data is plain JSON (iterative: nesting can be deep). Dotted
  // keys (`a.b.c = 1`) nest without smol-toml's maxDepth seeing it, so depth is checked here too.
  const root = { v: value };
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()! as { node: Record<string, unknown>; depth: number };
    if (depth > MAX_NESTING) throw new TooDeep();
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (child instanceof Date) node[key] = Number.isNaN(child.getTime()) ? String(child) : child.toISOString();
      else if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return root.v;
}

export function readToml(text: string, file: string): ReadResult {
  const source = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = plain(parse(source, { maxDepth: MAX_NESTING }));
  } catch (error) {
    if (error instanceof TomlError && /excessively nested/.test(error.message)) {
      return { ok: false, error: { message: `invalid TOML: nested deeper than ${MAX_NESTING} levels, more than deploy-guard reads`, line: error.line, column: error.column } };
    }
    if (error instanceof TomlError) {
      const message = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? 'invalid TOML';
      return { ok: false, error: { message: `invalid TOML: ${message}`, line: error.line, column: error.column } };
    }
    if (error instanceof TooDeep) return { ok: false, error: { message: `invalid TOML: nested deeper than ${MAX_NESTING} levels, more than deploy-guard reads`, line: 1, column: 1 } };
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

/** Nodes are handles in the position table: no step copies or re-walks a path, so depth stays linear. */
type Frame = { kind: 'array'; node: number; index: number } | { kind: 'table'; node: number };

function scanToml(source: string, table: PositionTable): void {
  const sc = new Scanner(source);
  let current = PositionTable.ROOT;
  /** Array-table node → how many [[tables]] it has had so far. */
  const arrayTableCounts = new Map<number, number>();

  /** Walks a dotted key from `from`, entering the current element of each array table on the way. */
  const resolve = (from: number, segments: string[]): number => {
    let node = from;
    for (const segment of segments) {
      node = table.child(node, segment);
      const count = arrayTableCounts.get(node);
      if (count !== undefined) node = table.child(node, count - 1);
    }
    return node;
  };
  const under = (from: number, segments: string[]): number => {
    let node = from;
    for (const segment of segments) node = table.child(node, segment);
    return node;
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
        const own = table.child(resolve(PositionTable.ROOT, segments.slice(0, -1)), segments.at(-1) ?? '');
        const count = (arrayTableCounts.get(own) ?? 0) + 1;
        arrayTableCounts.set(own, count);
        current = table.child(own, count - 1);
      } else {
        current = resolve(PositionTable.ROOT, segments);
      }
      if (current !== PositionTable.ROOT) table.keyAt(current, start);
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
    const node = under(current, segments);
    table.keyAt(node, keyStart);
    sc.skip(false);
    if (sc.peek() === '=') sc.pos++;
    scanValue(sc, node, table);
    sc.skipComment();
  }

  /** Records positions inside one value (arrays and inline tables), iteratively. */
  function scanValue(sc: Scanner, node: number, table: PositionTable): void {
    sc.skip(false);
    const stack: Frame[] = [];
    let pending: number | undefined = node;
    for (;;) {
      if (pending !== undefined) {
        sc.skip(stack.length > 0 && stack.at(-1)!.kind === 'array');
        table.valueAt(pending, sc.pos);
        const c = sc.peek();
        if (c === '[') {
          sc.pos++;
          stack.push({ kind: 'array', node: pending, index: 0 });
        } else if (c === '{') {
          sc.pos++;
          stack.push({ kind: 'table', node: pending });
        } else if (c === '"' || c === "'") {
          sc.string();
        } else {
          while (!sc.done && !',]}\n#'.includes(sc.peek())) sc.pos++;
        }
        pending = undefined;
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
        const element = table.child(frame.node, frame.index);
        frame.index++;
        table.keyAt(element, sc.pos);
        pending = element;
      } else {
        const keyStart = sc.pos;
        const segments = sc.key();
        if (segments.length === 0) return;
        const key = under(frame.node, segments);
        table.keyAt(key, keyStart);
        sc.skip(false);
        if (sc.peek() === '=') sc.pos++;
        pending = key;
      }
    }
  }
}
