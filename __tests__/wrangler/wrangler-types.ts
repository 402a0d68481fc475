/**
 * Reading what `wrangler types` declares. Handles both layouts wrangler 4 has written:
 * - up to ~4.1xx: `declare namespace Cloudflare { interface Env { NAME: Type; } }`;
 * - 4.164: `interface __BaseEnv_Env { ... }` at the top, `interface Env extends __BaseEnv_Env {}`
 *   in the namespace and, without --env on a config with environments, one `interface <Name>Env`
 *   per `[env.NAME]` (name from wrangler's `toEnvInterfaceName`).
 */
import type { BindingKind } from '../../src/model.js';

export type Declared = Map<string, string>;

/** Every interface with members in the file: name → (member → type with comments stripped). */
export function parseInterfaces(dts: string): Map<string, Declared> {
  const result = new Map<string, Declared>();
  let current: Declared | undefined;
  for (const line of dts.split('\n')) {
    const open = /^\s*interface (\w+)(?: extends [^{]*)? \{(\})?\s*$/.exec(line);
    if (open) {
      // `interface Env extends Cloudflare.Env {}` repeats a name declared above: keep the members.
      current = result.get(open[1]!) ?? new Map();
      result.set(open[1]!, current);
      if (open[2]) current = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s*\}\s*$/.test(line)) {
      current = undefined;
      continue;
    }
    const member = /^\s*(?:"([^"]+)"|([A-Za-z_$][\w$]*))\??: (.+);\s*$/.exec(line);
    if (member) current.set(member[1] ?? member[2]!, member[3]!.replace(/\s*\/\*.*?\*\//g, '').trim());
  }
  return result;
}

/** The Env members of a single-environment file (`wrangler types [--env NAME]`). */
export function envMembers(dts: string): Declared {
  const interfaces = parseInterfaces(dts);
  return interfaces.get('__BaseEnv_Env') ?? interfaces.get('Env') ?? new Map();
}

/** wrangler's `toEnvInterfaceName`: `staging-eu` → `StagingEuEnv`, `prod_env` → `ProdEnv`. */
export function envInterfaceName(envName: string): string {
  const pascal = envName.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
  return pascal.endsWith('Env') ? pascal : `${pascal}Env`;
}

/** wrangler's declared type → the kinds it can mean (`secret`/`var` for secrets.required and vars). */
const KINDS_OF_TYPE: Record<string, readonly (BindingKind | 'secret')[]> = {
  KVNamespace: ['kv_namespace'], R2Bucket: ['r2_bucket'], D1Database: ['d1_database'], DurableObjectNamespace: ['durable_object'],
  Queue: ['queue'], Workflow: ['workflow'], VectorizeIndex: ['vectorize'], Hyperdrive: ['hyperdrive'],
  AnalyticsEngineDataset: ['analytics_engine'], SendEmail: ['send_email'], RateLimit: ['ratelimit'], Ai: ['ai'],
  WorkerVersionMetadata: ['version_metadata'], Service: ['service'], ImagesBinding: ['images'], StreamBinding: ['stream'],
  MediaBinding: ['media'], BrowserRun: ['browser'], DispatchNamespace: ['dispatch_namespace'],
  SecretsStoreSecret: ['secrets_store_secret'], WorkerLoader: ['worker_loader'], Pipeline: ['pipeline'],
  AiSearchInstance: ['ai_search'], AiSearchNamespace: ['ai_search'],
  // Fetcher is every HTTP-shaped binding: services without an entrypoint, mTLS, VPC, assets (and browser before 4.1xx).
  Fetcher: ['service', 'mtls_certificate', 'vpc_service', 'vpc_network', 'assets', 'browser'],
  any: ['unsafe', 'logfwdr', 'unknown'],
  // With --strict-vars (the default) a var is declared as its literal value; only secrets are plain `string`.
  string: ['secret'],
};

/** The kinds a declared type can stand for; undefined when the type is not one we know. */
export function kindsOfType(type: string): readonly (BindingKind | 'secret')[] | undefined {
  // A union (a binding whose target differs by environment) is judged by its first member.
  const first = type.split(' | ')[0]!.trim();
  if (/^("|-?\d|true\b|false\b|\{|\[)/.test(first)) return ['var'];
  const name = /^(?:import\("[^"]+"\)\.)?([A-Za-z_$][\w$]*)/.exec(first)?.[1];
  return name ? KINDS_OF_TYPE[name] : undefined;
}
