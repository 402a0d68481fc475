/**
 * The cache of per-module facts (`--cache`): a module's facts as data (facts-data.ts) under its
 * repo-relative path, with the key they were read for (the SHA-256 of the path and the text), so a
 * changed module is a miss. Spread over SHARDS files by folder (cache-files.ts gives each its header
 * and checks): a run loads only the shards of the folders it parses in, because when most Workers
 * are reused whole (worker-cache.ts) most modules' facts are never asked for, and reading all of
 * them would cost more than the run.
 *
 * On save, a shard that was read is written again only if it changed, without the entries of
 * modules nobody used or kept this run (a module of a reused Worker is kept), so the files follow
 * the repository instead of growing with every file it ever held.
 *
 * Secrets: the facts are names (env names, imports, exports), positions and reasons; the one
 * place a value of the code is kept is a string literal handed to `createClient(url, key)`, which
 * may be a key. Facts holding such a literal are never written, so the cache holds nothing a
 * report would redact; those few modules are parsed again on each run.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { isRecord, readCacheFile, writeCacheFile, type CacheProblem } from './cache-files.js';
import type { FactsData } from './facts-data.js';

/** Bump when FactsData changes shape. */
const FORMAT = 'deploy-guard-module-facts/3';
/** The folder of the shards, under the cache location. */
export const FACTS_FOLDER = 'module-facts';
/** Enough that one Worker's folder is a small part of a big monorepo's facts, few enough to list at a glance. */
const SHARDS = 32;

type Entry = [key: string, data: FactsData];
type Shard = { file: string; entries: Record<string, Entry>; changed: boolean };

export type FactsStore = {
  /** The facts of the module at `rel` when they were stored for the same `key`. */
  get(rel: string, key: string): FactsData | undefined;
  set(rel: string, key: string, data: FactsData): void;
  /** Keeps the stored facts of modules this run did not need (those of a reused Worker). */
  keep(rels: Iterable<string>): void;
};

/** The key of a module: its path (messages name it, its extension picks the syntax) and its text. */
export function factsKey(relPath: string, text: string): string {
  return crypto.createHash('sha256').update(relPath).update('\0').update(text).digest('base64url');
}

/**
 * Whether Supabase clients keep a literal of the code (a URL or key handed to createClient): then
 * neither a module's facts nor a Worker's result is written to the cache.
 */
export function holdsLiteral(clients: readonly { url: readonly { kind: string }[]; key: readonly { kind: string }[] }[]): boolean {
  return clients.some((c) => [...c.url, ...c.key].some((a) => a.kind === 'literal'));
}

/** The shard of a module: by its folder, so one Worker's modules share few shards. */
function shardOf(rel: string): number {
  const folder = rel.slice(0, Math.max(0, rel.lastIndexOf('/')));
  return crypto.createHash('sha256').update(folder).digest()[0]! % SHARDS;
}

function isEntries(value: unknown): value is Record<string, Entry> {
  return isRecord(value);
}

export class FactsCache implements FactsStore {
  readonly folder: string;
  readonly #tool: string;
  readonly #note: (problem: CacheProblem) => void;
  readonly #shards = new Map<number, Shard>();
  /** Paths whose entries stay: used or kept this run. */
  readonly #live = new Set<string>();
  hits = 0;
  misses = 0;

  /** `location`: the cache folder; `tool`: what must match for entries to be trusted; `note`: why a file was not used. */
  constructor(location: string, tool: string, note: (problem: CacheProblem) => void) {
    this.folder = path.join(location, FACTS_FOLDER);
    this.#tool = tool;
    this.#note = note;
  }

  #shard(rel: string): Shard {
    const index = shardOf(rel);
    let shard = this.#shards.get(index);
    if (!shard) {
      const file = path.join(this.folder, `${String(index).padStart(2, '0')}.json`);
      const loaded = readCacheFile(file, FORMAT, this.#tool, isEntries);
      if (loaded.problem) this.#note({ file, reason: loaded.problem });
      shard = { file, entries: loaded.body ?? {}, changed: loaded.problem !== undefined };
      this.#shards.set(index, shard);
    }
    return shard;
  }

  get(rel: string, key: string): FactsData | undefined {
    const entries = this.#shard(rel).entries;
    const entry = Object.hasOwn(entries, rel) ? entries[rel] : undefined;
    if (!Array.isArray(entry) || entry[0] !== key || !isFactsData(entry[1])) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#live.add(rel);
    return entry[1];
  }

  set(rel: string, key: string, data: FactsData): void {
    const shard = this.#shard(rel);
    if (holdsLiteral(data.supabaseClients)) {
      if (Object.hasOwn(shard.entries, rel)) {
        delete shard.entries[rel];
        shard.changed = true;
      }
      return;
    }
    shard.entries[rel] = [key, data];
    shard.changed = true;
    this.#live.add(rel);
  }

  keep(rels: Iterable<string>): void {
    for (const rel of rels) this.#live.add(rel);
  }

  /** Writes the shards this run read and changed; true when it wrote any. */
  save(): boolean {
    let wrote = false;
    for (const shard of this.#shards.values()) {
      const kept = Object.keys(shard.entries).filter((rel) => this.#live.has(rel)).sort();
      if (!shard.changed && kept.length === Object.keys(shard.entries).length) continue;
      const entries: Record<string, Entry> = {};
      for (const rel of kept) entries[rel] = shard.entries[rel]!;
      writeCacheFile(shard.file, FORMAT, this.#tool, entries);
      wrote = true;
    }
    return wrote;
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
