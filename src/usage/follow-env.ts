/**
 * The graph half of param-flow.ts: starting from the calls that hand a module's env on, find the
 * function each call reaches (in the same module, or exported by a module the graph follows:
 * relative import, tsconfig path, workspace package, through `export … from` and `export *`), and
 * collect what its parameter reads, transitively. A call deploy-guard cannot follow (a package,
 * a function value, a computed callee) becomes an opaque access, never a silent loss: a binding
 * read only there must not be called dead.
 *
 * Each (module, function, parameter) is visited once per Worker; the per-parameter result itself
 * is memoised in the module's FlowIndex, so Workers sharing modules share the work.
 */
import type { ModuleFacts } from './module-facts.js';
import type { CalleeRef, EnvCall, EnvRead } from './param-flow.js';
import type { Resolution } from './resolve.js';

export type FollowDeps = {
  factsOf(file: string): ModuleFacts | { error: string };
  resolve(specifier: string, fromFile: string): Resolution;
  /** `file\0exportName` → the function it names; shared by all Workers of a run. */
  exportCache: Map<string, { file: string; fn: number } | null>;
};

export type Followed = {
  reads: (EnvRead & { file: string })[];
  opaque: { file: string; line: number; column: number; reason: string }[];
};

const MAX_EXPORT_HOPS = 16;

/** The function `name` exported by `file` (following re-exports), or null. */
function findExport(deps: FollowDeps, file: string, name: string, hops = 0, seen = new Set<string>()): { file: string; fn: number } | null {
  const key = `${file}\0${name}`;
  const cached = deps.exportCache.get(key);
  if (cached !== undefined) return cached;
  if (hops > MAX_EXPORT_HOPS || seen.has(key)) return null;
  seen.add(key);
  let result: { file: string; fn: number } | null = null;
  const facts = deps.factsOf(file);
  if (!('error' in facts)) {
    const target = facts.flow.exportTarget(name);
    if (target && 'fn' in target) result = { file, fn: target.fn };
    else if (target) {
      const resolved = deps.resolve(target.specifier, file);
      if (resolved.kind === 'file') result = findExport(deps, resolved.file, target.name, hops + 1, seen);
    } else if (!name.startsWith('default')) {
      for (const spec of facts.exportStars) {
        const resolved = deps.resolve(spec, file);
        if (resolved.kind !== 'file') continue;
        result = findExport(deps, resolved.file, name, hops + 1, seen);
        if (result) break;
      }
    }
  }
  deps.exportCache.set(key, result);
  return result;
}

type Target = { file: string; fn: number } | { reason: string } | undefined;

function targetOf(deps: FollowDeps, file: string, facts: ModuleFacts, callee: CalleeRef): Target {
  switch (callee.kind) {
    case 'local': {
      const fn = facts.flow.callables.get(callee.key);
      return fn === undefined ? undefined : { file, fn };
    }
    case 'unknown':
      return { reason: callee.computed
        ? `env escapes into ${callee.label}(), a computed callee deploy-guard cannot follow`
        : `env escapes into ${callee.label}(), a value deploy-guard cannot follow to a function` };
    case 'import': {
      const resolved = deps.resolve(callee.specifier, file);
      if (resolved.kind === 'file') {
        const found = findExport(deps, resolved.file, callee.name);
        if (found) return found;
        // A method of some exported object (a router's fetch) hands env to handlers whose reads are seen where they are written.
        return callee.member ? undefined : { reason: `env escapes into ${callee.label}() from "${callee.specifier}", which deploy-guard cannot follow to a function` };
      }
      if (resolved.kind === 'external' && !callee.specifier.startsWith('cloudflare:')) {
        return { reason: `env is handed to ${callee.label}() from the package "${callee.specifier}", which may read any binding` };
      }
      return undefined; // missing or outside: the import itself is already reported
    }
  }
}

export function followEnv(deps: FollowDeps, start: readonly { file: string; call: EnvCall }[], repoPath: (file: string) => string): Followed {
  const out: Followed = { reads: [], opaque: [] };
  const seen = new Set<string>();
  const queue = [...start];
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
    const facts = deps.factsOf(item.file);
    if ('error' in facts) continue;
    const target = targetOf(deps, item.file, facts, item.call.callee);
    if (!target) continue;
    if ('reason' in target) {
      out.opaque.push({ file: repoPath(item.file), line: item.call.line, column: item.call.column, reason: target.reason });
      continue;
    }
    const key = `${target.file}\0${target.fn}\0${item.call.argIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const targetFacts = target.file === item.file ? facts : deps.factsOf(target.file);
    if ('error' in targetFacts) continue;
    const flow = targetFacts.flow.flow(target.fn, item.call.argIndex);
    const rel = repoPath(target.file);
    for (const r of flow.reads) out.reads.push({ ...r, file: rel });
    for (const o of flow.opaque) out.opaque.push({ file: rel, line: o.line, column: o.column, reason: o.reason });
    for (const call of flow.calls) queue.push({ file: target.file, call });
  }
  return out;
}
