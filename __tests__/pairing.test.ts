/**
 * Who talks to whom: which frontend is paired with which Worker environment, and why. Each case is
 * a small model; scenario fixtures cover the same shapes end to end.
 */
import { describe, expect, it } from '@jest/globals';
import type { Endpoint, Surface, WorkerConfig, WorkerEnvironment } from '../src/model.js';
import { endpointMatches, pairSurfaces } from '../src/pairing.js';

const at = (file: string, line = 1) => ({ file, line, column: 1 });

function frontend(path: string, environment: string, calls: { host: string; via?: string; fromCode?: boolean }[] = []): Surface {
  return {
    kind: 'frontend', path, environment, label: `frontend ${path} (vite, mode ${environment})`, name: path, sources: [], evidence: [],
    calls: calls.map((c) => ({ host: c.host, via: c.via ?? 'VITE_API_URL', at: at(`${path}/.env.${environment}`), fromCode: c.fromCode ?? false })),
  };
}

function env(config: string, name: string | null, options: { scriptName?: string; endpoints?: Endpoint[]; services?: string[]; dev?: boolean; pages?: boolean } = {}): WorkerEnvironment {
  return {
    config, name, dev: options.dev ?? false, scriptName: options.scriptName ?? name ?? 'w', compatibilityFlags: [],
    bindings: (options.services ?? []).map((service, i) => ({ name: `SVC${i}`, kind: 'service' as const, at: at(config), details: { service } })),
    vars: {}, secrets: [], at: at(config),
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.pages ? { pages: { outputDir: 'dist' } } : {}),
  };
}

function workerSurfaces(workers: WorkerConfig[]): Surface[] {
  return workers.flatMap((w) => w.environments.map((e) => ({
    kind: 'worker' as const, path: w.config, environment: e.dev ? 'local' : e.name ?? 'top-level', label: `worker ${e.scriptName}`, name: e.scriptName, sources: [], evidence: [],
  })));
}

function pairsOf(frontends: Surface[], workers: WorkerConfig[]) {
  return pairSurfaces([...frontends, ...workerSurfaces(workers)], workers).map((p) => `${p.frontend.path}:${p.frontend.environment} ↔ ${p.worker.path}:${p.worker.environment} [${p.link.kind}, ${p.reason}]`);
}

describe('endpoints a host reaches', () => {
  const route = (pattern: string): Endpoint => ({ kind: 'route', pattern, at: at('wrangler.toml') });
  it.each<[Endpoint, string, boolean]>([
    [{ kind: 'custom-domain', host: 'api.example.com', at: at('w') }, 'api.example.com', true],
    [{ kind: 'custom-domain', host: 'api.example.com', at: at('w') }, 'www.api.example.com', false],
    [route('api.example.com/*'), 'api.example.com', true],
    [route('example.com/api/*'), 'example.com', true],
    [route('*.example.com/*'), 'shop.example.com', true],
    [route('*.example.com/*'), 'example.com', false],
    [route('*example.com/*'), 'example.com', true],
    [route('*example.com/*'), 'a.example.com', true],
    [route('*example.com/*'), 'badexample.com', false],
    [route('https://api.example.com/v1/*'), 'api.example.com', true],
    [{ kind: 'workers-dev', scriptName: 'shop-api-staging' }, 'shop-api-staging.acme.workers.dev', true],
    [{ kind: 'workers-dev', scriptName: 'shop-api' }, 'shop-api-staging.acme.workers.dev', false],
    [{ kind: 'pages-dev', project: 'shop' }, 'shop.pages.dev', true],
    [{ kind: 'pages-dev', project: 'shop' }, 'preview-branch.shop.pages.dev', true],
    [{ kind: 'pages-dev', project: 'shop' }, 'myshop.pages.dev', false],
  ])('%j reached by %s: %s', (endpoint, host, expected) => {
    expect(endpointMatches(endpoint, host)).toBe(expected);
  });
});

