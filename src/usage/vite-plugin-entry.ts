/**
 * A Worker whose `main` names what @cloudflare/vite-plugin builds (`dist/<name>/index.js`, absent
 * in a checkout) is analysed from the source the plugin builds it from.
 *
 * How the plugin decides, read from cloudflare/workers-sdk packages/vite-plugin-cloudflare:
 * - the entry Worker's config is `cloudflare({ configPath })` resolved against the Vite root, else
 *   the first of `wrangler.jsonc`, `wrangler.json`, `wrangler.toml` in the Vite root
 *   (`getValidatedWranglerConfigPath` / `findWranglerConfig` in src/workers-configs.ts);
 *   `auxiliaryWorkers: [{ configPath }]` add Workers of their own;
 * - each Worker's source entry is that config's `main`, resolved against the config's folder
 *   (`maybeResolveMain`), unless an inline `config: { main }` overrides it;
 * - each Worker builds into its Vite environment's `build.outDir`, by default
 *   `<build.outDir ?? "dist">/<environment>` (`getOutputDirectory` in src/utils.ts), where the
 *   environment is `viteEnvironment.name` or the Worker's name with `-` replaced by `_`
 *   (`workerNameToEnvironmentName`), and the entry chunk is `index.js`; the generated
 *   `wrangler.json` beside it says `"main": "index.js"` and `.wrangler/deploy/config.json`
 *   redirects `wrangler deploy` there (src/deploy-config.ts).
 */
import path from 'node:path';
import { readJsonc } from '../read/jsonc.js';
import { readToml } from '../read/toml.js';
import type { ModuleResolver } from './resolve.js';
import type { AnalysisFs } from './analysis-fs.js';

/** The plugin looks for these, in this order (not wrangler's json-first order). */
const PLUGIN_CONFIG_NAMES = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml'];
/** `maybeResolveMain`: only a main with one of these is a file; others are resolved by Vite (virtual modules, packages). */
const ENTRY_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts', '.jsx', '.tsx'];

export type ViteSource = {
  /** The source entry, absolute. */
  entry: string;
  /** The Vite config that builds it, absolute. */
  viteConfig: string;
  /** The wrangler config the plugin reads, absolute. */
  workerConfig: string;
};

function readNameAndMain(files: AnalysisFs, file: string): { name?: string; main?: string } | undefined {
  const text = files.readText(file);
  if (text === undefined) return undefined;
  const result = file.endsWith('.toml') ? readToml(text, file) : readJsonc(text, file, 'jsonc');
  if (!result.ok || typeof result.doc.data !== 'object' || result.doc.data === null) return undefined;
  const data = result.doc.data as Record<string, unknown>;
  return {
    ...(typeof data.name === 'string' ? { name: data.name } : {}),
    ...(typeof data.main === 'string' ? { main: data.main } : {}),
  };
}

function within(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The source entry of a missing `mainAbs` built by the plugin, or undefined. `configFile`: the
 * wrangler config that names `mainAbs` (where to look for the Vite config first).
 */
export function viteSourceEntry(resolver: ModuleResolver, mainAbs: string, configFile: string | undefined): ViteSource | undefined {
  const vite = resolver.viteConfigFor(path.dirname(configFile ?? mainAbs));
  const plugin = vite?.cloudflare;
  if (!vite || !plugin) return undefined;
  const candidates: { file: string; entry: boolean }[] = [];
  if (plugin.configPath) candidates.push({ file: path.resolve(vite.dir, plugin.configPath), entry: true });
  else {
    const name = PLUGIN_CONFIG_NAMES.find((n) => resolver.isFile(path.join(vite.dir, n)));
    if (name) candidates.push({ file: path.join(vite.dir, name), entry: true });
  }
  for (const aux of plugin.auxiliaryConfigPaths) candidates.push({ file: path.resolve(vite.dir, aux), entry: false });

  const resolved: (ViteSource & { outDir: string })[] = [];
  for (const candidate of candidates) {
    if (!resolver.inside(candidate.file) || !resolver.isFile(candidate.file)) continue;
    const config = readNameAndMain(resolver.files, candidate.file);
    if (!config) continue;
    const main = candidate.entry && plugin.inlineMain !== undefined ? plugin.inlineMain : config.main;
    if (main === undefined || !ENTRY_EXTENSIONS.some((e) => main.endsWith(e))) continue;
    const entry = path.resolve(path.dirname(candidate.file), main);
    if (entry === mainAbs || !resolver.inside(entry)) continue;
    const environment = (candidate.entry ? plugin.environmentName : undefined) ?? config.name?.replaceAll('-', '_');
    const outDir = environment === undefined ? undefined : vite.environmentOutDirs[environment] ?? path.join(vite.outDir ?? 'dist', environment);
    resolved.push({ entry, viteConfig: vite.file, workerConfig: candidate.file, outDir: outDir === undefined ? '' : path.resolve(vite.dir, outDir) });
  }
  const exact = resolved.find((r) => r.outDir !== '' && within(mainAbs, r.outDir));
  // A single Worker and a main inside Vite's output folder: the name may differ (a renamed Worker).
  const only = !exact && resolved.length === 1 && within(mainAbs, path.resolve(vite.dir, vite.outDir ?? 'dist')) ? resolved[0] : undefined;
  const match = exact ?? only;
  if (!match) return undefined;
  const file = resolver.resolvePath(match.entry) ?? (resolver.isFile(match.entry) ? match.entry : undefined);
  return file ? { entry: file, viteConfig: match.viteConfig, workerConfig: match.workerConfig } : undefined;
}
