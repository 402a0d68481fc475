/**
 * What one module contributes: its imports, the `env` names it reads, the accesses that could read
 * anything, and its exports. Parsed by oxc or @babel/parser (parsers/, PARSER.md), walked once, iteratively
 * so that deeply nested code cannot overflow the stack; a second pass over the nodes that walk
 * listed (SECOND_WALK_TYPES) needs the module's env names, known only at its end. A name in a
 * comment, a string or a type is never a read: only expressions count.
 *
 * Over 300 lines: one walk over the AST collects every fact a module gives (reads, guards, opaque
 * accesses, imports, exports, env handed on) in a single pass, because each node type can give
 * several of them at once; split by fact, the walk would run once per fact or share its state
 * across modules.
 */
import type { Node } from '@babel/types';
import { isFunctionNode, patternNames, pos, readingTree, sameReference, unwrap, pushChildren } from './ast.js';
import { guardsOf, type Guard } from './consequence.js';
import { parseModule, parseWithBabelHere, type ParsedModule } from './parsers/index.js';
import { findDirectives, type Directive } from '../suppress.js';
import { supabaseClientFinder, type SupabaseClientCall } from './supabase-clients.js';
import { ConstKeys } from './const-keys.js';
import { destructuredReads, FlowCollector, FlowIndex, type EnvCall, type EnvRead } from './param-flow.js';

export type Position = { line: number; column: number };
export type ImportRef = Position & { specifier: string };
/** A read of env and how the code guards it there (defined with param-flow's reads, which are the same). */
export type { EnvRead };
export type Opaque = Position & { reason: string };

export type ModuleFacts = {
  imports: ImportRef[];
  reads: EnvRead[];
  opaque: Opaque[];
  /** Calls that hand the module's env on (`f(req, env)`): the graph follows them (param-flow.ts). */
  envCalls: EnvCall[];
  /** Functions, their parameters and what each reads if it holds env. */
  flow: FlowIndex;
  /** Names this module exports itself. */
  exports: string[];
  /** `export * from "x"`: the exports of x are this module's too. */
  exportStars: string[];
  /** Bare specifiers of imported bindings by local name (to tell local helpers from packages). */
  importedFrom: Map<string, string>;
  problems: (Position & { message: string })[];
  /** `// deploy-guard-disable-next-line` comments in the module. */
  directives: Directive[];
  /** `createClient(url, key)` calls and what they are handed (supabase-clients.ts). */
  supabaseClients: SupabaseClientCall[];
  /** Set when no parser could read the module: its reads and exports are unknown. */
  unparsed?: true;
  /** Set when the module calls `addEventListener(…)`, as a service-worker Worker's entry does. */
  listens?: true;
  /** The keys of `export default { … }` when it is an object literal with no spread: a Worker's handlers. */
  defaultKeys?: string[];
};

/** The static keys of an object literal (`{ fetch, async scheduled() {} }`), or undefined for anything else or a spread. */
function objectLiteralKeys(node: Node): string[] | undefined {
  const object = node.type === 'TSSatisfiesExpression' || node.type === 'TSAsExpression' ? node.expression : node;
  if (object.type !== 'ObjectExpression') return undefined;
  const keys: string[] = [];
  for (const property of object.properties) {
    if (property.type === 'SpreadElement' || property.computed) return undefined;
    if (property.key.type === 'Identifier') keys.push(property.key.name);
    else if (property.key.type === 'StringLiteral') keys.push(property.key.value);
    else return undefined;
  }
  return keys;
}

const HANDLER_METHODS = new Set(['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace', 'test']);

type AnyNode = Node & Record<string, unknown>;

/** `Env`, `Bindings`, `CloudflareEnv`, `Cloudflare.Env`, `AppEnv`: the names Workers give their env type. */
function isEnvTypeName(name: string): boolean {
  return /(?:^|[a-z])Env$|^Env|Bindings$/.test(name);
}

function isEnvType(annotation: Node | null | undefined): boolean {
  if (!annotation) return false;
  let type = annotation.type === 'TSTypeAnnotation' ? annotation.typeAnnotation : annotation;
  while (type.type === 'TSParenthesizedType') type = type.typeAnnotation;
  if (type.type !== 'TSTypeReference') return false;
  const name = type.typeName;
  if (name.type === 'Identifier') return isEnvTypeName(name.name);
  return name.type === 'TSQualifiedName' && isEnvTypeName(name.right.name);
}

