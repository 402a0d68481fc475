/**
 * The rule files are the catalogue (scripts/rule-catalogue.mjs): every list of rules is derived
 * from them, and every rule has what a user reaches it by. In the spirit of ESLint's
 * checkRuleFiles. Also the main-not-found rule itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HELP } from '../src/cli-args.js';
import type { DeploymentModel, WorkerEnvironment } from '../src/model.js';
import { RULES } from '../src/rules/index.js';
import { buildOutputFolder, mainNotFound } from '../src/rules/main-not-found.js';
import { PROJECT_ROOT } from './helpers/paths.js';

const ids = RULES.map((r) => r.id).sort();
const read = (rel: string) => fs.readFileSync(path.join(PROJECT_ROOT, rel), 'utf8');

describe('the rule catalogue', () => {
  it('has every derived list current: src/rules/index.ts, ids.ts, the README table, the schema, the docs\' default severity', () => {
    let problem = '';
    try {
      execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'rule-catalogue.mjs'), '--check'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
    } catch (error) {
      problem = String((error as { stderr?: Buffer }).stderr ?? error);
    }
    expect(problem).toBe('');
  });

  it('gives every rule its file, docs page with its default severity, README row, schema key and --help entry', () => {
    const readme = read('README.md');
    const schema = JSON.parse(read('schema/deploy-guard.config.schema.json')) as { properties: { rules: { properties: Record<string, unknown> } } };
    const help = HELP.slice(HELP.indexOf('Rules:'), HELP.indexOf('Docs:'));
    for (const rule of RULES) {
      const doc = fs.existsSync(path.join(PROJECT_ROOT, 'docs', 'rules', `${rule.id}.md`)) ? read(`docs/rules/${rule.id}.md`) : '';
      expect({
        id: rule.id,
        file: fs.existsSync(path.join(PROJECT_ROOT, 'src', 'rules', `${rule.id}.ts`)),
        doc: doc.startsWith(`# ${rule.id}\n`) && doc.includes(`**Default severity:** ${rule.defaultSeverity}`),
        readme: readme.includes(`| [${rule.id}](docs/rules/${rule.id}.md) | ${rule.defaultSeverity} |`),
        schema: rule.id in schema.properties.rules.properties,
        help: new RegExp(`(^|[\\s,:])${rule.id}[,.;]`).test(help),
        description: /^[A-Z].*\.$/.test(rule.description) && !rule.description.includes('\n'),
      }).toEqual({ id: rule.id, file: true, doc: true, readme: true, schema: true, help: true, description: true });
    }
  });

  it('lists no rule that does not exist: docs pages, schema keys and --help name exactly the catalogue', () => {
    expect(fs.readdirSync(path.join(PROJECT_ROOT, 'docs', 'rules')).map((f) => f.replace(/\.md$/, '')).sort()).toEqual(ids);
    const schema = JSON.parse(read('schema/deploy-guard.config.schema.json')) as { properties: { rules: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(ids);
    const help = HELP.slice(HELP.indexOf('Rules:'), HELP.indexOf('Docs:'));
    expect(help.split(/[\s,;:]+/).filter((w) => /^[a-z]+(?:-[a-z]+)+\.?$/.test(w)).map((w) => w.replace(/\.$/, '')).sort()).toEqual(ids);
  });
});

function env(over: Partial<WorkerEnvironment>): WorkerEnvironment {
  return { config: 'api/wrangler.toml', name: null, dev: false, scriptName: 'api', compatibilityFlags: [], bindings: [], vars: {}, secrets: [], at: { file: 'api/wrangler.toml', line: 1, column: 1 }, ...over };
}

function model(environments: WorkerEnvironment[], usage: DeploymentModel['usage']): DeploymentModel {
  return { root: '/r', workers: [{ config: 'api/wrangler.toml', environments }], surfaces: [], pairs: [], envFiles: [], gitTracking: true, usage, problems: [], supabaseLinks: [] };
}

const at = (line: number) => ({ file: 'api/wrangler.toml', line, column: 1 });
const unread = (main: string, reason: 'missing' | 'outside' = 'missing') => ({ reads: [], opaque: [], modules: [], mainExports: [], mainNotFound: { main, at: at(2), reason } });

describe('main-not-found', () => {
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
