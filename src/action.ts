/**
 * The GitHub Action: reads inputs, runs the same pipeline as the CLI, then writes annotations,
 * the job summary and the outputs, and fails the step when findings reach `fail-on`.
 * Every secret value read is registered with `core.setSecret` before anything is logged.
 */
import path from 'node:path';
import * as core from '@actions/core';
import { reachesThreshold, runCheck, SEVERITY_RANK, type CheckResult } from './check.js';
import { redactFailure, redactor } from './classify.js';
import { FAIL_ON_VALUES, type FailOn } from './config.js';
import { ConfigurationError, describeFailure } from './errors.js';
import type { Finding, Severity } from './model.js';
import { formatMarkdown } from './report/markdown.js';
import { summaryLine } from './report/view.js';
import { formatSarif } from './report/sarif.js';
import { VERSION } from './version.js';
import fs from 'node:fs';
import { docsUrl } from './rules/rule.js';
import { buildCommentBody, pullRequestFrom, upsertStickyComment } from './comment-pr.js';
import { liveSecrets, withLiveChecks, type LiveInputs } from './live/index.js';
import { withActionCache } from './action-cache.js';

/** GitHub shows at most 10 annotations of each kind per step; the rest are dropped silently. */
export const ANNOTATIONS_PER_KIND = 10;

type ActionInputs = {
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
};

function parseBoolean(value: string, input: string): boolean {
  if (value === '' || /^(false|no|off|0)$/i.test(value)) return false;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  throw new ConfigurationError(`input ${input} must be true or false (got "${value}").`);
}

function readInputs(): ActionInputs {
  const failOn = core.getInput('fail-on') || undefined;
  if (failOn !== undefined && !(FAIL_ON_VALUES as readonly string[]).includes(failOn)) {
    throw new ConfigurationError(`input fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${failOn}").`);
  }
  return {
    workingDirectory: core.getInput('working-directory') || '.',
    environment: core.getInput('environment') || undefined,
    config: core.getInput('config') || undefined,
    failOn: failOn as FailOn | undefined,
    baseline: core.getInput('baseline') || undefined,
    sarifFile: core.getInput('sarif-file') || undefined,
    comment: parseBoolean(core.getInput('comment'), 'comment'),
    githubToken: core.getInput('github-token') || undefined,
    live: parseBoolean(core.getInput('live'), 'live'),
    workerUrl: core.getInput('worker-url') || undefined,
    smokePaths: core.getInput('smoke-paths').split('\n').map((p) => p.trim()).filter((p) => p !== ''),
    cloudflareToken: core.getInput('cloudflare-api-token') || undefined,
    accountId: core.getInput('account-id') || undefined,
  };
}

/** Prefix that turns a root-relative path into a workspace-relative one (annotations need that). */
function workspacePrefix(root: string): string {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const rel = path.relative(workspace, root).split(path.sep).join('/');
  return rel === '' || rel.startsWith('..') ? '' : `${rel}/`;
}

const ANNOTATE: Record<Severity, (message: string, props: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  note: core.notice,
};

/** Most severe first, at most 10 per kind, then one notice saying how many more the summary holds. */
export function selectAnnotations(findings: readonly Finding[]): { shown: Finding[]; hidden: number } {
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const perKind: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  const shown: Finding[] = [];
  for (const f of sorted) {
    // The overflow notice itself takes one notice slot.
    const cap = f.severity === 'note' ? ANNOTATIONS_PER_KIND - 1 : ANNOTATIONS_PER_KIND;
    if (perKind[f.severity] < cap) {
      perKind[f.severity]++;
      shown.push(f);
    }
  }
  return { shown, hidden: findings.length - shown.length };
}

function annotate(result: CheckResult, prefix: string, redact: (text: string) => string): void {
  const { shown, hidden } = selectAnnotations(result.findings);
  for (const f of shown) {
    const message = redact(`${f.message}\n${docsUrl(f.rule)}`);
    ANNOTATE[f.severity](message, { title: `deploy-guard: ${f.rule}`, file: `${prefix}${f.file}`, startLine: f.line, startColumn: f.column });
  }
  if (hidden > 0) core.notice(`deploy-guard found ${hidden} more findings than GitHub shows as annotations; see the job summary for all of them.`, { title: 'deploy-guard' });
}

/**
 * The sticky PR comment. Needs `pull-requests: write`; on a fork PR or with a read-only token the
 * API answers 403, which is a warning, never a failure of the step.
 */
