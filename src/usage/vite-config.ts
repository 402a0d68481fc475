/**
 * What deploy-guard needs from a `vite.config.{ts,js,mts,mjs}`, read statically (the config is
 * code; it is never run): `resolve.alias`, `build.outDir`, `environments.<name>.build.outDir`, and
 * the options of `cloudflare()` from `@cloudflare/vite-plugin` (`configPath`, `viteEnvironment`,
 * `auxiliaryWorkers`, an inline `config.main`).
 *
 * Alias values are evaluated as far as they are plain path arithmetic: string literals,
 * `path.resolve(__dirname, "./src")`, `path.join(...)`, `fileURLToPath(new URL("./src",
 * import.meta.url))`, `new URL(...).pathname`, `import.meta.dirname`, `process.cwd()` (taken as
 * the config's folder, where Vite is run) and module-level constants. Anything else is left out.
 *
 * Alias matching follows @rollup/plugin-alias, which Vite uses for `resolve.alias`
 * (https://vite.dev/config/shared-options.html#resolve-alias): a string `find` matches the
 * specifier itself or the specifier followed by `/`; a RegExp matches by `test`; the replacement
 * goes through `String.prototype.replace`. A replacement that starts with `/` and is not an
 * existing absolute path is taken relative to the Vite root, as Vite resolves `/src/x`.
 */
import path from 'node:path';
import { parse } from '@babel/parser';
import type { Node } from '@babel/types';
import { unwrap } from './ast.js';

export type ViteAlias = { find: string | RegExp; replacement: string };

export type CloudflarePluginOptions = {
  /** `configPath` as written (relative to the Vite root), when given. */
  configPath?: string;
  /** `viteEnvironment.name`: the entry Worker's Vite environment (its output folder's name). */
  environmentName?: string;
  auxiliaryConfigPaths: string[];
  /** `config: { main }`: an inline override of the Worker config's main. */
  inlineMain?: string;
  line: number;
};

export type ViteConfig = {
  file: string;
  dir: string;
  aliases: ViteAlias[];
  /** `build.outDir` as written, relative to the Vite root. */
  outDir?: string;
  /** `environments.<name>.build.outDir`. */
  environmentOutDirs: Record<string, string>;
  cloudflare?: CloudflarePluginOptions;
};

export const VITE_CONFIG_NAMES = ['vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs', 'vite.config.cts', 'vite.config.cjs'];

function keyName(node: Node, computed: boolean): string | undefined {
  if (!computed && node.type === 'Identifier') return node.name;
  if (node.type === 'StringLiteral') return node.value;
  return undefined;
}

function property(object: Node | undefined, name: string): Node | undefined {
  if (!object || object.type !== 'ObjectExpression') return undefined;
  for (const p of object.properties) {
    if (p.type === 'ObjectProperty' && keyName(p.key, p.computed) === name) return unwrap(p.value as Node);
    if (p.type === 'ObjectMethod' && keyName(p.key, p.computed) === name) return p;
  }
  return undefined;
}

function isMember(node: Node, object: string, prop: string): boolean {
  return node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' && node.object.name === object &&
    node.property.type === 'Identifier' && node.property.name === prop;
}

function isImportMeta(node: Node, prop: string): boolean {
  return node.type === 'MemberExpression' && !node.computed && node.object.type === 'MetaProperty' && node.property.type === 'Identifier' && node.property.name === prop;
}

/** The object a function returns: `() => ({…})`, `() => { …; return {…}; }`. */
function returnedObject(fn: Node, constants: Map<string, Node>): Node | undefined {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return undefined;
  if (fn.body.type !== 'BlockStatement') return objectOf(fn.body, constants);
  for (let i = fn.body.body.length - 1; i >= 0; i--) {
    const statement = fn.body.body[i]!;
    if (statement.type === 'ReturnStatement' && statement.argument) return objectOf(statement.argument, constants);
  }
  return undefined;
}

