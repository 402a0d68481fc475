/**
 * Where a module's facts come from, cheapest first: already known in this run; no AST needed (the
 * text cannot hold a read, an import or an export); the facts cache (facts-cache.ts, `--cache`);
 * a parse thread (parse-pool.ts) that took the module before the graph walk reached it (fed from
 * the Worker's entry folder up front, or as soon as the walk discovered it);
 * or a parse in this thread. Every path gives the facts analyzeModule gives, so the report is the
 * same bytes whichever was taken.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_MODULE_BYTES } from '../defaults.js';
import { findDirectives } from '../suppress.js';
import { factsFromData, factsToData, type FactsData } from './facts-data.js';
import { factsKey, type FactsStore } from './facts-cache.js';
import { moduleSignature, sameStat, type ModuleSignature } from './worker-cache.js';
import { analyzeModule, type ModuleFacts } from './module-facts.js';
import { FlowIndex } from './param-flow.js';
import { bestParsedIn } from './parsers/index.js';
import { ParsePool } from './parse-pool.js';
import { youngGenerationCheckpoint } from '../young-generation.js';

export type FactsOrError = ModuleFacts | { error: string };


/**
 * Whether a module's text can hold anything the graph needs: a read (`env`, `process.env`), an
 * import or require, an export (the only way another module can hand it env), or the
 * `addEventListener` of a service-worker entry (unfollowed-env.ts). Text without any of these
 * needs no AST; a syntax error in it, if any, cannot hide a read.
 */
const MAY_MATTER = /env|import|require|export|addEventListener/;

/**
 * Threads start once this much text waits to be parsed: starting one costs about as much as
 * parsing 0.5 MB (it loads the parser), so small repositories and warm runs stay in one thread.
 */
const POOL_MIN_BYTES = 1024 * 1024;
/**
 * Modules each thread holds in its queue: enough to stay busy, few enough to leave work here.
 * oxc parses a bench module in about 0.3 ms, so a queue of 2 ran dry whenever this thread spent
 * a millisecond resolving; 8 took a two-thread Node 24 run from about 6.2 s to 5.5 s and changed
 * nothing measurable with Babel on Node 20 (two runs each).
 */
const QUEUE_PER_THREAD = 8;
/**
 * The newest modules found are the ones the walk (last in, first out) asks for next: they stay
 * here, and the threads take older ones, which the walk reaches only after a whole subtree, so
 * they are ready by then instead of being waited for.
 */
const KEEP_NEWEST = 3;

type Pending = { text: string; rel: string; key?: string; id?: number };

function emptyFacts(text: string, rel: string): ModuleFacts {
  return {
    imports: [], reads: [], opaque: [], envCalls: [], flow: new FlowIndex(), exports: [], exportStars: [], importedFrom: new Map(), problems: [], supabaseClients: [],
    directives: text.includes('deploy-guard-disable') ? findDirectives(rel, text) : [],
  };
}

export class FactsSource {
  readonly #root: string;
  readonly #store: FactsStore | undefined;
  /** The most threads this run may use (1: none); `#decide` picks how many when they would start. */
  readonly #threads: number;
  readonly #decide: (() => number) | undefined;
  readonly #done = new Map<string, FactsOrError>();
  readonly #pending = new Map<string, Pending>();
  /** What each module read was like (worker-cache.ts), kept when the run has a cache. */
  readonly #signatures = new Map<string, ModuleSignature>();
  /**
   * Signatures an earlier run took, by repo-relative path: a module whose stat still matches one
   * (never a racy one, worker-cache.ts) needs no read.
   */
  readonly #earlier = new Map<string, ModuleSignature>();
  /** undefined: not started yet; null: threads cannot run here. */
  #pool: ParsePool | null | undefined;
  #waitingBytes = 0;
  /** Files pending and not handed to a thread, oldest first (stale entries are skipped). */
  #unsubmitted: string[] = [];
  #head = 0;

