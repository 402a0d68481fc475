/**
 * Nothing from the checked repository runs. A repository's `.git/config` can name programs that
 * git starts on its own (an fsmonitor hook for any command that reads the index, hooks, a pager,
 * an external diff, an ssh command, filters); deploy-guard runs `git ls-files` in the checked
 * folder and in its cache folder, so each of those is planted here, pointing at a script that
 * leaves a marker file, and every entry point is run on the repository.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../src/cli-main.js';
import { gitArguments, gitEnvironment } from '../src/git.js';
import { runInProcess } from './helpers/action-run.js';
import { EXAMPLE } from './helpers/paths.js';
import { tempDir } from './helpers/tree.js';

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
}

/** A committed copy of the incident example: its report is what the hostile config must not change. */
function committedExample(): string {
  const repo = path.join(tempDir('dg-git-'), 'repo');
  fs.cpSync(EXAMPLE, repo, { recursive: true });
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'example');
  return repo;
}

/**
 * Writes a script that appends its name to `marker`, and names it in every place of `.git/config`
 * where git looks for a program; an executable hook of every common name in a hooks folder.
 */
function plantCommands(repo: string, marker: string): void {
  const tools = path.join(path.dirname(repo), 'tools');
  const hooks = path.join(tools, 'hooks');
  fs.mkdirSync(hooks, { recursive: true });
  const script = (name: string, dir = tools) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\necho ${name} >> '${marker}'\ncat >/dev/null 2>&1 || true\nexit 0\n`, { mode: 0o755 });
    return file;
  };
  for (const hook of ['pre-commit', 'post-checkout', 'post-index-change', 'reference-transaction', 'pre-auto-gc', 'fsmonitor-watchman']) script(hook, hooks);
  const config = [
    '[core]',
    `\tfsmonitor = ${script('fsmonitor')}`,
    `\thooksPath = ${hooks}`,
    `\tpager = ${script('pager')}`,
    `\tsshCommand = ${script('ssh')}`,
    `\taskPass = ${script('askpass')}`,
    '[diff]',
    `\texternal = ${script('external-diff')}`,
    '[filter "planted"]',
    `\tclean = ${script('filter-clean')}`,
    `\tsmudge = ${script('filter-smudge')}`,
    '[credential]',
    `\thelper = !${script('credential')}`,
    '',
  ].join('\n');
  fs.appendFileSync(path.join(repo, '.git', 'config'), config);
  fs.writeFileSync(path.join(repo, '.gitattributes'), '* filter=planted\n');
}

function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd, isTty: false });
  return { code, stdout, stderr };
}

/** Every entry point that may run git, each with its output; `cache` is a folder outside the repo. */
async function everyEntryPoint(repo: string, cache: string) {
  const baselineFile = path.join(path.dirname(repo), 'baseline.json');
  const check = cli(['check', repo, '--format', 'json'], repo);
  const cached = cli(['check', repo, '--format', 'json', '--cache-location', cache], repo);
  const cachedInside = cli(['check', repo, '--format', 'json', '--cache'], repo);
  const baseline = cli(['baseline', repo, '--output', baselineFile], repo);
  const baselineText = fs.readFileSync(baselineFile, 'utf8');
  fs.rmSync(baselineFile);
  const action = await runInProcess(repo, {});
  fs.rmSync(path.join(repo, 'node_modules'), { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
  return { check, cached, cachedInside, baseline, baselineText, action: { annotations: action.annotations, summary: action.summary, outputs: action.outputs } };
}

describe('git runs with the repository’s commands turned off', () => {
  it('runs nothing named in .git/config from check, check --cache, baseline or the action, and reports the same', async () => {
    const repo = committedExample();
    const cache = path.join(path.dirname(repo), 'cache');
    const marker = path.join(path.dirname(repo), 'ran.txt');
    const before = await everyEntryPoint(repo, cache);

    plantCommands(repo, marker);
    git(repo, 'add', '.gitattributes');
    fs.rmSync(marker, { force: true });
    // The planted config is live: plain git, as deploy-guard ran it before, starts the fsmonitor command.
    spawnSync('git', ['ls-files', '-z'], { cwd: repo, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    expect(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '').toContain('fsmonitor');
    fs.rmSync(marker);

    const after = await everyEntryPoint(repo, cache);
    expect(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : 'nothing ran').toBe('nothing ran');
    // .gitattributes is a new tracked file of no interest to any rule: the reports are the same.
    expect(after.check.stdout).toBe(before.check.stdout);
    expect(after.check.code).toBe(1);
    expect(after.cached.stdout).toBe(before.cached.stdout);
    expect(after.cachedInside.stdout).toBe(before.cachedInside.stdout);
    expect(after.baselineText).toBe(before.baselineText);
    expect(after.action).toEqual(before.action);
    expect(before.check.stdout).toContain('supabase-ref-mismatch');
  });

  it('passes every neutral setting on the command line and drops variables that name programs', () => {
    const args = gitArguments(['ls-files']);
    expect(args.slice(-1)).toEqual(['ls-files']);
    for (const setting of ['core.fsmonitor=false', 'core.pager=cat', 'diff.external=', 'core.sshCommand=', 'protocol.allow=never', 'credential.helper=']) {
      expect(args[args.indexOf(setting) - 1]).toBe('-c');
    }
    expect(args.some((a) => a.startsWith('core.hooksPath='))).toBe(true);
    const env = gitEnvironment({ PATH: '/bin', GIT_EXTERNAL_DIFF: 'x', GIT_SSH_COMMAND: 'x', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: 'x', GIT_CONFIG_PARAMETERS: "'core.pager'='x'" });
    expect(env).toMatchObject({ PATH: '/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' });
    for (const dropped of ['GIT_EXTERNAL_DIFF', 'GIT_SSH_COMMAND', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_CONFIG_PARAMETERS']) expect(env[dropped]).toBeUndefined();
  });
});
