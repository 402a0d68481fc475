/**
 * The live stage, shared by `deploy-guard verify` and the action's `live: true`: runs the
 * Supabase checks, the smoke test and the Cloudflare checks that the given credentials allow, and
 * folds their findings into a CheckResult (configured severities, `off`, sorting, masking).
 */
import { compareFindings, summarize, type CheckResult } from '../check.js';
import type { Finding } from '../model.js';
import { Sensitive } from '../sensitive.js';
import { verifyCloudflare } from './cloudflare.js';
import { createHttpAgent } from './http.js';
import { verifyLive } from './verify.js';

export type LiveInputs = {
  environment: string;
  workerUrl?: string;
  smokePaths: string[];
  smokeEmail?: string;
  smokePassword?: string;
  cloudflareAccountId?: string;
  cloudflareToken?: string;
  cloudflareApiUrl?: string;
  timeoutMs: number;
  /** Project ref → base URL to reach it at (proxies, self-hosting, test stand-ins). */
  supabaseUrls?: ReadonlyMap<string, string>;
  /** Progress (requests by method and host) and why a part was skipped. */
  log: (line: string) => void;
};

export const DEFAULT_CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4';

/** Secrets the live stage handles, to be masked before anything is logged. */
export function liveSecrets(inputs: LiveInputs): string[] {
  return [inputs.smokeEmail, inputs.smokePassword, inputs.cloudflareToken].filter((v): v is string => Boolean(v));
}

export async function withLiveChecks(result: CheckResult, inputs: LiveInputs): Promise<CheckResult> {
  // One undici Agent for the whole stage (connections reused across checks), closed at the end so
  // no idle socket keeps the process alive.
  const dispatcher = createHttpAgent(inputs.timeoutMs);
  try {
    return await liveStage(result, inputs, { timeoutMs: inputs.timeoutMs, log: inputs.log, dispatcher });
  } finally {
    await dispatcher.close();
  }
}

async function liveStage(result: CheckResult, inputs: LiveInputs, http: { timeoutMs: number; log: (line: string) => void; dispatcher: ReturnType<typeof createHttpAgent> }): Promise<CheckResult> {
  const smoke = inputs.workerUrl && inputs.smokeEmail && inputs.smokePassword
    ? { workerUrl: inputs.workerUrl, paths: inputs.smokePaths, email: new Sensitive(inputs.smokeEmail, true), password: new Sensitive(inputs.smokePassword, true) }
    : undefined;
  if (inputs.workerUrl && !smoke) inputs.log("the smoke test is skipped: set DEPLOY_GUARD_SMOKE_EMAIL and DEPLOY_GUARD_SMOKE_PASSWORD (a test user of the frontend's project).");
  const live = await verifyLive(result.model, { environment: inputs.environment, smoke, http, supabaseUrls: inputs.supabaseUrls });
  if (inputs.cloudflareAccountId && inputs.cloudflareToken) {
    live.push(...(await verifyCloudflare(result.model, inputs.environment, {
      apiUrl: inputs.cloudflareApiUrl ?? DEFAULT_CLOUDFLARE_API,
      accountId: inputs.cloudflareAccountId,
      token: new Sensitive(inputs.cloudflareToken, true),
      http,
    })));
  } else if (inputs.cloudflareAccountId || inputs.cloudflareToken) {
    inputs.log('the Cloudflare checks are skipped: they need both an API token (CLOUDFLARE_API_TOKEN) and an account id.');
  }
  const configured = (f: Finding): Finding[] => {
    const setting = result.config.rules[f.rule];
    return setting === 'off' ? [] : [{ ...f, severity: setting ?? f.severity }];
  };
  const findings = [...result.findings, ...live.flatMap(configured)].sort(compareFindings);
  return { ...result, findings, summary: summarize(findings), secretTexts: [...new Set([...result.secretTexts, ...liveSecrets(inputs)])].sort() };
}
