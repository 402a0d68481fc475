/**
 * Settings that landed in the wrong table. In TOML every key below a `[table]` header belongs to
 * that table, so a top-level setting written after `[site]` becomes `site.kv_namespaces`; wrangler
 * then warns "Unexpected fields found in site field" (workers-sdk `validateAdditionalProperties`)
 * and deploys without it. Seen in two public repositories: `kv_namespaces` below `[site]` (a KV
 * binding the code uses was never created) and `pages_build_output_dir` below `[site]` (so Pages
 * did not take the file for its config, and wrangler read it as a Workers Sites Worker).
 *
 * Only tables whose own fields are fixed are looked into (not `[vars]`, `[define]`, `[alias]` or
 * the blob maps, whose keys are names the user chooses), and only for keys that are settings of
 * the top level or of an environment, which none of those tables has a field of.
 */
import type { KeyPath } from '../read/document.js';
import { BINDING_SOURCES, INHERITABLE_KEYS, NOT_INHERITABLE_KEYS, TOP_LEVEL_ONLY_KEYS } from './bindings.js';
import { type Context, type Table, isTable, keyLabel, report } from './context.js';

const TABLES_WITH_FIXED_FIELDS = [
  'site', 'build', 'triggers', 'placement', 'limits', 'observability', 'dev', 'assets', 'durable_objects', 'queues', 'ai', 'browser',
  'images', 'version_metadata',
];

const SETTINGS = new Set<string>([...INHERITABLE_KEYS, ...NOT_INHERITABLE_KEYS, ...TOP_LEVEL_ONLY_KEYS, 'pages_build_output_dir']);

/** What the code would miss at run time: a binding or a var is simply absent from the deployed Worker. */
const RUNTIME_KEYS = new Set<string>([...BINDING_SOURCES.map((source) => source.key), 'vars']);

/** A key of `[site]` that means the whole file was meant for Pages (see resolveWorkerConfig). */
export function meantForPages(data: Table): boolean {
  return isTable(data.site) && data.site.bucket === undefined && data.site.pages_build_output_dir !== undefined;
}

/** Reports every setting inside a fixed-field table of `section` (the top level, or an `[env.NAME]`). */
export function reportMisplacedKeys(ctx: Context, section: Table, prefix: KeyPath): void {
  const toml = ctx.configFile.endsWith('.toml');
  for (const tableKey of TABLES_WITH_FIXED_FIELDS) {
    const table = section[tableKey];
    if (!isTable(table)) continue;
    for (const key of Object.keys(table)) {
      if (!SETTINGS.has(key) || key === tableKey) continue;
      const header = `[${keyLabel([...prefix, tableKey])}]`;
      const where = prefix.length === 0 ? 'the top level' : `[${keyLabel(prefix)}]`;
      const missing = key === 'pages_build_output_dir'
        ? `so Pages does not take this file for its config (wrangler pages deploy leaves out its vars and bindings)${tableKey === 'site' ? ' and wrangler reads it as a Workers Sites Worker' : ''}`
        : RUNTIME_KEYS.has(key) ? `so the deployed Worker has none of these ${key === 'vars' ? 'vars' : 'bindings'}` : 'so it has no effect';
      const inline = ctx.doc.locate([...prefix, tableKey]).line === ctx.doc.locate([...prefix, tableKey, key]).line;
      const fix = toml && !inline ? `In TOML every key below a [table] header belongs to that table: move the line above ${header}.` : `Move it out of "${tableKey}".`;
      report(ctx, [...prefix, tableKey, key], `${key} is inside ${header}, where wrangler ignores it ("Unexpected fields found in ${tableKey} field"): it is a setting of ${where}, ${missing}. ${fix}`, RUNTIME_KEYS.has(key) ? undefined : 'warning');
    }
  }
}
