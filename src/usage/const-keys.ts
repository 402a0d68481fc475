/**
 * Which names an `env[key]` reads when the key is a constant the module spells out (one
 * public repository hid three undeclared secrets behind a key list):
 *
 *   const KEY = "X";                         env[KEY]            → X
 *   const REQUIRED = ["A", "B"] as const;    for (const k of REQUIRED) env[k]; REQUIRED.map((k) => env[k])
 *   const KEYS = { url: "U", key: "K" };     Object.keys(KEYS) … env[k] → url, key;  env[KEYS.url] → U
 *   for (const k in OBJ) env[k];             for (const [k] of Object.entries(OBJ)) env[k]
 *
 * Only what is certain counts: a key that may be anything else (a parameter, a `let`, a call's
 * result) stays unresolved, and the caller keeps its opaque access. Scopes are approximated by the
 * enclosing function (block scopes inside one function share it), and loop / callback variables
 * by the loop or callback they belong to; the innermost binding of a name wins.
 *
 * Pure and linear: bindings are collected in the module's first walk (`collect`), keys resolved on
 * demand with memoised values and a depth bound, so a cycle (`const A = B; const B = A`) ends.
 *
 * Over 300 lines: collecting bindings and resolving keys share one scope table; each key form
 * above is a few lines of it.
 */
import type { Node } from '@babel/types';
import { isFunctionNode, unwrap, patternNames , forEachNode } from './ast.js';

/** How a binding takes its value from its source expression. */
type Mode =
  /** `const K = <value>` */
  | 'value'
  /** `for (const k of <iterable>)`, `<iterable>.map((k) => …)` */
  | 'element'
  /** `for (const k in <object>)` */
  | 'key'
  /** `for (const [k] of Object.entries(<object>))`, `Object.entries(<object>).map(([k]) => …)` */
  | 'entry-key';

type Binding = {
  /** Where the name is declared (offset), to find its scope when `scope` is not given. */
  at: number;
  /** The range the name is visible in, when known at declaration (loops, callbacks, parameters). */
  scope?: [number, number];
  /** Source of the value; undefined for a binding whose value is unknown (`let`, parameter, import). */
  source?: Node;
  mode: Mode;
};

const ITERATION_METHODS = new Set(['map', 'forEach', 'filter', 'some', 'every', 'flatMap', 'find', 'findIndex', 'findLast', 'reduce', 'reduceRight']);
/** Methods whose result holds (a subset of) the same elements. */
const SAME_ELEMENTS = new Set(['filter', 'slice', 'sort', 'toSorted', 'reverse', 'toReversed', 'concat']);
const MAX_DEPTH = 8;
/** A template with several lists multiplies them; beyond this the key counts as unknown. */
const MAX_VALUES = 64;

function staticKey(node: Node, computed: boolean): string | undefined {
  if (!computed && node.type === 'Identifier') return node.name;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'NumericLiteral') return String(node.value);
  return undefined;
}

export class ConstKeys {
  readonly #bindings = new Map<string, Binding[]>();
  /**
   * The module, collected on the first question: `env[KEY]` is rare, and collecting every
   * declaration of every module up front cost about 5 % of a large run (npm run bench).
   */
  #pending: Node | undefined;

  constructor(program?: Node) {
    this.#pending = program;
  }
  /** Function ranges in source order, for the scope of a `const` declared inside one. */
  readonly #functions: [number, number][] = [];
  #sorted = true;
  readonly #memo = new Map<Binding, string[] | null>();

