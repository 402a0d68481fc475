/**
 * Following `env` into the functions it is handed to (else a helper's
 * destructured parameter made a false dead-binding): `handleUpload(request, env)`
 * with `function handleUpload(req, { UPLOADS }: { UPLOADS: R2Bucket })`, or `f(req, e)` reading
 * `e.KV`, reads UPLOADS and KV even though neither parameter is named `env` or typed Env.
 *
 * Per module, while it is parsed, this records (1) every function with its parameters and source
 * range, the names under which it can be called (`f`, `obj.method`, `Class` for its constructor,
 * `default`) and which of them are exported; (2) for every parameter name (and `const x = param`
 * alias) the uses that matter if it held env: member reads, destructuring, computed keys, and
 * calls that hand it on; (3) every call that hands the module's own env on (`envCalls`). Nothing
 * of the AST is kept. Which parameter really holds env is only known once the module graph is
 * walked (a caller may live in another module): `FlowIndex.flow(fn, index)` then answers from the
 * recorded uses, once per (function, parameter), memoised, so the whole analysis stays linear and
 * no module is parsed twice.
 *
 * Scoping is by source range: a use belongs to a function's parameter when it lies inside that
 * function and not inside a nested function that declares a parameter of the same name.
 *
 * Over 300 lines: recording (the walk's callbacks) and answering (`flow`) read and write one
 * private index whose shape is the contract between them; split, that shape would be exported
 * only for the other half. The callee naming (`calleeOf`) is the one part that could go, when the
 * module next changes.
 */
import type { Node } from '@babel/types';
import { isFunctionNode, pos, unwrap, patternNames } from './ast.js';
import type { ConstKeys } from './const-keys.js';
import type { Consequence, Guard } from './consequence.js';

export type Position = { line: number; column: number };
/**
 * `guarded`: the code carries on without the name here (`env.X ?? d`, `env.X?.get()`, `if (!env.X)
 * return null`, or a read in a function that tests for it so). `requiredBy`: the code tests for
 * its absence here and fails without it (`if (!env.X) throw …`): what it does then.
 * `alternatives`: names the code reads in this one's place (`env.A || env.B` for B), so B is
 * required only where they are missing too.
 */
export type EnvRead = Position & { name: string; guarded?: true; requiredBy?: Consequence; alternatives?: string[] };
export type Opaque = Position & { reason: string };

/** What a call hands env to. */
export type CalleeRef =
  /** A function of this module, by the name it is called under (`f`, `api.upload`, `Class`). */
  | { kind: 'local'; key: string; label: string }
  /**
   * A name imported from `specifier`: the exported function `name` (`f`, `default`, `api.upload`).
   * `member`: reached through a property (`api.upload(…)`), where a miss means a method of some
   * object deploy-guard does not model (a router's `fetch`), not a function value it lost.
   */
  | { kind: 'import'; specifier: string; name: string; label: string; member: boolean }
  /** A value that is not a function deploy-guard can see: a variable, a parameter, a computed callee. */
  | { kind: 'unknown'; label: string; computed: boolean };

export type EnvCall = Position & { callee: CalleeRef; argIndex: number };

export type Flow = { reads: EnvRead[]; opaque: Opaque[]; calls: EnvCall[] };

/**
 * One use of a name that matters if it holds env. One class (one shape) for all kinds keeps the
 * many small records cheap: `text` is the name read, the reason, or the alias; `call` for calls.
 */
class Use {
  constructor(
    readonly at: number,
    readonly line: number,
    readonly column: number,
    readonly kind: 'read' | 'opaque' | 'call' | 'alias',
    readonly text: string,
    readonly call: EnvCall | null = null,
    /** For a read: how the code guards it there (module-facts.ts marks it, after the walk too). */
    public guard: Guard | null = null,
  ) {}
}

/**
 * Types a parameter that receives env cannot have (TypeScript would refuse the call): such
 * parameters are not tracked, which keeps `req.url`, `input.length`… out of the records.
 */
