/**
 * Module resolution for usage analysis, without node_modules: relative paths (with TypeScript's
 * `.js` → `.ts` mapping and index files), tsconfig `paths`/`baseUrl`, Vite's `resolve.alias`,
 * package.json `imports` (`#x`), and workspace packages (any package.json in the repository, by
 * name, through its `exports`, `module`, `main`, or `src/index.*`). Everything else is external.
 * Never resolves to a place outside the root.
 *
 * tsconfig: the nearest `tsconfig.json`, its `extends` chain, and the projects it lists under
 * `references` (Vite + @cloudflare/vite-plugin projects keep the Worker's
 * `paths` in `tsconfig.worker.json`, referenced from a root tsconfig.json with `"files": []`). A
 * file is governed by the referenced project whose `include`/`files` cover it, as `tsc --build`
 * decides (https://www.typescriptlang.org/docs/handbook/project-references.html); the others are
 * tried after it, because a bundler (Vite) resolves with whichever alias matches.
 *
 * An import that looks local (`@/x`, `~/x`, `#x`, or one a `paths` pattern or an alias matched)
 * but leads to no file is `missing`, never `external`: the graph is incomplete there, and the
 * caller must not conclude anything from what it did not read.
 *
 * Over 300 lines: one resolver, tried in one order (relative, tsconfig, Vite alias, `imports`,
 * workspace packages) over the file system view of analysis-fs.ts (one resolver per Worker); the
 * tsconfig chain (`extends`, `references`) is the seam to split along when it grows again.
 */
import path from 'node:path';
import { isWithin, parseJsonObject, type AnalysisFs, type Manifest } from './analysis-fs.js';
import { applyAlias, readViteConfig, VITE_CONFIG_NAMES, type ViteConfig } from './vite-config.js';

export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const EXPORT_CONDITIONS = ['workerd', 'worker', 'edge-light', 'import', 'module', 'default', 'require', 'node', 'types'];

export type Resolution = { kind: 'file'; file: string } | { kind: 'external' } | { kind: 'missing'; reason: string } | { kind: 'outside' };

/** One tsconfig with its `extends` chain applied. */
type TsConfig = {
  file: string;
  /** `baseUrl`, own or inherited, absolute. */
  baseUrl?: string;
  paths?: Record<string, string[]>;
  /** Where `paths` targets are resolved: `baseUrl`, else the folder of the config that declares `paths` (TypeScript 4.1+). */
  baseDir: string;
  /** Files the project covers: `include` patterns (compiled) and `files`; absent both means `**\/*` of its folder. */
  include?: RegExp[];
  files?: Set<string>;
  dir: string;
  references: string[];
};
type Workspace = { name: string; dir: string; manifest: Manifest };

/** Prefixes no npm package can have: an import starting with one is the repository's own code. */
const LOCAL_PREFIXES = ['@/', '~/', '#'];

