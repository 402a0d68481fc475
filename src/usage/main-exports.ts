/** What a Worker's main exports, following `export *`: the classes its Durable Object and Workflow bindings name must be among them. */
import type { FactsOrError } from './facts-source.js';
import type { ModuleResolver } from './resolve.js';

/**
 * The names `file` exports (Durable Object and Workflow classes must be among main's), or null when
 * a module on the way was not read, or an `export *` leads into a package: they are then unknown.
 * Iterative over `export *` chains; a cycle ends because each file is expanded once.
 */
export function exportsOf(resolver: ModuleResolver, factsOf: (file: string) => FactsOrError, file: string): string[] | null {
  const names = new Set<string>();
  const seen = new Set<string>();
  const queue = [file];
  for (let current = queue.pop(); current !== undefined; current = queue.pop()) {
    if (seen.has(current)) continue;
    seen.add(current);
    const facts = factsOf(current);
    if ('error' in facts || facts.unparsed) return null;
    for (const name of facts.exports) if (current === file || name !== 'default') names.add(name);
    for (const spec of facts.exportStars) {
      const resolved = resolver.resolve(spec, current);
      if (resolved.kind !== 'file') return null;
      queue.push(resolved.file);
    }
  }
  return [...names].sort();
}
