/**
 * Scenario mini-repos (actionlint-style golden tests): each folder under fixtures/scenarios holds
 * `repo/` and `expected.json` with the findings a user must see, and nothing else; `expected.lines`
 * (one line per finding) and `expected.txt` (the terminal report) are the goldens of what they read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../src/check.js';
import type { Finding } from '../src/model.js';
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
   * Golden reports, reviewable in a diff (actionlint's model): `expected.lines` holds one line per
   * finding, `severity rule file:line:column [environment] subject: message`; `expected.txt` is the
   * terminal report. Regenerate after an intended change with UPDATE_GOLDEN=1 npm test, and review
   * the diff.
   */
  it.each(scenarios)('%s prints the golden finding lines and text report', (name) => {
    const result = check(name);
    const outputs = { 'expected.lines': result.findings.map(oneLine).join('\n') + (result.findings.length > 0 ? '\n' : ''), 'expected.txt': formatText(result, { colour: false, failOn: 'error' }) };
    for (const [file, actual] of Object.entries(outputs)) {
      const golden = path.join(SCENARIOS, name, file);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, actual);
      expect(actual).toBe(fs.readFileSync(golden, 'utf8'));
    }
  });

  it.each(scenarios)('%s: the PR comment (markdown) counts and lists every finding with its rule and place', (name) => {
    const result = check(name);
    const markdown = formatMarkdown(result);
    const { errors, warnings, notes } = result.summary;
    expect(markdown).toContain(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${notes} note${notes === 1 ? '' : 's'}`);
    for (const f of result.findings) {
      expect({ finding: oneLine(f), listed: markdown.includes(`[${f.rule}](`) && markdown.includes(`\`${f.file}:${f.line}\``) }).toEqual({ finding: oneLine(f), listed: true });
    }
  });
});

function check(name: string) {
  const expected = JSON.parse(fs.readFileSync(path.join(SCENARIOS, name, 'expected.json'), 'utf8')) as Expected;
  return runCheck({ root: path.join(SCENARIOS, name, 'repo'), deployEnvironment: expected.env, processEnv: expected.processEnv, now: new Date('2026-11-24T00:00:00Z') });
}

/** `error dead-binding workers/api/wrangler.toml:12:1 [development] SESSIONS: message`. */
function oneLine(f: Finding): string {
  const where = `${f.file}:${f.line}${f.column !== undefined ? `:${f.column}` : ''}`;
  return `${[f.severity, f.rule, where, f.environment !== undefined ? `[${f.environment}]` : '', f.subject ?? ''].filter(Boolean).join(' ')}: ${f.message.replace(/\s*\n\s*/g, ' ')}`;
}
