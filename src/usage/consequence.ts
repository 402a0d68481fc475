/**
 * What happens when a tested env value is absent: the branch a guard takes without it, and whether
 * that branch fails. `if (!env.AI) return c.json({ error: "AI is not available" }, 500)` makes AI
 * required (the handler answers 500 without it); `if (!env.AI) return null`, `env.X ?? "d"`, a
 * feature switch (`if (env.SENTRY_DSN) init()`) make it optional: the code carries on without it.
 *
 * Pure functions of the Babel-shaped tree (both parsers give one, parsers/). A failure is only what
 * the branch itself does at its top level: a `throw`, a `return` of an error response or of
 * `Promise.reject(…)`, `process.exit(…)`. Anything else (a call deploy-guard cannot see into, a
 * log line, a plain return) is no failure, which keeps the name optional as before.
 */
import type { Node } from '@babel/types';
import { pos, sameReference, unwrap } from './ast.js';

export type Position = { line: number; column: number };
/** What the code does without the value, as a sentence's end ("the handler answers 500 "…""), and where. */
export type Consequence = Position & { says: string };
/** How a read is guarded: `true` when the code carries on without the value, or what it does instead. */
export type Guard = true | Consequence;

/**
 * The operands a guard's test looks at, each with the test's value when that operand is absent
 * (undefined: it depends on the others). `!A || !B` is true without A or without B; `A && B` is
 * false without either; `!A && !B` depends on the other.
 */
export function testedOperands(test: Node): { operand: Node; whenAbsent: boolean | undefined }[] {
  const out: { operand: Node; whenAbsent: boolean | undefined }[] = [];
  // An explicit stack, as the module walk is: a long `a || b || …` chain must not overflow.
  const stack: { node: Node; negated: boolean; keep: boolean | null | undefined }[] = [{ node: test, negated: false, keep: undefined }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const node = unwrap(item.node);
    // `keep`: the one value a `||` (true) or `&&` (false) passes on whatever its other side is;
    // undefined at the top of the test, null where nothing passes on alone.
    const add = (operand: Node, absent: boolean) => {
      const value = item!.negated ? !absent : absent;
      out.push({ operand, whenAbsent: item!.keep === undefined || item!.keep === value ? value : undefined });
    };
    if (node.type === 'UnaryExpression' && node.operator === '!') {
      stack.push({ node: node.argument, negated: !item.negated, keep: item.keep });
    } else if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '&&')) {
      // Under a `!`, De Morgan: !(A || B) is !A && !B.
      const isOr = (node.operator === '||') !== item.negated;
      // A `||` inside an `&&` (or the reverse): no operand decides the test alone (null).
      const keep = item.keep === undefined || item.keep === isOr ? isOr : null;
      stack.push({ node: node.right, negated: item.negated, keep }, { node: node.left, negated: item.negated, keep });
    } else if (node.type === 'BinaryExpression' && (node.operator === '==' || node.operator === '===' || node.operator === '!=' || node.operator === '!==')) {
      const equal = node.operator === '==' || node.operator === '===';
      const left = unwrap(node.left as Node);
      const right = unwrap(node.right);
      const operand = isAbsentValue(right) ? typeofOperand(left, right) : isAbsentValue(left) ? typeofOperand(right, left) : undefined;
      if (operand) add(operand, equal);
    } else if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression' || node.type === 'Identifier') {
      add(node, false);
    }
  }
  return out;
}

/** `null`, `undefined`, `void 0`, and `"undefined"` (compared with a `typeof`). */
function isAbsentValue(node: Node): boolean {
  return node.type === 'NullLiteral' || (node.type === 'Identifier' && node.name === 'undefined') || (node.type === 'UnaryExpression' && node.operator === 'void') ||
    (node.type === 'StringLiteral' && node.value === 'undefined');
}

/** The operand compared with an absent value: `x` of `x === undefined` or of `typeof x === "undefined"`. */
function typeofOperand(side: Node, absent: Node): Node | undefined {
  if (side.type === 'UnaryExpression' && side.operator === 'typeof') return absent.type === 'StringLiteral' ? unwrap(side.argument) : undefined;
  return absent.type === 'StringLiteral' ? undefined : side;
}

