/**
 * Literal multi-string search for redaction: Aho–Corasick (Aho & Corasick, "Efficient string
 * matching", CACM 1975) over UTF-16 code units, in typed arrays.
 *
 * Why not a regular expression of the secrets (the old way): V8 refuses a pattern above a size
 * limit ("Regular expression too large"), and the error message quoted the whole secret. Why not
 * split-and-join per secret: it costs (number of secrets) × (text size), and a hostile `.env` can
 * hold a hundred thousand secret-looking lines. This costs O(text + Σ fragment prefixes) time and
 * about 45 bytes per trie node, cannot throw on any input, and builds no pattern at all.
 *
 * Memory is bounded by indexing at most INDEXED_PREFIX code units of each fragment: a longer
 * fragment is found by its prefix and confirmed with `startsWith` where that prefix occurs.
 *
 * Overlapping occurrences are merged into one span (union of all occurrences), so a secret that
 * overlaps another can never leave a tail behind, which leftmost-longest regex alternation could.
 */
export const INDEXED_PREFIX = 1024;

const EMPTY = -1;

export class LiteralMatcher {
  readonly #fail: Int32Array;
  /** Length of the longest fully indexed fragment that ends at this node (via fail links), or 0. */
  readonly #out: Int32Array;
  /** Nodes at depth INDEXED_PREFIX that are the prefix of longer fragments (longest first). */
  readonly #long = new Map<number, string[]>();
  /**
   * Edge table, one slot = three integers side by side (parent node, code unit, child; parent -1:
   * free), so a probe touches one cache line: with separate arrays the build was memory-bound.
   */
  readonly #edges: Int32Array;
  readonly #mask: number;
  readonly empty: boolean;

  constructor(fragments: Iterable<string>) {
    const list = [...new Set(fragments)].filter((f) => f.length > 0);
    this.empty = list.length === 0;
    let nodes = 1;
    for (const f of list) nodes += Math.min(f.length, INDEXED_PREFIX);
    // Open addressing with linear probing, load factor ≤ 1/2, integers only (no boxed doubles).
    let capacity = 2;
    while (capacity < nodes * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#edges = new Int32Array(capacity * 3).fill(-1);
    const parent = new Int32Array(nodes);
    const code = new Uint16Array(nodes);
    const depth = new Int32Array(nodes);
    this.#out = new Int32Array(nodes);
    this.#fail = new Int32Array(nodes);
    let count = 1;
    for (const fragment of list) {
      const indexed = Math.min(fragment.length, INDEXED_PREFIX);
      let node = 0;
      for (let i = 0; i < indexed; i++) {
        const c = fragment.charCodeAt(i);
        let next = this.#child(node, c);
        if (next === EMPTY) {
          next = count++;
          parent[next] = node;
          code[next] = c;
          depth[next] = i + 1;
          this.#setChild(node, c, next);
        }
        node = next;
      }
      if (fragment.length <= INDEXED_PREFIX) this.#out[node] = fragment.length;
      else {
        const group = this.#long.get(node) ?? [];
        group.push(fragment);
        this.#long.set(node, group);
      }
    }
    for (const group of this.#long.values()) group.sort((a, b) => b.length - a.length);
    // Breadth-first order (counting sort by depth) so a node's fail target is done before it.
    const byDepth = new Int32Array(INDEXED_PREFIX + 2);
    for (let v = 1; v < count; v++) byDepth[depth[v]! + 1]!++;
    for (let d = 1; d < byDepth.length; d++) byDepth[d]! += byDepth[d - 1]!;
    const order = new Int32Array(count);
    for (let v = 1; v < count; v++) order[byDepth[depth[v]!]!++] = v;
    for (let k = 0; k < count - 1; k++) {
      const v = order[k]!;
      const p = parent[v]!;
      let target = 0;
      if (p !== 0) {
        let f = this.#fail[p]!;
        for (;;) {
          const next = this.#child(f, code[v]!);
          if (next !== EMPTY) {
            target = next;
            break;
          }
          if (f === 0) break;
          f = this.#fail[f]!;
        }
      }
      this.#fail[v] = target;
      if (this.#out[v] === 0) this.#out[v] = this.#out[target]!;
    }
  }

  /** Index in #edges of the slot holding edge (node, c), or of the free slot where it would go. */
  #slot(node: number, c: number): number {
    let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(c + 1, 0x85ebca6b);
    h = (h ^ (h >>> 15)) & this.#mask;
    const edges = this.#edges;
    for (;;) {
      const at = h * 3;
      const p = edges[at]!;
      if (p === -1 || (p === node && edges[at + 1] === c)) return at;
      h = (h + 1) & this.#mask;
    }
  }

  #child(node: number, c: number): number {
    const at = this.#slot(node, c);
    return this.#edges[at] === -1 ? EMPTY : this.#edges[at + 2]!;
  }

  #setChild(node: number, c: number, child: number): void {
    const at = this.#slot(node, c);
    this.#edges[at] = node;
    this.#edges[at + 1] = c;
    this.#edges[at + 2] = child;
  }

  /**
   * Every occurrence of every fragment as merged [start, end) spans, in order. Intervals are found
   * no later than INDEXED_PREFIX positions after their start, and always with a start no later
   * than the current position, so overlapping spans are a suffix of the stack: popping them keeps
   * the merge linear.
   */
  spans(text: string): [number, number][] {
    const spans: [number, number][] = [];
    if (this.empty) return spans;
    const add = (start: number, end: number) => {
      let s = start;
      let e = end;
      while (spans.length > 0 && spans[spans.length - 1]![1] > s) {
        const [ps, pe] = spans.pop()!;
        if (ps < s) s = ps;
        if (pe > e) e = pe;
      }
      spans.push([s, e]);
    };
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      for (;;) {
        const next = this.#child(node, c);
        if (next !== EMPTY) {
          node = next;
          break;
        }
        if (node === 0) break;
        node = this.#fail[node]!;
      }
      const length = this.#out[node]!;
      if (length > 0) add(i + 1 - length, i + 1);
      const long = this.#long.get(node);
      if (long) {
        const start = i + 1 - INDEXED_PREFIX;
        const hit = long.find((fragment) => text.startsWith(fragment, start));
        if (hit) add(start, start + hit.length);
      }
    }
    return spans;
  }

  /** The text with each merged span replaced by `replacement`. */
  replace(text: string, replacement: string): string {
    const spans = this.spans(text);
    if (spans.length === 0) return text;
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of spans) {
      parts.push(text.slice(at, start), replacement);
      at = end;
    }
    parts.push(text.slice(at));
    return parts.join('');
  }
}
