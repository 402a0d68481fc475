/**
 * Module resolution for usage analysis, without node_modules: relative paths (with TypeScript's
 * `.js` → `.ts` mapping and index files), tsconfig `paths`/`baseUrl` (nearest tsconfig, `extends`
 * followed), and workspace packages (any package.json in the repository, by name, through its
 * `exports`, `module`, `main`, or `src/index.*`). Everything else is external. Never resolves to a
 * place outside the root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const EXPORT_CONDITIONS = ['workerd', 'worker', 'edge-light', 'import', 'module', 'default', 'require', 'node', 'types'];

export type Resolution = { kind: 'file'; file: string } | { kind: 'external' } | { kind: 'missing'; reason: string } | { kind: 'outside' };

type TsPaths = { baseDir: string; paths: Record<string, string[]> };
type Workspace = { name: string; dir: string; manifest: Record<string, unknown> };

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const data = parseJsonc(fs.readFileSync(file, 'utf8'), [], { allowTrailingComma: true });
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class ModuleResolver {
  readonly #root: string;
  readonly #isFile = new Map<string, boolean>();
  readonly #tsconfigByDir = new Map<string, TsPaths | null>();
  readonly #workspaces: Map<string, Workspace>;

  constructor(root: string, packageJsonFiles: readonly string[]) {
    this.#root = root;
    this.#workspaces = new Map();
    for (const rel of packageJsonFiles) {
      const file = path.join(root, rel);
      const manifest = readJson(file);
      if (manifest && typeof manifest.name === 'string' && !this.#workspaces.has(manifest.name)) {
        this.#workspaces.set(manifest.name, { name: manifest.name, dir: path.dirname(file), manifest });
      }
    }
  }

  inside(file: string): boolean {
    const rel = path.relative(this.#root, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  isFile(file: string): boolean {
    let known = this.#isFile.get(file);
    if (known === undefined) {
      try {
        known = fs.statSync(file).isFile();
      } catch {
        known = false;
      }
      this.#isFile.set(file, known);
    }
    return known;
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
      return file ? this.#checked(file) : { kind: 'missing', reason: `cannot find module "${specifier}"` };
    }
    if (/^[a-z]+:/.test(specifier)) return { kind: 'external' }; // node:, cloudflare:, npm:
    const viaPaths = this.#resolveTsPaths(specifier, fromFile);
    if (viaPaths) return this.#checked(viaPaths);
    return this.#resolveWorkspace(specifier);
  }

  readonly #checkedCache = new Map<string, Resolution>();

  /** The file, unless a symbolic link takes it outside the root. */
  #checked(file: string): Resolution {
    let result = this.#checkedCache.get(file);
    if (!result) {
      try {
        result = this.inside(fs.realpathSync.native(file)) ? { kind: 'file', file } : { kind: 'outside' };
      } catch {
        result = { kind: 'missing', reason: 'the file cannot be opened' };
      }
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

  #resolveTsPaths(specifier: string, fromFile: string): string | undefined {
    const config = this.#tsconfigFor(path.dirname(fromFile));
    if (!config) return undefined;
    let best: { prefix: number; targets: string[]; middle: string } | undefined;
    for (const [pattern, targets] of Object.entries(config.paths)) {
      const star = pattern.indexOf('*');
      if (star === -1) {
        if (pattern === specifier) best = { prefix: Infinity, targets, middle: '' };
        continue;
      }
      const before = pattern.slice(0, star);
      const after = pattern.slice(star + 1);
      if (specifier.startsWith(before) && specifier.endsWith(after) && specifier.length >= before.length + after.length && (!best || before.length > best.prefix)) {
        best = { prefix: before.length, targets, middle: specifier.slice(before.length, specifier.length - after.length) };
      }
    }
    for (const target of best?.targets ?? []) {
      const file = this.resolvePath(path.resolve(config.baseDir, target.replace('*', best!.middle)));
      if (file) return file;
    }
    return undefined;
  }

  #tsconfigFor(dir: string): TsPaths | undefined {
    const chain: string[] = [];
    let current = dir;
    let found: TsPaths | null | undefined;
    while (this.inside(current)) {
      found = this.#tsconfigByDir.get(current);
      if (found !== undefined) break;
      chain.push(current);
      const file = path.join(current, 'tsconfig.json');
      if (this.isFile(file)) {
        found = this.#loadTsconfig(file, 0) ?? null;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of chain) this.#tsconfigByDir.set(d, found ?? null);
    return found ?? undefined;
  }

  #loadTsconfig(file: string, depth: number): TsPaths | undefined {
    const config = readJson(file);
    if (!config || depth > 10) return undefined;
    const options = (config.compilerOptions ?? {}) as Record<string, unknown>;
    let inherited: TsPaths | undefined;
    const extendsField = config.extends;
    for (const ext of Array.isArray(extendsField) ? extendsField : extendsField ? [extendsField] : []) {
      if (typeof ext !== 'string' || !ext.startsWith('.')) continue; // package configs are not installed here
      const target = path.resolve(path.dirname(file), ext.endsWith('.json') ? ext : `${ext}.json`);
      if (this.inside(target)) inherited = this.#loadTsconfig(target, depth + 1) ?? inherited;
    }
    const baseDir = typeof options.baseUrl === 'string' ? path.resolve(path.dirname(file), options.baseUrl) : inherited?.baseDir ?? path.dirname(file);
    const paths = options.paths && typeof options.paths === 'object' ? (options.paths as Record<string, string[]>) : inherited?.paths;
    if (!paths) return typeof options.baseUrl === 'string' ? { baseDir, paths: { '*': ['*'] } } : inherited;
    return { baseDir, paths };
  }
}
