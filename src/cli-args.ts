/** Parses the command line into options; every mistake is a ConfigurationError (exit 2). Pure. */
import { parseArgs } from 'node:util';
import { FAIL_ON_VALUES, type FailOn } from './config.js';
import { DEFAULT_CACHE_LOCATION, DEFAULT_CLOUDFLARE_API, DEFAULT_SMOKE_PATHS, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { ConfigurationError } from './errors.js';
import { PARSER_CHOICES, type ParserChoice } from './usage/parsers/index.js';
import { RULES } from './rules/index.js';
import { isLiveRule } from './rules/rule.js';
import { isProjectRef } from './supabase/urls.js';

export const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export type CliCommand =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'baseline'; root: string; output?: string; config?: string; env?: string; parser?: ParserChoice }
  | { command: 'verify'; check: CheckCommand; workerUrl?: string; smokePaths: string[]; timeoutMs: number; cloudflareAccountId?: string; cloudflareApiUrl?: string; supabaseUrls: Map<string, string> }
  | CheckCommand;

export type CheckCommand = {
      command: 'check';
      root: string;
      env?: string;
      format: Format;
      output?: string;
      config?: string;
      failOn?: FailOn;
      colour?: boolean;
      baseline?: string;
      /** `--cache` / `--cache-location DIR`: keep module facts between runs in DIR. */
      cacheLocation?: string;
      /** `--threads N`: parse threads (default: the machine's). */
      threads?: number;
      /** `--parser`: which parser reads the code (default auto: oxc where it runs, else Babel). */
      parser?: ParserChoice;
    };

