/**
 * The cache of whole Worker results (`--cache`): what a Worker's code reads, kept with
 * everything its analysis was given, so that a later run can hand it back without resolving or
 * reading a single module when nothing it rests on changed. On a pull request that touches one
 * Worker of twenty, nineteen are answered from here.
 *
 * What a result rests on, and how each is checked again:
 * - the answers of the file system (the names asked about in each folder, configs, package.json
 *   fields, real paths): the journal (analysis-fs.ts, recording-fs.ts), each answer asked again
 *   and compared by digest;
 * - each module whose facts it used: its size, times and inode as `stat` gives them, as git's index
 *   does; when any differs (a fresh checkout), its text is read and its content key compared, so a
 *   touched but unchanged file still matches and a changed one never does. Like git, a signature
 *   taken while the file's times were still close to the clock ("racily clean") is never trusted by
 *   stat: a same-size edit in the same timestamp tick (2 s on FAT, a kernel tick on older Linux)
 *   would keep every time equal. A result reused by content is stored again with fresh stats.
 *
 * The key holds the checked folder: an absolute path in a tsconfig or Vite config means something
 * else under another root, and one cache folder can serve checks of several repositories.
 *
 * Results that hold a literal handed to `createClient` (possibly a key) are never written; those
 * Workers are analysed on every run, from the module facts cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { absolute, type JournalEntry } from './analysis-fs.js';
import { isRecord, readCacheFile, writeCacheFile, type CacheProblem } from './cache-files.js';
import { factsKey, holdsLiteral } from './facts-cache.js';
import type { WorkerUsage } from './worker-usage.js';
import { MAX_MODULE_BYTES } from '../defaults.js';

/** Bump when WorkerUsage or the journal changes shape. */
const FORMAT = 'deploy-guard-worker-usage/2';
export const WORKERS_FILE = 'worker-usage.json';

/** A module as it was read: repo-relative path, size, mtime and ctime (ms), inode, content key. */
export type ModuleSignature = [rel: string, size: number, mtimeMs: number, ctimeMs: number, ino: number, key: string];
export type WorkerEntry = { journal: JournalEntry[]; modules: ModuleSignature[]; usage: WorkerUsage };

export type WorkerStore = {
  /**
   * The stored entry under `key` when `stillValid` says nothing it rests on changed; it returns
   * the entry to keep (with fresh module stats when some matched by content), or undefined.
   */
  reuse(key: string, stillValid: (entry: WorkerEntry) => WorkerEntry | undefined): WorkerEntry | undefined;
  record(key: string, entry: WorkerEntry): void;
};

/** The content key of a module too big to read: its size is all its facts say. */
function bigKey(size: number): string {
  return `above-limit:${size}`;
}

/** Times within this of the moment a file was read may not tell a later same-size edit apart. */
const RACY_MS = 2000;

/** `readAt`: when the text was read; a racy signature gets ctime -1, which no stat matches. */
export function moduleSignature(rel: string, stat: fs.Stats, key: string | undefined, readAt = Date.now()): ModuleSignature {
  const racy = Math.max(stat.mtimeMs, stat.ctimeMs) > readAt - RACY_MS;
  return [rel, stat.size, stat.mtimeMs, racy ? -1 : stat.ctimeMs, stat.ino, key ?? bigKey(stat.size)];
}

/** Whether `stat` is the one the signature was taken from (so the text is too). */
export function sameStat([, size, mtimeMs, ctimeMs, ino]: ModuleSignature, stat: fs.Stats): boolean {
  return stat.size === size && stat.mtimeMs === mtimeMs && stat.ctimeMs === ctimeMs && stat.ino === ino;
}

/**
 * Whether the module is as its signature says (same stat, or else the same content key): its
 * signature now (fresh when it matched by content), or undefined when it changed.
 */
export function moduleStillSame(root: string, signature: ModuleSignature): ModuleSignature | undefined {
  const [rel, , , , , key] = signature;
  const file = absolute(root, rel);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!stat) return undefined;
  if (sameStat(signature, stat)) return signature;
  const readAt = Date.now();
  if (stat.size > MAX_MODULE_BYTES) return key === bigKey(stat.size) ? moduleSignature(rel, stat, undefined, readAt) : undefined;
  try {
    return factsKey(rel, fs.readFileSync(file, 'utf8')) === key ? moduleSignature(rel, stat, key, readAt) : undefined;
  } catch {
    return undefined;
  }
}

/** The shape every reader relies on; an entry that lacks it is a miss, not a crash. */
function isEntry(value: unknown): value is WorkerEntry {
  if (!isRecord(value) || !Array.isArray(value.journal) || !Array.isArray(value.modules) || !isRecord(value.usage)) return false;
  const usage = value.usage;
  return ['reads', 'opaque', 'modules', 'mainExports', 'problems', 'directives', 'supabaseClients'].every((k) => Array.isArray(usage[k])) &&
    value.journal.every((e) => Array.isArray(e) && (e.length === 3 || (e.length === 4 && Array.isArray(e[3]) && e[3].every((n: unknown) => typeof n === 'string'))) && e.slice(0, 3).every((x) => typeof x === 'string')) &&
    value.modules.every((m) => Array.isArray(m) && m.length === 6 && typeof m[0] === 'string' && typeof m[5] === 'string' && m.slice(1, 5).every((x) => typeof x === 'number'));
}

export class WorkerCache implements WorkerStore {
  readonly file: string;
  readonly #tool: string;
  readonly #note: (problem: CacheProblem) => void;
  #entries: Record<string, unknown> | undefined;
  readonly #used = new Map<string, WorkerEntry>();
  #changed = false;
  reused = 0;

  constructor(location: string, tool: string, note: (problem: CacheProblem) => void) {
    this.file = path.join(location, WORKERS_FILE);
    this.#tool = tool;
    this.#note = note;
  }

  #load(): Record<string, unknown> {
    if (!this.#entries) {
      const loaded = readCacheFile(this.file, FORMAT, this.#tool, isRecord);
      if (loaded.problem) {
        this.#note({ file: this.file, reason: loaded.problem });
        this.#changed = true;
      }
      this.#entries = loaded.body ?? {};
    }
    return this.#entries;
  }

  reuse(key: string, stillValid: (entry: WorkerEntry) => WorkerEntry | undefined): WorkerEntry | undefined {
    const entries = this.#load();
    const entry = Object.hasOwn(entries, key) ? entries[key] : undefined;
    const valid = isEntry(entry) ? stillValid(entry) : undefined;
    if (!valid) return undefined;
    this.reused++;
    this.#used.set(key, valid);
    if (valid !== entry) this.#changed = true;
    return valid;
  }

  record(key: string, entry: WorkerEntry): void {
    this.#load();
    if (holdsLiteral(entry.usage.supabaseClients)) return;
    this.#used.set(key, entry);
    this.#changed = true;
  }

  /** Writes the results this run used, when they differ from the file's; true when it wrote. */
  save(): boolean {
    if (this.#entries === undefined) return false;
    if (!this.#changed && this.#used.size === Object.keys(this.#entries).length) return false;
    const body: Record<string, WorkerEntry> = {};
    for (const key of [...this.#used.keys()].sort()) body[key] = this.#used.get(key)!;
    writeCacheFile(this.file, FORMAT, this.#tool, body);
    return true;
  }
}