async function commentOnPullRequest(inputs: ActionInputs, markdown: string): Promise<void> {
  const event = readEvent();
  const pr = pullRequestFrom(event, process.env.GITHUB_REPOSITORY);
  if (!pr) {
    core.info('deploy-guard: comment: true, but this run is not for a pull request; no comment written.');
    return;
  }
  const token = inputs.githubToken ?? process.env.GITHUB_TOKEN;
  if (!token) {
    core.warning('deploy-guard: comment: true needs a token (input github-token, usually ${{ github.token }}); no comment written.');
    return;
  }
  const summaryUrl = process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY && process.env.GITHUB_RUN_ID
    ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
    : undefined;
  const outcome = await upsertStickyComment(
    { apiUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com', token, ...pr },
    buildCommentBody(markdown, summaryUrl),
  );
  if (outcome.status === 'created' || outcome.status === 'updated') core.info(`deploy-guard: PR comment ${outcome.status}.`);
  else if (outcome.status === 'forbidden') core.warning(`deploy-guard: could not write the PR comment (${outcome.message}). A fork's pull request or a read-only token cannot comment; the annotations and the job summary still hold every finding.`);
  else if (outcome.status === 'failed') core.warning(`deploy-guard: could not write the PR comment: ${outcome.message}`);
}

function readEvent(): unknown {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function runAction(): Promise<void> {
  try {
    const inputs = readInputs();
    if (inputs.live && !inputs.environment) throw new ConfigurationError('input live: true needs the input environment (the environment whose deployment to verify).');
    const liveInputs: LiveInputs | undefined = inputs.live
      ? {
          environment: inputs.environment!,
          workerUrl: inputs.workerUrl,
          smokePaths: inputs.smokePaths.length > 0 ? inputs.smokePaths : ['/'],
          smokeEmail: process.env.DEPLOY_GUARD_SMOKE_EMAIL,
          smokePassword: process.env.DEPLOY_GUARD_SMOKE_PASSWORD,
          cloudflareAccountId: inputs.accountId,
          cloudflareToken: inputs.cloudflareToken,
          cloudflareApiUrl: process.env.CLOUDFLARE_API_BASE_URL,
          timeoutMs: 10_000,
          log: (line) => core.info(`deploy-guard: ${line}`),
        }
      : undefined;
    for (const secret of liveInputs ? liveSecrets(liveInputs) : []) core.setSecret(secret);
    const root = path.resolve(inputs.workingDirectory);
    // Paths in inputs are relative to working-directory, like everything the check reports.
    const staticResult = await withActionCache(parseBoolean(core.getInput('cache'), 'cache'), (factsStore) => runCheck({
      root, factsStore,
      deployEnvironment: inputs.environment,
      processEnv: inputs.environment ? process.env : undefined,
      configPath: inputs.config ? path.resolve(root, inputs.config) : undefined,
      configDisplayPath: inputs.config,
      overrides: { failOn: inputs.failOn },
      baselinePath: inputs.baseline ? path.resolve(root, inputs.baseline) : undefined,
    }));
    for (const secret of staticResult.secretTexts) core.setSecret(secret);
    const result = liveInputs ? await withLiveChecks(staticResult, liveInputs) : staticResult;

    // One search built over all secrets, applied to every output channel.
    const redact = redactor(result.secretTexts);
    annotate(result, workspacePrefix(root), redact);
    const markdown = redact(formatMarkdown(result));
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    core.setOutput('errors', String(result.summary.errors));
    core.setOutput('warnings', String(result.summary.warnings));
    core.setOutput('findings', redact(JSON.stringify(result.findings)));
    let sarifPath = '';
    if (inputs.sarifFile) {
      sarifPath = path.resolve(root, inputs.sarifFile);
      fs.mkdirSync(path.dirname(sarifPath), { recursive: true });
      fs.writeFileSync(sarifPath, redact(formatSarif(result, { version: VERSION })));
    }
    core.setOutput('sarif-file', sarifPath);
    if (inputs.comment) await commentOnPullRequest(inputs, markdown);

    const line = `deploy-guard: ${summaryLine(result)}.`;
    if (reachesThreshold(result.findings, result.config.failOn)) core.setFailed(`${line} Failing because findings reach fail-on "${result.config.failOn}".`);
    else core.info(line);
  } catch (error) {
    // Last resort: the message of an unexpected error may quote input text, so it is redacted too.
    core.setFailed(redactFailure(describeFailure(error).message));
  }
}