function propertyName(node: Node, computed: boolean): string | undefined {
  if (!computed && node.type === 'Identifier') return node.name;
  if (node.type === 'StringLiteral') return node.value;
  if (computed && node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function analyzeModule(text: string, file: string): ModuleFacts {
  const parsed = parseModule(text, file);
  if (parsed.dialect !== 'oxc') return factsOf(text, file, parsed);
  try {
    return factsOf(text, file, parsed);
  } catch {
    // A tree estree-to-babel.ts shaped unlike Babel's is our bug, not the user's problem: the
    // module is read from Babel's tree instead (the parity test, __tests__/usage/parsers.test.ts,
    // keeps such trees out).
    return factsOf(text, file, parseWithBabelHere(text, file));
  }
}

function factsOf(text: string, file: string, parsed: ParsedModule): ModuleFacts {
  const facts: ModuleFacts = {
    imports: [], reads: [], opaque: [], envCalls: [], flow: new FlowIndex(), exports: [], exportStars: [], importedFrom: new Map(), problems: [], supabaseClients: [],
    directives: text.includes('deploy-guard-disable') ? findDirectives(file, text) : [],
  };
  facts.problems.push(...parsed.problems);
  const program = parsed.program;
  if (!program) {
    // Nothing of the module was read, so no binding may be called unread on its account.
    const at = parsed.problems[0] ?? { line: 1, column: 1 };
    facts.opaque.push({ line: at.line, column: at.column, reason: `${file} could not be parsed, so what it reads of env is unknown` });
    return { ...facts, unparsed: true };
  }
  return readingTree(text, parsed.dialect, () => readFacts(program, facts));
}

/** Fills `facts` from the module's tree (inside `readingTree`, which gives positions). */
function readFacts(program: Node, facts: ModuleFacts): ModuleFacts {
  // The first walk also collects functions (env handed to f(req, env)); constants for env[KEY] are collected when first needed.
  const keys = new ConstKeys(program);
  const flow = new FlowCollector(keys);
  const later: Node[] = [];
  const envNames = collectEnvNames(program, later, (node) => flow.enter(node));
  flow.finish(envNames);
  /** A plain identifier that may hold env if its function is handed env (param-flow.ts). */
  const tracked = (expression: Node): string | undefined => {
    const node = unwrap(expression);
    return node.type === 'Identifier' && flow.tracks(node.name) ? node.name : undefined;
  };
  const clientFinder = supabaseClientFinder(program);
  const isEnv = (expression: Node): boolean => {
    const node = unwrap(expression);
    if (node.type === 'Identifier') return envNames.has(node.name);
    if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed && node.property.type === 'Identifier' && node.property.name === 'env') {
      const object = unwrap(node.object);
      // import.meta.env is Vite's; process.env is handled on its own.
      return object.type !== 'MetaProperty' && !(object.type === 'Identifier' && object.name === 'process');
    }
    return false;
  };
  const isProcessEnv = (expression: Node): boolean => {
    const node = unwrap(expression);
    return (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed &&
      node.property.type === 'Identifier' && node.property.name === 'env' && unwrap(node.object).type === 'Identifier' && (unwrap(node.object) as { name: string }).name === 'process';
  };
  const readPattern = (pattern: Node) => {
    if (pattern.type !== 'ObjectPattern') return;
    const { reads, opaque } = destructuredReads(pattern, keys);
    facts.reads.push(...reads);
    facts.opaque.push(...opaque);
  };

  /** `f(req, env)`, `new Store(env)`, and the same with a parameter that may hold env. */
  const recordHandOn = (call: Node & { callee: Node; arguments: Node[] }, isNew: boolean) => {
    let callee: ReturnType<FlowCollector['calleeOf']> | null = null;
    call.arguments.forEach((argument, argIndex) => {
      if (argument.type === 'SpreadElement') return;
      const env = isEnv(argument);
      const name = env ? undefined : tracked(argument);
      if (!env && !name) return;
      if (callee === null) callee = flow.calleeOf(call, isNew);
      if (!callee) return;
      if (env) facts.envCalls.push({ ...pos(call), callee, argIndex });
      else flow.recordCall(name!, call, callee, argIndex);
    });
  };

  // Reads the code tests for absence, with what it does without them (consequence.ts): marked when
  // their parent is visited (the walk visits a parent before its children), so a read knows how
  // it is guarded when it is reached.
  const guarded = new Map<Node, Guard>();
  // Where a test lets the code carry on without a name: the function around the test, by name. A
  // read of the name elsewhere in that function is optional too (`if (!env.X) return null; env.X.get()`),
  // a read in another function is not.
  const optionalIn: { name: string; from: number; to: number }[] = [];
  const readStarts = new Map<EnvRead, number>();
  const siteOf = (guard: Guard | undefined) => (guard === true ? { guarded: true as const } : guard ? { requiredBy: guard } : {});
  // `process.env.X = "0"` sets X: the target of an assignment is no read (marked at the assignment, before its left side is visited).
  const written = new Set<Node>();
  // `env.A || env.B`: the names the code takes B's place with (B is required only without them).
  const alternatives = new Map<Node, string[]>();
  // Every declaration of a name (variables and parameters) with the stretch of code it holds for
  // (to the end of its function), and the reads it holds (`const v = env.X`, `const { X: v } = env`),
  // so that a test of v is matched with the v in scope there.
  // Kept flat and cheap (every module declares many names); only the names that hold a read are
  // looked at after the walk.
  const declaredNames: string[] = [];
  const declaredFrom: number[] = [];
  const declaredTo: number[] = [];
  const held: { name: string; from: number; read: Position }[] = [];
  // Reads held by a callee's parameter (`clean(env.X)`): the callee's test judges the read, but
  // excuses no other read of X (the callee's range is not where X is read).
  const handedOn = new Set<string>();
  // The functions around the node being read, innermost last (`later` lists nodes in source order).
  const functions: { start: number; end: number }[] = [{ start: 0, end: Number.POSITIVE_INFINITY }];
  const declare = (name: string, from: number, to: number) => {
    declaredNames.push(name);
    declaredFrom.push(from);
    declaredTo.push(to);
  };
  const declarePattern = (pattern: Node, from: number, to: number) => {
    if (pattern.type === 'Identifier') return declare(pattern.name, from, to);
    const names: string[] = [];
    patternNames(pattern, names);
    for (const name of names) declare(name, from, to);
  };
  const hold = (local: string, read: Node, declaration: Node) => held.push({ name: local, from: declaration.start ?? 0, read: pos(read) });
  /**
   * `clean(env.X)` with a function of this module: its parameter holds the read, so the callee's
   * test of it judges the read (`if (!value) return null` optional, `if (!value) throw` required).
   */
  const holdArguments = (call: Node & { callee: Node; arguments: Node[] }) => {
    let callee: { start: number; params: (string | undefined)[] } | null | undefined = null;
    call.arguments.forEach((argument, index) => {
      const read = unwrap(argument);
      if ((read.type !== 'MemberExpression' && read.type !== 'OptionalMemberExpression') || !(isEnv(read.object) || isProcessEnv(read.object))) return;
      if (callee === null) callee = flow.localFunction(call);
      const param = callee?.params[index];
      if (!param) return;
      const at = pos(read.property);
      held.push({ name: param, from: callee!.start, read: at });
      handedOn.add(`${at.line}:${at.column}`);
    });
  };
  for (const node of later) {
    const start = node.start ?? 0;
    while (functions.length > 1 && functions[functions.length - 1]!.end <= start) functions.pop();
    if (isFunctionNode(node)) {
      functions.push({ start, end: node.end ?? Number.POSITIVE_INFINITY });
      for (const param of node.params) declarePattern(param as Node, start, node.end ?? Number.POSITIVE_INFINITY);
    } else if (node.type === 'VariableDeclarator') {
      declarePattern(node.id, start, functions[functions.length - 1]!.end);
    }
    clientFinder?.visit(node);
    if (GUARD_TYPES.has(node.type)) markGuarded(node, guarded, alternatives);
    switch (node.type) {
      case 'ImportDeclaration':
        if (node.importKind !== 'type') facts.imports.push({ ...pos(node.source), specifier: node.source.value });
        for (const spec of node.specifiers) facts.importedFrom.set(spec.local.name, node.source.value);
        break;
      case 'ExportNamedDeclaration':
        if (node.source && node.exportKind !== 'type') facts.imports.push({ ...pos(node.source), specifier: node.source.value });
        if (node.exportKind !== 'type') {
          for (const spec of node.specifiers) {
            if (spec.type === 'ExportSpecifier') facts.exports.push(spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value);
            else if (spec.type === 'ExportNamespaceSpecifier') facts.exports.push(spec.exported.name);
          }
          const decl = node.declaration;
          if (decl && (decl.type === 'ClassDeclaration' || decl.type === 'FunctionDeclaration') && decl.id) facts.exports.push(decl.id.name);
          if (decl?.type === 'VariableDeclaration') for (const d of decl.declarations) if (d.id.type === 'Identifier') facts.exports.push(d.id.name);
        }
        break;
      case 'ExportAllDeclaration':
        if (node.exportKind !== 'type') {
          facts.imports.push({ ...pos(node.source), specifier: node.source.value });
          facts.exportStars.push(node.source.value);
        }
        break;
      case 'ExportDefaultDeclaration': {
        facts.exports.push('default');
        const keys = objectLiteralKeys(node.declaration as Node);
        if (keys) facts.defaultKeys = keys;
        break;
      }
      case 'CallExpression':
      case 'OptionalCallExpression': {
        const callee = node.callee;
        const first = node.arguments[0];
        if ((callee.type === 'Import' || (callee.type === 'Identifier' && callee.name === 'require')) && first?.type === 'StringLiteral') {
          facts.imports.push({ ...pos(first), specifier: first.value });
        }
        if (isAddEventListener(callee)) facts.listens = true;
        const enumerates = FlowCollector.enumerates(callee);
        if (enumerates) {
          if (node.arguments.some((a) => isEnv(a as Node))) facts.opaque.push({ ...pos(node), reason: `env is enumerated with Object.${enumerates}()` });
          for (const a of node.arguments) {
            const name = tracked(a as Node);
            if (name) flow.recordOpaque(name, node, `env is enumerated with Object.${enumerates}()`);
          }
          break;
        }
        recordHandOn(node, false);
        holdArguments(node);
        break;
      }
      case 'NewExpression':
        recordHandOn(node, true);
        break;
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        if (written.has(node)) break;
        if (isEnv(node.object) || isProcessEnv(node.object)) {
          const name = propertyName(node.property, node.computed);
          const constant = name === undefined ? keys.keysOf(node.property) : undefined;
          const instead = alternatives.get(node);
          const guard = guarded.get(node);
          const names = name !== undefined ? [name] : constant ?? [];
          for (const n of names) {
            const read: EnvRead = { ...pos(node.property), name: n, ...siteOf(guard), ...(name !== undefined && instead ? { alternatives: instead } : {}) };
            facts.reads.push(read);
            readStarts.set(read, start);
            if (guard === true) optionalIn.push({ name: n, from: functions[functions.length - 1]!.start, to: functions[functions.length - 1]!.end });
          }
          if (name === undefined && !constant) facts.opaque.push({ ...pos(node.property), reason: 'env is read with a computed key' });
        } else {
          const name = tracked(node.object);
          const guard = name ? guarded.get(node) : undefined;
          if (name) flow.recordMember(name, node, guard);
          const key = guard === true ? propertyName(node.property, node.computed) : undefined;
          if (key !== undefined) optionalIn.push({ name: key, from: functions[functions.length - 1]!.start, to: functions[functions.length - 1]!.end });
        }
        break;
      }
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier' && node.init) {
          const init = unwrap(node.init);
          // `const key = env.A || env.B`: each read the variable may hold.
          for (const member of fallbackChain(init)) if (isEnv(member.object) || isProcessEnv(member.object) || tracked(member.object)) hold(node.id.name, member.property, node);
        }
        if (node.init && (isEnv(node.init) || isProcessEnv(node.init))) {
          readPattern(node.id);
          if (node.id.type === 'ObjectPattern') {
            for (const property of node.id.properties) {
              if (property.type !== 'ObjectProperty') continue;
              const local = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
              if (local.type === 'Identifier') hold(local.name, property.key, node);
            }
          }
        }
        else if (node.init) {
          const name = tracked(node.init);
          if (name) flow.recordDeclarator(name, node);
        }
        if (node.id.type === 'ObjectPattern') readNestedEnv(node.id, readPattern);
        break;
      case 'AssignmentExpression':
        if (node.operator === '=') written.add(unwrap(node.left as Node));
        // `env.X ??= "d"`: a default, as `env.X ?? "d"` is.
        else if (node.operator === '??=' || node.operator === '||=') guarded.set(unwrap(node.left as Node), true);
        if (isEnv(node.right)) readPattern(node.left);
        break;
      case 'SpreadElement':
        if (isEnv(node.argument)) facts.opaque.push({ ...pos(node), reason: 'env is spread with `...`' });
        else {
          const name = tracked(node.argument);
          if (name) flow.recordOpaque(name, node, 'env is spread with `...`');
        }
        break;
      case 'ObjectMethod':
      case 'ClassMethod':
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const key = 'key' in node && node.key && !node.computed ? propertyName(node.key as Node, false) : undefined;
        node.params.forEach((param, index) => {
          const target = param.type === 'AssignmentPattern' ? param.left : param;
          if (target.type !== 'ObjectPattern') return;
          if (isEnvType(target.typeAnnotation as Node | null) || (index === 1 && key !== undefined && HANDLER_METHODS.has(key))) readPattern(target);
          readNestedEnv(target, readPattern);
        });
        break;
      }
      default:
        break;
    }
  }
  // A variable holding a read and tested for absence where it is in scope guards that read
  // (`const v = env.X; if (!v) …`), as its first test there says. Not a test of another variable
  // of that name: auth code tests a `token` of its own, in a function of its own or nested in the
  // one that read env.
  const guardedAt = new Map<string, { guard: Guard; from: number; to: number }>();
  type Declaration = { from: number; to: number; reads: Position[] };
  // The declarations of the names that hold a read, in source order, each with the reads it holds.
  const declarations = new Map<string, Declaration[]>();
  if (held.length > 0) {
    const heldNames = new Set(held.map((h) => h.name));
    const byStart = new Map<string, Declaration>();
    declaredNames.forEach((name, i) => {
      if (!heldNames.has(name) || byStart.has(`${declaredFrom[i]}:${name}`)) return;
      const declaration = { from: declaredFrom[i]!, to: declaredTo[i]!, reads: [] as Position[] };
      byStart.set(`${declaration.from}:${name}`, declaration);
      const list = declarations.get(name);
      if (list) list.push(declaration);
      else declarations.set(name, [declaration]);
    });
    for (const h of held) byStart.get(`${h.from}:${h.name}`)?.reads.push(h.read);
  }
  // One sweep in source order per name (declarations are listed by start, and nest): a stack of the
  // declarations around the test, innermost on top, so that many tests of a name cost no search.
  const tests = [...guarded.keys()].filter((n): n is Node & { type: 'Identifier' } => n.type === 'Identifier' && declarations.has(n.name)).sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  const sweeps = new Map<string, { next: number; around: Declaration[] }>();
  for (const test of tests) {
    const at = test.start ?? 0;
    const list = declarations.get(test.name)!;
    let sweep = sweeps.get(test.name);
    if (!sweep) sweeps.set(test.name, (sweep = { next: 0, around: [] }));
    while (sweep.next < list.length && list[sweep.next]!.from < at) sweep.around.push(list[sweep.next++]!);
    while (sweep.around.length > 0 && sweep.around[sweep.around.length - 1]!.to <= at) sweep.around.pop();
    const declaration = sweep.around[sweep.around.length - 1];
    for (const read of declaration?.reads ?? []) {
      const key = `${read.line}:${read.column}`;
      if (!guardedAt.has(key)) guardedAt.set(key, { guard: guarded.get(test)!, from: declaration!.from, to: declaration!.to });
    }
  }
  for (const read of facts.reads) {
    const heldBy = guardedAt.size > 0 && !read.guarded && !read.requiredBy ? guardedAt.get(`${read.line}:${read.column}`) : undefined;
    if (!heldBy) continue;
    Object.assign(read, siteOf(heldBy.guard));
    if (heldBy.guard === true && !handedOn.has(`${read.line}:${read.column}`)) optionalIn.push({ name: read.name, from: heldBy.from, to: heldBy.to });
  }
  // The same for reads of a parameter that may hold env (param-flow.ts).
  const paramReads = held.length > 0 || optionalIn.length > 0 ? [...flow.reads()] : [];
  for (const use of paramReads) {
    const heldBy = use.guard ? undefined : guardedAt.get(`${use.line}:${use.column}`);
    if (!heldBy) continue;
    use.guard = heldBy.guard;
    if (heldBy.guard === true) optionalIn.push({ name: use.text, from: heldBy.from, to: heldBy.to });
  }
  const optional = optionalWithin(optionalIn);
  for (const read of facts.reads) {
    const start = readStarts.get(read);
    if (!read.guarded && !read.requiredBy && start !== undefined && optional(read.name, start)) read.guarded = true;
  }
  for (const use of paramReads) if (!use.guard && optional(use.text, use.at)) use.guard = true;
  facts.reads.sort((a, b) => a.line - b.line || a.column - b.column);
  facts.flow = flow.done();
  if (clientFinder) facts.supabaseClients = clientFinder.calls;
  return facts;
}

