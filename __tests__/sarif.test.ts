import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { runCheck, type CheckResult } from '../src/check.js';
import { formatSarif, toSarif } from '../src/report/sarif.js';
import { RULES } from '../src/rules/index.js';
import { EXAMPLE } from './helpers/paths.js';

// The official SARIF 2.1.0 schema (draft-04), as Microsoft publishes it with @microsoft/jest-sarif.
const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const ajv = new Ajv({ schemaId: 'id', allErrors: true, validateSchema: false });
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
    expect(driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const rule of driver.rules) expect(rule.help.markdown).toContain(`docs/rules/${rule.id}.md`);
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
    const fingerprint = (f: typeof base) => toSarif({ ...result, findings: [f] } as CheckResult, { version: '0' }).runs[0]!.results[0]!.partialFingerprints['deployGuard/v1'];
    expect(fingerprint({ ...base, line: base.line + 40, column: 1 })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, subject: 'OTHER' })).not.toBe(fingerprint(base));
  });

  it('is byte-for-byte deterministic', () => {
    expect(formatSarif(runCheck({ root: EXAMPLE, now: new Date('2026-11-24T00:00:00Z') }), { version: '1' })).toBe(formatSarif(result, { version: '1' }));
  });
});
