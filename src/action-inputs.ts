/**
 * The action's inputs, read from the environment it is handed. The runner passes input `NAME` as
 * `INPUT_NAME` (spaces as `_`, upper case, dashes kept), which is all `core.getInput` does; reading
 * the injected env here instead of `core.getInput` (which reads `process.env`) lets tests run the
 * action in-process with their own environment.
 */
import { FAIL_ON_VALUES, type FailOn } from './config.js';
import { ConfigurationError } from './errors.js';

export type ActionInputs = {
  workingDirectory: string;
  environment?: string;
  config?: string;
  failOn?: FailOn;
  baseline?: string;
  sarifFile?: string;
  comment: boolean;
  githubToken?: string;
  live: boolean;
  workerUrl?: string;
  smokePaths: string[];
  cloudflareToken?: string;
  accountId?: string;
  /** Keep the module facts cache between runs with @actions/cache (src/action-cache.ts). */
  cache: boolean;
};

type Env = Readonly<Record<string, string | undefined>>;

/** One input, trimmed, '' when unset (as `core.getInput`). */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function parseBoolean(value: string, name: string): boolean {
  if (value === '' || /^(false|no|off|0)$/i.test(value)) return false;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  throw new ConfigurationError(`input ${name} must be true or false (got "${value}").`);
}

export function readInputs(env: Env): ActionInputs {
  const optional = (name: string) => input(env, name) || undefined;
  const failOn = optional('fail-on');
  if (failOn !== undefined && !(FAIL_ON_VALUES as readonly string[]).includes(failOn)) {
    throw new ConfigurationError(`input fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${failOn}").`);
  }
  return {
    workingDirectory: input(env, 'working-directory') || '.',
    environment: optional('environment'),
    config: optional('config'),
    failOn: failOn as FailOn | undefined,
    baseline: optional('baseline'),
    sarifFile: optional('sarif-file'),
    comment: parseBoolean(input(env, 'comment'), 'comment'),
    githubToken: optional('github-token'),
    live: parseBoolean(input(env, 'live'), 'live'),
    workerUrl: optional('worker-url'),
    smokePaths: input(env, 'smoke-paths').split('\n').map((p) => p.trim()).filter((p) => p !== ''),
    cloudflareToken: optional('cloudflare-api-token'),
    accountId: optional('account-id'),
    cache: parseBoolean(input(env, 'cache'), 'cache'),
  };
}
