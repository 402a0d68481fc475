/**
 * Where each environment answers requests, as wrangler 4 deploys it (src/wrangler/endpoints.ts
 * cites the wrangler code): routes and custom domains with their lines, workers.dev by default
 * only without routes, route/routes inherited separately.
 */
import { describe, expect, it } from '@jest/globals';
import type { Endpoint, WorkerEnvironment } from '../../src/model.js';
import { readJsonc } from '../../src/read/jsonc.js';
import { readToml } from '../../src/read/toml.js';
import { resolveWorkerConfig } from '../../src/wrangler/environments.js';

function resolve(text: string, file = 'api/wrangler.toml') {
  const read = file.endsWith('.toml') ? readToml(text, file) : readJsonc(text, file, 'jsonc');
  if (!read.ok) throw new Error(read.error.message);
  return resolveWorkerConfig(read.doc, { configFile: file });
}

/** Endpoints without locations, per environment name, for compact expectations. */
function plain(envs: WorkerEnvironment[]): Record<string, string[]> {
  const show = (e: Endpoint) => (e.kind === 'route' ? `route ${e.pattern}` : e.kind === 'custom-domain' ? `domain ${e.host}` : e.kind === 'workers-dev' ? `workers.dev ${e.scriptName}` : `pages.dev ${e.project}`);
  return Object.fromEntries(envs.map((e) => [e.name ?? 'top', (e.endpoints ?? []).map(show)]));
}

describe('endpoints', () => {
  it('is workers.dev alone without routes, and routes alone once there are any (workers_dev defaults to routes.length === 0)', () => {
    const { environments, problems } = resolve(`name = "api"
main = "src/index.ts"
routes = [
  "api.example.com/*",
  { pattern = "shop.example.com/api/*", zone_name = "example.com" },
  { pattern = "api.example.org", custom_domain = true },
]
[env.staging]
routes = []
[env.eu]
route = { pattern = "eu.example.com/*", zone_id = "abc" }
routes = ["x.example.com/*"]
`);
    expect(plain(environments)).toEqual({
      top: ['route api.example.com/*', 'route shop.example.com/api/*', 'domain api.example.org'],
      eu: ['route x.example.com/*'],
      staging: ['workers.dev api-staging'],
    });
    // route and routes in one table: wrangler refuses it ("Expected exactly one of the following fields").
    expect(problems).toEqual([expect.objectContaining({ line: 12, message: expect.stringMatching(/\[env\.eu\] sets both route and routes: wrangler refuses/) })]);
    expect(problems[0]!.severity).toBeUndefined();
  });

  it('points each route at its own line, inherited ones at the top level', () => {
    const { environments } = resolve('name = "api"\nroutes = [\n  "a.example.com/*",\n  { pattern = "b.example.com", custom_domain = true },\n]\n[env.prod]\nname = "api-prod"\n');
    const prod = environments.find((e) => e.name === 'prod')!;
    expect(prod.endpoints).toEqual([
      { kind: 'route', pattern: 'a.example.com/*', at: { file: 'api/wrangler.toml', line: 3, column: 3 } },
      { kind: 'custom-domain', host: 'b.example.com', at: expect.objectContaining({ line: 4 }) },
    ]);
  });

  it('honours workers_dev, inherited or the env\'s own, over the default', () => {
    const { environments } = resolve('name = "api"\nworkers_dev = false\n[env.a]\n[env.b]\nworkers_dev = true\nroute = "b.example.com/*"\n');
    expect(plain(environments)).toEqual({ top: [], a: [], b: ['route b.example.com/*', 'workers.dev api-b'] });
  });

  it('deploys the inherited routes, not an env\'s own route, and says so (wrangler uses routes ?? [route])', () => {
    const { environments, problems } = resolve('name = "api"\nroutes = ["api.example.com/*"]\n[env.staging]\nroute = "staging.example.com/*"\n');
    expect(plain(environments).staging).toEqual(['route api.example.com/*']);
    expect(problems).toEqual([{ line: 4, column: 1, severity: 'warning', message: expect.stringMatching(/\[env\.staging\] sets route, but inherits routes from the top level.*this route is not deployed/) }]);
  });

  it('ignores route = "" (wrangler warns) and inherits the top level\'s route instead', () => {
    const { environments, problems } = resolve('name = "api"\nroute = "api.example.com/*"\n[env.x]\nroute = ""\n');
    expect(plain(environments)).toEqual({ top: ['route api.example.com/*'], x: ['route api.example.com/*'] });
    expect(problems).toEqual([expect.objectContaining({ line: 4, severity: 'warning', message: expect.stringMatching(/empty string: wrangler ignores it/) })]);
  });

  it('leaves out a custom domain with enabled = false: it serves previews only', () => {
    const { environments } = resolve('name = "api"\nroutes = [{ pattern = "api.example.com", custom_domain = true, enabled = false, previews_enabled = true }]\n');
    expect(plain(environments).top).toEqual([]);
  });

  it.each([
    ['routes = ["", "a.example.com/*"]', 'routes[0]', ['route a.example.com/*']],
    ['routes = [{ pattern = "a.example.com/*" }]', 'routes[0]', []],
    ['routes = [{ pattern = "a.example.com/*", zone_id = "1", zone_name = "a.com" }]', 'routes[0]', []],
    ['routes = [{ pattern = "a.example.com/*", zone_name = "a.com", enabled = true }]', 'routes[0]', []],
    ['routes = [{ pattern = "a.example.com/*", zone_name = "a.com", extra = 1 }]', 'routes[0]', []],
    ['routes = [5]', 'routes[0]', []],
    ['routes = "a.example.com/*"', 'routes', ['route a.example.com/*']],
    ['workers_dev = "yes"', 'workers_dev', ['workers.dev api']],
  ])('reports %s as wrangler does (a refused config), without throwing', (line, key, endpoints) => {
    const { environments, problems } = resolve(`name = "api"\n${line}\n`);
    expect(plain(environments).top).toEqual(endpoints);
    expect(problems).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining(key) })]);
    expect(problems[0]!.severity).toBeUndefined();
  });

  it('reports a bad inherited value once, with the top level', () => {
    const { problems } = resolve('name = "api"\nroutes = [5]\n[env.a]\n[env.b]\n');
    expect(problems).toHaveLength(1);
  });

  it('gives no workers.dev host to a script without a name (the host is unknown and wrangler refuses to deploy it)', () => {
    const { environments, problems } = resolve('main = "src/index.ts"\n[env.x]\nname = ""\n', 'api/wrangler.toml');
    expect(plain(environments)).toEqual({ top: [], x: [] });
    expect(environments.map((e) => e.scriptName)).toEqual(['api', 'api-x']);
    expect(problems).toEqual([expect.objectContaining({ line: 3, severity: 'warning', message: expect.stringMatching(/env\.x\.name is empty.*wrangler deploy --env x refuses to run without --name/) })]);
  });

  it('reads JSONC routes the same way', () => {
    const { environments } = resolve('{ "name": "api", "route": { "pattern": "api.example.com", "custom_domain": true }, "env": { "dev": { "workers_dev": true, "routes": [] } } }', 'wrangler.jsonc');
    expect(plain(environments)).toEqual({ top: ['domain api.example.com'], dev: ['workers.dev api-dev'] });
  });
});