  #add(name: string, binding: Binding): void {
    const list = this.#bindings.get(name);
    if (list) list.push(binding);
    else this.#bindings.set(name, [binding]);
  }

  /** Records what one node declares (the whole module is walked through this on first use). */
  collect(node: Node): void {
    switch (node.type) {
      case 'VariableDeclaration':
        for (const d of node.declarations) {
          if (d.id.type === 'Identifier') {
            this.#add(d.id.name, { at: d.start ?? 0, mode: 'value', ...(node.kind === 'const' && d.init ? { source: d.init } : {}) });
          } else {
            const names: string[] = [];
            patternNames(d.id, names);
            for (const n of names) this.#add(n, { at: d.start ?? 0, mode: 'value' });
          }
        }
        break;
      case 'ForOfStatement':
      case 'ForInStatement': {
        const left = node.left;
        if (left.type !== 'VariableDeclaration' || left.declarations.length !== 1) break;
        const id = left.declarations[0]!.id;
        const scope: [number, number] = [node.start ?? 0, node.end ?? 0];
        if (id.type === 'Identifier') {
          this.#add(id.name, { at: scope[0], scope, source: node.right, mode: node.type === 'ForInStatement' ? 'key' : 'element' });
        } else if (id.type === 'ArrayPattern' && node.type === 'ForOfStatement' && id.elements[0]?.type === 'Identifier') {
          this.#add(id.elements[0].name, { at: scope[0], scope, source: node.right, mode: 'entry-key' });
        }
        break;
      }
      case 'CallExpression': {
        // KEYS.map((k) => …): the callback's element parameter takes each constant element.
        const callee = node.callee;
        const callback = node.arguments[0];
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || !ITERATION_METHODS.has(callee.property.name)) break;
        if (!callback || (callback.type !== 'ArrowFunctionExpression' && callback.type !== 'FunctionExpression')) break;
        const param = callback.params[callee.property.name.startsWith('reduce') ? 1 : 0];
        const scope: [number, number] = [callback.start ?? 0, callback.end ?? 0];
        if (param?.type === 'Identifier') this.#add(param.name, { at: scope[0], scope, source: callee.object, mode: 'element' });
        else if (param?.type === 'ArrayPattern' && param.elements[0]?.type === 'Identifier') this.#add(param.elements[0].name, { at: scope[0], scope, source: callee.object, mode: 'entry-key' });
        break;
      }
      default:
        if (isFunctionNode(node)) {
          const scope: [number, number] = [node.start ?? 0, node.end ?? 0];
          const last = this.#functions[this.#functions.length - 1];
          if (last && last[0] > scope[0]) this.#sorted = false;
          this.#functions.push(scope);
          const names: string[] = [];
          for (const p of node.params) patternNames(p as Node, names);
          // Parameters already bound by a callback above keep that binding (added first, same scope).
          for (const n of names) if (!this.#bindings.get(n)?.some((b) => b.scope && b.scope[0] === scope[0])) this.#add(n, { at: scope[0], scope, mode: 'value' });
        }
        break;
    }
  }

  /** The innermost function containing `offset`, or the whole module. */
  #scopeOf(offset: number): [number, number] {
    if (!this.#sorted) {
      this.#functions.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
      this.#sorted = true;
    }
    let best: [number, number] = [0, Number.MAX_SAFE_INTEGER];
    for (const range of this.#functions) {
      if (range[0] > offset) break; // sorted by start (pre-order walk)
      if (offset < range[1] && range[0] >= best[0]) best = range;
    }
    return best;
  }

  #lookup(name: string, offset: number): Binding | undefined {
    let best: Binding | undefined;
    let bestScope: [number, number] | undefined;
    for (const b of this.#bindings.get(name) ?? []) {
      const scope = b.scope ?? this.#scopeOf(b.at);
      if (offset < scope[0] || offset >= scope[1]) continue;
      if (!bestScope || scope[1] - scope[0] < bestScope[1] - bestScope[0] || (scope[0] === bestScope[0] && scope[1] === bestScope[1] && b.at <= offset)) {
        best = b;
        bestScope = scope;
      }
    }
    return best;
  }

  /** The names `env[key]` reads, or undefined when the key is not a known constant. */
  keysOf(key: Node): string[] | undefined {
    if (this.#pending) {
      const program = this.#pending;
      this.#pending = undefined;
      forEachNode(program, (node) => this.collect(node));
    }
    const values = this.#strings(key, 0);
    return values && values.length > 0 ? [...new Set(values)] : undefined;
  }

  #bindingValues(binding: Binding, depth: number): string[] | null {
    if (this.#memo.has(binding)) return this.#memo.get(binding)!;
    this.#memo.set(binding, null); // a cycle resolves to unknown
    let result: string[] | null = null;
    if (binding.source) {
      const source = binding.source;
      const values = binding.mode === 'value' ? this.#strings(source, depth + 1)
        : binding.mode === 'element' ? this.#elements(source, depth + 1)
          : binding.mode === 'key' ? this.#keys(source, depth + 1)
            : this.#entryKeys(source, depth + 1);
      result = values ?? null;
    }
    this.#memo.set(binding, result);
    return result;
  }

  #identifier(node: Node & { type: 'Identifier' }, depth: number): Binding | undefined {
    return depth > MAX_DEPTH ? undefined : this.#lookup(node.name, node.start ?? 0);
  }

  /** The string(s) an expression certainly evaluates to. */
  #strings(expression: Node, depth: number): string[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
    switch (node.type) {
      case 'StringLiteral': return [node.value];
      case 'TemplateLiteral': {
        let values = [node.quasis[0]?.value.cooked ?? ''];
        for (let i = 0; i < node.expressions.length; i++) {
          const part = this.#strings(node.expressions[i] as Node, depth + 1);
          if (!part || values.length * part.length > MAX_VALUES) return undefined;
          const tail = node.quasis[i + 1]?.value.cooked ?? '';
          values = values.flatMap((v) => part.map((p) => v + p + tail));
        }
        return values;
      }
      case 'ConditionalExpression': {
        const a = this.#strings(node.consequent, depth + 1);
        const b = a && this.#strings(node.alternate, depth + 1);
        return a && b ? [...a, ...b] : undefined;
      }
      case 'Identifier': {
        const binding = this.#identifier(node, depth);
        if (!binding) return undefined;
        return this.#bindingValues(binding, depth) ?? undefined;
      }
      case 'MemberExpression': {
        // KEYS.url where KEYS is a constant object literal.
        const key = staticKey(node.property, node.computed);
        const object = key === undefined ? undefined : this.#objectLiteral(node.object, depth + 1);
        if (!object || key === undefined) return undefined;
        for (const p of object.properties) {
          if (p.type === 'ObjectProperty' && staticKey(p.key, p.computed) === key) return this.#strings(p.value as Node, depth + 1);
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  /** A constant object literal an expression names. */
  #objectLiteral(expression: Node, depth: number): (Node & { type: 'ObjectExpression' }) | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
    if (node.type === 'ObjectExpression') return node;
    if (node.type !== 'Identifier') return undefined;
    const binding = this.#identifier(node, depth);
    return binding?.mode === 'value' && binding.source ? this.#objectLiteral(binding.source, depth + 1) : undefined;
  }

  /** Every element of a constant iterable: an array literal, a constant array, Object.keys/values of a constant object. */
  #elements(expression: Node, depth: number): string[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
    if (node.type === 'ArrayExpression') {
      const out: string[] = [];
      for (const element of node.elements) {
        if (!element) return undefined;
        const values = element.type === 'SpreadElement' ? this.#elements(element.argument, depth + 1) : this.#strings(element, depth + 1);
        if (!values) return undefined;
        out.push(...values);
      }
      return out;
    }
    if (node.type === 'Identifier') {
      const binding = this.#identifier(node, depth);
      return binding?.mode === 'value' && binding.source ? this.#elements(binding.source, depth + 1) : undefined;
    }
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.property.type === 'Identifier') {
      const method = node.callee.property.name;
      const object = node.callee.object;
      const arg = node.arguments[0];
      if (object.type === 'Identifier' && object.name === 'Object' && arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder') {
        if (method === 'keys' || method === 'getOwnPropertyNames') return this.#keys(arg, depth + 1);
        if (method === 'values') {
          const literal = this.#objectLiteral(arg, depth + 1);
          if (!literal) return undefined;
          const out: string[] = [];
          for (const p of literal.properties) {
            if (p.type !== 'ObjectProperty') return undefined;
            const values = this.#strings(p.value as Node, depth + 1);
            if (!values) return undefined;
            out.push(...values);
          }
          return out;
        }
        return undefined;
      }
      if (SAME_ELEMENTS.has(method)) {
        const base = this.#elements(object, depth + 1);
        if (!base || method !== 'concat') return base;
        const more: string[] = [];
        for (const a of node.arguments) {
          const values = a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder' ? undefined : this.#elements(a, depth + 1) ?? this.#strings(a, depth + 1);
          if (!values) return undefined;
          more.push(...values);
        }
        return [...base, ...more];
      }
    }
    return undefined;
  }

  /** The keys of a constant object literal. */
  #keys(expression: Node, depth: number): string[] | undefined {
    const literal = this.#objectLiteral(expression, depth);
    if (!literal) return undefined;
    const out: string[] = [];
    for (const p of literal.properties) {
      if (p.type === 'SpreadElement') {
        const inner = this.#keys(p.argument, depth + 1);
        if (!inner) return undefined;
        out.push(...inner);
        continue;
      }
      const key = staticKey(p.key, p.computed);
      if (key === undefined) return undefined;
      out.push(key);
    }
    return out;
  }

  /** `Object.entries(<constant object>)`: the first element of each entry. */
  #entryKeys(expression: Node, depth: number): string[] | undefined {
    const node = unwrap(expression);
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.object.type === 'Identifier' && node.callee.object.name === 'Object' &&
      !node.callee.computed && node.callee.property.type === 'Identifier' && node.callee.property.name === 'entries' && node.arguments[0] && node.arguments[0].type !== 'SpreadElement' && node.arguments[0].type !== 'ArgumentPlaceholder') {
      return this.#keys(node.arguments[0], depth + 1);
    }
    return undefined;
  }
}