/**
 * Whether a read of `name` at `start` lies in a function that tests `name` and carries on without
 * it (`if (!env.KV) return null; return env.KV.get(k)`): then it is optional there too. Only that
 * function (and the ones nested in it): a test in one handler protects no read in another. Linear
 * after sorting: the ranges of one name are merged, then each read finds its range by binary search.
 */
function optionalWithin(optionalIn: readonly { name: string; from: number; to: number }[]): (name: string, start: number) => boolean {
  if (optionalIn.length === 0) return () => false;
  const ranges = new Map<string, [number, number][]>();
  for (const { name, from, to } of [...optionalIn].sort((a, b) => a.from - b.from || b.to - a.to)) {
    const list = ranges.get(name) ?? [];
    const last = list[list.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else list.push([from, to]);
    ranges.set(name, list);
  }
  return (name, start) => {
    const list = ranges.get(name);
    if (!list) return false;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]![0] <= start) lo = mid + 1;
      else hi = mid;
    }
    const range = list[lo - 1];
    return range !== undefined && start < range[1];
  };
}

/** The node types markGuarded looks at: checked first, so the other nodes cost one lookup. */
const GUARD_TYPES = new Set(['IfStatement', 'ConditionalExpression', 'WhileStatement', 'LogicalExpression', 'UnaryExpression', 'OptionalMemberExpression', 'OptionalCallExpression', 'BinaryExpression', 'CallExpression']);

