/**
 * Which frontend talks to which Worker, and which of their environments must agree on the
 * Supabase project. Evidence of calls first, then proximity, then names alone:
 *
 * 1. **Calls.** A frontend mode's API base (`VITE_API_URL=https://api.example.com`) naming a
 *    Worker environment's route, custom domain or workers.dev host pairs that mode with exactly
 *    that environment. A URL literal in the frontend's code ties the frontend to the Worker (every
 *    mode shares it, so environments then pair by name). A Pages project's own Functions belong to
 *    the frontend in its folder. A service binding from a Worker the frontend calls pairs the
 *    frontend with the bound Worker too.
 * 2. **Proximity.** The one Worker a browser can call (answersBrowsers) in the frontend's own
 *    package, or in a folder inside it with no nearer frontend, when no frontend calls it by URL
 *    and nothing stronger ties the frontend. Two candidates prove nothing.
 * 3. **Assumed.** A frontend tied to nothing is paired by environment name with the Workers a
 *    browser can call that no frontend is tied to. Such a pair is `assumed`: the rules say so, and where the repository has
 *    several frontends and several Workers a disagreement is only a warning.
 *
 * Within a tie, environments pair by name (production↔production, development↔`wrangler dev`, a
 * top level without [env.production] deploys production). A config file's `pairs` replace all of
 * this. Pure.
 */
import path from 'node:path/posix';
import type { CodeUsage, Endpoint, Pair, PairLink, Surface, SurfaceCall, WorkerConfig, WorkerEnvironment } from './model.js';
import { workerSurfaceEnvironment } from './environment-names.js';
import { compareText } from './compare-text.js';
import { serviceTargets, workerCallerPairs } from './service-bindings.js';

/** One rule from the config file: frontend mode `frontend` talks to Worker environment `worker`. */
export type PairingRule = {
  /** The frontend mode, e.g. "production". */
  frontend: string;
  /** The Worker environment: an `[env.NAME]` name, "top-level", or "local" (`wrangler dev`). */
  worker: string;
  /** Label for the pair; defaults to the frontend mode. */
  environment?: string;
  /** Restrict to a frontend directory / Worker config (repo-relative). */
  frontendPath?: string;
  workerPath?: string;
};

const LINK_STRENGTH: Record<PairLink['kind'], number> = { config: 0, 'api-url': 1, 'pages-functions': 2, 'service-binding': 3, 'same-package': 4, assumed: 5 };

function dirOf(file: string): string {
  const dir = path.dirname(file);
  return dir === '' ? '.' : dir;
}

function folderName(dir: string): string {
  return dir === '.' ? 'the repository root' : dir;
}

function isInside(dir: string, ancestor: string): boolean {
  return ancestor === '.' ? dir !== '.' : dir.startsWith(`${ancestor}/`);
}

function describeEnvironment(env: WorkerEnvironment): string {
  return env.name === null ? 'its top level' : `[env.${env.name}]`;
}

/** A zone route's host part: `*.example.com/api/*` → `*.example.com`. */
function routeHost(pattern: string): string {
  const withoutScheme = pattern.replace(/^[a-z]+:\/\//i, '');
  return withoutScheme.split('/')[0]!.split(':')[0]!.toLowerCase();
}

/** Whether a request to `host` reaches this endpoint (paths are not compared: the host decides the Worker). */
export function endpointMatches(endpoint: Endpoint, host: string): boolean {
  switch (endpoint.kind) {
    case 'custom-domain':
      return endpoint.host.toLowerCase() === host;
    case 'route': {
      const pattern = routeHost(endpoint.pattern);
      if (pattern === host) return true;
      // `*example.com` matches example.com and its subdomains; `*.example.com` only subdomains.
      if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
      if (pattern.startsWith('*')) return host === pattern.slice(1) || host.endsWith(`.${pattern.slice(1)}`);
      return false;
    }
    case 'workers-dev':
      return host.endsWith('.workers.dev') && host.split('.')[0] === endpoint.scriptName.toLowerCase();
    case 'pages-dev': {
      const project = endpoint.project.toLowerCase();
      return host === `${project}.pages.dev` || host.endsWith(`.${project}.pages.dev`);
    }
  }
}

function describeEndpoint(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'custom-domain': return `the custom domain ${endpoint.host}`;
    case 'route': return `the route ${endpoint.pattern}`;
    case 'workers-dev': return `the workers.dev host of ${endpoint.scriptName}`;
    case 'pages-dev': return `the pages.dev host of ${endpoint.project}`;
  }
}

type Tie = { frontend: string; config: string; link: PairLink };
/** A frontend mode whose own API base names one Worker environment. */
type ExactPair = { frontend: Surface; worker: { path: string; environment: string }; link: PairLink };

/** Which deployed Worker environments a host reaches. */
function environmentsReached(call: SurfaceCall, workers: readonly WorkerConfig[]): { worker: WorkerConfig; env: WorkerEnvironment; endpoint: Endpoint }[] {
  const reached: { worker: WorkerConfig; env: WorkerEnvironment; endpoint: Endpoint }[] = [];
  for (const worker of workers) {
    for (const env of worker.environments) {
      if (env.dev) continue;
      const endpoint = env.endpoints?.find((e) => endpointMatches(e, call.host));
      if (endpoint) reached.push({ worker, env, endpoint });
    }
  }
  return reached;
}