const NOT_ENV_TYPES = new Set(['TSStringKeyword', 'TSNumberKeyword', 'TSBooleanKeyword', 'TSBigIntKeyword', 'TSSymbolKeyword', 'TSArrayType', 'TSTupleType', 'TSFunctionType', 'TSLiteralType', 'TSTemplateLiteralType']);
const NOT_ENV_TYPE_NAMES = new Set([
  'Request', 'Response', 'ExecutionContext', 'Headers', 'URL', 'URLSearchParams', 'FormData', 'Blob', 'File', 'ReadableStream', 'WritableStream',
  'ArrayBuffer', 'Uint8Array', 'Date', 'Error', 'RegExp', 'WebSocket', 'DurableObjectState', 'ScheduledEvent', 'ScheduledController',
  'MessageBatch', 'ForwardableEmailMessage', 'RequestInit', 'ResponseInit', 'Context', 'HonoRequest', 'Array', 'Promise', 'Map', 'Set',
]);

function cannotHoldEnv(param: Node): boolean {
  const annotation = (param as { typeAnnotation?: Node | null }).typeAnnotation;
  let type = annotation?.type === 'TSTypeAnnotation' ? annotation.typeAnnotation : undefined;
  while (type?.type === 'TSParenthesizedType') type = type.typeAnnotation;
  if (!type) return false;
  if (NOT_ENV_TYPES.has(type.type)) return true;
  return type.type === 'TSTypeReference' && type.typeName.type === 'Identifier' && NOT_ENV_TYPE_NAMES.has(type.typeName.name);
}

type ParamInfo =
  | { kind: 'name'; name: string }
  | { kind: 'pattern'; reads: EnvRead[]; opaque: Opaque[] }
  | { kind: 'rest'; name: string }
  /** `name`: a plain parameter that cannot hold env (`value: string`), still named for the reads handed to it. */
  | { kind: 'other'; name?: string };

type FunctionInfo = Position & { start: number; end: number; label: string; params: ParamInfo[] };

type Export = { local: string } | { specifier: string; name: string };

const EMPTY: Flow = { reads: [], opaque: [], calls: [] };
const OPAQUE_OBJECT_CALLS = new Set(['keys', 'values', 'entries', 'assign', 'getOwnPropertyNames', 'fromEntries']);

function keyName(node: Node, computed: boolean): string | undefined {
  if (!computed && node.type === 'Identifier') return node.name;
  if (node.type === 'StringLiteral') return node.value;
  return undefined;
}

/** `require("x")` → "x". */
function requireOf(expression: Node): string | undefined {
  const node = unwrap(expression);
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1 && node.arguments[0]!.type === 'StringLiteral'
    ? node.arguments[0]!.value : undefined;
}

/** `{ A, B: b, C = 1, ...rest }` as reads of env: what destructuring a parameter that holds env reads. */
export function destructuredReads(pattern: Node & { type: 'ObjectPattern' }, keys?: ConstKeys): { reads: EnvRead[]; opaque: Opaque[] } {
  const reads: EnvRead[] = [];
  const opaque: Opaque[] = [];
  for (const property of pattern.properties) {
    if (property.type === 'RestElement') {
      opaque.push({ ...pos(property), reason: 'the rest of env is collected with `...`' });
      continue;
    }
    const name = keyName(property.key, property.computed);
    // `{ PORT = "5432" } = env`: a default says the code runs without the name.
    const defaulted = property.type === 'ObjectProperty' && property.value.type === 'AssignmentPattern';
    if (name !== undefined) reads.push({ ...pos(property.key), name, ...(defaulted ? { guarded: true as const } : {}) });
    else {
      const names = property.computed ? keys?.keysOf(property.key) : undefined;
      if (names) for (const n of names) reads.push({ ...pos(property.key), name: n });
      else opaque.push({ ...pos(property), reason: 'env is destructured with a computed key' });
    }
  }
  return { reads, opaque };
}