describe('pairing by evidence', () => {
  const admin: WorkerConfig = {
    config: 'workers/admin-api/wrangler.toml',
    environments: [env('workers/admin-api/wrangler.toml', null, { scriptName: 'admin-api' }), env('workers/admin-api/wrangler.toml', 'production', { scriptName: 'admin-api-production', endpoints: [{ kind: 'custom-domain', host: 'admin-api.example.com', at: at('workers/admin-api/wrangler.toml', 6) }] })],
  };
  const shop: WorkerConfig = {
    config: 'workers/shop-api/wrangler.toml',
    environments: [env('workers/shop-api/wrangler.toml', null, { scriptName: 'shop-api' }), env('workers/shop-api/wrangler.toml', 'production', { scriptName: 'shop-api-production', endpoints: [{ kind: 'route', pattern: 'shop-api.example.com/*', at: at('workers/shop-api/wrangler.toml', 6) }] })],
  };

  it('pairs each frontend with the Worker its API URL names, never with the other product', () => {
    expect(pairsOf([
      frontend('apps/admin', 'production', [{ host: 'admin-api.example.com' }]),
      frontend('apps/shop', 'production', [{ host: 'shop-api.example.com' }]),
    ], [admin, shop])).toEqual([
      'apps/admin:production ↔ workers/admin-api/wrangler.toml:production [api-url, api-url]',
      'apps/shop:production ↔ workers/shop-api/wrangler.toml:production [api-url, api-url]',
    ]);
  });

  it('a URL in code ties the folders, and environments then pair by name', () => {
    const staged: WorkerConfig = { ...shop, environments: [...shop.environments, env(shop.config, 'staging', { scriptName: 'shop-api-staging' })] };
    expect(pairsOf([
      frontend('web', 'production', [{ host: 'shop-api.example.com', fromCode: true }]),
      frontend('web', 'staging', [{ host: 'shop-api.example.com', fromCode: true }]),
    ], [staged])).toEqual([
      'web:production ↔ workers/shop-api/wrangler.toml:production [api-url, same-name]',
      'web:staging ↔ workers/shop-api/wrangler.toml:staging [api-url, same-name]',
    ]);
  });

  it('falls back to names, marked assumed, only for frontends and Workers nothing ties', () => {
    const cron: WorkerConfig = { config: 'cron/wrangler.toml', environments: [env('cron/wrangler.toml', 'production')] };
    expect(pairsOf([
      frontend('apps/admin', 'production', [{ host: 'admin-api.example.com' }]),
      frontend('apps/blog', 'production'),
    ], [admin, cron])).toEqual([
      'apps/admin:production ↔ workers/admin-api/wrangler.toml:production [api-url, api-url]',
      'apps/blog:production ↔ cron/wrangler.toml:production [assumed, same-name]',
    ]);
  });

  it('a Worker in the frontend\'s own folder is paired by proximity; local development pairs with wrangler dev', () => {
    const worker: WorkerConfig = { config: 'app/wrangler.jsonc', environments: [env('app/wrangler.jsonc', null, { scriptName: 'app' }), env('app/wrangler.jsonc', null, { scriptName: 'app', dev: true })] };
    expect(pairsOf([frontend('app', 'production'), frontend('app', 'development')], [worker])).toEqual([
      'app:development ↔ app/wrangler.jsonc:local [same-package, local-dev]',
      'app:production ↔ app/wrangler.jsonc:top-level [same-package, top-level-as-production]',
    ]);
  });

  it('a Pages project belongs to the frontend in its folder', () => {
    const pages: WorkerConfig = { config: 'site/wrangler.toml', environments: [env('site/wrangler.toml', 'production', { pages: true }), env('site/wrangler.toml', 'preview', { pages: true })] };
    const other: WorkerConfig = { config: 'api/wrangler.toml', environments: [env('api/wrangler.toml', 'production')] };
    expect(pairsOf([frontend('site', 'production'), frontend('other', 'production')], [pages, other])).toEqual([
      'other:production ↔ api/wrangler.toml:production [assumed, same-name]',
      'site:production ↔ site/wrangler.toml:production [pages-functions, same-name]',
    ]);
  });

  it('follows a service binding from the Worker a frontend calls to the Worker it binds', () => {
    const gateway: WorkerConfig = { config: 'gateway/wrangler.toml', environments: [env('gateway/wrangler.toml', 'production', { scriptName: 'gateway-production', services: ['auth-production'], endpoints: [{ kind: 'custom-domain', host: 'api.example.com', at: at('gateway/wrangler.toml') }] })] };
    const auth: WorkerConfig = { config: 'auth/wrangler.toml', environments: [env('auth/wrangler.toml', 'production', { scriptName: 'auth-production' })] };
    expect(pairsOf([frontend('web', 'production', [{ host: 'api.example.com' }])], [gateway, auth])).toEqual([
      'web:production ↔ auth/wrangler.toml:production [service-binding, api-url]',
      'web:production ↔ gateway/wrangler.toml:production [api-url, api-url]',
    ]);
  });

  it('config pairs replace everything', () => {
    const surfaces = [frontend('web', 'prod', [{ host: 'admin-api.example.com' }]), ...workerSurfaces([admin])];
    const pairs = pairSurfaces(surfaces, [admin], [{ frontend: 'prod', worker: 'top-level' }]);
    expect(pairs.map((p) => [p.worker.environment, p.link.kind])).toEqual([['top-level', 'config']]);
  });
});
