/** Offsets to 1-based line/column, and a key-path → position table shared by the readers. */
import type { KeyPath, Position } from './document.js';

export class LineIndex {
  readonly #starts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
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

/** Positions of keys and values by path; a path's ancestors get the first position seen under them. */
export class PositionTable {
  readonly #keys = new Map<string, number>();
  readonly #values = new Map<string, number>();

  key(path: KeyPath, offset: number): void {
    for (let length = 1; length < path.length; length++) {
      const k = pathKey(path.slice(0, length));
      if (!this.#keys.has(k)) this.#keys.set(k, offset);
    }
    // An explicit key wins over a position inherited from a descendant.
    this.#keys.set(pathKey(path), offset);
  }

  value(path: KeyPath, offset: number): void {
    this.#values.set(pathKey(path), offset);
  }

  keyOffset(path: KeyPath): number | undefined {
    for (let length = path.length; length > 0; length--) {
      const found = this.#keys.get(pathKey(path.slice(0, length)));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  valueOffset(path: KeyPath): number | undefined {
    return this.#values.get(pathKey(path));
  }
}
