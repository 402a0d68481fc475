import { describe, expect, it } from '@jest/globals';
import { parseConfigText } from '../src/config.js';
import { ConfigurationError } from '../src/errors.js';

describe('deploy-guard.config.json', () => {
  it('accepts JSONC with comments and trailing commas', () => {
    const config = parseConfigText('{\n // why\n "rules": { "supabase-key-mismatch": "warning", },\n "failOn": "warning",\n}', 'c.json');
    expect(config.rules).toEqual({ 'supabase-key-mismatch': 'warning' });
    expect(config.failOn).toBe('warning');
  });

  it.each([
    ['{ "rulez": {} }', /unknown key "rulez" in the config/],
    ['{ "rules": { "no-such-rule": "off" } }', /unknown rule "no-such-rule"/],
    ['{ "rules": { "parse-error": "fatal" } }', /must be set to one of error, warning, note, off/],
    ['{ "pairs": [{ "frontend": "prod" }] }', /pairs\[0\] needs "frontend"/],
    ['{ "pairs": [{ "frontend": "a", "worker": "b", "colour": "x" }] }', /unknown key "colour" in pairs\[0\]/],
    ['{ "failOn": "sometimes" }', /"failOn" must be one of/],
    ['[1]', /must be a JSON object/],
    ['{\n "rules": {\n }\n "x": 1 }', /line 4: CommaExpected/],
  ])('%s is rejected as a user error', (text, message) => {
    expect(() => parseConfigText(text, 'deploy-guard.config.json')).toThrow(ConfigurationError);
    expect(() => parseConfigText(text, 'deploy-guard.config.json')).toThrow(message);
  });
});

describe('the shipped JSON Schema', () => {
  it('describes exactly the keys and rule ids the validator accepts', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { TOP_LEVEL_KEYS } = await import('../src/config.js');
    const { RULES } = await import('../src/rules/index.js');
    const { PROJECT_ROOT } = await import('./helpers/paths.js');
    const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'schema', 'deploy-guard.config.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual([...TOP_LEVEL_KEYS].sort());
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('accepts frontends and browserPrefixes, and rejects wrong types', () => {
    expect(parseConfigText('{ "frontends": ["./apps/web/"], "browserPrefixes": ["MY_PUBLIC_"] }', 'c.json')).toMatchObject({ frontends: ['apps/web'], browserPrefixes: ['MY_PUBLIC_'] });
    expect(() => parseConfigText('{ "frontends": "apps/web" }', 'c.json')).toThrow(/"frontends" must be an array/);
  });
});

describe('a rule setting is a ceiling, not a replacement of the level a rule chose', () => {
  it('keeps a note a note and a warning a warning when the setting is the default written out', async () => {
    const { runCheck } = await import('../src/check.js');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const { SCENARIOS } = await import('./helpers/paths.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-config-'));
    try {
      const config = path.join(dir, 'deploy-guard.config.json');
      fs.writeFileSync(config, JSON.stringify({ rules: { 'dead-binding': 'error', 'supabase-ref-mismatch': 'error' } }));
      const opaque = runCheck({ root: path.join(SCENARIOS, 'opaque-env', 'repo'), configPath: config });
      expect(opaque.findings.filter((f) => f.rule === 'dead-binding').map((f) => f.severity)).toEqual(['note']);
      const assumed = runCheck({ root: path.join(SCENARIOS, 'assumed-pairs', 'repo'), configPath: config });
      expect(assumed.findings.filter((f) => f.rule === 'supabase-ref-mismatch').map((f) => f.severity)).toEqual(['warning', 'warning']);
      fs.writeFileSync(config, JSON.stringify({ rules: { 'supabase-ref-mismatch': 'note' } }));
      const lowered = runCheck({ root: path.join(SCENARIOS, 'assumed-pairs', 'repo'), configPath: config });
      expect(lowered.findings.filter((f) => f.rule === 'supabase-ref-mismatch').map((f) => f.severity)).toEqual(['note', 'note']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('defaults', () => {
  it('are written in src/defaults.ts only, so a default changed there changes everywhere', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { PROJECT_ROOT } = await import('./helpers/paths.js');
    const src = path.join(PROJECT_ROOT, 'src');
    const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && f !== 'defaults.ts');
    // The literal each default had when it was written where it was used.
    const literals = [/api\.cloudflare\.com/, /'deploy-guard\.(?:baseline|config)\.json'/, /\b[25] \* 1024 \* 1024\b/, /\?\s*\['\/'\]/, /node_modules.*\.cache/, /\b10_000\b/];
    const found = files.flatMap((f) => {
      const text = fs.readFileSync(path.join(src, f), 'utf8');
      return literals.filter((l) => l.test(text)).map((l) => `${f.split(path.sep).join('/')} ${l.source}`);
    });
    expect(found).toEqual([]);
  });
});
