import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCheck, type CheckResult } from '../src/check.js';
import type { Finding } from '../src/model.js';
import { artifactUri, formatSarif, toSarif } from '../src/report/sarif.js';
import { EXAMPLE, PROJECT_ROOT } from './helpers/paths.js';

// The official SARIF 2.1.0 schema (draft-04), as Microsoft publishes it with @microsoft/jest-sarif.
const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const ajv = new Ajv({ schemaId: 'auto', allErrors: true, validateSchema: false });
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
const validate = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
const expectValidSarif = (log: unknown) => {
  const valid = validate(log);
  expect(valid ? [] : validate.errors).toEqual([]);
};

const result = runCheck({ root: EXAMPLE, now: new Date('2026-11-24T00:00:00Z') });

describe('SARIF', () => {
  it('is valid SARIF 2.1.0 and lists every rule with its docs', () => {
    const log = toSarif(result, { version: '0.1.0' });
    expectValidSarif(log);
    const driver = log.runs[0]!.tool.driver;
    // Each rule once, and each help link names a docs page the repository has: a dead link is what a user would hit.
    expect(new Set(driver.rules.map((r) => r.id)).size).toBe(driver.rules.length);
    for (const rule of driver.rules) {
      expect(rule.help.markdown).toContain(`docs/rules/${rule.id}.md`);
      expect({ id: rule.id, page: fs.existsSync(path.join(PROJECT_ROOT, 'docs', 'rules', `${rule.id}.md`)) }).toEqual({ id: rule.id, page: true });
    }
    // Code scanning shows the default level: a few written out, so a changed default shows here.
    const level = (id: string) => driver.rules.find((r) => r.id === id)?.defaultConfiguration.level;
    expect([level('dead-binding'), level('unused-var'), level('unused-suppression'), level('binding-drift')]).toEqual(['error', 'warning', 'note', 'warning']);
    // The validator does reject what GitHub would reject.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('places each finding at its repo-relative file and line, with related locations', () => {
    const results = toSarif(result, { version: '0.1.0' }).runs[0]!.results;
    expect(results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['dead-binding', 'error', 'workers/wrangler.toml', 8],
      ['supabase-ref-mismatch', 'error', 'workers/wrangler.toml', 21],
    ]);
    expect(results[1]!.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toBe('.env.production');
  });

  it('fingerprints by meaning: a moved line keeps the fingerprint, another subject changes it', () => {
    const base = result.findings[0]!;
    const fingerprint = (f: typeof base) => toSarif({ ...result, findings: [f] } as CheckResult, { version: '0' }).runs[0]!.results[0]!.partialFingerprints['deployGuard/v2'];
    expect(fingerprint({ ...base, line: base.line + 40, column: 1 })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, subject: 'OTHER' })).not.toBe(fingerprint(base));
  });

  it('keeps columns, related locations, environments and odd paths valid', () => {
    const findings: Finding[] = [
      {
        rule: 'service-role-exposed', severity: 'error', message: 'VITE_SUPABASE_SERVICE_KEY is a service_role key shipped to the browser.',
        file: 'apps/web/.env.production', line: 3, column: 1, environment: 'production', subject: 'VITE_SUPABASE_SERVICE_KEY',
        related: [{ file: 'apps/web/src/db.ts', line: 12, column: 7, message: 'read here' }, { file: 'apps/web/vite.config.ts', line: 0, column: 0 }],
      },
      { rule: 'unused-var', severity: 'warning', message: 'FEATURE_FLAG is never read.', file: 'app/[id]/wrangler 2.toml', line: 9 },
      { rule: 'parse-error', severity: 'note', message: 'Skipped a file.', file: 'big.json', line: 1 },
    ];
    const log = toSarif({ ...result, findings } as CheckResult, { version: '2.3.4' });
    expectValidSarif(log);
    const run = log.runs[0]!;
    expect(run.tool.driver.semanticVersion).toBe('2.3.4');
    const rule = (id: string) => run.tool.driver.rules.find((r) => r.id === id)!;
    expect(rule('service-role-exposed')).toMatchObject({ name: 'ServiceRoleExposed', helpUri: expect.stringContaining('/docs/rules/service-role-exposed.md'), properties: { tags: expect.arrayContaining(['security']) } });
    expect(rule('secret-in-plaintext').properties.tags).toContain('security');
    expect(rule('dead-binding').properties.tags).not.toContain('security');

    const [exposed, unused, note] = run.results;
    expect(run.results.map((r) => [r.ruleId, r.level, run.tool.driver.rules[r.ruleIndex!]!.id])).toEqual([
      ['service-role-exposed', 'error', 'service-role-exposed'], ['unused-var', 'warning', 'unused-var'], ['parse-error', 'note', 'parse-error'],
    ]);
    expect(exposed!.message.text).toBe(findings[0]!.message);
    expect(exposed!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'apps/web/.env.production', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 1 } });
    expect(exposed!.relatedLocations).toEqual([
      { id: 0, physicalLocation: { artifactLocation: { uri: 'apps/web/src/db.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 7 } }, message: { text: 'read here' } },
      { id: 1, physicalLocation: { artifactLocation: { uri: 'apps/web/vite.config.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } },
    ]);
    expect(exposed!.properties).toEqual({ environment: 'production' });
    expect(exposed!.partialFingerprints['deployGuard/v2']).toMatch(/^[0-9a-f]{64}$/);
    expect(unused!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'app/%5Bid%5D/wrangler%202.toml', uriBaseId: '%SRCROOT%' }, region: { startLine: 9 } });
    expect(unused).not.toHaveProperty('properties');
    expect(unused).not.toHaveProperty('relatedLocations');
    expect(note!.level).toBe('note');
    expect(artifactUri('workers/wrangler.toml')).toBe('workers/wrangler.toml');
    // One alert per fault: the same fault in another environment, or moved, keeps it; another other side is another alert.
    const fp = (...f: Finding[]) => toSarif({ ...result, findings: f } as CheckResult, { version: '0' }).runs[0]!.results[0]!.partialFingerprints['deployGuard/v2'];
    expect(fp({ ...findings[0]!, environment: 'staging' })).toBe(fp(findings[0]!));
    expect(fp(findings[0]!, { ...findings[0]!, environment: 'staging' })).toBe(fp(findings[0]!));
    expect(fp({ ...findings[0]!, line: 30, column: 5, related: findings[0]!.related!.map((r) => ({ ...r, line: r.line + 9 })) })).toBe(fp(findings[0]!));
    expect(fp({ ...findings[0]!, related: [{ file: 'apps/admin/src/db.ts', line: 12, column: 1 }] })).not.toBe(fp(findings[0]!));
  });

  it('is byte-for-byte deterministic', () => {
    const text = formatSarif(result, { version: '1' });
    expect(formatSarif(runCheck({ root: EXAMPLE, now: new Date('2026-11-24T00:00:00Z') }), { version: '1' })).toBe(text);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });
});
