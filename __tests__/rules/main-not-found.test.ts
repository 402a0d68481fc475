import { describe, expect, it } from '@jest/globals';
import type { DeploymentModel, WorkerEnvironment } from '../../src/model.js';
import { buildOutputFolder, mainNotFound } from '../../src/rules/main-not-found.js';
import { ruleCases } from '../helpers/rule-cases.js';

describe('main-not-found on a repository', () => {
  ruleCases('main-not-found', [
    { name: 'fires: main names a file that is not there', files: { 'wrangler.toml': 'name = "api"\nmain = "src/indx.ts"\n', 'src/index.ts': 'export default {};\n' }, expected: ['warning wrangler.toml:2 [top-level] src/indx.ts'] },
    { name: 'a note: main is build output (dist/), built before deploy', files: { 'wrangler.toml': 'name = "api"\nmain = "dist/index.js"\n' }, expected: ['note wrangler.toml:2 [top-level] dist/index.js'] },
    { name: 'a note: the config lies in templates/, copied elsewhere before use (seen in a public repository)', files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'src/index.ts': 'export default {};\n', 'templates/wrangler.toml': 'name = "repo-name"\nmain = "src/index.ts"\n' }, expected: ['note templates/wrangler.toml:2 [top-level] templates/src/index.ts'] },
    { name: 'a note, not "deploy fails": main names a package module that @cloudflare/vite-plugin resolves', files: { 'web/wrangler.jsonc': '{ "name": "web", "main": "@tanstack/react-start/server-entry" }\n', 'web/package.json': '{ "dependencies": { "@tanstack/react-start": "1" } }\n' }, expected: ['note web/wrangler.jsonc:1 [top-level] @tanstack/react-start/server-entry'] },
    { name: 'a note: a bare package path with no extension and no such folder', files: { 'wrangler.toml': 'name = "api"\nmain = "some-framework/worker-entry"\n' }, expected: ['note wrangler.toml:2 [top-level] some-framework/worker-entry'] },
    { name: 'still a warning: a bare path whose folder exists, or a file path with an extension', files: { 'wrangler.toml': 'name = "api"\nmain = "src/indx"\n', 'src/index.ts': 'export default {};\n', 'b/wrangler.toml': 'name = "b"\nmain = "lib/entry.ts"\n' }, expected: ['warning b/wrangler.toml:2 [top-level] b/lib/entry.ts', 'warning wrangler.toml:2 [top-level] src/indx'] },
    { name: 'must not fire: main names a workspace package\'s module, followed to its source', files: { 'api/wrangler.toml': 'name = "api"\nmain = "@acme/server/entry"\n', 'packages/server/package.json': '{ "name": "@acme/server", "exports": { "./entry": "./src/entry.ts" } }\n', 'packages/server/src/entry.ts': 'export default { fetch: () => new Response("ok") };\n' }, expected: [] },
    { name: 'must not fire: main exists', files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'src/index.ts': 'export default { fetch: () => new Response("ok") };\n' }, expected: [] },
  ]);
});

function env(over: Partial<WorkerEnvironment>): WorkerEnvironment {
  return { config: 'api/wrangler.toml', name: null, dev: false, scriptName: 'api', compatibilityFlags: [], bindings: [], vars: {}, secrets: [], at: { file: 'api/wrangler.toml', line: 1, column: 1 }, ...over };
}

function model(environments: WorkerEnvironment[], usage: DeploymentModel['usage']): DeploymentModel {
  return { root: '/r', workers: [{ config: 'api/wrangler.toml', environments }], surfaces: [], pairs: [], envFiles: [], gitTracking: true, usage, problems: [], supabaseLinks: [] };
}

const at = (line: number) => ({ file: 'api/wrangler.toml', line, column: 1 });
const unread = (main: string, reason: 'missing' | 'outside' = 'missing') => ({ reads: [], opaque: [], modules: [], mainExports: [], mainNotFound: { main, at: at(2), reason } });

describe('main-not-found on a model', () => {
  it('warns once per place main is set, naming every environment that inherits it', () => {
    const findings = mainNotFound.check(model([
      env({ main: 'api/src/indx.ts', mainAt: at(2) }),
      env({ name: 'staging', scriptName: 'api-staging', main: 'api/src/indx.ts', mainAt: at(2) }),
      env({ name: 'local', dev: true, main: 'api/src/indx.ts', mainAt: at(2) }),
    ], { 'api/src/indx.ts': unread('api/src/indx.ts') }), { now: new Date() });
    expect(findings).toEqual([{
      severity: 'warning', file: 'api/wrangler.toml', line: 2, column: 1, subject: 'api/src/indx.ts',
      message: expect.stringMatching(/^main "api\/src\/indx\.ts" of worker api \(top level and \[env\.staging\] in api\/wrangler\.toml\) does not exist/),
    }]);
  });

  it('is a note for build output and for a main outside the repository, with the environment when only one uses it', () => {
    const findings = mainNotFound.check(model([
      env({ main: 'api/dist/index.js', mainAt: at(2) }),
      env({ name: 'edge', main: 'elsewhere/w.ts', mainAt: at(7) }),
    ], { 'api/dist/index.js': unread('api/dist/index.js'), 'elsewhere/w.ts': unread('elsewhere/w.ts', 'outside') }), { now: new Date() });
    expect(findings.map((f) => [f.severity, f.line, f.environment, f.message.match(/lies in dist\/|outside the repository/)?.[0]])).toEqual([
      ['note', 2, 'top-level', 'lies in dist/'],
      ['note', 7, 'edge', 'outside the repository'],
    ]);
  });

  it('says nothing when main was read, or when there is no main', () => {
    const read = { reads: [], opaque: [], modules: ['api/src/index.ts'], mainExports: ['default'] };
    expect(mainNotFound.check(model([env({ main: 'api/src/index.ts', mainAt: at(2) }), env({ name: 'assets' })], { 'api/src/index.ts': read }), { now: new Date() })).toEqual([]);
  });

  it('recognises build output folders by path segment only', () => {
    expect(['dist/index.js', 'apps/web/.svelte-kit/cloudflare/_worker.js', '.open-next/worker.js', 'src/dist.ts', 'src/build/index.ts'].map(buildOutputFolder))
      .toEqual(['dist', '.svelte-kit', '.open-next', undefined, 'build']);
  });
});
