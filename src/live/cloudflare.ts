/**
 * The Cloudflare side of the live stage: what the account says about the Workers one environment
 * deploys, for the live rules to judge:
 * - the deployed script's secret names (GET /accounts/{id}/workers/scripts/{script}/secrets: names
 *   only, values are write-only), for `missing-deployed-secret`;
 * - whether the KV namespace id, D1 database id, R2 bucket or queue a binding points at exists in
 *   the account, for `dangling-binding`;
 * - the deployed script's bindings (…/scripts/{script}/settings), for `binding-drift`.
 * API envelopes (`success`, `errors`, `result`, `result_info`) and page-based pagination follow
 * developers.cloudflare.com/api. A token without a permission gives a note, never a failure.
 */
import * as v from 'valibot';
import { isDeployedBy } from '../environment-names.js';
import type { DeploymentModel } from '../model.js';
import type { Sensitive } from '../sensitive.js';
import type { DeployedWorker, Unanswered } from './facts.js';
import { describeShape, httpJson, type HttpOptions } from './http.js';

export type CloudflareOptions = {
  apiUrl: string;
  accountId: string;
  token: Sensitive;
  http?: Pick<HttpOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'maxRetryAfterMs' | 'log' | 'dispatcher'>;
};

type Failure = { ok: false; status?: number; reason: string };
type ApiAnswer<T> = { ok: true; result: T; totalPages: number } | Failure;

const MAX_PAGES = 50;
/** How endpoints are named in notes: the account id stays out. */
const ACCOUNT = '/accounts/{account_id}';

/**
 * Every answer is checked before a field is read (`{"success":true,
 * "result":[null,7]}` once crashed the tool): first the envelope, then the endpoint's `result`.
 * Loose objects: fields not listed are allowed, as the API adds fields over time.
 */
const ENVELOPE = v.looseObject({
  success: v.optional(v.boolean()),
  errors: v.optional(v.nullable(v.array(v.looseObject({ code: v.optional(v.number()), message: v.optional(v.string()) })))),
  result: v.unknown(),
  result_info: v.optional(v.nullable(v.looseObject({ total_pages: v.optional(v.number()) }))),
});
const SECRETS = v.array(v.looseObject({ name: v.string() }));
const SETTINGS = v.looseObject({ bindings: v.optional(v.array(v.looseObject({ name: v.string(), type: v.string() }))) });

/** One API call, unwrapped from its envelope, its `result` checked against `schema`. */
async function call<S extends v.GenericSchema>(options: CloudflareOptions, path: string, endpoint: string, schema: S): Promise<ApiAnswer<v.InferOutput<S>>> {
  const answer = await httpJson(`${options.apiUrl.replace(/\/+$/, '')}${path}`, endpoint, ENVELOPE, { ...options.http, headers: { authorization: `Bearer ${options.token.reveal()}` } });
  if (!answer.ok) return answer;
  const envelope = answer.data;
  if (envelope.success === false) return { ok: false, reason: (envelope.errors ?? []).map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ') || 'success: false' };
  const result = v.safeParse(v.looseObject({ result: schema }), envelope);
  if (!result.success) return { ok: false, status: answer.status, reason: describeShape(endpoint, result.issues) };
  return { ok: true, result: result.output.result, totalPages: envelope.result_info?.total_pages ?? 1 };
}

/** Page-based list endpoints: follow result_info.total_pages (bounded). */
async function list(options: CloudflareOptions, path: string, endpoint: string, schema: v.GenericSchema<unknown, string[]>): Promise<{ ok: true; items: string[] } | Failure> {
  const items: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await call(options, `${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=100`, endpoint, schema);
    if (!answer.ok) return answer;
    items.push(...answer.result);
    if (page >= answer.totalPages || answer.result.length === 0) break;
  }
  return { ok: true, items };
}

/** The identifiers a list endpoint answers with, e.g. the ids of `[{ id, title }, …]`. */
function identifiers<K extends string>(field: K): v.GenericSchema<unknown, string[]> {
  return v.pipe(v.array(v.looseObject({ [field]: v.string() } as Record<K, v.StringSchema<undefined>>)), v.transform((items) => items.map((item) => (item as Record<K, string>)[field])));
}

/** Binding kinds whose target can be looked up, with the list endpoint and the field to compare. */
const RESOURCES: Record<string, { path: string; detail: string; schema: v.GenericSchema<unknown, string[]>; what: string }> = {
  kv_namespace: { path: '/storage/kv/namespaces', detail: 'id', schema: identifiers('id'), what: 'KV namespace id' },
  d1_database: { path: '/d1/database', detail: 'database_id', schema: identifiers('uuid'), what: 'D1 database id' },
  // R2 answers { buckets: [{ name }] } (developers.cloudflare.com/api, "R2 → List Buckets").
  r2_bucket: { path: '/r2/buckets', detail: 'bucket_name', schema: v.pipe(v.looseObject({ buckets: identifiers('name') }), v.transform((r) => r.buckets)), what: 'R2 bucket' },
  queue: { path: '/queues', detail: 'queue', schema: identifiers('queue_name'), what: 'queue' },
};

/** Every Worker environment the deploy of `environment` deploys, as the account describes it. */
export async function gatherCloudflareFacts(model: DeploymentModel, environment: string, options: CloudflareOptions): Promise<DeployedWorker[]> {
  const deployed: DeployedWorker[] = [];
  const account = `/accounts/${encodeURIComponent(options.accountId)}`;
  const resourceCache = new Map<string, Promise<Awaited<ReturnType<typeof list>>>>();
  const resources = (kind: string) => {
    const resource = RESOURCES[kind]!;
    if (!resourceCache.has(kind)) resourceCache.set(kind, list(options, `${account}${resource.path}`, `GET ${ACCOUNT}${resource.path}`, resource.schema));
    return resourceCache.get(kind)!;
  };

  for (const worker of model.workers) {
    for (const env of worker.environments.filter((e) => isDeployedBy(e, worker.environments, environment))) {
      const script = `${account}/workers/scripts/${encodeURIComponent(env.scriptName)}`;
      const endpoint = `GET ${ACCOUNT}/workers/scripts/${env.scriptName}`;
      const secrets = await call(options, `${script}/secrets`, `${endpoint}/secrets`, SECRETS);
      const targets: DeployedWorker['targets'] = [];
      for (const binding of env.bindings) {
        const resource = RESOURCES[binding.kind];
        const wanted = resource ? binding.details?.[resource.detail] : undefined;
        if (!resource || !wanted) continue;
        const listing = await resources(binding.kind);
        targets.push({ binding, what: resource.what, wanted: String(wanted), listing: listing.ok ? { ok: true, exists: listing.items.includes(String(wanted)) } : unanswered(listing) });
      }
      const settings = await call(options, `${script}/settings`, `${endpoint}/settings`, SETTINGS);
      deployed.push({
        worker, env, targets,
        secrets: secrets.ok ? { ok: true, names: secrets.result.map((s) => s.name) } : unanswered(secrets),
        // Secrets are bindings to the API; the config lists them elsewhere, so they are no drift.
        settings: settings.ok ? { ok: true, bindings: (settings.result.bindings ?? []).filter((b) => b.type !== 'secret_text' && b.type !== 'secret_key').map((b) => b.name) } : unanswered(settings),
      });
    }
  }
  return deployed;
}

function unanswered(failure: Failure): Unanswered {
  return { ok: false, ...(failure.status !== undefined ? { status: failure.status } : {}), reason: failure.reason };
}
