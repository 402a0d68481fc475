/**
 * The live stage, shared by `deploy-guard verify` and the action's `live: true`: runs the
 * Supabase checks, the smoke test and the Cloudflare checks that the given credentials allow,
 * hands what they learnt to the live rules, and returns the rules' findings levelled as every
 * rule's are (src/rule-findings.ts). The caller hands them to the same suppression step as the
 * static findings (check.ts `settle`), so directives and the baseline apply to them once.
 */
import type { GuardConfig } from '../config.js';
import { DEFAULT_CLOUDFLARE_API } from '../defaults.js';
import type { DeploymentModel, Finding } from '../model.js';
import { reportedFindings } from '../rule-findings.js';
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

/** The live rules' findings on `model`, levelled by `config`; what was skipped goes to `inputs.log`. */
export async function liveFindings(model: DeploymentModel, config: GuardConfig, inputs: LiveInputs): Promise<Finding[]> {
  // One undici Agent for the whole stage (connections reused across checks), closed at the end so
  // no idle socket keeps the process alive.
  const dispatcher = createHttpAgent(inputs.timeoutMs);
  try {
    const facts = await gatherLiveFacts(model, inputs, { timeoutMs: inputs.timeoutMs, log: inputs.log, dispatcher });
    return RULES.filter(isLiveRule).flatMap((rule) => reportedFindings(rule, rule.checkLive(model, facts), config.rules[rule.id]));
  } finally {
    await dispatcher.close();
  }
}

/** Asks Supabase, the Worker and Cloudflare what the credentials allow; says in the log what was skipped and why. */
async function gatherLiveFacts(model: DeploymentModel, inputs: LiveInputs, http: { timeoutMs: number; log: (line: string) => void; dispatcher: ReturnType<typeof createHttpAgent> }): Promise<LiveFacts> {
  const smoke = inputs.workerUrl && inputs.smokeEmail && inputs.smokePassword
    ? { workerUrl: inputs.workerUrl, paths: inputs.smokePaths, email: new Sensitive(inputs.smokeEmail, true), password: new Sensitive(inputs.smokePassword, true) }
    : undefined;
  if (inputs.workerUrl && !smoke) inputs.log("the smoke test is skipped: set DEPLOY_GUARD_SMOKE_EMAIL and DEPLOY_GUARD_SMOKE_PASSWORD (a test user of the frontend's project).");
  const supabase = await gatherSupabaseFacts(model, { environment: inputs.environment, smoke, http, supabaseUrls: inputs.supabaseUrls });
  let cloudflare: LiveFacts['cloudflare'];
  if (inputs.cloudflareAccountId && inputs.cloudflareToken) {
    cloudflare = await gatherCloudflareFacts(model, inputs.environment, {
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