function objectOf(expression: Node, constants: Map<string, Node>, depth = 0): Node | undefined {
  if (depth > 4) return undefined;
  const node = unwrap(expression);
  if (node.type === 'ObjectExpression') return node;
  if (node.type === 'Identifier') {
    const value = constants.get(node.name);
    return value ? objectOf(value, constants, depth + 1) : undefined;
  }
  if (node.type === 'CallExpression' && node.arguments[0] && node.arguments[0].type !== 'SpreadElement' && node.arguments[0].type !== 'ArgumentPlaceholder') {
    // defineConfig({...}), defineConfig(() => ({...}))
    const arg = unwrap(node.arguments[0]);
    return arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression' ? returnedObject(arg, constants) : objectOf(arg, constants, depth + 1);
  }
  if (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') return returnedObject(node, constants);
  return undefined;
}

/** A path expression evaluated against the config's folder, or undefined. */
function evaluatePath(expression: Node, dir: string, constants: Map<string, Node>, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const node = unwrap(expression);
  switch (node.type) {
    case 'StringLiteral': return node.value;
    case 'TemplateLiteral': {
      let out = node.quasis[0]?.value.cooked ?? '';
      for (let i = 0; i < node.expressions.length; i++) {
        const part = evaluatePath(node.expressions[i] as Node, dir, constants, depth + 1);
        if (part === undefined) return undefined;
        out += part + (node.quasis[i + 1]?.value.cooked ?? '');
      }
      return out;
    }
    case 'Identifier':
      if (node.name === '__dirname') return dir;
      return constants.has(node.name) ? evaluatePath(constants.get(node.name)!, dir, constants, depth + 1) : undefined;
    case 'MemberExpression':
      if (isImportMeta(node, 'dirname')) return dir;
      if (!node.computed && node.property.type === 'Identifier' && node.property.name === 'pathname') return urlPath(node.object, dir, constants, depth);
      return undefined;
    case 'NewExpression':
      return urlPath(node, dir, constants, depth);
    case 'CallExpression': {
      const callee = unwrap(node.callee);
      const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
      if (callee.type === 'MemberExpression' && isMember(callee, 'process', 'cwd')) return dir;
      if (name === 'fileURLToPath' && node.arguments[0]) return urlPath(node.arguments[0] as Node, dir, constants, depth);
      if (name === 'resolve' || name === 'join' || name === 'normalize') {
        const parts: string[] = [];
        for (const a of node.arguments) {
          if (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder') return undefined;
          const part = evaluatePath(a, dir, constants, depth + 1);
          if (part === undefined) return undefined;
          parts.push(part);
        }
        // path.resolve starts from the current directory (the config's folder, where Vite runs).
        return name === 'resolve' ? path.resolve(dir, ...parts) : path.join(...parts);
      }
      return undefined;
    }
    default: return undefined;
  }
}

/** `new URL("./src", import.meta.url)` → the file path it names. */
function urlPath(expression: Node, dir: string, constants: Map<string, Node>, depth: number): string | undefined {
  const node = unwrap(expression);
  if (node.type !== 'NewExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'URL') return undefined;
  const [spec, base] = node.arguments;
  if (!spec || !base || spec.type === 'SpreadElement' || base.type === 'SpreadElement' || spec.type === 'ArgumentPlaceholder' || base.type === 'ArgumentPlaceholder') return undefined;
  if (!isImportMeta(unwrap(base), 'url')) return undefined;
  const relative = evaluatePath(spec, dir, constants, depth + 1);
  return relative === undefined ? undefined : path.resolve(dir, relative);
}

function aliasesOf(value: Node | undefined, dir: string, constants: Map<string, Node>): ViteAlias[] {
  const node = value ? objectOf(value, constants) ?? unwrap(value) : undefined;
  const out: ViteAlias[] = [];
  const replacementOf = (n: Node): string | undefined => {
    const evaluated = evaluatePath(n, dir, constants);
    return evaluated === undefined ? undefined : evaluated;
  };
  if (node?.type === 'ObjectExpression') {
    for (const p of node.properties) {
      if (p.type !== 'ObjectProperty') continue;
      const find = keyName(p.key, p.computed);
      const replacement = replacementOf(p.value as Node);
      if (find !== undefined && replacement !== undefined) out.push({ find, replacement });
    }
  } else if (node?.type === 'ArrayExpression') {
    for (const element of node.elements) {
      if (!element || element.type === 'SpreadElement') continue;
      const entry = unwrap(element);
      const findNode = property(entry, 'find');
      const replacementNode = property(entry, 'replacement');
      const replacement = replacementNode ? replacementOf(replacementNode) : undefined;
      if (!findNode || replacement === undefined) continue;
      if (findNode.type === 'StringLiteral') out.push({ find: findNode.value, replacement });
      else if (findNode.type === 'RegExpLiteral') {
        try {
          out.push({ find: new RegExp(findNode.pattern, findNode.flags), replacement });
        } catch {
          // a pattern JavaScript refuses: Vite could not use it either
        }
      }
    }
  }
  return out;
}

function cloudflareOptions(call: Node & { type: 'CallExpression' }, constants: Map<string, Node>): CloudflarePluginOptions {
  const arg = call.arguments[0];
  const options = arg && arg.type !== 'SpreadElement' && arg.type !== 'ArgumentPlaceholder' ? objectOf(arg, constants) : undefined;
  const str = (n: Node | undefined) => (n?.type === 'StringLiteral' ? n.value : undefined);
  const auxiliary = property(options, 'auxiliaryWorkers');
  const auxiliaryConfigPaths: string[] = [];
  if (auxiliary?.type === 'ArrayExpression') {
    for (const e of auxiliary.elements) {
      const configPath = e && e.type !== 'SpreadElement' ? str(property(unwrap(e), 'configPath')) : undefined;
      if (configPath) auxiliaryConfigPaths.push(configPath);
    }
  }
  const configPath = str(property(options, 'configPath'));
  const environmentName = str(property(property(options, 'viteEnvironment'), 'name'));
  const inline = property(options, 'config');
  const inlineMain = str(property(inline?.type === 'ObjectExpression' ? inline : undefined, 'main'));
  return {
    ...(configPath !== undefined ? { configPath } : {}),
    ...(environmentName !== undefined ? { environmentName } : {}),
    ...(inlineMain !== undefined ? { inlineMain } : {}),
    auxiliaryConfigPaths,
    line: call.loc?.start.line ?? 1,
  };
}

/** Reads a Vite config's text; never throws (a config that does not parse gives nothing). */
export function readViteConfig(text: string, file: string): ViteConfig {
  const dir = path.dirname(file);
  const config: ViteConfig = { file, dir, aliases: [], environmentOutDirs: {} };
  let program: Node;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    program = parse(text, { sourceType: 'unambiguous', plugins: /\.[cm]?ts$/.test(file) ? ['typescript'] : [], errorRecovery: true }).program;
  } catch {
    return config;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (program.type !== 'Program') return config;
  const constants = new Map<string, Node>();
  const pluginNames = new Set<string>();
  let exported: Node | undefined;
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration' && statement.source.value === '@cloudflare/vite-plugin') {
      for (const spec of statement.specifiers) {
        if (spec.type === 'ImportSpecifier' && (spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value) === 'cloudflare') pluginNames.add(spec.local.name);
      }
    }
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type === 'VariableDeclaration') {
      for (const d of declaration.declarations) if (d.id.type === 'Identifier' && d.init) constants.set(d.id.name, d.init);
    }
    if (statement.type === 'ExportDefaultDeclaration') exported = statement.declaration as Node;
    // module.exports = defineConfig({...})
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression' && isMember(statement.expression.left, 'module', 'exports')) exported = statement.expression.right;
  }
  const root = exported ? objectOf(exported, constants) : undefined;
  config.aliases = aliasesOf(property(property(root, 'resolve'), 'alias'), dir, constants);
  const outDir = property(property(root, 'build'), 'outDir');
  if (outDir?.type === 'StringLiteral') config.outDir = outDir.value;
  const environments = property(root, 'environments');
  if (environments?.type === 'ObjectExpression') {
    for (const p of environments.properties) {
      if (p.type !== 'ObjectProperty') continue;
      const name = keyName(p.key, p.computed);
      const envOut = property(property(unwrap(p.value as Node), 'build'), 'outDir');
      if (name !== undefined && envOut?.type === 'StringLiteral') config.environmentOutDirs[name] = envOut.value;
    }
  }
  if (pluginNames.size > 0) {
    // The plugin call may sit anywhere (a plugins array built elsewhere): walk the program once.
    const stack: Node[] = [program];
    while (stack.length > 0 && !config.cloudflare) {
      const node = stack.pop()!;
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && pluginNames.has(node.callee.name)) {
        config.cloudflare = cloudflareOptions(node, constants);
        break;
      }
      for (const key of Object.keys(node) as (keyof Node)[]) {
        if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments') continue;
        const value = node[key] as unknown;
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--) if (value[i] && typeof value[i].type === 'string') stack.push(value[i] as Node);
        } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') stack.push(value as Node);
      }
    }
  }
  return config;
}

/** The specifier after the first alias that matches it, or undefined. */
export function applyAlias(aliases: readonly ViteAlias[], specifier: string): { replaced: string; find: string } | undefined {
  for (const alias of aliases) {
    if (typeof alias.find === 'string') {
      const prefix = alias.find.endsWith('/') ? alias.find : `${alias.find}/`;
      if (specifier === alias.find || specifier.startsWith(prefix)) return { replaced: alias.replacement + specifier.slice(alias.find.length), find: alias.find };
    } else {
      alias.find.lastIndex = 0;
      if (alias.find.test(specifier)) {
        alias.find.lastIndex = 0;
        return { replaced: specifier.replace(alias.find, alias.replacement), find: String(alias.find) };
      }
    }
  }
  return undefined;
}
