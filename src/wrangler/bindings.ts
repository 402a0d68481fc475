/**
 * Where wrangler 4 declares bindings, which field names each one, and which config keys an
 * `[env.NAME]` takes from the top level. Read from wrangler's own source, not from memory:
 *
 * - `normalizeAndValidateEnvironment` (workers-sdk `packages/workers-utils/src/config/validation.ts`,
 *   formerly `packages/wrangler/src/config/validation.ts`; checked in the wrangler 4.164.0 bundle):
 *   each environment key is read with `inheritable(...)` (the env's own value, else the top
 *   level's) or `notInheritable(...)` (the env's own value, else nothing, plus the warning
 *   "exists at the top level, but not on env.NAME"). `assets` and `logfwdr` are inheritable.
 * - `normalizeAndValidateConfig` reads `wasm_modules`, `text_blobs` and `data_blobs` from the raw
 *   top level only, for whichever environment is active; under `[env.NAME]` they are "unexpected
 *   fields". They are service-worker globals (a modules Worker may not use them).
 * - `getBindingNames` / `validateBindingsHaveUniqueNames`: a binding is named by `binding`, or by
 *   `name` in a `{ bindings: [...] }` list; bindings, vars and `secrets.required` share one
 *   namespace per environment (a name used twice is an error).
 * - `collectCoreBindings` and friends (what `wrangler types` declares): `send_email[].name`,
 *   `ratelimits[].name`, `durable_objects.bindings[].name`, `unsafe.bindings[].name`; `ai`,
 *   `browser`, `images`, `media`, `stream`, `version_metadata`, `analytics`, `assets` are single
 *   tables with `binding` (optional for `assets` only); `queues.producers` are bindings,
 *   `queues.consumers` are not.
 */
import type { BindingKind } from '../model.js';

/** How an `[env.NAME]` gets the key: its own only, the top level's unless it sets its own, or always the top level's. */
export type BindingScope = 'environment' | 'inherited' | 'top-level';

export type BindingSource = {
  /** Top-level key in the environment, e.g. `kv_namespaces`. */
  key: string;
  kind: BindingKind;
  /** Path below `key` to the list of entries (`durable_objects.bindings`, `queues.producers`). */
  list?: string;
  /** The field that names the binding on `env`. */
  nameField: 'binding' | 'name';
  /** `object`: a single table (`ai`, `browser`); `map`: the keys are binding names (wasm_modules). */
  shape: 'array' | 'object' | 'map';
  scope: BindingScope;
  /** The name field may be left out (assets served without a binding): no binding, no problem. */
  nameOptional?: boolean;
};

const own = (key: string, kind: BindingKind, shape: 'array' | 'object' = 'array', nameField: 'binding' | 'name' = 'binding'): BindingSource =>
  ({ key, kind, nameField, shape, scope: 'environment' });