  /**
   * `threads`: parse threads to use when there is enough to parse (1: none), or a function asked at
   * that moment (parse-pool.ts `freeCoresMeter`: the cores other processes leave idle).
   */
  constructor(root: string, store: FactsStore | undefined, threads: number | (() => number)) {
    this.#root = root;
    this.#store = store;
    this.#threads = typeof threads === 'number' ? threads : os.availableParallelism();
    this.#decide = typeof threads === 'number' ? undefined : threads;
  }

  #rel(file: string): string {
    return path.relative(this.#root, file).split(path.sep).join('/');
  }

  /** The facts of `file`, or why it has none. */
  factsOf(file: string): FactsOrError {
    const known = this.#done.get(file);
    if (known) return known;
    let pending = this.#pending.get(file);
    if (pending) this.#pending.delete(file);
    else {
      const loaded = this.#load(file);
      if (!('text' in loaded)) {
        this.#done.set(file, loaded);
        return loaded;
      }
      pending = loaded;
    }
    const facts = this.#finish(file, pending);
    this.#done.set(file, facts);
    return facts;
  }

  /** The facts of a module whose text the caller has read (a frontend's code). */
  factsOfText(file: string, text: string): FactsOrError {
    const known = this.#done.get(file);
    if (known) return known;
    const loaded = this.#fromText(text, this.#rel(file));
    const facts = 'text' in loaded ? this.#finish(file, loaded) : loaded;
    this.#done.set(file, facts);
    return facts;
  }

