/**
 * Turns the ESTree / TS-ESTree tree oxc gives into the node shapes @babel/parser gives, in place,
 * so that every reader in src/usage (module-facts, param-flow, const-keys, supabase-clients) is
 * written once, against Babel's types. Only the shapes that differ between the two are rewritten
 * (`@babel/parser`'s "ESTree" plugin documents the same list in the other direction):
 *
 * - `Literal` → `StringLiteral` / `NumericLiteral` / `BooleanLiteral` / `NullLiteral` /
 *   `RegExpLiteral` / `BigIntLiteral`;
 * - `Property` → `ObjectProperty`, or `ObjectMethod` for methods, getters and setters;
 * - `ChainExpression` → its expression, whose member and call nodes down to the last `?.` become
 *   `OptionalMemberExpression` / `OptionalCallExpression`;
 * - `ImportExpression` → a `CallExpression` whose callee is `Import`;
 * - `MethodDefinition` / `PropertyDefinition` (and their abstract and accessor forms) →
 *   `ClassMethod` / `ClassPrivateMethod` / `TSDeclareMethod` / `ClassProperty` /
 *   `ClassPrivateProperty` / `ClassAccessorProperty`; `PrivateIdentifier` → `PrivateName`;
 * - `export * as ns from "x"` → an `ExportNamedDeclaration` with an `ExportNamespaceSpecifier`.
 *
 * Positions stay offsets (`start`/`end`, UTF-16 like Babel's); line and column come from ast.ts.
 * Types are not rewritten: no reader looks inside them beyond `TSTypeReference` names, which the
 * two parsers shape alike. The fact-for-fact test (__tests__/usage/parsers.test.ts) keeps this honest.
 */
import type { Node } from '@babel/types';
import { childKeysOf } from '../ast.js';

type Estree = { type: string; start: number; end: number; [key: string]: unknown };

// Declarations that only name types: ast.ts does not walk into them, so neither does this. Unlike
// ast.ts, TSDeclareFunction is entered: module-facts.ts reads its parameters.
const SKIP_TYPES = new Set(['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSModuleDeclaration', 'TSEnumDeclaration', 'TSTypeAnnotation']);

/** Child keys per node type, listed as ast.ts lists them: oxc builds the nodes of one type with the same keys. */
const CHILD_KEYS = new Map<string, string[]>();

function childKeys(node: Estree): string[] {
  let keys = CHILD_KEYS.get(node.type);
  if (!keys) {
    keys = childKeysOf(node);
    CHILD_KEYS.set(node.type, keys);
  }
  return keys;
}

function literal(node: Estree): Estree {
  const value = node.value;
  if (node.regex) {
    const regex = node.regex as { pattern: string; flags: string };
    return { type: 'RegExpLiteral', pattern: regex.pattern, flags: regex.flags, start: node.start, end: node.end };
  }
  if (typeof node.bigint === 'string') return { type: 'BigIntLiteral', value: node.bigint, start: node.start, end: node.end };
  node.type = typeof value === 'string' ? 'StringLiteral' : typeof value === 'number' ? 'NumericLiteral' : typeof value === 'boolean' ? 'BooleanLiteral' : 'NullLiteral';
  return node;
}

function objectMember(node: Estree): Estree {
  const fn = node.value as Estree;
  if (node.method || node.kind === 'get' || node.kind === 'set') {
    return {
      type: 'ObjectMethod', kind: node.kind === 'init' ? 'method' : node.kind, key: node.key, computed: node.computed,
      id: null, params: fn.params, body: fn.body, async: fn.async, generator: fn.generator, start: node.start, end: node.end,
    };
  }
  node.type = 'ObjectProperty';
  return node;
}

