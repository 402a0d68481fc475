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
import * as v from 'valibot';
import { isDeployedBy } from '../build-model.js';
import type { DeploymentModel, Finding, WorkerEnvironment } from '../model.js';
import type { Sensitive } from '../sensitive.js';
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
 * Every answer is checked before a field is read (issue 10, item 5: `{"success":true,
 * "result":[null,7]}` crashed the tool): first the envelope, then the endpoint's `result`.
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

function note(env: WorkerEnvironment, rule: Finding['rule'], message: string, environment: string): Finding {
  return { rule, severity: 'note', message, file: env.at.file, line: env.at.line, column: env.at.column, environment };
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

export async function verifyCloudflare(model: DeploymentModel, environment: string, options: CloudflareOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
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
      if (!secrets.ok) {
        findings.push(note(env, 'missing-deployed-secret', `The deployed secrets of ${env.scriptName} could not be listed (${secrets.reason}${secrets.status === 403 ? ': the API token needs Workers Scripts Read' : ''}); they were not checked.`, environment));
      } else {
        const deployed = new Set(secrets.result.map((s) => s.name));
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
        if (listing.items.includes(String(wanted))) continue;
        findings.push({
          rule: 'dangling-binding', severity: 'error', environment, subject: binding.name, file: binding.at.file, line: binding.at.line, column: binding.at.column,
          message: `${binding.name} in ${env.scriptName} points at the ${resource.what} "${wanted}", which does not exist in the account: the deploy fails or the binding reaches nothing.`,
        });
      }

      const settings = await call(options, `${script}/settings`, `${endpoint}/settings`, SETTINGS);
      if (!settings.ok) {
        // When the secrets could not be listed either, that note already says what the token cannot read.
        if (secrets.ok) findings.push(note(env, 'binding-drift', `The deployed bindings of ${env.scriptName} could not be read (${settings.reason}); drift was not checked.`, environment));
        continue;
      }
      const deployedBindings = (settings.result.bindings ?? []).filter((b) => b.type !== 'secret_text' && b.type !== 'secret_key');
      const deployedNames = new Set(deployedBindings.map((b) => b.name));
      const configured = new Set([...env.bindings.map((b) => b.name), ...Object.keys(env.vars)]);
      const onlyDeployed = [...deployedNames].filter((n) => !configured.has(n)).sort();
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