const EQUALITY = new Set(['==', '!=', '===', '!==']);

/**
 * `"true"`, `"0"`, `"off"`, `true`: the values of an on/off flag. Code that compares `env.X` with
 * one (`env.EMAIL_DRY_RUN === "true"`, seen in a real Worker whose staging alone sets it) reads
 * an absent X as the flag's default. So does a comparison with the name of a development stage
 * (`env.ENVIRONMENT === "development"`): unset simply means "not development", the deployed path.
 * Other values stay required: `env.STAGE === "production"` with STAGE missing is a Worker that
 * thinks it is not in production.
 */
const FLAG_WORDS = new Set(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'enabled', 'disabled', 'development', 'dev', 'local', 'test', 'testing']);

function isFlagLiteral(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === 'BooleanLiteral') return true;
  if (n.type === 'NumericLiteral') return n.value === 0 || n.value === 1;
  return n.type === 'StringLiteral' && FLAG_WORDS.has(n.value.toLowerCase());
}

/** `addEventListener(…)`, `self.addEventListener(…)`, `globalThis.addEventListener(…)`. */
function isAddEventListener(callee: Node): boolean {
  if (callee.type === 'Identifier') return callee.name === 'addEventListener';
  return (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && !callee.computed && callee.property.type === 'Identifier' &&
    callee.property.name === 'addEventListener' && callee.object.type === 'Identifier' && (callee.object.name === 'self' || callee.object.name === 'globalThis');
}

/** The member reads a `||` / `??` chain may give (`env.A || env.B || "d"` → env.A, env.B). */
function fallbackChain(expression: Node): (Node & { type: 'MemberExpression' | 'OptionalMemberExpression' })[] {
  const members: (Node & { type: 'MemberExpression' | 'OptionalMemberExpression' })[] = [];
  const stack = [unwrap(expression)];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'LogicalExpression' && node.operator !== '&&') stack.push(unwrap(node.right), unwrap(node.left));
    else if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') members.push(node);
  }
  return members;
}

