/**
 * Where wrangler 4 declares bindings, and which field names each one. Source: wrangler's config
 * validation (`packages/wrangler/src/config/validation.ts`, `normalizeAndValidateEnvironment`:
 * every key below is read with `notInheritable(...)`, except `assets`, which is inheritable) and
 * the configuration reference at developers.cloudflare.com/workers/wrangler/configuration/.
 * Checked against wrangler 4.164's bundle: `collectCoreBindingsPerEnvironment` (what `wrangler
 * types` emits per environment) reads the same keys, and `normalizeAndValidateAssets` makes
 * `assets` inheritable. Note `wrangler types --env NAME` reads the raw `[env.NAME]` table
 * (`getEnvConfig`), so it omits an inherited ASSETS binding that a deploy does have.
 */
import type { BindingKind } from '../model.js';

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
  inheritable?: boolean;
};

export const BINDING_SOURCES: readonly BindingSource[] = [
  { key: 'kv_namespaces', kind: 'kv_namespace', nameField: 'binding', shape: 'array' },
  { key: 'durable_objects', list: 'bindings', kind: 'durable_object', nameField: 'name', shape: 'array' },
  { key: 'r2_buckets', kind: 'r2_bucket', nameField: 'binding', shape: 'array' },
  { key: 'd1_databases', kind: 'd1_database', nameField: 'binding', shape: 'array' },
  { key: 'queues', list: 'producers', kind: 'queue', nameField: 'binding', shape: 'array' },
  { key: 'services', kind: 'service', nameField: 'binding', shape: 'array' },
  { key: 'analytics_engine_datasets', kind: 'analytics_engine', nameField: 'binding', shape: 'array' },
  { key: 'vectorize', kind: 'vectorize', nameField: 'binding', shape: 'array' },
  { key: 'hyperdrive', kind: 'hyperdrive', nameField: 'binding', shape: 'array' },
  { key: 'ai', kind: 'ai', nameField: 'binding', shape: 'object' },
  { key: 'ai_search', kind: 'ai_search', nameField: 'binding', shape: 'array' },
  { key: 'ai_search_namespaces', kind: 'ai_search', nameField: 'binding', shape: 'array' },
  { key: 'unsafe_hello_world', kind: 'unsafe', nameField: 'binding', shape: 'array' },
  { key: 'browser', kind: 'browser', nameField: 'binding', shape: 'object' },
  { key: 'images', kind: 'images', nameField: 'binding', shape: 'object' },
  { key: 'media', kind: 'media', nameField: 'binding', shape: 'object' },
  { key: 'stream', kind: 'stream', nameField: 'binding', shape: 'object' },
  { key: 'version_metadata', kind: 'version_metadata', nameField: 'binding', shape: 'object' },
  { key: 'send_email', kind: 'send_email', nameField: 'name', shape: 'array' },
  { key: 'dispatch_namespaces', kind: 'dispatch_namespace', nameField: 'binding', shape: 'array' },
  { key: 'mtls_certificates', kind: 'mtls_certificate', nameField: 'binding', shape: 'array' },
  { key: 'pipelines', kind: 'pipeline', nameField: 'binding', shape: 'array' },
  { key: 'ratelimits', kind: 'ratelimit', nameField: 'name', shape: 'array' },
  { key: 'secrets_store_secrets', kind: 'secrets_store_secret', nameField: 'binding', shape: 'array' },
  { key: 'workflows', kind: 'workflow', nameField: 'binding', shape: 'array' },
  { key: 'worker_loaders', kind: 'worker_loader', nameField: 'binding', shape: 'array' },
  { key: 'vpc_services', kind: 'vpc_service', nameField: 'binding', shape: 'array' },
  { key: 'vpc_networks', kind: 'vpc_network', nameField: 'binding', shape: 'array' },
  { key: 'agent_memory', kind: 'agent_memory', nameField: 'binding', shape: 'array' },
  { key: 'websearch', kind: 'websearch', nameField: 'binding', shape: 'array' },
  { key: 'artifacts', kind: 'artifacts', nameField: 'binding', shape: 'array' },
  { key: 'flagship', kind: 'flagship', nameField: 'binding', shape: 'array' },
  { key: 'logfwdr', list: 'bindings', kind: 'logfwdr', nameField: 'name', shape: 'array' },
  { key: 'unsafe', list: 'bindings', kind: 'unsafe', nameField: 'name', shape: 'array' },
  { key: 'wasm_modules', kind: 'wasm_module', nameField: 'binding', shape: 'map' },
  { key: 'text_blobs', kind: 'text_blob', nameField: 'binding', shape: 'map' },
  { key: 'data_blobs', kind: 'data_blob', nameField: 'binding', shape: 'map' },
  { key: 'assets', kind: 'assets', nameField: 'binding', shape: 'object', inheritable: true },
];

/** Keys an `[env.NAME]` takes from the top level when it does not set them itself. */
export const INHERITABLE_KEYS = [
  'name', 'main', 'compatibility_date', 'compatibility_flags', 'account_id', 'workers_dev', 'preview_urls', 'routes', 'route',
  'build', 'assets', 'no_bundle', 'minify', 'node_compat', 'first_party_worker', 'logpush', 'upload_source_maps', 'observability',
  'limits', 'placement', 'jsx_factory', 'jsx_fragment', 'tsconfig', 'rules', 'find_additional_modules', 'base_dir',
  'preserve_file_names', 'keep_names', 'python_modules', 'triggers', 'usage_model', 'compliance_region',
] as const;
