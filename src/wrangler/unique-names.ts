/**
 * Names used twice in one environment. wrangler 4 refuses some of them and silently drops others,
 * so the two cases are told apart exactly as wrangler's `validateBindingsHaveUniqueNames`
 * (workers-sdk `packages/workers-utils/src/config/validation.ts`, checked in the wrangler 4.164.0
 * bundle) compares them:
 *
 * - It takes the keys of `friendlyBindingNames` plus `secrets.required`, and names each value with
 *   `getBindingNames` (validation-helpers.ts): `{ bindings: [{ name }] }` lists by `name`, arrays
 *   whose every entry has a string `binding` by `binding`, a table by its `binding`, or else by its
 *   keys. So `send_email` and `ratelimits` (arrays named by `name`) are never compared, a list with
 *   one entry lacking `binding` is not compared at all, and `[assets]` without a binding or a
 *   `[vars]` entry called `binding` yield odd names; all of that is reproduced here.
 * - A deploy then builds one binding per name (`convertConfigToBindings` fills an object keyed by
 *   name), so a name wrangler did not compare keeps one binding and loses the others without a word:
 *   `wrangler deploy --dry-run` with a KV namespace, a send_email and a ratelimit all named MAIL
 *   lists only the ratelimit. That is a warning here, not a parse error.
 */
import type { Location, WorkerEnvironment } from '../model.js';
import { type Context, isTable } from './context.js';

/** wrangler 4.164 `friendlyBindingNames`: the keys compared, with the words wrangler uses for them. */
const COMPARED: Record<string, string> = {
  data_blobs: 'Data Blob', durable_objects: 'Durable Object', kv_namespaces: 'KV Namespace', send_email: 'Send Email', queues: 'Queue',
  d1_databases: 'D1 Database', vectorize: 'Vectorize Index', ai_search_namespaces: 'AI Search Namespace', ai_search: 'AI Search Instance',
  agent_memory: 'Agent Memory', hyperdrive: 'Hyperdrive Config', r2_buckets: 'R2 Bucket', logfwdr: 'logfwdr', services: 'Worker',
  analytics_engine_datasets: 'Analytics Engine Dataset', text_blobs: 'Text Blob', browser: 'Browser Run', analytics: 'Analytics SQL',
  ai: 'AI', images: 'Images', stream: 'Stream', media: 'Media', version_metadata: 'Worker Version Metadata', unsafe: 'Unsafe Metadata',
  vars: 'Environment Variable', wasm_modules: 'Wasm Module', dispatch_namespaces: 'Dispatch Namespace', mtls_certificates: 'mTLS Certificate',
  workflows: 'Workflow', pipelines: 'Pipeline', k2: 'K2 Stream', secrets_store_secrets: 'Secrets Store Secret', artifacts: 'Artifacts',
  ratelimits: 'Rate Limit', assets: 'Assets', unsafe_hello_world: 'Hello World', flagship: 'Flagship', worker_loaders: 'Worker Loader',
  vpc_services: 'VPC Service', vpc_networks: 'VPC Network',
};

/** wrangler's `getBindingNames`, on the raw value (non-string names dropped: they name nothing on env). */
export function wranglerBindingNames(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  let names: unknown[];
  if (isTable(value) && Array.isArray(value.bindings) && value.bindings.every((b: unknown) => isTable(b) && typeof b.name === 'string')) {
    names = value.bindings.map((b: { name: string }) => b.name);
  } else if (Array.isArray(value)) {
    names = value.every((e: unknown) => isTable(e) && typeof e.binding === 'string') ? value.map((e: { binding: string }) => e.binding) : [];
  } else if (isTable(value)) {
    names = value.binding !== undefined ? [value.binding] : Object.keys(value).filter((k) => value[k] !== undefined);
  } else {
    names = [];
  }
  return names.filter((n): n is string => typeof n === 'string');
}

/** Name → the kinds wrangler sees it used by, in wrangler's order (a kind twice when used twice). */
export function wranglerNameUses(valueOf: (key: string) => unknown, requiredSecrets: unknown): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const add = (name: string, what: string) => uses.set(name, [...(uses.get(name) ?? []), what]);
  for (const [key, what] of Object.entries(COMPARED)) {
    const value = valueOf(key);
    for (const name of wranglerBindingNames(key === 'queues' && isTable(value) ? value.producers : value)) add(name, what);
  }
  if (Array.isArray(requiredSecrets)) for (const name of requiredSecrets) if (typeof name === 'string') add(name, 'Secret');
  return uses;
}

function lines(places: Location[]): string {
  return places.map((p) => p.line).join(', ');
}

/**
 * Reports names used twice in one environment: an error where wrangler refuses the config, a
 * warning where it deploys one of the bindings and drops the others. `valueOf(key)` is the raw
 * value the environment has for a config key (its own, inherited or top-level, as wrangler takes it).
 */
export function checkUniqueNames(ctx: Context, env: WorkerEnvironment, where: string, valueOf: (key: string) => unknown, requiredSecrets: unknown, pages: boolean): void {
  const places = new Map<string, Location[]>();
  const add = (name: string, at: Location | undefined) => places.set(name, [...(places.get(name) ?? []), at ?? env.at]);
  for (const b of env.bindings) add(b.name, b.at);
  for (const [name, value] of Object.entries(env.vars)) add(name, value.at);
  for (const s of env.secrets) add(s.name, s.at);
  const sorted = (name: string) => [...(places.get(name) ?? [env.at])].sort((a, b) => a.line - b.line || a.column - b.column);

  const refused = new Set<string>();
  for (const [name, kinds] of wranglerNameUses(valueOf, requiredSecrets)) {
    if (pages && name === 'ASSETS') {
      const at = sorted(name)[0]!;
      ctx.problems.push({ message: `ASSETS is reserved in Pages projects (it serves the static files): wrangler refuses a binding of that name in ${where}.`, line: at.line, column: at.column });
    }
    if (kinds.length < 2) continue;
    refused.add(name);
    const at = sorted(name);
    const second = at[1] ?? at[0]!;
    ctx.problems.push({ message: `${name} is declared more than once in ${where} (lines ${lines(at)}): wrangler refuses a binding, var or required secret name used twice (${name} is used by ${[...new Set(kinds)].join(', ')}).`, line: second.line, column: second.column });
  }
  for (const [name] of places) {
    const at = sorted(name);
    if (at.length < 2 || refused.has(name)) continue;
    ctx.problems.push({
      message: `${name} is declared more than once in ${where} (lines ${lines(at)}). wrangler's duplicate check does not see it (it skips send_email, ratelimits and websearch names), so wrangler accepts this, but a deploy keeps one binding per name and drops the others without a word: env.${name} is only one of them. Give each binding its own name.`,
      line: at[1]!.line, column: at[1]!.column, severity: 'warning',
    });
  }
}
