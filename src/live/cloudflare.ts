/**
 * Live checks against the Cloudflare API for the Workers one environment deploys:
 * - `missing-deployed-secret`: a secret the Worker needs (secrets.required, or read by the code and
 *   declared as a secret locally) is not among the deployed script's secret names
 *   (GET /accounts/{id}/workers/scripts/{script}/secrets: names only, values are write-only);
 * - `dangling-binding`: a KV namespace id, D1 database id, R2 bucket or queue a binding points at
 *   does not exist in the account;
 * - `binding-drift`: the deployed script's bindings (…/scripts/{script}/settings) differ from the
 *   config's.
 * API envelopes (`success`, `errors`, `result`, `result_info`) and page-based pagination follow
 * developers.cloudflare.com/api. A token without a permission gives a note, never a failure.
 */
import { isDeployedBy } from '../build-model.js';
import type { DeploymentModel, Finding, WorkerEnvironment } from '../model.js';
import type { Sensitive } from '../sensitive.js';
import { httpRequest, parseJson, type HttpOptions } from './http.js';

export type CloudflareOptions = {
  apiUrl: string;
  accountId: string;
  token: Sensitive;
  http?: Pick<HttpOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'log'>;
};

type Envelope = { success?: boolean; errors?: { code?: number; message?: string }[]; result?: unknown; result_info?: { page?: number; total_pages?: number } };
type ApiAnswer = { ok: true; result: unknown; totalPages: number } | { ok: false; status?: number; reason: string };

const MAX_PAGES = 50;

/** One API call, unwrapped from its envelope. */
async function call(options: CloudflareOptions, path: string): Promise<ApiAnswer> {
  const answer = await httpRequest(`${options.apiUrl.replace(/\/+$/, '')}${path}`, { ...options.http, headers: { authorization: `Bearer ${options.token.reveal()}` } });
  if (!answer.ok) return { ok: false, status: answer.status, reason: answer.reason };
  const parsed = parseJson(answer.text);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const envelope = parsed.data as Envelope;
  if (envelope.success === false) return { ok: false, reason: (envelope.errors ?? []).map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ') || 'success: false' };
  return { ok: true, result: envelope.result, totalPages: envelope.result_info?.total_pages ?? 1 };
}

/** Page-based list endpoints: follow result_info.total_pages (bounded). R2 answers { buckets }. */
async function list(options: CloudflareOptions, path: string): Promise<{ ok: true; items: unknown[] } | Extract<ApiAnswer, { ok: false }>> {
  const items: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await call(options, `${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=100`);
    if (!answer.ok) return answer;
    const result = answer.result as { buckets?: unknown[] } | unknown[] | undefined;
    const pageItems = Array.isArray(result) ? result : Array.isArray(result?.buckets) ? result.buckets : [];
    items.push(...pageItems);
    if (page >= answer.totalPages || pageItems.length === 0) break;
  }
  return { ok: true, items };
}

function note(env: WorkerEnvironment, rule: Finding['rule'], message: string, environment: string): Finding {
  return { rule, severity: 'note', message, file: env.at.file, line: env.at.line, column: env.at.column, environment };
}

/** Binding kinds whose target can be looked up, with the list endpoint and the field to compare. */
const RESOURCES: Record<string, { path: string; detail: string; field: (item: Record<string, unknown>) => unknown; what: string }> = {
  kv_namespace: { path: '/storage/kv/namespaces', detail: 'id', field: (i) => i.id, what: 'KV namespace id' },
  d1_database: { path: '/d1/database', detail: 'database_id', field: (i) => i.uuid, what: 'D1 database id' },
  r2_bucket: { path: '/r2/buckets', detail: 'bucket_name', field: (i) => i.name, what: 'R2 bucket' },
  queue: { path: '/queues', detail: 'queue', field: (i) => i.queue_name, what: 'queue' },
};