/** A tsconfig `include` pattern as a RegExp over absolute, forward-slash paths. */
export function includePattern(pattern: string, baseDir: string): RegExp {
  const full = path.resolve(baseDir, pattern).split(path.sep).join('/');
  const last = full.slice(full.lastIndexOf('/') + 1);
  // TypeScript: a last segment without wildcard or extension names a folder (all files below it).
  const folder = !/[*?]/.test(last) && !/\.[A-Za-z0-9]+$/.test(last);
  let re = '';
  for (let i = 0; i < full.length; i++) {
    const c = full[i]!;
    if (c === '*' && full[i + 1] === '*') {
      if (full[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}${folder ? '(?:/.*)?' : ''}$`);
}

function readJson(files: AnalysisFs, file: string): Record<string, unknown> | undefined {
  const text = files.readText(file);
  return text === undefined ? undefined : parseJsonObject(text);
}

/**
 * One resolver per Worker analysis (index.ts): its memos are its own, so every answer it relies on
 * goes through `files` and reaches that Worker's journal (analysis-fs.ts); the file system itself
 * is read once per run below it.
 */
export class ModuleResolver {
  readonly #root: string;
  readonly #fs: AnalysisFs;
  readonly #projectByDir = new Map<string, TsConfig[] | null>();
  readonly #tsconfigs = new Map<string, TsConfig | null>();
  readonly #viteByDir = new Map<string, ViteConfig | null>();
  readonly #workspaces: Map<string, Workspace>;
  /** Package folder → manifest, for package.json `imports`. */
  readonly #packagesByDir = new Map<string, Manifest>();
  readonly #packageForDir = new Map<string, { dir: string; manifest: Manifest } | null>();

  constructor(root: string, files: AnalysisFs, packageJsonFiles: readonly string[]) {
    this.#root = root;
    this.#fs = files;
    this.#workspaces = new Map();
    for (const rel of packageJsonFiles) {
      const file = path.join(root, rel);
      const manifest = files.readManifest(file);
      if (manifest) this.#packagesByDir.set(path.dirname(file), manifest);
      if (manifest && typeof manifest.name === 'string' && !this.#workspaces.has(manifest.name)) {
        this.#workspaces.set(manifest.name, { name: manifest.name, dir: path.dirname(file), manifest });
      }
    }
  }

  inside(file: string): boolean {
    // Paths here come from path.join / path.resolve / realpath, so they are normalized and a prefix
    // test answers; path.relative (a tenth of a warm run's time) only for anything else.
    const root = this.#root;
    if (!/[\\/]\.\.?(?:[\\/]|$)/.test(file)) return isWithin(root, file);
    const rel = path.relative(root, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  /** One readdir per folder answers every candidate a resolution tries there (analysis-fs.ts). */
  isFile(file: string): boolean {
    return this.#fs.isFile(file);
  }

  /** A path as written (maybe without extension) → the module file, trying what bundlers try. */
  resolvePath(base: string): string | undefined {
    const ext = path.extname(base);
    if (CODE_EXTENSIONS.includes(ext)) {
      for (const alt of JS_TO_TS[ext] ?? []) {
        const candidate = base.slice(0, -ext.length) + alt;
        if (this.isFile(candidate)) return candidate;
      }
      if (this.isFile(base)) return base;
    }
    for (const e of CODE_EXTENSIONS) if (this.isFile(base + e)) return base + e;
    if (this.isFile(base) && !ext) return undefined; // a file with no code extension is not a module we read
    for (const e of CODE_EXTENSIONS) if (this.isFile(path.join(base, `index${e}`))) return path.join(base, `index${e}`);
    return undefined;
  }

  resolve(specifier: string, fromFile: string): Resolution {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const base = specifier.startsWith('/') ? path.join(this.#root, specifier) : path.resolve(path.dirname(fromFile), specifier);
      if (!this.inside(base)) return { kind: 'outside' };
      const file = this.resolvePath(base);
      if (file) return this.#checked(file);
      // `import schema from "./schema.sql"`, `./page.html`, `./x.wasm`: a module wrangler's rules load as data, no code.
      if (this.isFile(base) && !CODE_EXTENSIONS.includes(path.extname(base))) return { kind: 'external' };
      return { kind: 'missing', reason: `cannot find module "${specifier}"` };
    }
    if (/^[a-z]+:/.test(specifier)) return { kind: 'external' }; // node:, cloudflare:, npm:
    const viaPaths = this.#resolveTsPaths(specifier, fromFile);
    if (viaPaths && 'file' in viaPaths) return this.#checked(viaPaths.file);
    const viaAlias = this.#resolveViteAlias(specifier, fromFile);
    if (viaAlias && 'file' in viaAlias) return viaAlias.file === null ? { kind: 'outside' } : this.#checked(viaAlias.file);
    if (specifier.startsWith('#')) {
      const viaImports = this.#resolvePackageImports(specifier, fromFile);
      if (viaImports) return this.#checked(viaImports);
    }
    const workspace = this.#resolveWorkspace(specifier);
    if (workspace.kind !== 'external') return workspace;
    const matched = viaPaths?.matched ?? viaAlias?.matched;
    if (matched) return { kind: 'missing', reason: `"${specifier}" matches ${matched} but no file does` };
    if (LOCAL_PREFIXES.some((p) => specifier.startsWith(p))) {
      return { kind: 'missing', reason: `"${specifier}" looks like a local import (no npm package starts with "${LOCAL_PREFIXES.find((p) => specifier.startsWith(p))}") but no tsconfig paths, Vite alias or package.json imports entry resolves it` };
    }
    return workspace;
  }

  readonly #checkedCache = new Map<string, Resolution>();

  /** The file, unless a symbolic link takes it outside the root. */
  #checked(file: string): Resolution {
    let result = this.#checkedCache.get(file);
    if (!result) {
      const inside = this.#fs.realInside(file);
      result = inside === undefined ? { kind: 'missing', reason: 'the file cannot be opened' } : inside ? { kind: 'file', file } : { kind: 'outside' };
      this.#checkedCache.set(file, result);
    }
    return result;
  }

  #resolveWorkspace(specifier: string): Resolution {
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const subpath = `.${specifier.slice(name.length)}`;
    const workspace = this.#workspaces.get(name);
    if (!workspace) return { kind: 'external' };
    const target = this.#exportTarget(workspace, subpath);
    for (const candidate of target) {
      const file = this.resolvePath(path.resolve(workspace.dir, candidate));
      if (file) return this.#checked(file);
    }
    return { kind: 'missing', reason: `workspace package "${name}" has no module for "${subpath}"` };
  }

  /** Candidate paths for a subpath of a workspace package, most specific first. */
  #exportTarget(workspace: Workspace, subpath: string): string[] {
    const candidates: string[] = [];
    const exportsField = workspace.manifest.exports;
    const pick = (value: unknown, depth = 0): void => {
      if (depth > 8) return;
      if (typeof value === 'string') candidates.push(value);
      else if (Array.isArray(value)) value.forEach((v) => pick(v, depth + 1));
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        for (const condition of EXPORT_CONDITIONS) if (condition in record) pick(record[condition], depth + 1);
      }
    };
    if (typeof exportsField === 'string' || Array.isArray(exportsField)) {
      if (subpath === '.') pick(exportsField);
    } else if (exportsField && typeof exportsField === 'object') {
      const record = exportsField as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.some((k) => k.startsWith('.'))) {
        if (subpath in record) pick(record[subpath]);
        for (const key of keys) {
          const star = key.indexOf('*');
          if (star === -1) continue;
          const [before, after] = [key.slice(0, star), key.slice(star + 1)];
          if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= before.length + after.length) {
            const middle = subpath.slice(before.length, subpath.length - after.length);
            const targets: string[] = [];
            const collect = (v: unknown) => { if (typeof v === 'string') targets.push(v); else if (v && typeof v === 'object') for (const c of EXPORT_CONDITIONS) if (c in (v as object)) collect((v as Record<string, unknown>)[c]); };
            collect(record[key]);
            candidates.push(...targets.map((t) => t.replace('*', middle)));
          }
        }
      } else if (subpath === '.') pick(record);
    }
    if (subpath === '.') {
      for (const field of ['source', 'module', 'main']) if (typeof workspace.manifest[field] === 'string') candidates.push(workspace.manifest[field] as string);
      candidates.push('src/index', 'index');
    } else {
      candidates.push(subpath, `src/${subpath.slice(2)}`);
    }
    // Built output (dist/) is often absent in a checkout: also try the same path under src/.
    return [...candidates, ...candidates.filter((c) => /(^|\/)(dist|build|lib)\//.test(c)).map((c) => c.replace(/(^|\/)(dist|build|lib)\//, '$1src/').replace(/\.d\.ts$|\.[cm]?js$/, ''))];
  }

  /**
   * tsconfig `paths`, trying the configs that govern `fromFile` first. `matched`: a pattern (not the
   * `*` catch-all of a bare `baseUrl`) matched the specifier but named no file.
   */
  #resolveTsPaths(specifier: string, fromFile: string): { file: string } | { matched: string } | undefined {
    const target = fromFile.split(path.sep).join('/');
    const ordered: TsConfig[] = [];
    // The nearest project first (its covering configs first), then projects further up: a bundler
    // resolves with whichever alias matches, so when in doubt every config's paths are tried.
    for (let dir: string | undefined = path.dirname(fromFile); dir !== undefined;) {
      const project = this.#projectFor(dir);
      if (!project) break;
      const covering = project.filter((c) => this.#covers(c, target));
      for (const c of [...covering, ...project]) if (!ordered.includes(c)) ordered.push(c);
      const parent = path.dirname(path.dirname(project[0]!.file));
      dir = parent !== path.dirname(project[0]!.file) && this.inside(parent) ? parent : undefined;
    }
    let matched: string | undefined;
    for (const config of ordered) {
      if (!config.paths) continue;
      let best: { prefix: number; targets: string[]; middle: string; pattern: string } | undefined;
      for (const [pattern, targets] of Object.entries(config.paths)) {
        if (!Array.isArray(targets)) continue;
        const star = pattern.indexOf('*');
        if (star === -1) {
          if (pattern === specifier) best = { prefix: Infinity, targets, middle: '', pattern };
          continue;
        }
        const before = pattern.slice(0, star);
        const after = pattern.slice(star + 1);
        if (specifier.startsWith(before) && specifier.endsWith(after) && specifier.length >= before.length + after.length && (!best || before.length > best.prefix)) {
          best = { prefix: before.length, targets, middle: specifier.slice(before.length, specifier.length - after.length), pattern };
        }
      }
      if (!best) continue;
      for (const t of best.targets) {
        if (typeof t !== 'string') continue;
        const file = this.resolvePath(path.resolve(config.baseDir, t.replace('*', best.middle)));
        if (file) return { file };
      }
      if (best.pattern !== '*') matched ??= `the tsconfig paths pattern "${best.pattern}" of ${path.relative(this.#root, config.file).split(path.sep).join('/')}`;
    }
    return matched ? { matched } : undefined;
  }

  #covers(config: TsConfig, file: string): boolean {
    if (config.files?.has(file)) return true;
    if (!config.include) return !config.files && file.startsWith(`${config.dir.split(path.sep).join('/')}/`);
    return config.include.some((re) => re.test(file));
  }

  /** The nearest tsconfig.json and the projects it references (recursively), cached per folder. */
  #projectFor(dir: string): TsConfig[] | undefined {
    const chain: string[] = [];
    let current = dir;
    let found: TsConfig[] | null | undefined;
    while (this.inside(current)) {
      found = this.#projectByDir.get(current);
      if (found !== undefined) break;
      chain.push(current);
      const file = path.join(current, 'tsconfig.json');
      if (this.isFile(file)) {
        const configs: TsConfig[] = [];
        const queue = [file];
        const seen = new Set<string>();
        for (let next = queue.shift(); next !== undefined && configs.length < 32; next = queue.shift()) {
          if (seen.has(next)) continue;
          seen.add(next);
          const config = this.#loadTsconfig(next);
          if (!config) continue;
          configs.push(config);
          queue.push(...config.references);
        }
        found = configs.length > 0 ? configs : null;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of chain) this.#projectByDir.set(d, found ?? null);
    return found ?? undefined;
  }

  #loadTsconfig(file: string, depth = 0): TsConfig | undefined {
    const cached = this.#tsconfigs.get(file);
    if (cached !== undefined) return cached ?? undefined;
    const config = depth > 10 || !this.inside(file) ? undefined : readJson(this.#fs, file);
    if (!config) {
      this.#tsconfigs.set(file, null);
      return undefined;
    }
    this.#tsconfigs.set(file, null); // an extends cycle ends here
    const dir = path.dirname(file);
    const options = (config.compilerOptions ?? {}) as Record<string, unknown>;
    let inherited: TsConfig | undefined;
    const extendsField = config.extends;
    for (const ext of Array.isArray(extendsField) ? extendsField : extendsField ? [extendsField] : []) {
      if (typeof ext !== 'string' || !ext.startsWith('.')) continue; // package configs are not installed here
      const target = path.resolve(dir, ext.endsWith('.json') ? ext : `${ext}.json`);
      if (this.inside(target)) inherited = this.#loadTsconfig(target, depth + 1) ?? inherited;
    }
    const baseUrl = typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : inherited?.baseUrl;
    const ownPaths = options.paths && typeof options.paths === 'object' && !Array.isArray(options.paths) ? (options.paths as Record<string, string[]>) : undefined;
    // A bare baseUrl makes every non-relative import resolvable from it (the `*` catch-all).
    const paths = ownPaths ?? inherited?.paths ?? (baseUrl !== undefined ? { '*': ['*'] } : undefined);
    const baseDir = baseUrl ?? (ownPaths ? dir : inherited?.paths ? inherited.baseDir : dir);
    // include/files are inherited through extends, relative to the config that wrote them.
    const include = Array.isArray(config.include) ? config.include.filter((p): p is string => typeof p === 'string').map((p) => includePattern(p, dir))
      : config.files === undefined ? inherited?.include : undefined;
    const files = Array.isArray(config.files) ? new Set(config.files.filter((p): p is string => typeof p === 'string').map((p) => path.resolve(dir, p).split(path.sep).join('/')))
      : config.include === undefined ? inherited?.files : undefined;
    const references: string[] = [];
    for (const ref of Array.isArray(config.references) ? config.references : []) {
      const refPath = ref && typeof ref === 'object' && typeof (ref as { path?: unknown }).path === 'string' ? (ref as { path: string }).path : undefined;
      if (!refPath) continue;
      const target = path.resolve(dir, refPath);
      references.push(target.endsWith('.json') ? target : path.join(target, 'tsconfig.json'));
    }
    const result: TsConfig = { file, dir, baseDir, ...(baseUrl !== undefined ? { baseUrl } : {}), ...(paths ? { paths } : {}), ...(include ? { include } : {}), ...(files ? { files } : {}), references };
    this.#tsconfigs.set(file, result);
    return result;
  }

  /** The nearest Vite config above a folder (within the repository), read once. */
  #viteConfigFor(dir: string): ViteConfig | undefined {
    const chain: string[] = [];
    let current = dir;
    let found: ViteConfig | null | undefined;
    while (this.inside(current)) {
      found = this.#viteByDir.get(current);
      if (found !== undefined) break;
      chain.push(current);
      const name = VITE_CONFIG_NAMES.find((n) => this.isFile(path.join(current, n)));
      if (name) {
        found = this.readViteConfig(path.join(current, name)) ?? null;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of chain) this.#viteByDir.set(d, found ?? null);
    return found ?? undefined;
  }

  /** A Vite config file, parsed once (also used to find what @cloudflare/vite-plugin builds). */
  readViteConfig(file: string): ViteConfig | undefined {
    const text = this.#fs.readText(file);
    if (text === undefined) return undefined;
    try {
      return readViteConfig(text, file);
    } catch {
      return undefined;
    }
  }

  /** The analysis's view of the file system, for the callers that look at more than modules. */
  get files(): AnalysisFs {
    return this.#fs;
  }

  /** The nearest Vite config of a folder (public for the vite-plugin entry lookup). */
  viteConfigFor(dir: string): ViteConfig | undefined {
    return this.#viteConfigFor(dir);
  }

  /** `file: null`: the alias leads outside the repository. */
  #resolveViteAlias(specifier: string, fromFile: string): { file: string | null } | { matched: string } | undefined {
    const vite = this.#viteConfigFor(path.dirname(fromFile));
    if (!vite || vite.aliases.length === 0) return undefined;
    const hit = applyAlias(vite.aliases, specifier);
    if (!hit) return undefined;
    const replaced = hit.replaced;
    let base: string | undefined;
    // "/src/x" (a literal, not a path on this machine) is relative to the Vite root, as Vite serves it.
    if (path.isAbsolute(replaced)) base = this.inside(replaced) || this.#fs.exists(replaced) ? replaced : path.join(vite.dir, replaced);
    else if (replaced.startsWith('.')) base = path.resolve(path.dirname(fromFile), replaced);
    else return undefined; // aliased to a package name
    if (!this.inside(base)) return { file: null };
    const file = this.resolvePath(base);
    return file ? { file } : { matched: `the Vite alias "${hit.find}" of ${path.relative(this.#root, vite.file).split(path.sep).join('/')}` };
  }

  /** package.json `imports` of the nearest package: `"#lib/*": "./src/lib/*"`. */
  #resolvePackageImports(specifier: string, fromFile: string): string | undefined {
    let dir = path.dirname(fromFile);
    const chain: string[] = [];
    let found: { dir: string; manifest: Manifest } | null | undefined;
    while (this.inside(dir)) {
      found = this.#packageForDir.get(dir);
      if (found !== undefined) break;
      chain.push(dir);
      const manifest = this.#packagesByDir.get(dir);
      if (manifest) {
        found = { dir, manifest };
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of chain) this.#packageForDir.set(d, found ?? null);
    if (!found) return undefined;
    const manifestDir = found.dir;
    const imports = found.manifest.imports;
    if (!imports || typeof imports !== 'object' || Array.isArray(imports)) return undefined;
    const record = imports as Record<string, unknown>;
    const targets: string[] = [];
    const collect = (v: unknown, middle: string, depth = 0): void => {
      if (depth > 8) return;
      if (typeof v === 'string') targets.push(v.replace('*', middle));
      else if (Array.isArray(v)) v.forEach((x) => collect(x, middle, depth + 1));
      else if (v && typeof v === 'object') for (const c of EXPORT_CONDITIONS) if (c in (v as object)) collect((v as Record<string, unknown>)[c], middle, depth + 1);
    };
    if (specifier in record) collect(record[specifier], '');
    for (const key of Object.keys(record)) {
      const star = key.indexOf('*');
      if (star === -1) continue;
      const [before, after] = [key.slice(0, star), key.slice(star + 1)];
      if (specifier.startsWith(before) && specifier.endsWith(after) && specifier.length >= before.length + after.length) collect(record[key], specifier.slice(before.length, specifier.length - after.length));
    }
    for (const t of targets) {
      if (!t.startsWith('.')) continue;
      const file = this.resolvePath(path.resolve(manifestDir, t));
      if (file) return file;
      const source = t.replace(/(^|\/)(dist|build|lib)\//, '$1src/').replace(/\.d\.ts$|\.[cm]?js$/, '');
      const fromSource = source !== t ? this.resolvePath(path.resolve(manifestDir, source)) : undefined;
      if (fromSource) return fromSource;
    }
    return undefined;
  }
}