/**
 * The names read from the same object as `right` on the left of `||` / `??`: `env.A || env.B`
 * gives [A] for B, `env.A || env.B || env.C` gives [A, B] for C.
 */
function alternativeNames(left: Node, right: Node): string[] {
  const b = unwrap(right);
  if (b.type !== 'MemberExpression' && b.type !== 'OptionalMemberExpression') return [];
  const names: string[] = [];
  for (const a of fallbackChain(left)) {
    const name = sameReference(a.object, b.object) ? propertyName(a.property, a.computed) : undefined;
    if (name !== undefined) names.push(name);
  }
  return names;
}

function isNullish(node: Node): boolean {
  const n = unwrap(node);
  return n.type === 'NullLiteral' || (n.type === 'Identifier' && n.name === 'undefined') || (n.type === 'UnaryExpression' && n.operator === 'void');
}

/**
 * The operands a node tests for absence, and what the code does without them: `!x`, `Boolean(x)`, `typeof x`,
 * `x == null`, the test of `if`/`?:`/`while`, the left of `||`/`??`/`&&`, `x?.y` / `x?.()`, and
 * `x === "true"` (FLAG_WORDS). The test of an `if` / `?:` is judged by the branch taken without
 * the operand (consequence.ts): one that fails (`throw`, an error response) makes the read
 * required there, with that failure as evidence. Every other test says the code is written for X
 * to be missing in some deployments (an optional secret, a binding only production has), so its
 * absence there is no fault to report. A node is marked once, by the outermost test (parents are
 * visited first). Also lists the names a `||` / `??` offers in another's place (`alternatives`).
 */
