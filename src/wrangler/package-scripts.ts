/**
 * How package managers and task runners run package.json scripts, as far as deploy-commands.ts
 * needs it: `npm run deploy`, `pnpm --filter api deploy`, `yarn workspace api deploy`, `bun run
 * deploy`, `turbo run deploy`, `nx run-many -t deploy`. Which script, with what arguments, in which
 * package (or in every package that has it). Pure: words in, a call out.
 *
 * Sources: npm's `run-script` docs (arguments after `--` go to the script), pnpm's and yarn's CLI
 * references (their built-in commands shadow scripts of the same name), turbo's and nx's `run`.
 */

const PNPM_BUILTINS = new Set(['add', 'install', 'i', 'update', 'up', 'remove', 'rm', 'link', 'unlink', 'import', 'rebuild', 'prune', 'fetch', 'patch', 'audit', 'list', 'ls', 'outdated', 'why', 'exec', 'dlx', 'create', 'init', 'publish', 'pack', 'deploy', 'env', 'store', 'setup', 'server', 'config', 'root', 'bin', 'licenses']);
const YARN_BUILTINS = new Set(['add', 'install', 'remove', 'upgrade', 'up', 'init', 'info', 'dlx', 'exec', 'why', 'link', 'unlink', 'pack', 'publish', 'config', 'cache', 'version', 'set', 'plugin', 'constraints', 'npm', 'node', 'patch', 'rebuild', 'bin', 'global', 'workspaces']);
const BUN_BUILTINS = new Set(['add', 'install', 'i', 'remove', 'rm', 'update', 'link', 'unlink', 'pm', 'x', 'create', 'init', 'build', 'upgrade', 'publish', 'outdated', 'patch', 'exec']);
/** Options of npm/pnpm/yarn/bun that say which package runs the script. */
const DIR_OPTIONS = new Set(['--prefix', '-C', '--dir', '--cwd']);
const ALL_OPTIONS = new Set(['--filter', '-F', '--workspace', '-w', '--workspaces', '-ws', '-r', '--recursive', '--all', '-A']);
const VALUED_ALL_OPTIONS = new Set(['--filter', '-F', '--workspace', '-w']);

/** A package manager running a package.json script: which script, with what arguments, in which package. */
export type ScriptCall = { script: string; args: string[]; dir?: string; all: boolean };

export function scriptCall(words: readonly string[]): ScriptCall | undefined {
  const pm = words[0];
  if (pm !== 'npm' && pm !== 'pnpm' && pm !== 'yarn' && pm !== 'bun') return undefined;
  let i = 1;
  let dir: string | undefined;
  let all = false;
  const options = () => {
    while (i < words.length && words[i]!.startsWith('-') && words[i] !== '--') {
      const word = words[i]!;
      const eq = word.indexOf('=');
      const flag = eq === -1 ? word : word.slice(0, eq);
      // pnpm's `-w` is the workspace root, npm's names a workspace.
      if (DIR_OPTIONS.has(flag) || (flag === '-w' && pm === 'pnpm')) {
        if (flag !== '-w') dir = eq === -1 ? words[++i] : word.slice(eq + 1);
      } else if (ALL_OPTIONS.has(flag)) {
        all = true;
        if (eq === -1 && VALUED_ALL_OPTIONS.has(flag)) i++;
      }
      i++;
    }
  };
  options();
  let sub = words[i];
  if (pm === 'yarn' && sub === 'workspace') {
    all = true; // `yarn workspace NAME script`: the package is named, not placed
    i += 2;
    sub = words[i];
  }
  if (sub === 'run' || sub === 'run-script') {
    i++;
    options();
  } else if (sub === undefined) return undefined;
  else if (pm === 'npm' && sub !== 'start' && sub !== 'test') return undefined;
  else if ((pm === 'pnpm' && PNPM_BUILTINS.has(sub)) || (pm === 'yarn' && YARN_BUILTINS.has(sub)) || (pm === 'bun' && BUN_BUILTINS.has(sub))) return undefined;
  const script = words[i];
  if (script === undefined || script.startsWith('-')) return undefined;
  const rest = words.slice(i + 1);
  const dash = rest.indexOf('--');
  // Arguments after the script name go to it (after `--` for npm, which keeps its own options).
  const args = dash !== -1 ? rest.slice(dash + 1) : rest.filter((w) => !/^--(?:if-present|silent|workspace|workspaces|filter|prefix)(?:=|$)/.test(w));
  return { script, args, ...(dir !== undefined ? { dir } : {}), all };
}

/** `turbo run deploy`, `lerna run deploy`, `nx run-many -t deploy`: the script of every package that has it. */
export function taskRunnerScript(tool: string, args: readonly string[]): string | undefined {
  if (tool === 'turbo' || tool === 'lerna') {
    const i = args[0] === 'run' ? 1 : tool === 'turbo' ? 0 : -1;
    const task = i === -1 ? undefined : args[i];
    return task && !task.startsWith('-') ? task : undefined;
  }
  if (tool === 'nx' && args[0] === 'run-many') {
    const i = args.findIndex((a) => a === '-t' || a === '--target' || a === '--targets');
    return i === -1 ? undefined : args[i + 1];
  }
  return undefined;
}