/** The rules part of --help, from the catalogue: the static rules, then the live ones, wrapped. */
function rulesHelp(): string {
  const ids = (live: boolean) => RULES.filter((r) => isLiveRule(r) === live).map((r) => r.id).join(', ');
  const lines: string[] = [];
  for (const word of `Rules: ${ids(false)}; live (verify): ${ids(true)}.`.split(' ')) {
    if (lines.length > 0 && `${lines[lines.length - 1]} ${word}`.length <= 88) lines[lines.length - 1] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

export const HELP = `deploy-guard: checks that a repository's frontends and Cloudflare Workers agree on their
Supabase project, before a pull request merges or a deploy runs.

Usage:
  deploy-guard check [ROOT] [options]
  deploy-guard [ROOT] [options]          (same as check)
  deploy-guard verify [ROOT] --env NAME [--worker-url URL --smoke-path PATH ...]
                       check, then live checks against Supabase for NAME: each key is
                       accepted by its project; with --worker-url, the smoke test signs
                       in DEPLOY_GUARD_SMOKE_EMAIL / DEPLOY_GUARD_SMOKE_PASSWORD against
                       the frontend's project and calls each --smoke-path on the Worker.
  deploy-guard baseline [ROOT] [--output FILE]
                       Record the current findings (by meaning, not line) so that
                       check --baseline FILE fails only on new ones. Default file:
                       ROOT/deploy-guard.baseline.json.

Arguments:
  ROOT                 The repository folder to check (default: the current folder).

Options:
  --env NAME           Check as the deploy of environment NAME: values of the process
                       environment whose names the Worker or frontend declares (in .env*,
                       .dev.vars*, secrets.required, *.example) are taken as the values
                       deployed to NAME. They are compared, never printed. Without --env
                       the process environment is ignored.
  --format FORMAT      text (default), json, markdown (the PR comment) or sarif (SARIF
                       2.1.0 for GitHub code scanning).
  --output FILE        Write the report to FILE instead of standard output.
  --config FILE        Config file (default: ROOT/deploy-guard.config.json when present).
  --fail-on LEVEL      Exit 1 when a finding is at or above LEVEL: error (default),
                       warning, note, or never.
  --baseline FILE      Ignore the findings recorded in FILE (see deploy-guard baseline).
  --cache              Keep what was learnt of each code module between runs, keyed by its
                       content, so the next run parses only changed modules (same output).
  --cache-location DIR Where --cache keeps it (implies --cache; default
                       ${DEFAULT_CACHE_LOCATION}).
  --threads N          Parse code in N threads when there is enough of it (default: the
                       cores other processes leave idle; 1: none). The report does not
                       depend on N.
  --parser NAME        auto (default): oxc where it can run (Node 22+, linux-x64), else
                       Babel; oxc or babel to choose. The report does not depend on it.
  --worker-url URL     verify: the deployed Worker the smoke test calls.
  --smoke-path PATH    verify: a path to call with the test user's token (repeatable).
  --timeout SECONDS    verify: deadline per request, body included (default ${DEFAULT_TIMEOUT_MS / 1000}).
  --cloudflare-account-id ID
                       verify: also check the deployed Workers through the Cloudflare
                       API (token in CLOUDFLARE_API_TOKEN, read-only permissions;
                       account also from CLOUDFLARE_ACCOUNT_ID).
  --cloudflare-api-url URL
                       verify: API base (default ${DEFAULT_CLOUDFLARE_API}).
  --supabase-url REF=URL
                       verify: reach project REF at URL instead of https://REF.supabase.co
                       (a proxy or gateway; repeatable).

Suppressing one finding: put a comment on the line above it,
  # deploy-guard-disable-next-line RULE -- reason      (TOML, .env, .dev.vars)
  // deploy-guard-disable-next-line RULE -- reason     (code, JSONC)
A comment that suppresses nothing is reported as a note (unused-suppression).
  --no-color           Plain text even on a terminal (NO_COLOR is honoured too).
  -h, --help           Show this help.
  -v, --version        Show the version.

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  deploy-guard itself could not run (bad flags, unreadable folder, invalid config)

${rulesHelp()}
Docs: https://github.com/deploy-guard/deploy-guard/tree/main/docs/rules
`;

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        env: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        config: { type: 'string' },
        'fail-on': { type: 'string' },
        'no-color': { type: 'boolean' },
        baseline: { type: 'string' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        threads: { type: 'string' },
        parser: { type: 'string' },
        'worker-url': { type: 'string' },
        'smoke-path': { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'cloudflare-account-id': { type: 'string' },
        'cloudflare-api-url': { type: 'string' },
        'supabase-url': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message.replace(/\. To specify.*$/s, '')}. Run deploy-guard --help for the options.`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const args = [...positionals];
  const isBaseline = args[0] === 'baseline';
  const isVerify = args[0] === 'verify';
  if (args[0] === 'check' || isBaseline || isVerify) args.shift();
  else if (args[0] === 'help') return { command: 'help' };
  if (args.length > 1) throw new ConfigurationError(`expected at most one folder to check, got: ${args.join(' ')}. Run deploy-guard --help.`);

  const parser = values.parser;
  if (parser !== undefined && !(PARSER_CHOICES as readonly string[]).includes(parser)) throw new ConfigurationError(`--parser must be one of ${PARSER_CHOICES.join(', ')} (got "${parser}").`);
  if (isBaseline) return { command: 'baseline', root: args[0] ?? '.', output: values.output, config: values.config, env: values.env, parser: parser as ParserChoice | undefined };
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new ConfigurationError(`--format must be one of ${FORMATS.join(', ')} (got "${format}").`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && !(FAIL_ON_VALUES as readonly string[]).includes(failOn)) throw new ConfigurationError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${failOn}").`);
  if (values.env !== undefined && !/^[A-Za-z0-9_.-]+$/.test(values.env)) throw new ConfigurationError(`--env must be an environment name such as production (got "${values.env}").`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) throw new ConfigurationError(`--threads must be a whole number from 1 to 256 (got "${values.threads}").`);
  const check: CheckCommand = {
    command: 'check',
    root: args[0] ?? '.',
    env: values.env,
    format: format as Format,
    output: values.output,
    config: values.config,
    failOn: failOn as FailOn | undefined,
    colour: values['no-color'] ? false : undefined,
    baseline: values.baseline,
    cacheLocation: values['cache-location'] ?? (values.cache ? DEFAULT_CACHE_LOCATION : undefined),
    threads,
    parser: parser as ParserChoice | undefined,
  };
  if (!isVerify) return check;
  if (!values.env) throw new ConfigurationError('verify needs --env NAME: the environment whose deployed values to check.');
  const smokePaths = values['smoke-path'] ?? [];
  if (smokePaths.length > 0 && !values['worker-url']) throw new ConfigurationError('--smoke-path needs --worker-url (the deployed Worker to call).');
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_TIMEOUT_MS / 1000 : Number(values.timeout);
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 120)) throw new ConfigurationError(`--timeout must be a number of seconds between 0 and 120 (got "${values.timeout}").`);
  return {
    command: 'verify', check, workerUrl: values['worker-url'], smokePaths: smokePaths.length > 0 ? smokePaths : [...DEFAULT_SMOKE_PATHS], timeoutMs: timeoutSeconds * 1000,
    cloudflareAccountId: values['cloudflare-account-id'], cloudflareApiUrl: values['cloudflare-api-url'],
    supabaseUrls: new Map((values['supabase-url'] ?? []).map((entry) => {
      const match = /^([^=]+)=(https?:\/\/\S+)$/.exec(entry);
      if (!match || !isProjectRef(match[1]!)) throw new ConfigurationError(`--supabase-url must be REF=URL, e.g. abcdefghijklmnopqrst=https://supabase.internal.example (got "${entry}").`);
      return [match[1]!, match[2]!] as [string, string];
    })),
  };
}
