/**
 * Scenario mini-repos (actionlint-style golden tests): each folder under fixtures/scenarios holds
 * `repo/` and `expected.json` with the findings a user must see, and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../src/check.js';
import { formatMarkdown } from '../src/report/markdown.js';
import { formatText } from '../src/report/text.js';
import { SCENARIOS } from './helpers/paths.js';

type Expected = {
  env?: string;
  processEnv?: Record<string, string>;
  findings: { rule: string; severity: string; file: string; line: number; environment?: string; subject?: string }[];
};

const scenarios = fs.readdirSync(SCENARIOS).sort();

describe('scenario fixtures', () => {
  it.each(scenarios)('%s reports exactly the expected findings', (name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(SCENARIOS, name, 'expected.json'), 'utf8')) as Expected;
    const result = runCheck({
      root: path.join(SCENARIOS, name, 'repo'),
      deployEnvironment: expected.env,
      processEnv: expected.processEnv,
      now: new Date('2026-11-24T00:00:00Z'),
    });
    const actual = result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file,
      line: f.line,
      ...(f.environment !== undefined ? { environment: f.environment } : {}),
      ...(f.subject !== undefined ? { subject: f.subject } : {}),
    }));
    expect(actual).toEqual(expected.findings);
  });

  /**
   * Golden reports: what a person reads in the terminal and in the PR comment / job summary.
   * Regenerate after an intended change with UPDATE_GOLDEN=1 npm test, and review the diff.
   */
  it.each(scenarios)('%s prints the golden text and markdown reports', (name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(SCENARIOS, name, 'expected.json'), 'utf8')) as Expected;
    const result = runCheck({ root: path.join(SCENARIOS, name, 'repo'), deployEnvironment: expected.env, processEnv: expected.processEnv, now: new Date('2026-11-24T00:00:00Z') });
    const outputs = { 'expected.txt': formatText(result, { colour: false, failOn: 'error' }), 'expected.md': formatMarkdown(result) };
    for (const [file, actual] of Object.entries(outputs)) {
      const golden = path.join(SCENARIOS, name, file);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, actual);
      expect(actual).toBe(fs.readFileSync(golden, 'utf8'));
    }
  });
});
