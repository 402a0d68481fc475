/**
 * Small helpers every reader of a Babel AST in this folder shares. The tree comes from
 * @babel/parser or from oxc through parsers/estree-to-babel.ts: both give Babel's node shapes and
 * UTF-16 offsets (`start`), but only Babel gives `loc`, so lines and columns are worked out here
 * from the offset and the text of the module being read (`readingTree`).
 */
import type { Node } from '@babel/types';
import { LineIndex } from '../read/positions.js';

export type Position = { line: number; column: number };

/** Which parser built the tree: nodes of one type have the same keys within one parser, not across both. */
export type Dialect = 'babel' | 'oxc';

type Reading = { text: string; lines: LineIndex | undefined; childKeys: Map<string, string[]> };

/**
 * The module whose tree is being read. Module-wide because the analysis of one module is
 * synchronous from parse to facts (module-facts.ts), and a position is asked for deep inside
 * readers that would otherwise all carry the text along.
 */
let reading: Reading | undefined;

/** Runs `read` over the tree of `text`, with positions and child keys of `dialect`. */
export function readingTree<T>(text: string, dialect: Dialect, read: () => T): T {
  const previous = reading;
  reading = { text, lines: undefined, childKeys: CHILD_KEYS[dialect] };
  try {
    return read();
  } finally {
    reading = previous;
  }
}

/** Where a node starts, 1-based line and column (the column in UTF-16 code units, as Babel's). */
export function pos(node: Node): Position {
  if (!reading || typeof node.start !== 'number') return { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
  reading.lines ??= new LineIndex(reading.text, 'ecmascript');
  return reading.lines.position(node.start);
}

/** The expression under type assertions and parentheses: `(env as Env)!` is `env`. */
export function unwrap(node: Node): Node {
  let current = node;
  while (
    current.type === 'TSAsExpression' || current.type === 'TSNonNullExpression' || current.type === 'TSSatisfiesExpression' ||
    current.type === 'ParenthesizedExpression' || current.type === 'TSTypeAssertion'
  ) current = current.expression;
  return current;
}

export type FunctionNode = Extract<Node, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' | 'ObjectMethod' | 'ClassMethod' | 'ClassPrivateMethod' }>;

export function isFunctionNode(node: Node): node is FunctionNode {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' ||
    node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod';
}

/** Every identifier a pattern declares (`{ a, b: [c], ...d }` → a, c, d). */
export function patternNames(pattern: Node, out: string[]): void {
  // Iterative: a pattern nested thousands deep must not overflow the stack.
  const stack = [pattern];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    switch (node.type) {
      case 'Identifier': out.push(node.name); break;
      case 'AssignmentPattern': stack.push(node.left); break;
      case 'RestElement': stack.push(node.argument); break;
      case 'ArrayPattern': for (const e of node.elements) if (e) stack.push(e); break;
      case 'ObjectPattern': for (const p of node.properties) stack.push(p.type === 'RestElement' ? p : p.value as Node); break;
      default: break;
    }
  }
}

// Positions, comments and types never hold a read: not walking them halves the work.
const SKIP_KEYS = new Set([
  'loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'comments', 'range', 'errors', 'tokens',
  'typeAnnotation', 'returnType', 'typeParameters', 'superTypeParameters', 'superTypeArguments', 'typeArguments', 'implements', 'predicate',
]);
const SKIP_TYPES = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSModuleDeclaration', 'TSEnumDeclaration', 'TSTypeAnnotation']);

type AnyNode = Node & Record<string, unknown>;

/**
 * Child keys per node type and parser: each parser builds nodes of one type with the same keys, so list them once.
 * A key holding a string, number or boolean (`name`, `value` of a literal, `operator`, `computed`)
 * holds one in every node of that type, so it is left out: identifiers and literals, a third to
 * a half of all nodes, then have no key to read. Skipped types have none either.
 */
const CHILD_KEYS: Record<Dialect, Map<string, string[]>> = {
  babel: new Map([...SKIP_TYPES].map((type) => [type, []])),
  oxc: new Map([...SKIP_TYPES].map((type) => [type, []])),
};

/** The keys of `record` that can hold child nodes: not positions, comments or types, not primitives. */
export function childKeysOf(record: Record<string, unknown>): string[] {
  const primitive = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  const keys = Object.keys(record).filter((key) => !SKIP_KEYS.has(key) && key !== 'type' && !primitive(record[key]));
  // The exceptions to "same keys": Babel leaves out `decorators` when there are none, and
  // `declaration` on `export * as ns from`; listed from such a node, the keys would skip every
  // later class's decorators or every exported function's body (found by comparing with oxc on
  // 4,129 files of public repositories, which showed no other key Babel sometimes leaves out).
  if (!keys.includes('decorators')) keys.unshift('decorators');
  if (record.type === 'ExportNamedDeclaration' && !keys.includes('declaration')) keys.unshift('declaration');
  return keys;
}

export function pushChildren(node: Node, stack: Node[]): void {
  const record = node as AnyNode;
  const known = reading?.childKeys ?? CHILD_KEYS.babel;
  let keys = known.get(node.type);
  if (!keys) {
    keys = childKeysOf(record);
    known.set(node.type, keys);
  }
  for (let k = keys.length - 1; k >= 0; k--) {
    const value = record[keys[k]!];
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const child = value[i] as Node | null;
        if (child && typeof child === 'object' && typeof child.type === 'string') stack.push(child);
      }
    } else if (typeof (value as Node).type === 'string') {
      stack.push(value as Node);
    }
  }
}

/** Visits every node below `root` (types and comments excepted) in source order, iteratively. */
export function forEachNode(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    pushChildren(node, stack);
  }
}

/** `env` and `env`, `c.env` and `c.env`: the same chain of names (no calls, no computed keys). */
export function sameReference(left: Node, right: Node): boolean {
  let a = unwrap(left);
  let b = unwrap(right);
  for (;;) {
    if (a.type === 'Identifier' || b.type === 'Identifier') return a.type === 'Identifier' && b.type === 'Identifier' && a.name === b.name;
    if (a.type === 'ThisExpression' || b.type === 'ThisExpression') return a.type === b.type;
    if ((a.type !== 'MemberExpression' && a.type !== 'OptionalMemberExpression') || (b.type !== 'MemberExpression' && b.type !== 'OptionalMemberExpression')) return false;
    if (a.computed || b.computed || a.property.type !== 'Identifier' || b.property.type !== 'Identifier' || a.property.name !== b.property.name) return false;
    a = unwrap(a.object);
    b = unwrap(b.object);
  }
}
