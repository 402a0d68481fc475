/**
 * wrangler.json / wrangler.jsonc (wrangler accepts comments and trailing commas in both) with
 * jsonc-parser, keeping the position of every property and array element.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { ReadResult } from './document.js';
import { LineIndex, PositionTable } from './positions.js';
import { MAX_NESTING, makeDocument } from './toml.js';

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

/**
 * Builds the value and the positions in one iterative walk (nesting depth is the user's), or says
 * the nesting is deeper than MAX_NESTING. Each node carries its trie handle in the position table,
 * so the walk costs the size of the file whatever its depth.
 */
function walk(root: Node, table: PositionTable): { ok: true; value: unknown } | { ok: false; offset: number } {
  const holder: { value?: unknown } = {};
  const stack: { node: Node; at: number; depth: number; assign: (v: unknown) => void }[] = [
    { node: root, at: PositionTable.ROOT, depth: 0, assign: (v) => (holder.value = v) },
  ];
  while (stack.length > 0) {
    const { node, at, depth, assign } = stack.pop()!;
    table.valueAt(at, node.offset);
    if ((node.type === 'object' || node.type === 'array') && depth >= MAX_NESTING) return { ok: false, offset: node.offset };
    if (node.type === 'object') {
      const obj: Record<string, unknown> = {};
      assign(obj);
      // Pushed last-first so they are taken first-first: with a duplicate key the last one wins, as in JSON.parse.
      const properties = node.children ?? [];
      for (let index = properties.length - 1; index >= 0; index--) {
        const [keyNode, valueNode] = properties[index]!.children ?? [];
        if (!keyNode || typeof keyNode.value !== 'string') continue;
        const key = keyNode.value;
        const child = table.child(at, key);
        if (valueNode) stack.push({ node: valueNode, at: child, depth: depth + 1, assign: (v) => { obj[key] = v; table.keyAt(child, keyNode.offset); } });
      }
    } else if (node.type === 'array') {
      const arr: unknown[] = [];
      assign(arr);
      const children = node.children ?? [];
      for (let index = children.length - 1; index >= 0; index--) {
        const element = children[index]!;
        const child = table.child(at, index);
        table.keyAt(child, element.offset);
        stack.push({ node: element, at: child, depth: depth + 1, assign: (v) => (arr[index] = v) });
      }
    } else {
      assign(node.value);
    }
  }
  return { ok: true, value: holder.value };
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
  const walked = walk(tree, table);
  if (!walked.ok) {
    const { line, column } = lines.position(walked.offset);
    return { ok: false, error: { message: `invalid JSON: nested deeper than ${MAX_NESTING} levels, more than deploy-guard reads`, line, column } };
  }
  return { ok: true, doc: makeDocument(file, format, walked.value, table, lines) };
}