function markGuarded(node: Node, guarded: Map<Node, Guard>, alternatives: Map<Node, string[]>): void {
  const set = (target: Node, guard: Guard) => {
    if (!guarded.has(target)) guarded.set(target, guard);
  };
  const mark = (operand: Node | null | undefined) => {
    if (!operand) return;
    let target = unwrap(operand);
    while (target.type === 'UnaryExpression' && (target.operator === '!' || target.operator === 'typeof')) target = unwrap(target.argument);
    if (target.type === 'BinaryExpression' && EQUALITY.has(target.operator)) {
      // Only a comparison with null or undefined tests for absence (`secret !== env.X` compares values).
      if (isNullish(target.right)) mark(target.left as Node);
      else if (isNullish(target.left as Node)) mark(target.right);
      return;
    }
    if (target.type === 'LogicalExpression') {
      mark(target.left);
      mark(target.right);
      return;
    }
    set(target, true);
  };
  switch (node.type) {
    case 'IfStatement':
    case 'ConditionalExpression':
      for (const { operand, guard } of guardsOf(node)) set(operand, guard);
      mark(node.test);
      break;
    case 'WhileStatement':
      mark(node.test);
      break;
    case 'LogicalExpression':
      mark(node.left);
      // `env.A || env.B`: B is required only where A is missing too (bindings-shared.ts requiredReads).
      if (node.operator !== '&&') {
        const names = alternativeNames(node.left, node.right);
        if (names.length > 0) alternatives.set(unwrap(node.right), names);
      }
      break;
    case 'UnaryExpression':
      if (node.operator === '!' || node.operator === 'typeof') mark(node.argument);
      break;
    case 'OptionalMemberExpression':
      if (node.optional) set(unwrap(node.object), true);
      break;
    case 'OptionalCallExpression':
      if (node.optional) set(unwrap(node.callee), true);
      break;
    case 'CallExpression':
      // `Boolean(env.X)` tests for presence, as `!!env.X` does (a health check's "is it set?").
      if (node.callee.type === 'Identifier' && node.callee.name === 'Boolean' && node.arguments.length === 1) mark(node.arguments[0] as Node);
      break;
    case 'BinaryExpression':
      if (!EQUALITY.has(node.operator)) break;
      if (isFlagLiteral(node.right)) set(unwrap(node.left as Node), true);
      else if (isFlagLiteral(node.left as Node)) set(unwrap(node.right), true);
      break;
    default:
      break;
  }
}