function callLink(call: SurfaceCall, worker: WorkerConfig, env: WorkerEnvironment, endpoint: Endpoint): PairLink {
  const via = call.fromCode ? `a URL in code (${call.at.file}:${call.at.line})` : `${call.via} (${call.at.file}:${call.at.line})`;
  return { kind: 'api-url', detail: `${via} names ${call.host}, ${describeEndpoint(endpoint)} of ${worker.config} ${describeEnvironment(env)}`, at: call.at };
}

/** Ties by evidence of calls (API URLs, Pages Functions), strongest link per frontend folder and Worker config. */
function tiesByCalls(frontends: readonly Surface[], workers: readonly WorkerConfig[]): { ties: Map<string, Tie>; exact: ExactPair[] } {
  const ties = new Map<string, Tie>();
  const tie = (frontend: string, config: string, link: PairLink) => {
    const key = `${frontend}\0${config}`;
    const prior = ties.get(key);
    if (!prior || LINK_STRENGTH[link.kind] < LINK_STRENGTH[prior.link.kind]) ties.set(key, { frontend, config, link });
  };
  const exact: ExactPair[] = [];
  for (const f of frontends) {
    for (const call of f.calls ?? []) {
      for (const { worker, env, endpoint } of environmentsReached(call, workers)) {
        const link = callLink(call, worker, env, endpoint);
        tie(f.path, worker.config, link);
        // A mode's own setting names the very environment it calls; a literal in code is shared by all modes.
        if (!call.fromCode) exact.push({ frontend: f, worker: { path: worker.config, environment: workerSurfaceEnvironment(env) }, link });
      }
    }
  }
  const frontendDirs = [...new Set(frontends.map((f) => f.path))];
  for (const worker of workers) {
    if (!worker.environments.some((e) => e.pages)) continue;
    const owner = nearestFrontend(dirOf(worker.config), frontendDirs);
    if (owner !== undefined) tie(owner, worker.config, { kind: 'pages-functions', detail: `${worker.config} is the Pages project that serves the frontend in ${folderName(owner)} and its Functions` });
  }
  return { ties, exact };
}

/** The frontend folder that is `dir` or the nearest above it. */
function nearestFrontend(dir: string, frontendDirs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const f of frontendDirs) if ((f === dir || isInside(dir, f)) && (best === undefined || f.length > best.length)) best = f;
  return best;
}

/**
 * Whether a browser could call this Worker: a deployed environment that answers HTTP (a Pages
 * project, an assets-only Worker, or a main whose default export has a `fetch` handler or cannot
 * be told apart) and is reachable (a route, a custom domain or workers.dev). A cron producer
 * (`export default { scheduled }`), a queue consumer or a tail Worker is none, nor a Worker with
 * `workers_dev = false` and no route: frontends call them through nothing.
 */
function answersBrowsers(worker: WorkerConfig, usage: Readonly<Record<string, CodeUsage>>): boolean {
  return worker.environments.some((env) => {
    if (env.dev) return false;
    if (env.endpoints !== undefined && env.endpoints.length === 0) return false;
    if (env.pages || !env.main) return true;
    const handlers = usage[env.main]?.handlers;
    return handlers === undefined || handlers.includes('fetch');
  });
}

