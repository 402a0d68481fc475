/**
 * Which folders are frontends, with which build tool, and which code files are a frontend's own:
 * a folder whose env files hold browser-exposed names, or whose package.json depends on a
 * frontend framework, or that the config declares. Pure.
 */
import path from 'node:path/posix';
import { isBrowserExposed } from './classify.js';
import type { FrontendFramework } from './layers.js';
import { dirOf, groupBy, type LoadedEnvFile, type LoadedPackageJson, type RepoData } from './repo-data.js';

/** A frontend framework's own config file: its folder builds a frontend, whatever its package.json lists (a workspace may hoist the dependency). */
export const FRAMEWORK_CONFIG = /^(?:vite|next|svelte|astro|nuxt|remix|react-router)\.config\.[cm]?[jt]s$/;

const EDGE_FUNCTIONS = /(?:^|\/)supabase\/functions(?:\/|$)/;

const FRONTEND_PACKAGES = [
  'vite', 'next', '@sveltejs/kit', 'astro', 'nuxt', 'react-scripts', 'expo', 'gatsby', '@angular/core', '@vue/cli-service', '@remix-run/dev', '@react-router/dev',
];

/** Folders that hold code of their own: a file belongs to the nearest one above it. */
const NOT_APP_CODE = /(?:^|\/)(?:__tests__|__mocks__|tests?|e2e|cypress|playwright|spec|stories|\.storybook|scripts|fixtures|examples?|supabase\/functions)\/|\.(?:test|spec|stories|e2e)\.[^/]+$/;

/**
 * The code files that are a frontend's own: under its folder, not nearer to another package or a
 * Worker config, not reachable from a Worker's main (a Worker and its Vite frontend share one
 * package with `@cloudflare/vite-plugin`), and not tests, stories, scripts or Supabase functions,
 * which talk to whatever they like.
 */
export function frontendCodeFiles(data: RepoData, codeFiles: readonly string[], workerModules: ReadonlySet<string>, declared: readonly string[]): { dir: string; files: string[] }[] {
  const frontends = frontendDirectories(data, declared);
  if (frontends.size === 0) return [];
  const boundaries = new Set<string>([...frontends.keys(), ...data.packageJsons.map((p) => dirOf(p.path)), ...data.workers.map((w) => dirOf(w.path))]);
  const byDir = new Map<string, string[]>();
  for (const file of codeFiles) {
    if (workerModules.has(file) || NOT_APP_CODE.test(file)) continue;
    let dir = dirOf(file);
    while (!boundaries.has(dir) && dir !== '.') dir = dirOf(dir);
    if (!frontends.has(dir)) continue;
    const list = byDir.get(dir);
    if (list) list.push(file);
    else byDir.set(dir, [file]);
  }
  return [...byDir].sort(([a], [b]) => (a < b ? -1 : 1)).map(([dir, files]) => ({ dir, files }));
}

/** By the package's dependencies, else by a framework config file in the folder (`admin/vite.config.ts` in a workspace that hoists vite). */
function detectFramework(dir: string, packageJsons: readonly LoadedPackageJson[], frameworkConfigs: readonly string[] = []): FrontendFramework | undefined {
  const pkg = packageJsons.find((p) => dirOf(p.path) === dir);
  if (pkg?.dependencies.has('next')) return 'next';
  if (pkg && FRONTEND_PACKAGES.some((name) => pkg.dependencies.has(name))) return 'vite';
  const config = frameworkConfigs.find((file) => dirOf(file) === dir);
  if (!config) return undefined;
  return path.basename(config).startsWith('next.') ? 'next' : 'vite';
}

function hasBrowserVariables(files: readonly LoadedEnvFile[]): boolean {
  return files.some((f) => f.entries.some((e) => isBrowserExposed(e.name)));
}

/** Frontend directories: those whose env files hold browser-exposed names, or whose package.json uses a frontend framework. */
export function frontendDirectories(data: RepoData, declared: readonly string[] = []): Map<string, FrontendFramework> {
  const byDir = groupBy(data.envFiles.filter((f) => !path.basename(f.path).startsWith('.dev.vars')), (f) => dirOf(f.path));
  const dirs = new Map<string, FrontendFramework>();
  const candidates = new Set([...byDir.keys(), ...data.packageJsons.map((p) => dirOf(p.path)), ...(data.frameworkConfigs ?? []).map(dirOf)]);
  for (const dir of candidates) {
    // Supabase Edge Functions run on Deno at Supabase; their `.env` names are the function's, not a browser's.
    if (EDGE_FUNCTIONS.test(dir)) continue;
    const framework = detectFramework(dir, data.packageJsons, data.frameworkConfigs);
    const files = byDir.get(dir) ?? [];
    if (framework) dirs.set(dir, framework);
    else if (hasBrowserVariables(files) || declared.includes(dir)) dirs.set(dir, 'vite');
  }
  for (const dir of declared) if (!dirs.has(dir)) dirs.set(dir, detectFramework(dir, data.packageJsons, data.frameworkConfigs) ?? 'vite');
  return dirs;
}