/** The per-module index the graph asks which parameter reads what. Plain data after `analyzeModule`. */
export class FlowIndex {
  readonly functions: FunctionInfo[] = [];
  /** Call name (`f`, `api.upload`, `Class`, `default`, `#3` for an inline function) → function. */
  readonly callables = new Map<string, number>();
  /** Exported name → local call name, or a re-export. */
  readonly exported = new Map<string, Export>();
  readonly uses = new Map<string, Use[]>();
  /** Parameter name → functions declaring a parameter of that name (for shadowing). */
  readonly paramFunctions = new Map<string, number[]>();
  readonly #memo = new Map<string, Flow>();

  /** What the module reads when parameter `index` of function `fn` holds env. */
  flow(fn: number, index: number): Flow {
    const key = `${fn}:${index}`;
    let flow = this.#memo.get(key);
    if (!flow) {
      flow = this.#compute(fn, index);
      this.#memo.set(key, flow);
    }
    return flow;
  }

  /** The function an exported name calls (`f`, `default`, `api.upload`), or where it is re-exported from. */
  exportTarget(name: string): { fn: number } | { specifier: string; name: string } | undefined {
    const dot = name.indexOf('.');
    const head = dot === -1 ? name : name.slice(0, dot);
    const rest = dot === -1 ? '' : name.slice(dot);
    const target = this.exported.get(head);
    if (!target) return undefined;
    // A namespace (`export * as ns from`, `import * as ns; export { ns }`): `ns.f` is its export f, `ns` called is its default.
    if ('specifier' in target) return { specifier: target.specifier, name: target.name === '*' ? rest.slice(1) || 'default' : target.name + rest };
    const fn = this.callables.get(target.local + rest);
    return fn === undefined ? undefined : { fn };
  }

  #compute(fnIndex: number, index: number): Flow {
    const fn = this.functions[fnIndex];
    if (!fn) return EMPTY;
    let param = fn.params[index];
    if (!param) {
      const rest = fn.params.findIndex((p) => p.kind === 'rest');
      if (rest === -1 || rest > index) return EMPTY;
      param = fn.params[rest]!;
    }
    switch (param.kind) {
      case 'pattern': return { reads: param.reads, opaque: param.opaque, calls: [] };
      case 'rest': return { reads: [], opaque: [{ line: fn.line, column: fn.column, reason: `env escapes into the rest parameter ...${param.name} of ${fn.label}()` }], calls: [] };
      case 'other': return EMPTY;
      case 'name': break;
    }
    const flow: Flow = { reads: [], opaque: [], calls: [] };
    const names = [param.name];
    const seen = new Set(names);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const shadows = this.#shadows(name, fnIndex, fn);
      let s = 0;
      for (const use of this.#usesWithin(name, fn.start, fn.end)) {
        while (s < shadows.length && shadows[s]![1] <= use.at) s++;
        if (s < shadows.length && shadows[s]![0] <= use.at) continue; // inside a nested function with its own `name`
        switch (use.kind) {
          case 'read': flow.reads.push({ line: use.line, column: use.column, name: use.text, ...(use.guard === true ? { guarded: true as const } : use.guard ? { requiredBy: use.guard } : {}) }); break;
          case 'opaque': flow.opaque.push({ line: use.line, column: use.column, reason: use.text }); break;
          case 'call': flow.calls.push(use.call!); break;
          case 'alias': if (!seen.has(use.text)) { seen.add(use.text); names.push(use.text); } break;
        }
      }
    }
    return flow;
  }

  /** Uses of `name` in [start, end): a binary search over the sorted list. */
  #usesWithin(name: string, start: number, end: number): Use[] {
    const list = this.uses.get(name);
    if (!list) return [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.at < start) lo = mid + 1;
      else hi = mid;
    }
    const out: Use[] = [];
    for (let i = lo; i < list.length && list[i]!.at < end; i++) out.push(list[i]!);
    return out;
  }

  /** Ranges of the outermost functions nested in `fn` that declare their own parameter `name`, sorted. */
  #shadows(name: string, fnIndex: number, fn: FunctionInfo): [number, number][] {
    const ranges: [number, number][] = [];
    for (const g of this.paramFunctions.get(name) ?? []) {
      if (g === fnIndex) continue;
      const other = this.functions[g]!;
      if (other.start >= fn.start && other.end <= fn.end) ranges.push([other.start, other.end]);
    }
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const outer: [number, number][] = [];
    for (const r of ranges) if (outer.length === 0 || r[0] >= outer[outer.length - 1]![1]) outer.push(r);
    return outer;
  }
}

