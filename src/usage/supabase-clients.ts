/**
 * Where code creates a Supabase client, and what it hands to it (the strongest evidence of
 * a surface's project): `createClient(url, key)` from `@supabase/supabase-js`, `createBrowserClient` /
 * `createServerClient` from `@supabase/ssr`. Each argument is followed through string literals,
 * module-level constants and `a || b` / `a ?? b` fallbacks to either a literal or the env name the
 * code reads (`import.meta.env.X`, `process.env.X`, `env.X` / `c.env.X`, SvelteKit's
 * `$env/static/*` imports, `Deno.env.get("X")`). App builders hard-code the project this way in
 * `src/integrations/supabase/client.ts` with no env file at all, so this is often the only
 * evidence of a frontend's project.
 *
 * Pure: works on a parsed program; positions are 1-based.
 */
import type { Node } from '@babel/types';
import { pos, unwrap } from './ast.js';

export type ClientArgument =
  /** `constant`: the module-level constant the literal was written to, e.g. `SUPABASE_URL`. */
  | { kind: 'literal'; text: string; line: number; column: number; constant?: string }
  | { kind: 'env'; name: string; line: number; column: number };

export type SupabaseClientCall = {
  /** `createClient`, `createBrowserClient`, `createServerClient`. */
  callee: string;
  line: number;
  column: number;
  /** What the first argument can be (several with fallbacks: `import.meta.env.X || "https://…"`). */
  url: ClientArgument[];
  /** What the second argument can be. */
  key: ClientArgument[];
};

const CLIENT_FACTORIES: Record<string, readonly string[]> = {
  '@supabase/supabase-js': ['createClient'],
  '@supabase/ssr': ['createBrowserClient', 'createServerClient'],
  '@supabase/auth-helpers-nextjs': ['createClient'],
};

/** SvelteKit's static env modules: `import { PUBLIC_SUPABASE_URL } from '$env/static/public'`. */
const STATIC_ENV_MODULES = new Set(['$env/static/public', '$env/static/private']);

/** Constants are followed at most this deep (`const A = B; const B = "…"`), so a cycle ends. */
const MAX_CONSTANT_DEPTH = 8;

type Scope = {
  /** Local name → factory name, for named imports of the factories. */
  factories: Map<string, string>;
  /** Namespace imports of a Supabase package: `import * as supabase from '@supabase/supabase-js'`. */
  namespaces: Map<string, string>;
  /** Local name → env name, for `$env/static/*` imports. */
  staticEnv: Map<string, string>;
  /** Module-level `const NAME = <expression>`. */
  constants: Map<string, Node>;
};

function importedName(spec: Node): string | undefined {
  if (spec.type !== 'ImportSpecifier') return undefined;
  return spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
}

function memberName(node: Node): string | undefined {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'StringLiteral') return node.property.value;
  return undefined;
}

/** `import.meta.env`, `process.env`, `env`, `c.env`, `context.cloudflare.env`, `platform.env`. */
function isEnvObject(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === 'Identifier') return n.name === 'env';
  return memberName(n) === 'env';
}

function collectScope(program: Node): Scope {
  const scope: Scope = { factories: new Map(), namespaces: new Map(), staticEnv: new Map(), constants: new Map() };
  if (program.type !== 'Program') return scope;
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      const source = statement.source.value;
      const factories = CLIENT_FACTORIES[source];
      for (const spec of statement.specifiers) {
        if (factories && spec.type === 'ImportNamespaceSpecifier') scope.namespaces.set(spec.local.name, source);
        const imported = importedName(spec);
        if (imported === undefined) continue;
        if (factories?.includes(imported)) scope.factories.set(spec.local.name, imported);
        if (STATIC_ENV_MODULES.has(source)) scope.staticEnv.set(spec.local.name, imported);
      }
      continue;
    }
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') continue;
    for (const d of declaration.declarations) if (d.id.type === 'Identifier' && d.init) scope.constants.set(d.id.name, d.init);
  }
  return scope;
}

/** What an argument expression can evaluate to, as far as literals, constants and env reads tell. */
function argumentValues(expression: Node, scope: Scope, depth = 0): ClientArgument[] {
  const node = unwrap(expression);
  const at = pos(node);
  switch (node.type) {
    case 'StringLiteral':
      return [{ kind: 'literal', text: node.value, ...at }];
    case 'TemplateLiteral':
      return node.expressions.length === 0 ? [{ kind: 'literal', text: node.quasis[0]?.value.cooked ?? '', ...at }] : [];
    case 'Identifier': {
      const envName = scope.staticEnv.get(node.name);
      if (envName !== undefined) return [{ kind: 'env', name: envName, ...at }];
      const init = scope.constants.get(node.name);
      if (!init || depth >= MAX_CONSTANT_DEPTH) return [];
      return argumentValues(init, scope, depth + 1).map((v) => (v.kind === 'literal' && v.constant === undefined ? { ...v, constant: node.name } : v));
    }
    case 'LogicalExpression':
      return node.operator === '&&' ? [] : [...argumentValues(node.left, scope, depth + 1), ...argumentValues(node.right, scope, depth + 1)];
    case 'MemberExpression':
    case 'OptionalMemberExpression': {
      const name = memberName(node);
      return name !== undefined && isEnvObject(node.object) ? [{ kind: 'env', name, ...at }] : [];
    }
    case 'CallExpression': {
      // Deno.env.get("X") (Supabase Edge Functions share code with Workers now and then).
      const callee = unwrap(node.callee);
      const first = node.arguments[0];
      if (memberName(callee) === 'get' && (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && isEnvObject(callee.object) && first?.type === 'StringLiteral') {
        return [{ kind: 'env', name: first.value, ...at }];
      }
      return [];
    }
    default:
      return [];
  }
}

function factoryOf(callee: Node, scope: Scope): string | undefined {
  const node = unwrap(callee);
  if (node.type === 'Identifier') return scope.factories.get(node.name);
  if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && unwrap(node.object).type === 'Identifier') {
    const source = scope.namespaces.get((unwrap(node.object) as { name: string }).name);
    const name = memberName(node);
    if (source && name && CLIENT_FACTORIES[source]?.includes(name)) return name;
  }
  return undefined;
}

export type ClientFinder = {
  /** Call for every node the module walk visits; collects the Supabase client calls. */
  visit(node: Node): void;
  calls: SupabaseClientCall[];
};

/**
 * A visitor the module walk feeds, so finding clients costs no walk of its own. Returns undefined
 * when the module imports no Supabase client factory (most modules): nothing to visit then.
 */
export function supabaseClientFinder(program: Node): ClientFinder | undefined {
  const scope = collectScope(program);
  if (scope.factories.size === 0 && scope.namespaces.size === 0) return undefined;
  const calls: SupabaseClientCall[] = [];
  return {
    calls,
    visit(node: Node) {
      if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
      const callee = factoryOf(node.callee, scope);
      if (!callee) return;
      const [url, key] = node.arguments;
      calls.push({
        callee,
        ...pos(node),
        url: url && url.type !== 'SpreadElement' && url.type !== 'ArgumentPlaceholder' ? argumentValues(url as Node, scope) : [],
        key: key && key.type !== 'SpreadElement' && key.type !== 'ArgumentPlaceholder' ? argumentValues(key as Node, scope) : [],
      });
    },
  };
}
