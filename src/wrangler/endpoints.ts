/**
 * Where a deployed Worker environment answers requests: its routes, custom domains and
 * workers.dev host, exactly as `wrangler deploy [--env NAME]` sets them up. Read from wrangler 4's
 * own code (workers-sdk `packages/workers-utils/src/config/validation.ts`, checked in the wrangler
 * 4.164.0 bundle):
 *
 * - `route` and `routes` are inherited separately (`normalizeAndValidateRoute`, `validateRoutes`
 *   both use `inheritable`), and a deploy uses `config.routes ?? (config.route ? [config.route] : [])`
 *   (`deploy.ts`, `triggers/deploy.ts`). So an `[env.NAME]` that sets only `route` still deploys the
 *   top level's `routes` when the top level has them: wrangler does not notice, we warn.
 * - `route = ""` is ignored with a warning (`mutateEmptyStringRouteValue`); `route` and `routes` in
 *   one table is an error (`isMutuallyExclusiveWith`).
 * - A route is a non-empty string, or `{ pattern, zone_id | zone_name | custom_domain, enabled,
 *   previews_enabled }` with nothing else and not both zone keys (`isValidRouteValue`).
 *   `custom_domain = true` makes the pattern a hostname the Worker owns; `enabled = false` on it
 *   serves previews only, not production (`formatNoActivePreviewUrlsMessage`).
 * - `workers_dev` is inherited; unset, it is on exactly when the deploy has no routes
 *   (`getSubdomainValues`: `defaultWorkersDev = routes.length === 0`).
 */
import type { Endpoint, Location } from '../model.js';
import type { KeyPath } from '../read/document.js';
import { type Context, type Table, isTable, keyLabel, locationOf, report, sectionLabel, typeName } from './context.js';

type Setting = { value: unknown; path: KeyPath };

/**
 * The env's own value of `key`, else the top level's (wrangler's `inheritable`). `route = ""` counts
 * as unset at either level, as `mutateEmptyStringRouteValue` makes it before inheriting.
 */
function inherited(data: Table, env: Table, prefix: KeyPath, key: string): Setting | undefined {
  const set = (value: unknown) => value !== undefined && !(key === 'route' && value === '');
  if (prefix.length > 0 && set(env[key])) return { value: env[key], path: [...prefix, key] };
  return set(data[key]) ? { value: data[key], path: [key] } : undefined;
}

/** wrangler's `isValidRouteValue`. */
function isValidRoute(item: unknown): boolean {
  if (typeof item === 'string') return item !== '';
  if (!isTable(item) || typeof item.pattern !== 'string') return false;
  const has = (key: string, type: 'string' | 'boolean') => key in item && typeof item[key] === type;
  const recognised = [has('zone_id', 'string'), has('zone_name', 'string'), has('custom_domain', 'boolean'), has('enabled', 'boolean'), has('previews_enabled', 'boolean')];
  if (recognised.filter(Boolean).length !== Object.keys(item).length - 1) return false;
  if (recognised[0] && recognised[1]) return false;
  if ((recognised[3] || recognised[4]) && !recognised[2]) return false;
  return Boolean(recognised[0] || recognised[1] || recognised[2]);
}

const ROUTE_SHAPE = 'a pattern string or a table { pattern, zone_name | zone_id | custom_domain }';

/** One route entry as an endpoint, or nothing (a preview-only custom domain, or a bad entry, reported). */
function endpointOf(ctx: Context, item: unknown, path: KeyPath, reportProblems: boolean): Endpoint | undefined {
  if (!isValidRoute(item)) {
    if (reportProblems) report(ctx, path, `${keyLabel(path)} must be ${ROUTE_SHAPE}, not ${typeName(item)}: wrangler refuses this config.`);
    return undefined;
  }
  const at: Location = locationOf(ctx, typeof item === 'string' ? path : [...path, 'pattern']);
  if (typeof item === 'string') return { kind: 'route', pattern: item, at };
  const route = item as { pattern: string; custom_domain?: boolean; enabled?: boolean };
  if (route.custom_domain !== true) return { kind: 'route', pattern: route.pattern, at };
  return route.enabled === false ? undefined : { kind: 'custom-domain', host: route.pattern, at };
}

/**
 * The endpoints of one environment. `prefix` is `[]` for the top level and `['env', NAME]` for an
 * environment; problems in an inherited top-level value are reported once, when the top level
 * itself is resolved (`prefix` empty).
 */
export function resolveEndpoints(ctx: Context, data: Table, env: Table, prefix: KeyPath, scriptName: string): Endpoint[] {
  const isTop = prefix.length === 0;
  const own = isTop ? data : env;
  if (own.route === '') {
    report(ctx, [...prefix, 'route'], `${keyLabel([...prefix, 'route'])} is an empty string: wrangler ignores it (and warns).`, 'warning');
  }
  if (own.route !== undefined && own.route !== '' && own.routes !== undefined) {
    report(ctx, [...prefix, 'routes'], `${sectionLabel(prefix)} sets both route and routes: wrangler refuses this config (use one of them).`);
  }
  const routes = inherited(data, env, prefix, 'routes');
  const route = inherited(data, env, prefix, 'route');
  if (!isTop && env.route !== undefined && env.route !== '' && env.routes === undefined && routes) {
    report(ctx, [...prefix, 'route'], `${sectionLabel(prefix)} sets route, but inherits routes from the top level, and wrangler deploys routes when both exist: this route is not deployed. Set routes in ${sectionLabel(prefix)} instead (routes = [] to drop the inherited ones).`, 'warning');
  }
  const endpoints: Endpoint[] = [];
  let count = 0;
  // Problems in a value are reported where it is written: an inherited one was reported with the top level.
  const ownsProblems = (s: Setting) => isTop || s.path[0] === 'env';
  if (routes) {
    if (Array.isArray(routes.value)) {
      count = routes.value.length;
      routes.value.forEach((item: unknown, i) => {
        const endpoint = endpointOf(ctx, item, [...routes.path, i], ownsProblems(routes));
        if (endpoint) endpoints.push(endpoint);
      });
    } else {
      // A single route where a list belongs still says where the author meant the Worker to answer.
      if (ownsProblems(routes)) report(ctx, routes.path, `${keyLabel(routes.path)} must be an array of routes, not ${typeName(routes.value)}: wrangler refuses this config.`);
      count = 1;
      const endpoint = isValidRoute(routes.value) ? endpointOf(ctx, routes.value, routes.path, false) : undefined;
      if (endpoint) endpoints.push(endpoint);
    }
  } else if (route) {
    count = 1;
    const endpoint = endpointOf(ctx, route.value, route.path, ownsProblems(route));
    if (endpoint) endpoints.push(endpoint);
  }
  const workersDev = inherited(data, env, prefix, 'workers_dev');
  if (workersDev && typeof workersDev.value !== 'boolean' && ownsProblems(workersDev)) {
    report(ctx, workersDev.path, `${keyLabel(workersDev.path)} must be true or false, not ${typeName(workersDev.value)}: wrangler refuses this config.`);
  }
  const onWorkersDev = typeof workersDev?.value === 'boolean' ? workersDev.value : count === 0;
  if (onWorkersDev) endpoints.push({ kind: 'workers-dev', scriptName });
  return endpoints;
}
