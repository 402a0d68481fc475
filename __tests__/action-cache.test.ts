/**
 * The action's `cache` input, run as the runner runs the bundle. The GitHub cache service is not
 * reachable here (no ACTIONS_RESULTS_URL), which is also what a fork's or a self-hosted run may
 * see: the step says so, keeps the cache for the run, and reports exactly as without it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from './helpers/paths.js';
import { tempDir } from './helpers/tree.js';

const BUNDLE = path.join(PROJECT_ROOT, 'dist', 'index.js');

function runAction(inputs: Record<string, string>, runnerTemp: string) {
  const outputFile = path.join(tempDir('dg-action-cache-out-'), 'output.txt');
  fs.writeFileSync(outputFile, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: PROJECT_ROOT, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: runnerTemp };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const child = spawnSync(process.execPath, [BUNDLE], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: child.status, stdout: child.stdout, outputs: fs.readFileSync(outputFile, 'utf8').replace(/ghadelimiter_[\w-]+/g, 'D') };
}

describe('the action input cache', () => {
  it('without a cache service: an info line, the cache kept for the run, the same findings and exit code', () => {
    const inputs = { 'working-directory': 'examples/incident' };
    const plain = runAction(inputs, tempDir('dg-action-cache-'));
    const temp = tempDir('dg-action-cache-');
    const cold = runAction({ ...inputs, cache: 'true' }, temp);
    const warm = runAction({ ...inputs, cache: 'true' }, temp);
    expect(cold.stdout).toContain('the GitHub cache service is not available here');
    expect(fs.existsSync(path.join(temp, 'deploy-guard-cache', 'worker-usage.json'))).toBe(true);
    for (const run of [cold, warm]) {
      expect(run.status).toBe(plain.status);
      expect(run.outputs).toBe(plain.outputs);
    }
    expect(plain.stdout).not.toContain('cache');
  });
});
