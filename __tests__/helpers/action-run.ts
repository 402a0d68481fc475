/**
 * Runs the action two ways: in-process with injected I/O and a recording runner (most tests:
 * they run the current source), and as the runner runs the bundle, `node dist/index.js` with
 * INPUT_* variables, an event file and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files (a few
 * end-to-end tests: they prove the bundle and `@actions/core`'s command format).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runAction } from '../../src/action.js';
import type { ActionRunner, Annotation } from '../../src/action-io.js';
import { PROJECT_ROOT } from './paths.js';
import { tempDir } from './tree.js';

export type Recorded = {
  /** Annotations in the order written; the step's failure is an `error` annotation, as on GitHub. */
  annotations: Annotation[];
  failed?: string;
  infos: string[];
  secrets: string[];
  /** Calls in order: 'secret', 'annotate', 'info', 'output', 'summary', 'failed'. */
  calls: string[];
  outputs: Record<string, string>;
  summary: string;
};

/** The action in-process: `inputs` become INPUT_* variables, `env` is the rest of the step's environment. */
export async function runInProcess(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Recorded> {
  const recorded: Recorded = { annotations: [], infos: [], secrets: [], calls: [], outputs: {}, summary: '' };
  const runner: ActionRunner = {
    annotate: (a) => (recorded.calls.push('annotate'), recorded.annotations.push(a)),
    info: (line) => (recorded.calls.push('info'), recorded.infos.push(line)),
    setSecret: (s) => (recorded.calls.push('secret'), recorded.secrets.push(s)),
    setOutput: (name, value) => (recorded.calls.push('output'), (recorded.outputs[name] = value)),
    appendSummary: async (markdown) => {
      recorded.calls.push('summary');
      recorded.summary += markdown;
    },
    setFailed: (message) => {
      recorded.calls.push('failed');
      recorded.failed = message;
      recorded.annotations.push({ kind: 'error', message });
    },
  };
  await runAction({ env: { GITHUB_WORKSPACE: workspace, ...env, ...inputEnv(inputs) }, cwd: workspace, runner });
  return recorded;
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}

export type BundleRun = { status: number | null; stdout: string; stderr: string; summary: string; outputs: Record<string, string> };

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

/**
 * `node dist/index.js` as the runner starts it. Asynchronous, so a stand-in server running in the
 * test's process keeps answering.
 */
export function runBundle(node: string, workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<BundleRun> {
  const temp = tempDir('dg-action-');
  const summaryFile = path.join(temp, 'summary.md');
  const outputFile = path.join(temp, 'output.txt');
  fs.writeFileSync(summaryFile, '');
  fs.writeFileSync(outputFile, '');
  const fullEnv = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: temp, ...env, ...inputEnv(inputs) };
  return new Promise((resolve) => {
    const child = spawn(node, [path.join(PROJECT_ROOT, 'dist', 'index.js')], { cwd: workspace, env: fullEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) =>
      resolve({ status, stdout, stderr, summary: fs.readFileSync(summaryFile, 'utf8'), outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')) }),
    );
  });
}

/** The workflow commands of one kind in a bundle run's stdout (`::error …::message`). */
export function commands(stdout: string, kind: 'error' | 'warning' | 'notice'): string[] {
  return stdout.split('\n').filter((line) => line.startsWith(`::${kind} `) || line.startsWith(`::${kind}::`));
}

/**
 * A repository under `app/` with more faults than GitHub has annotation slots: twelve KV bindings
 * no code reads (12 dead-binding errors, top level) and eleven env reads nothing declares, in the
 * top level and in [env.production] alike (11 missing-secret warnings, each in two environments).
 */
export const BUSY_DEAD_BINDINGS = 12;
export const BUSY_MISSING_SECRETS = 11;
export function busyRepo(writeTree: (files: Record<string, string>) => string): string {
  const kv = Array.from({ length: BUSY_DEAD_BINDINGS }, (_, i) => `[[kv_namespaces]]\nbinding = "KV${i + 1}"\nid = "${String(i + 1).padStart(32, '0')}"\n`).join('\n');
  const reads = Array.from({ length: BUSY_MISSING_SECRETS }, (_, i) => `env.SECRET_${i + 1}`).join(', ');
  return writeTree({
    'app/wrangler.toml': `name = "api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n\n${kv}\n[env.production]\nname = "api-production"\n`,
    'app/src/index.ts': `export default {\n  async fetch(request: Request, env: Record<string, string>) {\n    return new Response([${reads}].join(','));\n  },\n};\n`,
    // The Worker lists its secrets, so each one its code reads and the list lacks is a warning of its own.
    'app/.dev.vars.example': 'OTHER_SECRET=\n',
  });
}
