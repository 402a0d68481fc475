/**
 * The action exactly as the runner runs it: `node dist/index.js` (the committed bundle) with
 * INPUT_* variables and the GITHUB_STEP_SUMMARY / GITHUB_OUTPUT files.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT, REF_A, REF_B, SCENARIOS } from './helpers/paths.js';
import { ensureNode24 } from './helpers/node24.js';
import { tempDir } from './helpers/tree.js';

const BUNDLE = path.join(PROJECT_ROOT, 'dist', 'index.js');

/**
 * The suite runs on Node 20 (CI's); action.yml declares `runs.using: node24`, so every case runs on
 * both (issue 10). Node 24 comes from the npm `node` package; without the registry only this
 * process's Node runs, with a message.
 */
const node24 = ensureNode24('the action tests on Node 24');
const RUNTIMES: [string, string][] = [[`Node ${process.versions.node} (this process)`, process.execPath]];
if (node24 && node24 !== process.execPath) RUNTIMES.push(['Node 24 (action.yml runs.using)', node24]);
let runtime = process.execPath;

type Run = { status: number | null; stdout: string; stderr: string; summary: string; outputs: Record<string, string> };

/** Reads the `name<<DELIMITER … DELIMITER` blocks @actions/core writes to GITHUB_OUTPUT. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

function runAction(workspace: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Run {
  const temp = tempDir('dg-action-');
  const summaryFile = path.join(temp, 'summary.md');
  const outputFile = path.join(temp, 'output.txt');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: temp,
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawnSync(runtime, [BUNDLE], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    summary: fs.readFileSync(summaryFile, 'utf8'),
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
  };
}

describe.each(RUNTIMES)('the action bundle run as the runner runs it, on %s', (_label, node) => {
  beforeAll(() => {
    runtime = node;
  });

  it('annotates the mismatch at file and line, writes the summary and outputs, and fails the step', () => {
    const run = runAction(PROJECT_ROOT, { 'working-directory': 'examples/incident' });
    expect(run.status).toBe(1);
    // Annotation paths are relative to the workspace, so GitHub can place them on the diff.
    expect(run.stdout).toMatch(/::error title=deploy-guard%3A supabase-ref-mismatch,file=examples\/incident\/workers\/wrangler\.toml,line=21(,col=\d+)?::/);
    expect(run.stdout).toMatch(/::error title=deploy-guard%3A dead-binding,file=examples\/incident\/workers\/wrangler\.toml,line=8,col=5::/);
    expect(run.stdout).toMatch(/::error::deploy-guard: 2 errors, 0 warnings, 0 notes\. Failing because findings reach fail-on "error"\./);
    expect(run.summary).toContain('| Environment | Surface | Supabase project | Evidence |');
    expect(run.summary).toContain(`project ${REF_A}`);
    expect(run.summary).toContain(`project ${REF_B}`);
    expect(run.summary).toMatch(/\| production \|.*❌ different projects/);
    expect(run.outputs.errors).toBe('2');
    expect(run.outputs.warnings).toBe('0');
    const findings = JSON.parse(run.outputs.findings ?? '[]');
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'dead-binding', file: 'workers/wrangler.toml', line: 8, subject: 'SESSIONS' }),
      expect.objectContaining({ rule: 'supabase-ref-mismatch', file: 'workers/wrangler.toml', line: 21 }),
    ]);
  });

  it('writes SARIF where asked, and names it in the outputs', () => {
    const file = path.join(tempDir('dg-sarif-'), 'reports', 'deploy-guard.sarif');
    const run = runAction(PROJECT_ROOT, { 'working-directory': 'examples/incident', 'sarif-file': file });
    try {
      expect(run.outputs['sarif-file']).toBe(file);
      const sarif = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['dead-binding', 'supabase-ref-mismatch']);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('passes with fail-on never, still writing the outputs', () => {
    const run = runAction(PROJECT_ROOT, { 'working-directory': 'examples/incident', 'fail-on': 'never' });
    expect(run.status).toBe(0);
    expect(run.outputs.errors).toBe('2');
  });

  it('passes on a consistent repository', () => {
    const run = runAction(path.join(SCENARIOS, 'same-project', 'repo'), {});
    expect(run.status).toBe(0);
    expect(run.summary).toContain('✅');
    expect(run.outputs.errors).toBe('0');
  });

  it('masks deploy-time secrets and never prints them', () => {
    const scenario = path.join(SCENARIOS, 'deploy-time-secret');
    const { processEnv } = JSON.parse(fs.readFileSync(path.join(scenario, 'expected.json'), 'utf8')) as { processEnv: Record<string, string> };
    const run = runAction(path.join(scenario, 'repo'), { environment: 'production' }, processEnv);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('supabase-ref-mismatch');
    // Registered with core.setSecret before anything else is logged.
    expect(run.stdout.indexOf('::add-mask::')).toBeGreaterThanOrEqual(0);
    const beforeMasks = run.stdout.slice(0, run.stdout.indexOf('::add-mask::'));
    expect(beforeMasks).not.toMatch(/::(error|warning|notice)/);
    const printed = [run.stdout.replace(/::add-mask::.*\n/g, ''), run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n');
    for (const secret of [processEnv.SUPABASE_URL!, processEnv.SUPABASE_SERVICE_ROLE_KEY!]) expect(printed).not.toContain(secret);
    expect(printed).not.toContain(processEnv.SUPABASE_SERVICE_ROLE_KEY!.split('.')[2]!);
  });

  it('reports a bad input as a failure with a clear message, not a stack trace', () => {
    const run = runAction(PROJECT_ROOT, { 'working-directory': 'examples/incident', 'fail-on': 'sometimes' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::input fail-on must be one of error, warning, note, never');
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});
