/**
 * wrangler.json / wrangler.jsonc (wrangler accepts comments and trailing commas in both) with
 * jsonc-parser, keeping the position of every property and array element.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ReadResult } from './document.js';
import { LineIndex, PositionTable } from './positions.js';
import { makeDocument } from './toml.js';

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'nothing more was expected after the value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/** Builds the value and the positions in one iterative walk (nesting depth is the user's). */
function walk(root: Node, table: PositionTable): unknown {
  const holder: { value?: unknown } = {};
  const stack: { node: Node; path: (string | number)[]; assign: (v: unknown) => void }[] = [
    { node: root, path: [], assign: (v) => (holder.value = v) },
  ];
  while (stack.length > 0) {
    const { node, path, assign } = stack.pop()!;
    table.value(path, node.offset);
    if (node.type === 'object') {
      const obj: Record<string, unknown> = {};
      assign(obj);
      // Pushed last-first so they are taken first-first: with a duplicate key the last one wins, as in JSON.parse.
      for (const property of [...(node.children ?? [])].reverse()) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        const childPath = [...path, key];
        if (valueNode) stack.push({ node: valueNode, path: childPath, assign: (v) => { obj[key] = v; table.key(childPath, keyNode.offset); } });
      }
    } else if (node.type === 'array') {
      const arr: unknown[] = [];
      assign(arr);
      const children = node.children ?? [];
      for (let index = children.length - 1; index >= 0; index--) {
        const child = children[index]!;
        const childPath = [...path, index];
        table.key(childPath, child.offset);
        stack.push({ node: child, path: childPath, assign: (v) => (arr[index] = v) });
      }
    } else {
      assign(node.value);
    }
  }
  return holder.value;
}

export function readJsonc(text: string, file: string, format: 'json' | 'jsonc'): ReadResult {
  const source = text.replace(/^\uFEFF/, '');
  const lines = new LineIndex(source);
  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, error: { message: 'invalid JSON: nesting too deep to read', line: 1, column: 1 } };
    throw error;
  }
  const first = errors[0];
  if (first) {
    const { line, column } = lines.position(first.offset);
    const code = printParseErrorCode(first.error);
    return { ok: false, error: { message: `invalid JSON: ${MESSAGES[code] ?? code}`, line, column } };
  }
  if (!tree) return { ok: false, error: { message: 'invalid JSON: the file is empty', line: 1, column: 1 } };
  const table = new PositionTable();
  const data = walk(tree, table);
  return { ok: true, doc: makeDocument(file, format, data, table, lines) };
}