export async function verifyCloudflare(model: DeploymentModel, environment: string, options: CloudflareOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const account = `/accounts/${encodeURIComponent(options.accountId)}`;
  const resourceCache = new Map<string, Promise<Awaited<ReturnType<typeof list>>>>();
  const resources = (kind: string) => {
    if (!resourceCache.has(kind)) resourceCache.set(kind, list(options, `${account}${RESOURCES[kind]!.path}`));
    return resourceCache.get(kind)!;
  };

  for (const worker of model.workers) {
    for (const env of worker.environments.filter((e) => isDeployedBy(e, worker.environments, environment))) {
      const script = `${account}/workers/scripts/${encodeURIComponent(env.scriptName)}`;
      const secrets = await call(options, `${script}/secrets`);
      if (!secrets.ok) {
        findings.push(note(env, 'missing-deployed-secret', `The deployed secrets of ${env.scriptName} could not be listed (${secrets.reason}${secrets.status === 403 ? ': the API token needs Workers Scripts Read' : ''}); they were not checked.`, environment));
      } else {
        const deployed = new Set((Array.isArray(secrets.result) ? secrets.result : []).map((s) => (s as { name?: string }).name));
        const needed = new Map<string, { file: string; line: number; column: number }>();
        for (const s of env.secrets) if (s.source === 'secrets.required' && s.at) needed.set(s.name, s.at);
        const usage = env.main ? model.usage[env.main] : undefined;
        const devSecretNames = new Set(worker.environments.filter((e) => e.dev).flatMap((e) => e.secrets.map((s) => s.name)));
        for (const read of usage?.reads ?? []) {
          if (needed.has(read.name) || read.name in env.vars || env.bindings.some((b) => b.name === read.name)) continue;
          if (devSecretNames.has(read.name)) needed.set(read.name, read.at);
        }
        for (const [name, at] of [...needed].sort(([a], [b]) => a.localeCompare(b))) {
          if (deployed.has(name)) continue;
          findings.push({
            rule: 'missing-deployed-secret', severity: 'error', environment, subject: name, file: at.file, line: at.line, column: at.column,
            message: `The deployed Worker ${env.scriptName} has no secret ${name}, which it needs; set it with: wrangler secret put ${name}${env.name ? ` --env ${env.name}` : ''}`,
          });
        }
      }

      for (const binding of env.bindings) {
        const resource = RESOURCES[binding.kind];
        const wanted = resource ? binding.details?.[resource.detail] : undefined;
        if (!resource || !wanted) continue;
        const listing = await resources(binding.kind);
        if (!listing.ok) {
          findings.push(note(env, 'dangling-binding', `The ${resource.what}s of the account could not be listed (${listing.reason}); ${binding.name} was not checked.`, environment));
          continue;
        }
        if (listing.items.some((item) => resource.field(item as Record<string, unknown>) === wanted)) continue;
        findings.push({
          rule: 'dangling-binding', severity: 'error', environment, subject: binding.name, file: binding.at.file, line: binding.at.line, column: binding.at.column,
          message: `${binding.name} in ${env.scriptName} points at the ${resource.what} "${wanted}", which does not exist in the account: the deploy fails or the binding reaches nothing.`,
        });
      }

      const settings = await call(options, `${script}/settings`);
      if (!settings.ok) continue; // the secrets note already says what the token cannot read
      const deployedBindings = ((settings.result as { bindings?: { name?: string; type?: string }[] } | undefined)?.bindings ?? [])
        .filter((b) => b.type !== 'secret_text' && b.type !== 'secret_key');
      const deployedNames = new Set(deployedBindings.map((b) => b.name));
      const configured = new Set([...env.bindings.map((b) => b.name), ...Object.keys(env.vars)]);
      const onlyDeployed = [...deployedNames].filter((n): n is string => typeof n === 'string' && !configured.has(n)).sort();
      const onlyConfigured = [...configured].filter((n) => !deployedNames.has(n)).sort();
      if (onlyDeployed.length + onlyConfigured.length > 0) {
        findings.push({
          rule: 'binding-drift', severity: 'warning', environment, file: env.at.file, line: env.at.line, column: env.at.column,
          message: `The deployed ${env.scriptName} differs from ${env.config}: ${[onlyConfigured.length ? `not deployed yet: ${onlyConfigured.join(', ')}` : '', onlyDeployed.length ? `deployed but no longer in the config: ${onlyDeployed.join(', ')}` : ''].filter(Boolean).join('; ')}.`,
        });
      }
    }
  }
  return findings;
}