/** The pairs between frontend and Worker surfaces that exist in this repository. */
export function pairSurfaces(surfaces: readonly Surface[], workers: readonly WorkerConfig[], rules?: readonly PairingRule[], usage: Readonly<Record<string, CodeUsage>> = {}): Pair[] {
  const frontends = surfaces.filter((s) => s.kind === 'frontend');
  const workerSurfaces = surfaces.filter((s) => s.kind === 'worker');
  const pairs = new Map<string, Pair>();
  const add = (pair: Pair) => {
    const key = `${pair.frontend.path}\0${pair.frontend.environment}\0${pair.worker.path}\0${pair.worker.environment}`;
    if (!pairs.has(key)) pairs.set(key, pair);
  };

  if (rules && rules.length > 0) {
    for (const rule of rules) {
      for (const f of frontends) {
        if (f.environment !== rule.frontend || (rule.frontendPath && f.path !== rule.frontendPath)) continue;
        for (const w of workerSurfaces) {
          if (w.environment !== rule.worker || (rule.workerPath && w.path !== rule.workerPath)) continue;
          add({ environment: rule.environment ?? rule.frontend, frontend: side(f), worker: side(w), reason: 'config', link: { kind: 'config', detail: 'stated in the config file' } });
        }
      }
    }
    return sortPairs([...pairs.values()]);
  }

  const { ties, exact } = tiesByCalls(frontends, workers);
  // Exact pairs from a mode's API base come first: within that tie, that mode pairs with nothing else.
  const exactModes = new Set<string>();
  for (const e of exact) {
    exactModes.add(`${e.frontend.path}\0${e.frontend.environment}\0${e.worker.path}`);
    add({ environment: e.frontend.environment, frontend: side(e.frontend), worker: e.worker, reason: 'api-url', link: e.link });
  }

  const frontendDirs = [...new Set(frontends.map((f) => f.path))].sort();
  const tiedConfigs = new Set([...ties.values()].map((t) => t.config));
  const callable = workers.filter((w) => answersBrowsers(w, usage));
  // Proximity: the one Worker a browser could call in a frontend's own package or below it, when no
  // frontend calls it by URL and nothing stronger ties the frontend. Two candidates are a guess.
  const candidates = new Map<string, WorkerConfig[]>();
  for (const worker of callable) {
    if (tiedConfigs.has(worker.config)) continue;
    const owner = nearestFrontend(dirOf(worker.config), frontendDirs);
    if (owner === undefined || [...ties.values()].some((t) => t.frontend === owner)) continue;
    candidates.set(owner, [...(candidates.get(owner) ?? []), worker]);
  }
  for (const [owner, [worker, ...others]] of candidates) {
    if (others.length > 0) continue;
    const where = dirOf(worker!.config) === owner ? `in the frontend's own folder (${folderName(owner)})` : `inside the frontend's folder (${folderName(owner)})`;
    ties.set(`${owner}\0${worker!.config}`, { frontend: owner, config: worker!.config, link: { kind: 'same-package', detail: `${worker!.config} sits ${where}, the only Worker there that answers HTTP requests` } });
  }
  const stillUntied = callable.filter((w) => ![...ties.values()].some((t) => t.config === w.config));
  for (const dir of frontendDirs) {
    if ([...ties.values()].some((t) => t.frontend === dir)) continue;
    for (const worker of stillUntied) {
      ties.set(`${dir}\0${worker.config}`, { frontend: dir, config: worker.config, link: { kind: 'assumed', detail: `nothing ties the frontend in ${folderName(dir)} to ${worker.config}; paired by environment names only` } });
    }
  }

  const topLevelIsProduction = new Set(workers.filter((w) => !w.environments.some((e) => e.name === 'production' && !e.dev)).map((w) => w.config));
  for (const t of [...ties.values()].sort((a, b) => compareText(a.frontend, b.frontend) || compareText(a.config, b.config))) {
    for (const f of frontends) {
      if (f.path !== t.frontend || exactModes.has(`${f.path}\0${f.environment}\0${t.config}`)) continue;
      for (const w of workerSurfaces) {
        if (w.path !== t.config) continue;
        const reason = nameReason(f.environment, w.environment, topLevelIsProduction.has(w.path));
        if (reason) add({ environment: reason === 'local-dev' ? 'local' : f.environment, frontend: side(f), worker: side(w), reason, link: t.link });
      }
    }
  }

  // A Worker the frontend calls may call another through a service binding: that one must agree too.
  const queue = [...pairs.values()];
  for (let pair = queue.shift(); pair !== undefined; pair = queue.shift()) {
    const worker = workers.find((w) => w.config === pair!.worker.path);
    const env = worker?.environments.find((e) => workerSurfaceEnvironment(e) === pair!.worker.environment);
    if (!worker || !env) continue;
    for (const target of serviceTargets(env, workers)) {
      const next: Pair = {
        environment: pair.environment,
        frontend: pair.frontend,
        worker: { path: target.worker.config, environment: workerSurfaceEnvironment(target.env) },
        reason: pair.reason,
        link: { kind: 'service-binding', detail: `${worker.config} ${describeEnvironment(env)}, which this frontend calls, binds ${target.binding} to ${target.env.scriptName} (${target.worker.config})` },
      };
      const key = `${next.frontend.path}\0${next.frontend.environment}\0${next.worker.path}\0${next.worker.environment}`;
      if (pairs.has(key)) continue;
      pairs.set(key, next);
      queue.push(next);
    }
  }
  for (const pair of workerCallerPairs(workers, workerSurfaces)) add(pair);
  return sortPairs([...pairs.values()]);
}

function nameReason(frontendMode: string, workerEnvironment: string, topLevelIsProduction: boolean): Pair['reason'] | undefined {
  if (workerEnvironment === frontendMode && workerEnvironment !== 'local') return 'same-name';
  if (workerEnvironment === 'local' && frontendMode === 'development') return 'local-dev';
  if (workerEnvironment === 'top-level' && frontendMode === 'production' && topLevelIsProduction) return 'top-level-as-production';
  return undefined;
}

function side(surface: Surface): { path: string; environment: string } {
  return { path: surface.path, environment: surface.environment };
}

function sortPairs(pairs: Pair[]): Pair[] {
  return pairs.sort((a, b) =>
    compareText(a.environment, b.environment) ||
    compareText(a.frontend.path, b.frontend.path) ||
    compareText(a.frontend.environment, b.frontend.environment) ||
    compareText(a.worker.path, b.worker.path) ||
    compareText(a.worker.environment, b.worker.environment));
}