  /** The graph walk will want `file`: read it now and, when threads run, hand it to one. */
  prefetch(file: string): void {
    if (this.#threads <= 1 || this.#pool === null || this.#done.has(file) || this.#pending.has(file)) return;
    const loaded = this.#load(file);
    if (!('text' in loaded)) {
      this.#done.set(file, loaded);
      return;
    }
    this.#pending.set(file, loaded);
    this.#unsubmitted.push(file);
    if (!this.#pool) {
      this.#waitingBytes += loaded.text.length;
      if (this.#waitingBytes < POOL_MIN_BYTES) return;
      // This thread parses too, so one thread fewer than the cores.
      const threads = Math.min(this.#threads, this.#decide?.() ?? this.#threads);
      this.#pool = threads > 1 ? ParsePool.open(threads - 1) ?? null : null;
    }
    this.#topUp();
  }

  /** Hands the oldest pending modules to the threads until their queues are full. */
  #topUp(): void {
    const pool = this.#pool;
    if (!pool) return;
    while (pool.outstanding < pool.size * QUEUE_PER_THREAD && this.#head < this.#unsubmitted.length - KEEP_NEWEST) {
      const pending = this.#pending.get(this.#unsubmitted[this.#head++]!);
      if (pending && pending.id === undefined && bestParsedIn(pending.text) !== 'main') pending.id = pool.submit(pending.text, pending.rel);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#unsubmitted.length) {
      this.#unsubmitted = this.#unsubmitted.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The newest pending module no thread has, to parse here while a thread works; not `except`. */
  #takeNewest(except: string): [string, Pending] | undefined {
    for (let i = this.#unsubmitted.length - 1; i >= this.#head; i--) {
      const file = this.#unsubmitted[i]!;
      const pending = this.#pending.get(file);
      if (!pending || pending.id !== undefined || file === except || bestParsedIn(pending.text) === 'thread') continue;
      this.#unsubmitted.splice(i, 1);
      this.#pending.delete(file);
      return [file, pending];
    }
    return undefined;
  }

  /**
   * Modules the graph walk is likely to reach (feed-scan.ts), handed over before it starts so the
   * threads parse from the first module on instead of waiting for the walk to discover them one
   * import at a time. Nothing here is parsed unless a thread takes it or the walk asks for it.
   * Stops once `maxBytes` of text is queued, which bounds what a wrong guess costs.
   */
  feed(files: readonly string[], maxBytes: number): void {
    if (this.#threads <= 1 || this.#pool === null) return;
    let bytes = 0;
    for (const file of files) {
      if (bytes >= maxBytes) break;
      if (this.#done.has(file) || this.#pending.has(file)) continue;
      this.prefetch(file);
      bytes += this.#pending.get(file)?.text.length ?? 0;
    }
  }

  /**
   * After a walk: modules fed and still queued here were not reached, so no thread should spend
   * time on them (a later walk reads them again if it needs them). Modules a thread already holds
   * stay pending; their facts are taken if asked for.
   */
  dropQueued(): void {
    for (let i = this.#head; i < this.#unsubmitted.length; i++) {
      const file = this.#unsubmitted[i]!;
      if (this.#pending.get(file)?.id === undefined) this.#pending.delete(file);
    }
    this.#unsubmitted = [];
    this.#head = 0;
  }

  /** Ends the parse threads, if any ran. */
  close(): void {
    this.#pool?.close();
    this.#pool = null;
    this.#pending.clear();
  }

  /** What an earlier run knew of these modules (a Worker result that can no longer be reused). */
  knowEarlier(signatures: readonly ModuleSignature[]): void {
    for (const signature of signatures) this.#earlier.set(signature[0], signature);
  }

  /** How `file` was when its facts were read (size, times, content key); undefined when it could not be read. */
  signatureOf(file: string): ModuleSignature | undefined {
    return this.#signatures.get(file);
  }

  #load(file: string): FactsOrError | Pending {
    const rel = this.#rel(file);
    try {
      const stat = fs.statSync(file);
      if (stat.size > MAX_MODULE_BYTES) {
        if (this.#store) this.#signatures.set(file, moduleSignature(rel, stat, undefined));
        return { error: `is ${Math.round(stat.size / 1024)} KiB, above the ${MAX_MODULE_BYTES / 1024 / 1024} MiB limit for source modules; its env reads are not counted` };
      }
      const earlier = this.#store ? this.#earlier.get(rel) : undefined;
      if (earlier && sameStat(earlier, stat)) {
        // Unchanged since the earlier run took its signature: the stored facts are this text's.
        const cached = this.#store!.get(rel, earlier[5]);
        if (cached) {
          this.#signatures.set(file, earlier);
          return factsFromData(cached);
        }
      }
      const readAt = Date.now();
      const text = fs.readFileSync(file, 'utf8');
      if (!this.#store) return this.#fromText(text, rel);
      const key = factsKey(rel, text);
      this.#signatures.set(file, moduleSignature(rel, stat, key, readAt));
      return this.#fromText(text, rel, key);
    } catch (error) {
      return { error: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }

  #fromText(text: string, rel: string, knownKey?: string): ModuleFacts | Pending {
    if (!MAY_MATTER.test(text)) return emptyFacts(text, rel);
    if (!this.#store) return { text, rel };
    const key = knownKey ?? factsKey(rel, text);
    const cached = this.#store.get(rel, key);
    return cached ? factsFromData(cached) : { text, rel, key };
  }

  #finish(file: string, pending: Pending): ModuleFacts {
    let data: FactsData | undefined;
    const pool = this.#pool;
    // With oxc, a module too long for its depth on this thread's stack is parsed in a thread (parsers/index.ts).
    if (pending.id === undefined && pool && bestParsedIn(pending.text) === 'thread') pending.id = pool.submit(pending.text, pending.rel);
    if (pending.id !== undefined && pool) {
      // While a thread parses this module, parse others here instead of idling.
      for (;;) {
        const reply = pool.poll(pending.id);
        if (reply) {
          data = reply.data;
          break;
        }
        const other = this.#takeNewest(file);
        if (!other) {
          data = pool.wait(pending.id)?.data;
          break;
        }
        this.#done.set(other[0], this.#finish(other[0], other[1]));
        this.#topUp();
      }
    } else this.#topUp();
    youngGenerationCheckpoint();
    const facts = data ? factsFromData(data) : analyzeModule(pending.text, pending.rel);
    if (this.#store && pending.key) this.#store.set(pending.rel, pending.key, data ?? factsToData(facts));
    return facts;
  }
}
