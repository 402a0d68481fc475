/**
 * A rule's test table, read without knowing the harness: each case is a tiny repository written
 * inline (file path → text), checked like `deploy-guard check` does, and the rule's findings as
 * one line each: `severity file:line [environment] subject`. A case with no lines must not fire.
 */
import { expect, it } from '@jest/globals';
import { runCheck } from '../../src/check.js';
import type { RuleSetting } from '../../src/config.js';
import type { LiveFacts } from '../../src/live/facts.js';
import type { DeploymentModel, Finding, RuleId } from '../../src/model.js';
import { reportedFindings } from '../../src/rule-findings.js';
import type { LiveRule } from '../../src/rules/rule.js';
import { writeTree } from './tree.js';

export type RuleCase = {
  /** What the case shows, as the test's name. */
  name: string;
  files: Record<string, string>;
  /** `--env NAME` and the deploy-time values handed in with it. */
  env?: string;
  processEnv?: Record<string, string>;
  /** The rule's findings, one line each; [] when the rule must not fire. */
  expected: string[];
};

/** `error wrangler.toml:5 [production] CACHE`: what a finding is about, without its wording. */
export function findingLine(f: Pick<Finding, 'severity' | 'file' | 'line' | 'environment' | 'subject'>): string {
  return [f.severity, `${f.file}:${f.line}`, f.environment !== undefined ? `[${f.environment}]` : '', f.subject ?? ''].filter(Boolean).join(' ');
}

/** The findings one rule gives on a repository written from `files`. */
export function ruleFindings(rule: RuleId, c: Omit<RuleCase, 'name' | 'expected'>): Finding[] {
  const result = runCheck({ root: writeTree(c.files), deployEnvironment: c.env, processEnv: c.processEnv, now: new Date('2026-11-24T00:00:00Z') });
  return result.findings.filter((f) => f.rule === rule);
}

/** One test per case: the rule's findings on the case's repository are exactly the expected lines. */
export function ruleCases(rule: RuleId, cases: readonly RuleCase[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(ruleFindings(rule, c).map(findingLine)).toEqual(c.expected);
  });
}

/** The model of a repository written from `files`, for the live rules, which judge facts about it. */
export function modelOf(files: Record<string, string>): DeploymentModel {
  return runCheck({ root: writeTree(files), now: new Date('2026-11-24T00:00:00Z') }).model;
}

/** A live rule's findings on facts the live stage would have gathered, levelled as reported (with a config setting, if given). */
export function liveLines(rule: LiveRule, model: DeploymentModel, facts: Omit<LiveFacts, 'environment'> & { environment?: string }, setting?: RuleSetting): string[] {
  return reportedFindings(rule, rule.checkLive(model, { environment: 'production', ...facts }), setting).map(findingLine);
}

/** A Worker at the root: `name = "api"`, `main = "src/index.ts"`, then `toml`; its fetch handler returns `new Response(<response>)`. */
export function workerRepo(toml: string, response: string): Record<string, string> {
  return {
    'wrangler.toml': `name = "api"\nmain = "src/index.ts"\n${toml}`,
    'src/index.ts': `export default { fetch(request: Request, env: Env) { return new Response(${response}); } };\n`,
  };
}
