/** What main is: a package's module instead of a file, and which handlers its default export defines. */
import path from 'node:path';
import type { Location } from '../model.js';
import type { ModuleResolver } from './resolve.js';
import type { FactsOrError } from './facts-source.js';

/**
 * `main` as written, when it names a package's module rather than a file: `@tanstack/react-start/server-entry`
 * with @cloudflare/vite-plugin, which resolves `main` through Vite's resolver as an import (wrangler
 * alone resolves it as a path). A scoped name, or a bare `name/sub/path` with no file extension whose
 * first folder does not exist beside the config, is taken for a specifier; `src/index.ts` is a path.
 */
export function packageSpecifierMain(resolver: ModuleResolver, root: string, main: string, declaredAt: Location): string | undefined {
  const configDir = path.posix.dirname(declaredAt.file);
  const written = path.posix.relative(configDir === '.' ? '' : configDir, main.split(path.sep).join('/'));
  if (written.startsWith('.') || written.startsWith('/')) return undefined;
  if (/^@[\w.-]+\/[\w.-]+/.test(written)) return written;
  const [first, ...rest] = written.split('/');
  if (rest.length === 0 || path.posix.extname(written) !== '') return undefined;
  return resolver.files.listing(path.resolve(root, configDir, first!)) === null ? written : undefined;
}

/** The keys of main's `export default { … }` (its handlers: fetch, scheduled, queue…), sorted; undefined when unknown. */
export function handlersOf(facts: FactsOrError): string[] | undefined {
  return 'error' in facts || !facts.defaultKeys ? undefined : [...facts.defaultKeys].sort();
}