/**
 * The guard an `if` / `?:` puts on each operand it tests: the branch taken without the operand,
 * judged by failureOf. An operand whose absence does not decide the branch is optional.
 */
export function guardsOf(node: Node & { test: Node; consequent: Node; alternate?: Node | null }): { operand: Node; guard: Guard }[] {
  // Each branch judged once, however many operands the test has.
  const judged = new Map<boolean, Guard>();
  const guardWhen = (absent: boolean): Guard => {
    let guard = judged.get(absent);
    if (guard === undefined) {
      const branch = absent ? node.consequent : node.alternate;
      judged.set(absent, (guard = (branch ? failureOf(branch) : undefined) ?? true));
    }
    return guard;
  };
  const compared = comparedReferences(node.test);
  return testedOperands(node.test).map(({ operand, whenAbsent }) => ({
    operand,
    // `!secret || token !== secret`: the branch taken without the secret is the one a wrong token
    // takes too, an access check that fails closed by design, not a configuration it cannot run without.
    guard: whenAbsent === undefined || compared.some((other) => sameReference(other, operand)) ? true : guardWhen(whenAbsent),
  }));
}

/** What the test compares with something other than an absent value (`token !== secret` gives both sides). */
function comparedReferences(test: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [test];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const n = unwrap(node);
    if (n.type === 'LogicalExpression') stack.push(n.left, n.right);
    else if (n.type === 'UnaryExpression' && n.operator === '!') stack.push(n.argument);
    else if (n.type === 'BinaryExpression' && (n.operator === '===' || n.operator === '!==' || n.operator === '==' || n.operator === '!=')) {
      const left = unwrap(n.left as Node);
      const right = unwrap(n.right);
      if (!isAbsentValue(left) && !isAbsentValue(right) && left.type !== 'UnaryExpression' && right.type !== 'UnaryExpression') out.push(left, right);
    }
  }
  return out;
}

/** What a branch does that fails: a throw, an error response returned, a rejection, an exit. */
export function failureOf(branch: Node): Consequence | undefined {
  const node = unwrap(branch);
  if (node.type === 'BlockStatement') {
    for (const statement of node.body) {
      const failure = failureOfStatement(statement);
      if (failure) return failure;
    }
    return undefined;
  }
  return node.type.endsWith('Statement') ? failureOfStatement(node) : failureOfExpression(node, node);
}

function failureOfStatement(statement: Node): Consequence | undefined {
  switch (statement.type) {
    case 'ThrowStatement':
      return { ...pos(statement), says: `the code throws${quoted(messageOf(statement.argument))}` };
    case 'ReturnStatement':
      return statement.argument ? failureOfExpression(statement.argument, statement) : undefined;
    case 'ExpressionStatement': {
      const expression = unwrap(statement.expression);
      return isProcessExit(expression) ? { ...pos(statement), says: 'the process exits' } : undefined;
    }
    default:
      return undefined;
  }
}

/** Methods that answer a request with a status given as a plain number (`c.json(body, 500)`, `res.status(500)`). */
const RESPONDERS = new Set(['json', 'text', 'html', 'body', 'newResponse', 'send', 'status', 'sendStatus', 'error']);
/** Names of helpers that answer with an error (`errorResponse(…)`, `serverError()`, `c.notFound()`). */
const ERROR_HELPER = /error|fail|unauthori[sz]ed|forbidden|bad_?request|not_?found|unavailable|internal/i;

function failureOfExpression(expression: Node, at: Node): Consequence | undefined {
  let node = unwrap(expression);
  if (node.type === 'AwaitExpression') node = unwrap(node.argument);
  if (isProcessExit(node)) return { ...pos(at), says: 'the process exits' };
  if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return undefined;
  const name = calleeName(node.callee);
  if (node.type === 'CallExpression' && name === 'reject' && isNamed(node.callee, 'Promise')) {
    return { ...pos(at), says: `the promise is rejected${quoted(messageOf(node.arguments[0]))}` };
  }
  const status = statusOf(node);
  if (status !== undefined) return status >= 400 ? { ...pos(at), says: `the handler answers ${status}${quoted(messageOf(node))}` } : undefined;
  if (name !== undefined && name !== 'Response' && ERROR_HELPER.test(name)) return { ...pos(at), says: `the handler answers with ${name}()${quoted(messageOf(node))}` };
  return undefined;
}

