/**
 * Ways a Worker's env reaches code in a form the readers do not follow. Each is an opaque access
 * (dead-binding then says in a note why it makes no claim; unused-var stays quiet), because a
 * binding read there would otherwise be reported dead: both were false errors on public
 * repositories.
 */
import type { OpaqueAccess } from '../model.js';
import type { ImportRef } from './module-facts.js';

/**
 * Routers that hand env to each route handler as a positional argument (itty-router:
 * `router.get("/", (request, { CACHE }) => …)`, `export default { fetch: router.handle }`), which
 * no `env.X` or handed-on call in the code shows.
 */
const POSITIONAL_ENV_ROUTER = /^itty-router(?:-[a-z]+)?(?:\/|$)/;

export function routerAccesses(file: string, imports: readonly ImportRef[]): OpaqueAccess[] {
  return imports.filter((imp) => POSITIONAL_ENV_ROUTER.test(imp.specifier)).map((imp) => ({
    reason: `${imp.specifier} hands env to its route handlers as an argument, which deploy-guard does not follow`,
    at: { file, line: imp.line, column: imp.column },
  }));
}

/**
 * An entry that exports nothing (wrangler's `guessWorkerFormat`) and listens for events
 * (`addEventListener("fetch", …)`, there or in a module it imports) is a service-worker Worker:
 * its bindings are globals (`CACHE.get(…)`, `__STATIC_CONTENT` of `[site]`), never `env.X`.
 */
export function serviceWorkerAccess(main: string, mainExports: readonly string[], listens: boolean): OpaqueAccess | undefined {
  if (mainExports.length > 0 || !listens) return undefined;
  return { reason: `${main} exports nothing, so it is a service-worker Worker whose bindings are globals, which deploy-guard does not follow`, at: { file: main, line: 1, column: 1 } };
}
