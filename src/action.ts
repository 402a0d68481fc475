/**
 * The GitHub Action: reads inputs, runs the same pipeline as the CLI, then writes annotations,
 * the job summary and the outputs, and fails the step when findings reach `fail-on`.
 * Every secret value read is registered with `setSecret` before anything is logged.
 * All I/O goes through the `ActionIo` handed in (src/action-io.ts); src/index.ts hands in the real one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { evaluateRepository, reachesThreshold, settle, type CheckResult } from './check.js';
import { redactFailure, redactor } from './classify.js';
import { DEFAULT_SMOKE_PATHS, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { ConfigurationError, describeFailure } from './errors.js';
import { planAnnotations } from './annotations.js';
import type { Annotation, ActionIo } from './action-io.js';
import { readInputs, type ActionInputs } from './action-inputs.js';
import { formatMarkdown } from './report/markdown.js';
import { sourceLinksFromEnv, workspacePrefix } from './report/links.js';
import { summaryLine } from './report/view.js';
import { formatSarif } from './report/sarif.js';
import { VERSION } from './version.js';
import { buildCommentBody, pullRequestFrom, upsertStickyComment } from './comment-pr.js';
import { liveFindings, liveSecrets, type LiveInputs } from './live/index.js';
import { prepareParser } from './usage/parsers/index.js';
import { withActionCache } from './action-cache.js';


/**
 * The sticky PR comment. Needs `pull-requests: write`; on a fork PR or with a read-only token the
 * API answers 403, which is a warning, never a failure of the step. Returns that warning, if any,
 * so it is written with a reserved slot (src/annotations.ts).
 */
async function commentOnPullRequest(inputs: ActionInputs, markdown: string, io: ActionIo): Promise<Annotation | undefined> {
  const { env } = io;
  const pr = pullRequestFrom(readEvent(env.GITHUB_EVENT_PATH), env.GITHUB_REPOSITORY);
  if (!pr) {
    io.runner.info('deploy-guard: comment: true, but this run is not for a pull request; no comment written.');
    return undefined;
  }
  const token = inputs.githubToken ?? env.GITHUB_TOKEN;
  if (!token) return { kind: 'warning', message: 'deploy-guard: comment: true needs a token (input github-token, usually ${{ github.token }}); no comment written.' };
  const summaryUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const outcome = await upsertStickyComment({ apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com', token, ...pr }, buildCommentBody(markdown, summaryUrl));
  if (outcome.status === 'forbidden') return { kind: 'warning', message: `deploy-guard: could not write the PR comment (${outcome.message}). A fork's pull request or a read-only token cannot comment; the annotations and the job summary still hold every finding.` };
  if (outcome.status === 'failed') return { kind: 'warning', message: `deploy-guard: could not write the PR comment: ${outcome.message}` };
  io.runner.info(`deploy-guard: PR comment ${outcome.status}.`);
  return undefined;
}

function readEvent(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function liveInputsOf(inputs: ActionInputs, io: ActionIo): LiveInputs | undefined {
  if (!inputs.live) return undefined;
  if (!inputs.environment) throw new ConfigurationError('input live: true needs the input environment (the environment whose deployment to verify).');
  return {
    environment: inputs.environment,
    workerUrl: inputs.workerUrl,
    smokePaths: inputs.smokePaths.length > 0 ? inputs.smokePaths : [...DEFAULT_SMOKE_PATHS],
    smokeEmail: io.env.DEPLOY_GUARD_SMOKE_EMAIL,
    smokePassword: io.env.DEPLOY_GUARD_SMOKE_PASSWORD,
    cloudflareAccountId: inputs.accountId,
    cloudflareToken: inputs.cloudflareToken,
    cloudflareApiUrl: io.env.CLOUDFLARE_API_BASE_URL,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    log: (line) => io.runner.info(`deploy-guard: ${line}`),
  };
}

async function check(inputs: ActionInputs, io: ActionIo): Promise<CheckResult> {
  const live = liveInputsOf(inputs, io);
  for (const secret of live ? liveSecrets(live) : []) io.runner.setSecret(secret);
  const root = path.resolve(io.cwd, inputs.workingDirectory);
  // oxc on the runner's Node 24 where its binding is in dist/ (linux-x64), else Babel (usage/parsers).
  await prepareParser('auto');
  // Paths in inputs are relative to working-directory, like everything the check reports.
  const before = await withActionCache(inputs.cache, { env: io.env, info: (line) => io.runner.info(line) }, (cache) => evaluateRepository({
    root,
    cache,
    deployEnvironment: inputs.environment,
    processEnv: inputs.environment ? io.env : undefined,
    configPath: inputs.config ? path.resolve(root, inputs.config) : undefined,
    configDisplayPath: inputs.config,
    overrides: { failOn: inputs.failOn },
    baselinePath: inputs.baseline ? path.resolve(root, inputs.baseline) : undefined,
  }));
  for (const secret of before.secretTexts) io.runner.setSecret(secret);
  // Live findings join the static ones before suppression: directives and the baseline apply to both, once.
  return live ? settle(before, await liveFindings(before.model, before.config, live), liveSecrets(live)) : settle(before);
}

export async function runAction(io: ActionIo): Promise<void> {
  const { runner } = io;
  try {
    const inputs = readInputs(io.env);
    const result = await check(inputs, io);
    const prefix = workspacePrefix(result.root, io.env.GITHUB_WORKSPACE ?? io.cwd);
    // One search built over all secrets, applied to every output channel.
    const redact = redactor(result.secretTexts);
    const markdown = redact(formatMarkdown(result, { links: sourceLinksFromEnv(io.env, prefix) }));
    await runner.appendSummary(markdown);
    runner.setOutput('errors', String(result.summary.errors));
    runner.setOutput('warnings', String(result.summary.warnings));
    runner.setOutput('findings', redact(JSON.stringify(result.findings)));
    let sarifPath = '';
    if (inputs.sarifFile) {
      sarifPath = path.resolve(result.root, inputs.sarifFile);
      fs.mkdirSync(path.dirname(sarifPath), { recursive: true });
      fs.writeFileSync(sarifPath, redact(formatSarif(result, { version: VERSION, pathPrefix: prefix })));
    }
    runner.setOutput('sarif-file', sarifPath);
    const commentWarning = inputs.comment ? await commentOnPullRequest(inputs, markdown, io) : undefined;

    // The action's own messages take their slots first, so GitHub (10 per kind per step) never drops them.
    const fails = reachesThreshold(result.findings, result.config.failOn);
    const plan = planAnnotations(result.findings, { error: fails ? 1 : 0, warning: commentWarning ? 1 : 0 }, prefix);
    for (const annotation of [...plan.findings, ...(plan.overflow ? [plan.overflow] : []), ...(commentWarning ? [commentWarning] : [])]) {
      runner.annotate({ ...annotation, message: redact(annotation.message), ...(annotation.title ? { title: redact(annotation.title) } : {}) });
    }
    const line = `deploy-guard: ${summaryLine(result)}.`;
    if (fails) runner.setFailed(`${line} Failing because findings reach fail-on "${result.config.failOn}".`);
    else runner.info(line);
  } catch (error) {
    // Last resort: the message of an unexpected error may quote input text, so it is redacted too.
    runner.setFailed(redactFailure(describeFailure(error).message));
  }
}