export const BINDING_SOURCES: readonly BindingSource[] = [
  own('kv_namespaces', 'kv_namespace'),
  { key: 'durable_objects', list: 'bindings', kind: 'durable_object', nameField: 'name', shape: 'array', scope: 'environment' },
  own('r2_buckets', 'r2_bucket'),
  own('d1_databases', 'd1_database'),
  { key: 'queues', list: 'producers', kind: 'queue', nameField: 'binding', shape: 'array', scope: 'environment' },
  own('services', 'service'),
  own('analytics_engine_datasets', 'analytics_engine'),
  own('vectorize', 'vectorize'),
  own('hyperdrive', 'hyperdrive'),
  own('ai', 'ai', 'object'),
  own('ai_search', 'ai_search'),
  own('ai_search_namespaces', 'ai_search'),
  own('browser', 'browser', 'object'),
  own('images', 'images', 'object'),
  own('media', 'media', 'object'),
  own('stream', 'stream', 'object'),
  own('version_metadata', 'version_metadata', 'object'),
  own('send_email', 'send_email', 'array', 'name'),
  own('dispatch_namespaces', 'dispatch_namespace'),
  own('mtls_certificates', 'mtls_certificate'),
  own('pipelines', 'pipeline'),
  own('ratelimits', 'ratelimit', 'array', 'name'),
  own('secrets_store_secrets', 'secrets_store_secret'),
  own('workflows', 'workflow'),
  own('worker_loaders', 'worker_loader'),
  own('vpc_services', 'vpc_service'),
  own('vpc_networks', 'vpc_network'),
  own('agent_memory', 'agent_memory'),
  // A single table on workers-sdk main (validateNamedSimpleBinding); wrangler 4.164 does not know it yet.
  own('websearch', 'websearch', 'object'),
  own('artifacts', 'artifacts'),
  own('flagship', 'flagship'),
  own('unsafe_hello_world', 'unsafe'),
  // Newer than model.ts's BindingKind list (wrangler 4.164: K2 producers, Analytics SQL): real `env` members, kind not named yet.
  own('k2', 'unknown'),
  own('analytics', 'unknown', 'object'),
  { key: 'unsafe', list: 'bindings', kind: 'unsafe', nameField: 'name', shape: 'array', scope: 'environment' },
  // Inheritable in wrangler; `wrangler types` declares a single LOGFWDR_SCHEMA for it, a deploy binds each name.
  { key: 'logfwdr', list: 'bindings', kind: 'logfwdr', nameField: 'name', shape: 'array', scope: 'inherited' },
  { key: 'assets', kind: 'assets', nameField: 'binding', shape: 'object', scope: 'inherited', nameOptional: true },
  { key: 'wasm_modules', kind: 'wasm_module', nameField: 'binding', shape: 'map', scope: 'top-level' },
  { key: 'text_blobs', kind: 'text_blob', nameField: 'binding', shape: 'map', scope: 'top-level' },
  { key: 'data_blobs', kind: 'data_blob', nameField: 'binding', shape: 'map', scope: 'top-level' },
];

/** Keys an `[env.NAME]` takes from the top level when it does not set them itself (wrangler 4.164 `inheritable`). */
export const INHERITABLE_KEYS = [
  'name', 'main', 'compatibility_date', 'compatibility_flags', 'account_id', 'workers_dev', 'preview_urls', 'route', 'routes',
  'build', 'assets', 'limits', 'placement', 'triggers', 'migrations', 'exports', 'logfwdr', 'tsconfig', 'rules', 'base_dir',
  'find_additional_modules', 'preserve_file_names', 'no_bundle', 'minify', 'keep_names', 'jsx_factory', 'jsx_fragment',
  'first_party_worker', 'logpush', 'upload_source_maps', 'observability', 'access', 'cache', 'compliance_region',
  'python_modules', 'previews',
] as const;

/** Keys an `[env.NAME]` has only when it sets them itself (wrangler 4.164 `notInheritable`, plus `websearch` from main). */
export const NOT_INHERITABLE_KEYS = [
  'vars', 'secrets', 'define', 'durable_objects', 'workflows', 'kv_namespaces', 'cloudchamber', 'containers', 'send_email',
  'queues', 'connect', 'r2_buckets', 'd1_databases', 'vectorize', 'ai_search_namespaces', 'ai_search', 'websearch',
  'agent_memory', 'hyperdrive', 'services', 'analytics_engine_datasets', 'dispatch_namespaces', 'mtls_certificates',
  'tail_consumers', 'streaming_tail_consumers', 'unsafe', 'browser', 'analytics', 'ai', 'images', 'stream', 'media',
  'pipelines', 'k2', 'secrets_store_secrets', 'artifacts', 'unsafe_hello_world', 'flagship', 'worker_loaders', 'ratelimits',
  'vpc_services', 'vpc_networks', 'version_metadata',
] as const;

/** Keys wrangler reads from the top level only, whatever `--env` says (`normalizeAndValidateConfig`). */
export const TOP_LEVEL_ONLY_KEYS = ['wasm_modules', 'text_blobs', 'data_blobs', 'legacy_env', 'keep_vars', 'send_metrics', 'site', 'alias', 'dev', 'addresses'] as const;
