/**
 * The cache of per-module facts (`--cache`): one JSON file mapping a module's key, the SHA-256 of
 * its repo-relative path and its text, to its facts as data (facts-data.ts). The file header names
 * the format and the tool that wrote it (version and a hash of the running code), so a different
 * deploy-guard, a corrupt file or a file that is not ours is ignored with a note and rewritten,
 * never trusted. Saved only when it changed, through a temporary file and a rename, so a run that
 * dies half-way leaves the previous cache. Entries no module of the run asked for are dropped on
 * save: the file follows the repository instead of growing with every file it ever held.
 *
 * Secrets: the facts are names (env names, imports, exports), positions and reasons; the one
 * place a value of the code is kept is a string literal handed to `createClient(url, key)`, which
 * may be a key. Facts holding such a literal are never written, so the cache holds nothing a
 * report would redact; those few modules are parsed again on each run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FactsData } from './facts-data.js';

/** Bump when FactsData changes shape. */
const FORMAT = 'deploy-guard-module-facts/1';
export const CACHE_FILE = 'module-facts.json';

type CacheFile = { format: string; tool: string; entries: Record<string, FactsData> };

export type FactsStore = {
  get(key: string): FactsData | undefined;
  set(key: string, data: FactsData): void;
};

/** The key of a module: its path (messages name it, its extension picks the syntax) and its text. */
export function factsKey(relPath: string, text: string): string {
  return crypto.createHash('sha256').update(relPath).update('\0').update(text).digest('base64url');
}

/** Whether the facts keep a literal of the code (a URL or key handed to createClient). */
function holdsLiteral(data: FactsData): boolean {
  return data.supabaseClients.some((c) => [...c.url, ...c.key].some((a) => a.kind === 'literal'));
}

export class FactsCache implements FactsStore {
  readonly file: string;
  readonly #tool: string;
  #entries: Record<string, FactsData> = {};
  #used = new Map<string, FactsData>();
  #changed = false;
  hits = 0;
  misses = 0;

  /** `location`: the folder of the cache; `tool`: what must match for entries to be trusted. */
  constructor(location: string, tool: string) {
    this.file = path.join(location, CACHE_FILE);
    this.#tool = tool;
  }

  /** Reads the cache file; returns a note when there was one and it was not used. */
  load(): string | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.#changed = true;
      return code === 'ENOENT' ? undefined : `cannot read the cache ${this.file} (${code ?? 'error'}); parsing every module`;
    }
    let parsed: Partial<CacheFile>;
    try {
      parsed = JSON.parse(text) as Partial<CacheFile>;
    } catch {
      this.#changed = true;
      return `ignored the cache ${this.file}: it is not valid JSON; parsing every module and writing it anew`;
    }
    if (parsed?.format !== FORMAT || typeof parsed.entries !== 'object' || parsed.entries === null || Array.isArray(parsed.entries)) {
      this.#changed = true;
      return `ignored the cache ${this.file}: it is not a deploy-guard module-facts cache (${FORMAT}); parsing every module and writing it anew`;
    }
    if (parsed.tool !== this.#tool) {
      this.#changed = true;
      return `ignored the cache ${this.file}: it was written by another build of deploy-guard; parsing every module and writing it anew`;
    }
    this.#entries = parsed.entries;
    return undefined;
  }

  get(key: string): FactsData | undefined {
    const data = Object.hasOwn(this.#entries, key) ? this.#entries[key] : undefined;
    if (data === undefined || !isFactsData(data)) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#used.set(key, data);
    return data;
  }

  set(key: string, data: FactsData): void {
    if (holdsLiteral(data)) return;
    this.#used.set(key, data);
    this.#changed = true;
  }

  /** Writes the entries this run used, when they differ from the file's; true when it wrote. */
  save(): boolean {
    if (!this.#changed && this.#used.size === Object.keys(this.#entries).length) return false;
    const entries: Record<string, FactsData> = {};
    for (const key of [...this.#used.keys()].sort()) entries[key] = this.#used.get(key)!;
    const body: CacheFile = { format: FORMAT, tool: this.#tool, entries };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(body));
    fs.renameSync(temporary, this.file);
    return true;
  }
}

/** The shape every reader of the facts relies on; an entry that lacks it is a miss, not a crash. */
function isFactsData(value: unknown): value is FactsData {
  const data = value as Partial<FactsData> | null;
  return typeof data === 'object' && data !== null &&
    Array.isArray(data.imports) && Array.isArray(data.reads) && Array.isArray(data.opaque) && Array.isArray(data.envCalls) &&
    Array.isArray(data.exports) && Array.isArray(data.exportStars) && Array.isArray(data.importedFrom) && Array.isArray(data.problems) &&
    Array.isArray(data.directives) && Array.isArray(data.supabaseClients) && typeof data.flow === 'object' && data.flow !== null &&
    Array.isArray(data.flow.functions) && Array.isArray(data.flow.callables) && Array.isArray(data.flow.exported) &&
    Array.isArray(data.flow.uses) && Array.isArray(data.flow.paramFunctions);
}

/**
 * What must match for cached facts to be trusted: the version, and a hash of the code that is
 * running (the bundle, or this module's source under tests), so a rebuilt deploy-guard with the
 * same version number does not read facts an older build wrote.
 */
export function toolIdentity(version: string, codeFile: string | undefined): string {
  try {
    return `${version}+${crypto.createHash('sha256').update(fs.readFileSync(codeFile ?? '')).digest('base64url').slice(0, 16)}`;
  } catch {
    return `${version}+${FORMAT}`;
  }
}

/**
 * Runs `check` with the cache at `location` (loaded before, saved after); what went wrong with the
 * cache file is handed to `note` and never stops the check.
 */
export function withFactsCache<T>(location: string, tool: string, note: (text: string) => void, check: (store: FactsStore) => T): T {
  const cache = new FactsCache(location, tool);
  const problem = cache.load();
  if (problem) note(problem);
  const result = check(cache);
  try {
    cache.save();
  } catch (error) {
    note(`cannot write the cache ${cache.file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); the next run parses every module again`);
  }
  return result;
}
