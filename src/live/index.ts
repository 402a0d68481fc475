/**
 * The live stage, shared by `deploy-guard verify` and the action's `live: true`: runs the
 * Supabase checks, the smoke test and the Cloudflare checks that the given credentials allow,
 * hands what they learnt to the live rules, and folds the rules' findings into the CheckResult
 * (levels and `off` applied by src/rule-findings.ts, as for every rule; sorting; masking).
 */
import { summarize, type CheckResult } from '../check.js';
import { DEFAULT_CLOUDFLARE_API } from '../defaults.js';
import { compareFindings, reportedFindings } from '../rule-findings.js';
import { RULES } from '../rules/index.js';
import { isLiveRule } from '../rules/rule.js';
import { Sensitive } from '../sensitive.js';
import { gatherCloudflareFacts } from './cloudflare.js';
import type { LiveFacts } from './facts.js';
import { createHttpAgent } from './http.js';
import { gatherSupabaseFacts } from './verify.js';

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
  const facts = await gatherLiveFacts(result, inputs, http);
  const live = RULES.filter(isLiveRule).flatMap((rule) => reportedFindings(rule, rule.checkLive(result.model, facts), result.config.rules[rule.id]));
  const findings = [...result.findings, ...live].sort(compareFindings);
  return { ...result, findings, summary: summarize(findings), secretTexts: [...new Set([...result.secretTexts, ...liveSecrets(inputs)])].sort() };
}

/** Asks Supabase, the Worker and Cloudflare what the credentials allow; says in the log what was skipped and why. */
async function gatherLiveFacts(result: CheckResult, inputs: LiveInputs, http: { timeoutMs: number; log: (line: string) => void; dispatcher: ReturnType<typeof createHttpAgent> }): Promise<LiveFacts> {
  const smoke = inputs.workerUrl && inputs.smokeEmail && inputs.smokePassword
    ? { workerUrl: inputs.workerUrl, paths: inputs.smokePaths, email: new Sensitive(inputs.smokeEmail, true), password: new Sensitive(inputs.smokePassword, true) }
    : undefined;
  if (inputs.workerUrl && !smoke) inputs.log("the smoke test is skipped: set DEPLOY_GUARD_SMOKE_EMAIL and DEPLOY_GUARD_SMOKE_PASSWORD (a test user of the frontend's project).");
  const supabase = await gatherSupabaseFacts(result.model, { environment: inputs.environment, smoke, http, supabaseUrls: inputs.supabaseUrls });
  let cloudflare: LiveFacts['cloudflare'];
  if (inputs.cloudflareAccountId && inputs.cloudflareToken) {
    cloudflare = await gatherCloudflareFacts(result.model, inputs.environment, {
      apiUrl: inputs.cloudflareApiUrl ?? DEFAULT_CLOUDFLARE_API,
      accountId: inputs.cloudflareAccountId,
      token: new Sensitive(inputs.cloudflareToken, true),
      http,
    });
  } else if (inputs.cloudflareAccountId || inputs.cloudflareToken) {
    inputs.log('the Cloudflare checks are skipped: they need both an API token (CLOUDFLARE_API_TOKEN) and an account id.');
  }
  return { environment: inputs.environment, ...supabase, ...(cloudflare ? { cloudflare } : {}) };
}
