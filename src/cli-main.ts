/** The `deploy-guard` command: a thin shell choosing a formatter and an exit code. */
import fs from 'node:fs';
import path from 'node:path';
import { evaluateRepository, reachesThreshold, runCheck, settle, type CheckOptions, type CheckResult, type Evaluated } from './check.js';
import { withAnalysisCache } from './usage/analysis-cache.js';
import { toolIdentity } from './usage/cache-files.js';
import { parseCli, HELP, type CheckCommand, type CliCommand } from './cli-args.js';
import { redactFailure, redactText } from './classify.js';
import { BASELINE_FILE_NAME } from './defaults.js';
import { describeFailure } from './errors.js';
import { formatJson } from './report/json.js';
import { formatMarkdown } from './report/markdown.js';
import { workspacePrefix } from './report/links.js';
import { formatSarif } from './report/sarif.js';
import { plural, summaryLine } from './report/view.js';
import { formatText } from './report/text.js';
import { VERSION } from './version.js';
import { makeBaseline } from './suppress.js';
import { prepareParser } from './usage/parsers/index.js';

export type Io = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  isTty: boolean;
};

/** The root as the user named it (relative stays relative), with forward slashes. */
function displayRoot(cwd: string, target: string): string {
  if (path.isAbsolute(target)) return target.split(path.sep).join('/');
  const rel = path.relative(cwd, path.resolve(cwd, target));
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

/**
 * What makes SARIF paths repository-relative when the checked folder is below the repository's
 * top (`deploy-guard check app --format sarif`): code scanning resolves URIs from the repository
 * root (see src/report/sarif.ts). The top is the nearest folder above with a `.git` (a folder, or
 * a file in a worktree or submodule); none: paths stay relative to the checked folder.
 */
function repositoryPrefix(root: string): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return workspacePrefix(root, dir);
    if (path.dirname(dir) === dir) return '';
  }
}

function check(command: CheckCommand, io: Io): CheckResult {
  return settle(evaluated(command, io));
}

/** The findings before suppression, with the analysis cache around the run when asked for. */
function evaluated(command: CheckCommand, io: Io): Evaluated {
  if (command.cacheLocation) {
    const location = path.resolve(io.cwd, command.cacheLocation);
    return withAnalysisCache(location, toolIdentity(VERSION, process.argv[1]), (text) => io.stderr(`deploy-guard: ${text}\n`), (cache) => evaluateRepository({ ...checkOptions(command, io), cache }));
  }
  return evaluateRepository(checkOptions(command, io));
}

function checkOptions(command: CheckCommand, io: Io): CheckOptions {
  return {
    root: path.resolve(io.cwd, command.root),
    deployEnvironment: command.env,
    processEnv: command.env ? io.env : undefined,
    configPath: command.config ? path.resolve(io.cwd, command.config) : undefined,
    configDisplayPath: command.config,
    overrides: { failOn: command.failOn },
    baselinePath: command.baseline ? path.resolve(io.cwd, command.baseline) : undefined,
    threads: command.threads,
  };
}

function report(command: CheckCommand, result: CheckResult, io: Io): number {
  const failOn = result.config.failOn;
  const colour = command.colour ?? (io.isTty && !command.output && io.env.NO_COLOR === undefined);
  const report =
    command.format === 'json' ? formatJson(result, { root: displayRoot(io.cwd, command.root) })
    : command.format === 'markdown' ? formatMarkdown(result)
    : command.format === 'sarif' ? formatSarif(result, { version: VERSION, pathPrefix: repositoryPrefix(path.resolve(io.cwd, command.root)) })
    : formatText(result, { colour, failOn });
  // Formatters never receive secret text; this is the last line of defence all the same.
  const safe = redactText(report, result.secretTexts);
  if (command.output) {
    fs.mkdirSync(path.dirname(path.resolve(io.cwd, command.output)), { recursive: true });
    fs.writeFileSync(path.resolve(io.cwd, command.output), safe);
    io.stderr(`deploy-guard: ${summaryLine(result)}; report written to ${command.output}\n`);
  } else {
    io.stdout(safe);
  }
  return reachesThreshold(result.findings, failOn) ? 1 : 0;
}

function writeBaseline(command: Extract<CliCommand, { command: 'baseline' }>, io: Io): number {
  const root = path.resolve(io.cwd, command.root);
  const result = runCheck({
    root,
    deployEnvironment: command.env,
    processEnv: command.env ? io.env : undefined,
    configPath: command.config ? path.resolve(io.cwd, command.config) : undefined,
    configDisplayPath: command.config,
  });
  const file = command.output ? path.resolve(io.cwd, command.output) : path.join(root, BASELINE_FILE_NAME);
  fs.writeFileSync(file, `${JSON.stringify(makeBaseline(result.findings), null, 2)}\n`);
  io.stderr(`deploy-guard: recorded ${plural(result.findings.length, 'finding')} in ${path.relative(io.cwd, file) || file}; run check --baseline with it to fail only on new ones.\n`);
  return 0;
}

/** check, then the live checks; their findings join the static ones in every format. */
async function verify(command: Extract<CliCommand, { command: 'verify' }>, io: Io): Promise<number> {
  // Loaded here, not at the top: the live stage brings undici, whose start-up was about a third
  // of a warm `check` run's. "eager" keeps it inside dist/cli.js (no chunk file), evaluated on first use.
  const { liveFindings, liveSecrets } = await import(/* webpackMode: "eager" */ './live/index.js');
  const before = evaluated(command.check, io);
  const live = {
    environment: command.check.env!,
    workerUrl: command.workerUrl,
    smokePaths: command.smokePaths,
    smokeEmail: io.env.DEPLOY_GUARD_SMOKE_EMAIL,
    smokePassword: io.env.DEPLOY_GUARD_SMOKE_PASSWORD,
    cloudflareAccountId: command.cloudflareAccountId ?? io.env.CLOUDFLARE_ACCOUNT_ID,
    cloudflareToken: io.env.CLOUDFLARE_API_TOKEN,
    cloudflareApiUrl: command.cloudflareApiUrl ?? io.env.CLOUDFLARE_API_BASE_URL,
    timeoutMs: command.timeoutMs,
    supabaseUrls: command.supabaseUrls,
    log: (line: string) => io.stderr(`deploy-guard: ${line}\n`),
  };
  // Live findings join the static ones before suppression: directives and the baseline apply to both, once.
  const result = settle(before, await liveFindings(before.model, before.config, live), liveSecrets(live));
  return report(command.check, result, io);
}

export function main(argv: readonly string[], io: Io): number | Promise<number> {
  try {
    const command = parseCli(argv);
    if (command.command === 'help') {
      io.stdout(HELP);
      return 0;
    }
    if (command.command === 'version') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const fail = (error: unknown) => failure(error, io);
    const run = (): number | Promise<number> => {
      if (command.command === 'baseline') return writeBaseline(command, io);
      if (command.command === 'verify') return verify(command, io).catch(fail);
      return report(command, check(command, io), io);
    };
    // oxc loads asynchronously (where it can run at all); Babel needs nothing, so the run stays synchronous.
    const parser = prepareParser((command.command === 'verify' ? command.check : command).parser);
    if (typeof parser === 'string') return run();
    return parser.then(run).catch(fail);
  } catch (error) {
    return failure(error, io);
  }
}

function failure(error: unknown, io: Io): number {
  // Last resort: the message of an unexpected error may quote input text, so it is redacted too.
  io.stderr(`deploy-guard: ${redactFailure(describeFailure(error).message)}\n`);
  return 2;
}

