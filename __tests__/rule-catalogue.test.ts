/**
 * The rule files are the catalogue (scripts/rule-catalogue.mjs): every list of rules is derived
 * from them, and every rule has what a user reaches it by. In the spirit of ESLint's
 * checkRuleFiles.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HELP } from '../src/cli-args.js';
import { RULES } from '../src/rules/index.js';
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

  it('gives every rule its file, docs page with its default severity, README row, schema key, --help entry and test file', () => {
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
        tests: fs.existsSync(path.join(PROJECT_ROOT, '__tests__', 'rules', `${rule.id}.test.ts`)),
      }).toEqual({ id: rule.id, file: true, doc: true, readme: true, schema: true, help: true, description: true, tests: true });
    }
  });

  it('lists no rule that does not exist: docs pages, rule tests, schema keys and --help name exactly the catalogue', () => {
    expect(fs.readdirSync(path.join(PROJECT_ROOT, 'docs', 'rules')).map((f) => f.replace(/\.md$/, '')).sort()).toEqual(ids);
    expect(fs.readdirSync(path.join(PROJECT_ROOT, '__tests__', 'rules')).map((f) => f.replace(/\.test\.ts$/, '')).sort()).toEqual(ids);
    const schema = JSON.parse(read('schema/deploy-guard.config.schema.json')) as { properties: { rules: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(ids);
    const help = HELP.slice(HELP.indexOf('Rules:'), HELP.indexOf('Docs:'));
    expect(help.split(/[\s,;:]+/).filter((w) => /^[a-z]+(?:-[a-z]+)+\.?$/.test(w)).map((w) => w.replace(/\.$/, '')).sort()).toEqual(ids);
  });
});