/** `{ env: { X } }` anywhere in a pattern reads X (e.g. `const { env: { X } } = c`). */
function readNestedEnv(pattern: Node, readPattern: (p: Node) => void): void {
  if (pattern.type !== 'ObjectPattern') return;
  for (const property of pattern.properties) {
    if (property.type === 'ObjectProperty' && propertyName(property.key, property.computed) === 'env' && property.value.type === 'ObjectPattern') readPattern(property.value);
  }
}

/** `({ env })`, `const { env: e } = ctx`: the local name holds an env. */
function addDestructuredEnv(pattern: Node, names: Set<string>): void {
  if (pattern.type !== 'ObjectPattern') return;
  for (const property of pattern.properties) {
    if (property.type !== 'ObjectProperty' || propertyName(property.key, property.computed) !== 'env') continue;
    const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
    if (value.type === 'Identifier') names.add(value.name);
  }
}

/**
 * The node types analyzeModule's second pass looks at (its switch, GUARD_TYPES, and the calls
 * supabase-clients.ts visits). The first walk lists them in the order it visits them (pre-order,
 * so a parent before its children, as markGuarded needs), and the second pass reads that list
 * instead of walking the AST again: most nodes (identifiers, literals, statements) are in neither.
 */
const SECOND_WALK_TYPES = new Set([
  'ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ExportDefaultDeclaration', 'CallExpression', 'OptionalCallExpression',
  'NewExpression', 'MemberExpression', 'OptionalMemberExpression', 'VariableDeclarator', 'AssignmentExpression', 'SpreadElement',
  'ObjectMethod', 'ClassMethod', 'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', ...GUARD_TYPES,
]);

