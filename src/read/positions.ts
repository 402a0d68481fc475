/** Offsets to 1-based line/column, and a key-path → position table shared by the readers. */
import type { KeyPath, Position } from './document.js';

/** Line breaks as ECMAScript (and so Babel's positions) counts them in code: CRLF, LF, CR, U+2028, U+2029. */
const ECMASCRIPT_BREAK = /\r\n?|[\n\u2028\u2029]/g;

export class LineIndex {
  readonly #starts: number[];

  /** `breaks`: `lf` for config and env files, `ecmascript` for code. */
  constructor(text: string, breaks: 'lf' | 'ecmascript' = 'lf') {
    const starts = [0];
    if (breaks === 'lf') {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      ECMASCRIPT_BREAK.lastIndex = 0;
      for (let m = ECMASCRIPT_BREAK.exec(text); m !== null; m = ECMASCRIPT_BREAK.exec(text)) starts.push(m.index + m[0].length);
    }
    this.#starts = starts;
  }

  position(offset: number): Position {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }
}

export function pathKey(path: KeyPath): string {
  return JSON.stringify(path);
}

/**
 * Positions of keys and values by path; a path's ancestors get the first position seen under them.
 *
 * Paths are nodes of a trie keyed by (parent node, segment), so recording or looking up a path
 * costs its length. Keys made by joining whole paths cost the length squared per path, cubic over
 * a deeply nested file: a 1,000-level wrangler.json took 9 s in this table alone.
 */
export class PositionTable {
  /** The root of every path (the document itself). */
  static readonly ROOT = 0;
  readonly #children = new Map<string, number>();
  readonly #parents: number[] = [-1];
  readonly #keys: (number | undefined)[] = [undefined];
  readonly #values: (number | undefined)[] = [undefined];

  /**
   * The node of `segment` under `node`, created if needed. Numbers and strings are kept apart
   * (`[0]` is not `["0"]`), as the JSON-encoded paths were.
   */
  child(node: number, segment: string | number): number {
    return this.#child(node, segment, true)!;
  }

  #child(node: number, segment: string | number, create: boolean): number | undefined {
    const id = `${node}:${typeof segment === 'number' ? `#${segment}` : `$${segment}`}`;
    let child = this.#children.get(id);
    if (child === undefined && create) {
      child = this.#keys.length;
      this.#keys.push(undefined);
      this.#values.push(undefined);
      this.#parents.push(node);
      this.#children.set(id, child);
    }
    return child;
  }

  /**
   * Records where the key of `node` was written; ancestors without a position take this one. An
   * ancestor with a position has ancestors with one too, so the walk up stops there: linear overall.
   */
  keyAt(node: number, offset: number): void {
    // An explicit key wins over a position inherited from a descendant.
    this.#keys[node] = offset;
    for (let up = this.#parents[node]!; up > 0 && this.#keys[up] === undefined; up = this.#parents[up]!) this.#keys[up] = offset;
  }

  valueAt(node: number, offset: number): void {
    this.#values[node] = offset;
  }

  key(path: KeyPath, offset: number): void {
    let node = PositionTable.ROOT;
    for (const segment of path) node = this.child(node, segment);
    if (node !== PositionTable.ROOT) this.keyAt(node, offset);
  }

  value(path: KeyPath, offset: number): void {
    let node = PositionTable.ROOT;
    for (const segment of path) node = this.child(node, segment);
    this.valueAt(node, offset);
  }

  /** The position of the path, else of its nearest recorded ancestor. */
  keyOffset(path: KeyPath): number | undefined {
    let node: number | undefined = PositionTable.ROOT;
    let found: number | undefined;
    for (const segment of path) {
      node = this.#child(node, segment, false);
      if (node === undefined) break;
      found = this.#keys[node] ?? found;
    }
    return found;
  }

  valueOffset(path: KeyPath): number | undefined {
    let node: number | undefined = PositionTable.ROOT;
    for (const segment of path) {
      node = this.#child(node, segment, false);
      if (node === undefined) return undefined;
    }
    return this.#values[node];
  }
}
