/**
 * The one place deploy-guard runs git. The checked repository is data, never code: its
 * `.git/config` can name programs (an fsmonitor hook, a pager, an external diff, an ssh command,
 * hooks), and git runs them for ordinary read-only commands — `core.fsmonitor` alone makes
 * `git ls-files` start a program. A repository downloaded with its `.git` folder (an archive, a
 * shared drive, an agent's sandbox) must not get to run anything when `npx deploy-guard` reads it.
 *
 * So every call goes through `runGit`, which
 * - overrides each setting that names a program with `-c` (command-line configuration wins over
 *   every configuration file: git(1), "-c <name>=<value>"; git-config(1), "FILES" and "SCOPES");
 * - ignores the system and the user's global configuration (GIT_CONFIG_NOSYSTEM, and
 *   GIT_CONFIG_GLOBAL set to the null device, git ≥ 2.32: git(1) "ENVIRONMENT VARIABLES"), so
 *   the result does not depend on the machine either;
 * - drops the environment variables that name programs and takes no optional locks
 *   (GIT_OPTIONAL_LOCKS=0: git(1), so a read never writes the index);
 * - never reads standard input and never prompts (GIT_TERMINAL_PROMPT=0).
 *
 * Each setting, with the page of git's documentation that says what it would run:
 * - `core.fsmonitor=false`: git-config(1) core.fsmonitor, "the pathname of the fsmonitor hook
 *   command", consulted when git reads the index (ls-files, status);
 * - `core.hooksPath=<null device>`: git-config(1) core.hooksPath, githooks(5);
 * - `core.pager=cat` and GIT_PAGER=cat, plus `--no-pager`: git-config(1) core.pager, git(1);
 * - `diff.external=` empty and GIT_EXTERNAL_DIFF removed: git-config(1) diff.external;
 * - `core.sshCommand=` empty and GIT_SSH/GIT_SSH_COMMAND removed: git-config(1)
 *   core.sshCommand; `protocol.allow=never`: git-config(1) protocol.allow, so no transport
 *   (and with it no remote helper or proxy command) can start;
 * - `credential.helper=` empty (resets the list): gitcredentials(7);
 * - `core.askPass=` empty and GIT_ASKPASS removed: git-config(1) core.askPass.
 * `git ls-files` needs none of these; they are turned off so that no later call can forget one.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

const NEUTRAL_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  `core.hooksPath=${os.devNull}`,
  'core.pager=cat',
  'diff.external=',
  'core.sshCommand=',
  'core.askPass=',
  'credential.helper=',
  'protocol.allow=never',
];

/** Variables that name a program git would run, or point git at other configuration. */
const DROPPED_VARIABLES = /^(?:GIT_EXTERNAL_DIFF|GIT_SSH|GIT_SSH_COMMAND|GIT_ASKPASS|SSH_ASKPASS|GIT_PROXY_COMMAND|GIT_EDITOR|GIT_SEQUENCE_EDITOR|GIT_CONFIG|GIT_CONFIG_PARAMETERS|GIT_CONFIG_COUNT|GIT_CONFIG_KEY_\d+|GIT_CONFIG_VALUE_\d+|GIT_CONFIG_SYSTEM)$/;

/** The environment git runs in: the caller's, less what names programs, plus the neutral settings. */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!DROPPED_VARIABLES.test(name)) env[name] = value;
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = os.devNull;
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_PAGER = 'cat';
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}

/** The full argument list: neutral configuration first, then the command. */
export function gitArguments(args: readonly string[]): string[] {
  return ['--no-pager', ...NEUTRAL_CONFIG.flatMap((setting) => ['-c', setting]), ...args];
}

/**
 * Runs a read-only git command in `cwd` with the repository's programs turned off; its standard
 * output, or undefined when git is missing, fails, or `cwd` is not in a work tree.
 */
export function runGit(args: readonly string[], cwd: string): string | undefined {
  const result = spawnSync('git', gitArguments(args), {
    cwd,
    env: gitEnvironment(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
    windowsHide: true,
  });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout;
}