/**
 * Builds a FlowIndex during `analyzeModule`: `enter` on every node of the first walk, `finish`
 * once the module's env names are known, then the `record*` calls from the second walk.
 */
export class FlowCollector {
  readonly index = new FlowIndex();
  readonly #nodeIndex = new Map<Node, number>();
  readonly #pending: { key: string; node: Node }[] = [];
  readonly #aliases: { key: string; target: string }[] = [];
  readonly #varAliases: { from: string; to: string }[] = [];
  readonly #imports = new Map<string, { specifier: string; name: string }>();
  readonly #declared = new Set<string>();
  readonly #classes: { start: number; end: number; name: string }[] = [];
  #tracked = new Set<string>();
  #keys: ConstKeys | undefined;

  constructor(keys?: ConstKeys) {
    this.#keys = keys;
  }

  #addFunction(node: Node & { params: Node[] }, label: string): number {
    const params: ParamInfo[] = node.params.map((p) => {
      const target = p.type === 'AssignmentPattern' ? p.left : p;
      if (target.type === 'Identifier') return cannotHoldEnv(target) ? { kind: 'other', name: target.name } : { kind: 'name', name: target.name };
      if (target.type === 'ObjectPattern') return { kind: 'pattern', ...destructuredReads(target, this.#keys) };
      if (target.type === 'RestElement' && target.argument.type === 'Identifier') return { kind: 'rest', name: target.argument.name };
      return { kind: 'other' };
    });
    const idx = this.index.functions.push({ ...pos(node), start: node.start ?? 0, end: node.end ?? 0, label, params }) - 1;
    this.#nodeIndex.set(node, idx);
    params.forEach((p) => {
      if (p.kind !== 'name') return;
      const list = this.index.paramFunctions.get(p.name);
      if (list) list.push(idx);
      else this.index.paramFunctions.set(p.name, [idx]);
    });
    return idx;
  }

  #registerObject(prefix: string, object: Node & { type: 'ObjectExpression' }): void {
    for (const property of object.properties) {
      if (property.type === 'ObjectMethod') {
        const name = keyName(property.key, property.computed);
        if (name !== undefined) this.#pending.push({ key: `${prefix}.${name}`, node: property });
      } else if (property.type === 'ObjectProperty') {
        const name = keyName(property.key, property.computed);
        const value = unwrap(property.value as Node);
        if (name === undefined) continue;
        if (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression') this.#pending.push({ key: `${prefix}.${name}`, node: value });
        else if (value.type === 'Identifier') this.#aliases.push({ key: `${prefix}.${name}`, target: value.name });
      }
    }
  }

  #registerClass(name: string, cls: Node & { type: 'ClassDeclaration' | 'ClassExpression' }): void {
    this.#classes.push({ start: cls.start ?? 0, end: cls.end ?? 0, name });
    let constructor: Node | undefined;
    for (const member of cls.body.body) {
      if (member.type === 'ClassMethod') {
        if (member.kind === 'constructor') constructor = member;
        else {
          const key = keyName(member.key, member.computed);
          if (key !== undefined) this.#pending.push({ key: `${name}.${key}`, node: member });
        }
      } else if (member.type === 'ClassProperty' && member.value) {
        const key = keyName(member.key, member.computed);
        const value = unwrap(member.value);
        if (key !== undefined && (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression')) this.#pending.push({ key: `${name}.${key}`, node: value });
      }
    }
    if (constructor) this.#pending.push({ key: name, node: constructor });
    else if (!cls.superClass) {
      // `new Plain(env)` with no constructor: env goes nowhere. With a superclass it goes to code we cannot see.
      this.index.callables.set(name, this.index.functions.push({ ...pos(cls), start: cls.start ?? 0, end: cls.start ?? 0, label: name, params: [] }) - 1);
    }
  }

  /** First walk: every node, in source order. */
  enter(node: Node): void {
    if (node.type === 'CallExpression') {
      const callee = unwrap(node.callee);
      // ((b) => b.X)(env): an inline function called at once.
      if (callee.type === 'ArrowFunctionExpression' || callee.type === 'FunctionExpression') this.#pending.push({ key: `#${callee.start ?? 0}`, node: callee });
      return;
    }
    if (isFunctionNode(node)) {
      const label = node.type === 'FunctionDeclaration' && node.id ? node.id.name : (node.type === 'ObjectMethod' || node.type === 'ClassMethod') ? keyName(node.key, node.computed) ?? 'a method' : 'a function';
      const idx = this.#addFunction(node as Node & { params: Node[] }, label);
      if (node.type === 'FunctionDeclaration' && node.id) {
        this.index.callables.set(node.id.name, idx);
        this.#declared.add(node.id.name);
      }
      for (const p of node.params) {
        const names: string[] = [];
        patternNames(p as Node, names);
        for (const n of names) this.#declared.add(n);
      }
      return;
    }
    switch (node.type) {
      case 'ImportDeclaration':
        if (node.importKind === 'type') break;
        for (const spec of node.specifiers) {
          if (spec.type === 'ImportSpecifier' && spec.importKind === 'type') continue;
          const name = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*'
            : spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
          this.#imports.set(spec.local.name, { specifier: node.source.value, name });
        }
        break;
      case 'VariableDeclarator': {
        const names: string[] = [];
        patternNames(node.id, names);
        for (const n of names) this.#declared.add(n);
        const required = node.init ? requireOf(node.init) : undefined;
        if (required !== undefined) {
          // CommonJS: const x = require("./m") (its exports), const { f, g: h } = require("./m").
          if (node.id.type === 'Identifier') this.#imports.set(node.id.name, { specifier: required, name: '*' });
          else if (node.id.type === 'ObjectPattern') {
            for (const p of node.id.properties) {
              const key = p.type === 'ObjectProperty' ? keyName(p.key, p.computed) : undefined;
              if (key !== undefined && p.type === 'ObjectProperty' && p.value.type === 'Identifier') this.#imports.set(p.value.name, { specifier: required, name: key });
            }
          }
          break;
        }
        if (node.id.type !== 'Identifier' || !node.init) break;
        const id = node.id.name;
        const init = unwrap(node.init);
        if (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression') this.#pending.push({ key: id, node: init });
        else if (init.type === 'ObjectExpression') this.#registerObject(id, init);
        else if (init.type === 'ClassExpression') this.#registerClass(id, init);
        else if (init.type === 'Identifier') {
          this.#aliases.push({ key: id, target: init.name });
          this.#varAliases.push({ from: init.name, to: id });
        }
        break;
      }
      case 'AssignmentExpression': {
        // CommonJS exports: module.exports = f | { f, g() {} }; exports.f = …; module.exports.f = …
        const left = node.left;
        const right = unwrap(node.right);
        if (left.type !== 'MemberExpression') break;
        const isModuleExports = (n: Node) => n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.object.name === 'module' && n.property.type === 'Identifier' && n.property.name === 'exports';
        const exportName = isModuleExports(left) ? 'default'
          : !left.computed && left.property.type === 'Identifier' && ((left.object.type === 'Identifier' && left.object.name === 'exports') || isModuleExports(left.object)) ? left.property.name : undefined;
        if (exportName === undefined) break;
        if (exportName === 'default' && right.type === 'ObjectExpression') {
          this.#registerObject('module.exports', right);
          for (const p of right.properties) {
            const key = p.type === 'ObjectProperty' || p.type === 'ObjectMethod' ? keyName(p.key, p.computed) : undefined;
            if (key !== undefined) this.index.exported.set(key, { local: `module.exports.${key}` });
          }
        } else if (right.type === 'Identifier') this.index.exported.set(exportName, { local: right.name });
        else if (right.type === 'ArrowFunctionExpression' || right.type === 'FunctionExpression') {
          this.#pending.push({ key: `module.exports.${exportName}`, node: right });
          this.index.exported.set(exportName, { local: `module.exports.${exportName}` });
        }
        break;
      }
      case 'ClassDeclaration':
        if (node.id) {
          this.#declared.add(node.id.name);
          this.#registerClass(node.id.name, node);
        }
        break;
      case 'CatchClause':
        if (node.param) {
          const names: string[] = [];
          patternNames(node.param, names);
          for (const n of names) this.#declared.add(n);
        }
        break;
      case 'ExportDefaultDeclaration': {
        const decl = node.declaration.type === 'FunctionDeclaration' || node.declaration.type === 'ClassDeclaration' ? node.declaration : unwrap(node.declaration as Node);
        if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
          this.index.exported.set('default', { local: decl.id.name });
        } else if (decl.type === 'FunctionDeclaration' || decl.type === 'ArrowFunctionExpression' || decl.type === 'FunctionExpression') {
          this.#pending.push({ key: 'default', node: decl });
          this.index.exported.set('default', { local: 'default' });
        } else if (decl.type === 'ClassDeclaration' || decl.type === 'ClassExpression') {
          this.#registerClass('default', decl);
          this.index.exported.set('default', { local: 'default' });
        } else if (decl.type === 'ObjectExpression') {
          this.#registerObject('default', decl);
          this.index.exported.set('default', { local: 'default' });
        } else if (decl.type === 'Identifier') {
          this.index.exported.set('default', { local: decl.name });
        }
        break;
      }
      case 'ExportNamedDeclaration': {
        if (node.exportKind === 'type') break;
        for (const spec of node.specifiers) {
          if (spec.type === 'ExportNamespaceSpecifier' && node.source) this.index.exported.set(spec.exported.name, { specifier: node.source.value, name: '*' });
          if (spec.type !== 'ExportSpecifier') continue;
          const exported = spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value;
          this.index.exported.set(exported, node.source ? { specifier: node.source.value, name: spec.local.name } : { local: spec.local.name });
        }
        const decl = node.declaration;
        if ((decl?.type === 'FunctionDeclaration' || decl?.type === 'ClassDeclaration') && decl.id) this.index.exported.set(decl.id.name, { local: decl.id.name });
        if (decl?.type === 'VariableDeclaration') for (const d of decl.declarations) if (d.id.type === 'Identifier') this.index.exported.set(d.id.name, { local: d.id.name });
        break;
      }
      default:
        break;
    }
  }

  /** After the first walk: resolve names to functions; `envNames` are handled by the module's own analysis. */
  finish(envNames: ReadonlySet<string>): void {
    for (const { key, node } of this.#pending) {
      const idx = this.#nodeIndex.get(node);
      if (idx === undefined) continue;
      this.index.callables.set(key, idx);
      const fn = this.index.functions[idx]!;
      if (fn.label === 'a function' || fn.label === 'a method' || key === 'default') fn.label = key.startsWith('#') ? 'an inline function' : key;
    }
    // `const f = g`, `{ upload: handleUpload }`: aliases of aliases, bounded by their number.
    for (let round = 0, changed = true; changed && round <= this.#aliases.length; round++) {
      changed = false;
      for (const { key, target } of this.#aliases) {
        const idx = this.index.callables.get(target);
        if (idx !== undefined && !this.index.callables.has(key)) {
          this.index.callables.set(key, idx);
          changed = true;
        }
      }
    }
    // `const f = imported`: f is the import too (calls to it are followed to the other module).
    for (let round = 0, changed = true; changed && round <= this.#aliases.length; round++) {
      changed = false;
      for (const { key, target } of this.#aliases) {
        const imported = this.#imports.get(target);
        if (imported && !this.#imports.has(key) && !this.index.callables.has(key) && !key.includes('.')) {
          this.#imports.set(key, imported);
          changed = true;
        }
      }
    }
    // `import { h } from "./h"; export { h as handleAdmin }` (or `export default h`): the export is
    // a re-export, followed to the module that defines h.
    for (const [name, target] of this.index.exported) {
      if (!('local' in target) || this.index.callables.has(target.local)) continue;
      const imported = this.#imports.get(target.local);
      if (imported) this.index.exported.set(name, { specifier: imported.specifier, name: imported.name });
    }
    // Only parameters of functions that can be called by name can receive env from a caller
    // (a callback handed to a router cannot): their names, and aliases of them, are tracked.
    for (const idx of this.index.callables.values()) {
      for (const p of this.index.functions[idx]!.params) if (p.kind === 'name') this.#tracked.add(p.name);
    }
    for (let round = 0, changed = true; changed && round <= this.#varAliases.length; round++) {
      changed = false;
      for (const { from, to } of this.#varAliases) {
        if (this.#tracked.has(from) && !this.#tracked.has(to)) {
          this.#tracked.add(to);
          changed = true;
        }
      }
    }
    for (const name of envNames) this.#tracked.delete(name);
  }

  /** A parameter name (or its alias) whose uses are worth recording. */
  tracks(name: string): boolean {
    return this.#tracked.has(name);
  }

  #use(name: string, use: Use): void {
    const list = this.index.uses.get(name);
    if (list) list.push(use);
    else this.index.uses.set(name, [use]);
  }

  /** `p.X`, `p["X"]`, `p[KEY]` for a tracked name `p`. */
  recordMember(name: string, member: Node & { property: Node; computed: boolean }, guard: Guard | undefined): void {
    const at = member.start ?? 0;
    const key = keyName(member.property, member.computed);
    if (key !== undefined) {
      const { line, column } = pos(member.property);
      this.#use(name, new Use(at, line, column, 'read', key, null, guard ?? null));
      return;
    }
    const constant = member.property.type === 'TemplateLiteral' && member.property.expressions.length === 0 ? [member.property.quasis[0]?.value.cooked ?? ''] : this.#keys?.keysOf(member.property);
    const { line, column } = pos(member.property);
    if (constant) for (const n of constant) this.#use(name, new Use(at, line, column, 'read', n, null, guard ?? null));
    else this.#use(name, new Use(at, line, column, 'opaque', 'env is read with a computed key'));
  }

  /** `const { A } = p`, `const e = p`. */
  recordDeclarator(name: string, declarator: Node & { type: 'VariableDeclarator' }): void {
    const at = declarator.start ?? 0;
    if (declarator.id.type === 'ObjectPattern') {
      const { reads, opaque } = destructuredReads(declarator.id, this.#keys);
      for (const r of reads) this.#use(name, new Use(at, r.line, r.column, 'read', r.name, null, r.guarded ?? null));
      for (const o of opaque) this.#use(name, new Use(at, o.line, o.column, 'opaque', o.reason));
    } else if (declarator.id.type === 'Identifier') {
      const { line, column } = pos(declarator);
      this.#use(name, new Use(at, line, column, 'alias', declarator.id.name));
    }
  }

  /** `...p`, `Object.keys(p)`. */
  recordOpaque(name: string, node: Node, reason: string): void {
    const { line, column } = pos(node);
    this.#use(name, new Use(node.start ?? 0, line, column, 'opaque', reason));
  }

  /** `f(a, p)`: p is handed on. */
  recordCall(name: string, call: Node, callee: CalleeRef, argIndex: number): void {
    const { line, column } = pos(call);
    this.#use(name, new Use(call.start ?? 0, line, column, 'call', '', { line, column, callee, argIndex }));
  }

  /** Every read recorded, for module-facts.ts to mark the ones a test elsewhere guards. */
  *reads(): Iterable<Use> {
    for (const list of this.index.uses.values()) for (const use of list) if (use.kind === 'read') yield use;
  }

  /** After the second walk: uses in source order (the walk is pre-order, but sort to be sure). */
  done(): FlowIndex {
    for (const list of this.index.uses.values()) {
      for (let i = 1; i < list.length; i++) {
        if (list[i - 1]!.at > list[i]!.at) {
          list.sort((a, b) => a.at - b.at);
          break;
        }
      }
    }
    return this.index;
  }

  /** The function of this module a call reaches, with its parameters' names (undefined for a pattern or none). */
  localFunction(call: Node & { callee: Node }): { start: number; params: (string | undefined)[] } | undefined {
    const callee = this.calleeOf(call, false);
    const fn = callee?.kind === 'local' ? this.index.functions[this.index.callables.get(callee.key) ?? -1] : undefined;
    return fn && { start: fn.start, params: fn.params.map((p) => (p.kind === 'name' || p.kind === 'other' ? p.name : undefined)) };
  }

  /** Whether `Object.<method>(x)` enumerates x. */
  static enumerates(callee: Node): string | undefined {
    return callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Object' && !callee.computed &&
      callee.property.type === 'Identifier' && OPAQUE_OBJECT_CALLS.has(callee.property.name) ? callee.property.name : undefined;
  }

  /**
   * What a call hands its arguments to, or undefined when the callee is a global, or a method of
   * an object deploy-guard does not model (`app.fetch(req, env)`: a router hands env to handlers,
   * whose reads are seen where they are written).
   */
  calleeOf(callExpression: Node & { callee: Node }, isNew: boolean): CalleeRef | undefined {
    const callee = unwrap(callExpression.callee);
    if (callee.type === 'Identifier') {
      const name = callee.name;
      if (this.index.callables.has(name)) return { kind: 'local', key: name, label: name };
      const imported = this.#imports.get(name);
      // A namespace called directly is a CommonJS module.exports function (its default).
      if (imported) return { kind: 'import', specifier: imported.specifier, name: imported.name === '*' ? 'default' : imported.name, label: name, member: false };
      if (this.#declared.has(name)) return { kind: 'unknown', label: name, computed: false };
      return undefined;
    }
    if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') {
      const key = `#${callee.start ?? 0}`;
      return this.index.callables.has(key) ? { kind: 'local', key, label: 'an inline function' } : undefined;
    }
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      const property = keyName(callee.property, callee.computed);
      const object = unwrap(callee.object);
      if (property === undefined) {
        return { kind: 'unknown', label: `${object.type === 'Identifier' ? object.name : '…'}[…]`, computed: true };
      }
      if (object.type === 'Identifier') {
        const key = `${object.name}.${property}`;
        if (this.index.callables.has(key)) return { kind: 'local', key, label: key };
        const imported = this.#imports.get(object.name);
        if (imported) {
          const name = imported.name === '*' ? property : `${imported.name}.${property}`;
          return { kind: 'import', specifier: imported.specifier, name, label: key, member: true };
        }
        return undefined;
      }
      if (object.type === 'ThisExpression') {
        const at = callExpression.start ?? 0;
        let cls: { name: string; start: number } | undefined;
        for (const c of this.#classes) if (c.start <= at && at < c.end && (!cls || c.start > cls.start)) cls = c;
        const key = cls ? `${cls.name}.${property}` : undefined;
        return key && this.index.callables.has(key) ? { kind: 'local', key, label: `this.${property}` } : undefined;
      }
      return undefined;
    }
    // `super(ctx, env)` in a DurableObject / WorkerEntrypoint hands env to the runtime's base
    // class, which exposes it as `this.env`: those reads are counted where they are written.
    if (isNew || callee.type === 'Super') return undefined;
    return { kind: 'unknown', label: 'the result of an expression', computed: true };
  }
}