/**
 * Names that hold the Worker's env in this module: parameters named `env` or typed Env,
 * `import { env } from "cloudflare:workers"` (aliases too), and variables initialised from them
 * or from `<x>.env` (`const e = c.env`).
 */
function collectEnvNames(program: Node, later: Node[], visit: (node: Node) => void): Set<string> {
  const names = new Set<string>();
  const stack: Node[] = [program];
  const aliases: { id: string; init: Node }[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    if (SECOND_WALK_TYPES.has(node.type)) later.push(node);
    if (node.type === 'ImportDeclaration' && node.source.value === 'cloudflare:workers') {
      for (const spec of node.specifiers) {
        if (spec.type === 'ImportSpecifier' && (spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value) === 'env') names.add(spec.local.name);
      }
    } else if (
      node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' ||
      node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'TSDeclareFunction'
    ) {
      for (const param of node.params) {
        const target = param.type === 'AssignmentPattern' ? param.left : param;
        if (target.type === 'Identifier' && (target.name === 'env' || isEnvType(target.typeAnnotation as Node | null))) names.add(target.name);
        addDestructuredEnv(target, names);
      }
    } else if (node.type === 'VariableDeclarator') {
      if (node.id.type === 'Identifier' && node.init) aliases.push({ id: node.id.name, init: node.init });
      addDestructuredEnv(node.id, names);
    }
    pushChildren(node, stack);
  }
  // Aliases of aliases: iterate to a fixed point (bounded by the number of declarations).
  for (let changed = true, rounds = 0; changed && rounds <= aliases.length; rounds++) {
    changed = false;
    for (const { id, init } of aliases) {
      if (names.has(id)) continue;
      const node = unwrap(init);
      const fromEnv = node.type === 'Identifier' ? names.has(node.name)
        : (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed && node.property.type === 'Identifier' && node.property.name === 'env' &&
          unwrap(node.object).type !== 'MetaProperty' && !(unwrap(node.object).type === 'Identifier' && (unwrap(node.object) as { name: string }).name === 'process');
      if (fromEnv) {
        names.add(id);
        changed = true;
      }
    }
  }
  return names;
}