/**
 * The HTTP status a response expression gives, when written as a number: an init object's
 * `status` (`new Response(b, { status: 503 })`, `Response.json(b, { status: 500 })`), or a plain
 * number handed to a responder method, along a chain (`res.status(500).json(…)`).
 */
function statusOf(call: Node & { type: 'CallExpression' | 'NewExpression' }): number | undefined {
  for (let current: Node | undefined = call; current && (current.type === 'CallExpression' || current.type === 'NewExpression');) {
    const name = calleeName(current.callee);
    for (const argument of current.arguments) {
      const arg = unwrap(argument as Node);
      if (arg.type === 'ObjectExpression') {
        for (const property of arg.properties) {
          if (property.type !== 'ObjectProperty' || property.computed || property.key.type !== 'Identifier') continue;
          const value = unwrap(property.value as Node);
          if ((property.key.name === 'status' || property.key.name === 'statusCode') && value.type === 'NumericLiteral') return value.value;
        }
      } else if (arg.type === 'NumericLiteral' && name !== undefined && RESPONDERS.has(name) && arg.value >= 100 && arg.value < 600) return arg.value;
    }
    const callee = unwrap(current.callee as Node);
    current = callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression' ? unwrap(callee.object) : undefined;
  }
  return undefined;
}

function calleeName(callee: Node): string | undefined {
  const node = unwrap(callee);
  if (node.type === 'Identifier') return node.name;
  if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed && node.property.type === 'Identifier') return node.property.name;
  return undefined;
}

/** `Promise.reject`: the callee's object is the identifier `name`. */
function isNamed(callee: Node, name: string): boolean {
  const node = unwrap(callee);
  return (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && unwrap(node.object).type === 'Identifier' && (unwrap(node.object) as { name: string }).name === name;
}

function isProcessExit(node: Node): boolean {
  return node.type === 'CallExpression' && calleeName(node.callee) === 'exit' && isNamed(node.callee, 'process');
}

/**
 * The first text a failure carries: a thrown error's message, a response's body or `error` field.
 * Only literal text the code spells out (a template's fixed parts).
 */
function messageOf(expression: Node | null | undefined, depth = 0): string | undefined {
  if (!expression || depth > 3) return undefined;
  const node = unwrap(expression);
  switch (node.type) {
    case 'StringLiteral':
      return node.value;
    case 'TemplateLiteral':
      return node.quasis.map((q) => q.value.cooked ?? '').join('…');
    case 'NewExpression':
    case 'CallExpression':
      for (const argument of node.arguments) {
        const text = messageOf(argument as Node, depth + 1);
        if (text !== undefined) return text;
      }
      return undefined;
    case 'ObjectExpression':
      for (const property of node.properties) {
        if (property.type !== 'ObjectProperty') continue;
        const text = messageOf(property.value as Node, depth + 1);
        if (text !== undefined) return text;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** A token-like text (a key, a JWT) is never quoted: findings must not carry a secret, and an error message reads like words. */
const TOKEN_LIKE = /^[A-Za-z0-9_\-.=+/:]{24,}$|eyJ[A-Za-z0-9_-]{8,}|\bs[bk]_[A-Za-z0-9_]{8,}/;
const MAX_QUOTED = 80;

/** ` "message"`, shortened, or nothing for no text or a text that could be a secret. */
function quoted(text: string | undefined): string {
  const trimmed = text?.trim().replace(/\s+/g, ' ');
  if (!trimmed || TOKEN_LIKE.test(trimmed)) return '';
  return ` ${JSON.stringify(trimmed.length > MAX_QUOTED ? `${trimmed.slice(0, MAX_QUOTED - 1)}…` : trimmed)}`;
}