function classMember(node: Estree): Estree {
  const isPrivate = (node.key as Estree).type === 'PrivateIdentifier';
  if (node.type === 'MethodDefinition' || node.type === 'TSAbstractMethodDefinition') {
    const fn = node.value as Estree;
    const declared = fn.type === 'TSEmptyBodyFunctionExpression' || fn.body === null;
    return {
      type: declared ? 'TSDeclareMethod' : isPrivate ? 'ClassPrivateMethod' : 'ClassMethod',
      kind: node.kind, key: node.key, computed: node.computed, static: node.static, decorators: node.decorators,
      id: null, params: fn.params, body: declared ? null : fn.body, async: fn.async, generator: fn.generator, start: node.start, end: node.end,
    };
  }
  node.type = node.type === 'AccessorProperty' || node.type === 'TSAbstractAccessorProperty' ? 'ClassAccessorProperty' : isPrivate ? 'ClassPrivateProperty' : 'ClassProperty';
  return node;
}

/** `a?.b.c()`: every member and call of the chain down to its last `?.` is Babel's optional kind. */
function unchain(chain: Estree): Estree {
  const spine: Estree[] = [];
  for (let node = chain.expression as Estree; ;) {
    if (node.type === 'MemberExpression') { spine.push(node); node = node.object as Estree; }
    else if (node.type === 'CallExpression') { spine.push(node); node = node.callee as Estree; }
    else if (node.type === 'TSNonNullExpression') node = node.expression as Estree;
    else break;
  }
  let last = -1;
  for (let i = 0; i < spine.length; i++) if (spine[i]!.optional) last = i;
  for (let i = 0; i <= last; i++) {
    const node = spine[i]!;
    node.type = node.type === 'MemberExpression' ? 'OptionalMemberExpression' : 'OptionalCallExpression';
  }
  return chain.expression as Estree;
}

/** The Babel-shaped node for `node` (itself, changed, or a new node holding its children). */
function convert(node: Estree): Estree {
  switch (node.type) {
    case 'Literal': return literal(node);
    case 'Property': return objectMember(node);
    case 'ChainExpression': return convert(unchain(node));
    case 'ImportExpression': {
      const args = node.options ? [node.source, node.options] : [node.source];
      return { type: 'CallExpression', callee: { type: 'Import', start: node.start, end: node.start + 6 }, arguments: args, optional: false, start: node.start, end: node.end };
    }
    case 'MethodDefinition': case 'TSAbstractMethodDefinition': case 'PropertyDefinition': case 'TSAbstractPropertyDefinition':
    case 'AccessorProperty': case 'TSAbstractAccessorProperty':
      return classMember(node);
    case 'PrivateIdentifier':
      // The Identifier has the keys oxc's have: the walk lists a type's child keys from its first node (ast.ts).
      return { type: 'PrivateName', id: { type: 'Identifier', decorators: [], name: node.name, optional: false, typeAnnotation: null, start: node.start + 1, end: node.end }, start: node.start, end: node.end };
    case 'ExportAllDeclaration':
      if (!node.exported) return node;
      return {
        // Keys in the order of oxc's own ExportNamedDeclaration, whichever of the two the walk meets first.
        type: 'ExportNamedDeclaration', declaration: null,
        specifiers: [{ type: 'ExportNamespaceSpecifier', exported: node.exported, start: node.start, end: node.end }],
        source: node.source, exportKind: node.exportKind, attributes: node.attributes, start: node.start, end: node.end,
      };
    case 'ExportNamedDeclaration': case 'ExportDefaultDeclaration': {
      // `@dec export class C {}`: Babel starts the class (and the export) at its first decorator.
      const decl = node.declaration as Estree | null;
      const first = (decl?.decorators as Estree[] | undefined)?.[0];
      if (decl && first && first.start < node.start) { decl.start = first.start; node.start = first.start; }
      return node;
    }
    default: return node;
  }
}

/** Rewrites the tree under `program` into Babel's shapes; iterative, so deep nesting cannot overflow the stack. */
export function estreeToBabel(program: unknown): Node {
  const root = program as Estree;
  const stack: Estree[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (SKIP_TYPES.has(node.type)) continue;
    for (const key of childKeys(node)) {
      const value = node[key];
      if (value === null || typeof value !== 'object') continue;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const child = value[i] as Estree | null;
          if (child === null || typeof child.type !== 'string') continue;
          const next = convert(child);
          value[i] = next;
          stack.push(next);
        }
      } else if (typeof (value as Estree).type === 'string') {
        const next = convert(value as Estree);
        node[key] = next;
        stack.push(next);
      }
    }
  }
  return root as unknown as Node;
}
