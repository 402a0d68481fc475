/**
 * Parsing in worker threads, so a cold run uses the idle cores. The usage analysis is
 * synchronous (its callers are), so the
 * main thread hands module texts to the threads (those of the Worker's entry folder before the
 * graph walk starts, the others as the walk discovers them) and, when
 * it needs one module's facts, waits for them with Atomics.wait on a counter the threads bump
 * after each reply, reading replies with receiveMessageOnPort. The facts a thread returns are the
 * ones analyzeModule returns here (same function, same text), so the output does not depend on
 * the number of threads or the order replies arrive in.
 *
 * The threads run dist/parse-worker.js next to the running bundle. Where it is absent (the
 * TypeScript sources under tests) there is no pool and the caller parses in its own thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { activeParser } from './parsers/index.js';
import type { FactsData } from './facts-data.js';

export type Reply = { id: number; data?: FactsData; error?: string };

/** Waits this long at a time; after STALLED_WAITS without any reply the module is parsed here. */
const WAIT_MS = 1000;
const STALLED_WAITS = 30;

/**
 * A thread's young generation, below V8's default: a thread holds one module's
 * AST at a time, so a small nursery costs it little, and each thread's nursery adds to the peak
 * memory of the run (the budget is at most 300 MiB on the bench).
 */
const YOUNG_GENERATION_MB = 16;

/**
 * A thread's stack when oxc parses, reserved, not used: only the pages a deep parse touches cost
 * memory. oxc's parser recurses natively once per level of nesting and a native overflow kills
 * the process, so the threads get room for the longest text parsers/index.ts lets oxc parse there
 * (Node's default, 4 MiB, is overflowed by 2,500 nested generics). Babel keeps the default: its
 * recursion is JavaScript's, and on a deep stack a hostile text would recurse for seconds before
 * the RangeError.
 */
const OXC_STACK_MB = 256;

function workerFile(): string | undefined {
  try {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'parse-worker.js');
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

export class ParsePool {
  readonly #threads: { worker: Worker; port: MessagePort; outstanding: number }[] = [];
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));
  readonly #replies = new Map<number, Reply>();
  #nextId = 0;

  /** A pool of `size` threads, or undefined when threads cannot run here. */
  static open(size: number): ParsePool | undefined {
    const file = workerFile();
    if (!file || size < 1) return undefined;
    try {
      return new ParsePool(file, size);
    } catch {
      return undefined;
    }
  }

  private constructor(file: string, size: number) {
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(file, { workerData: { port: port2, signal: this.#signal, parser: activeParser() }, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...(activeParser() === 'oxc' ? { stackSizeMb: OXC_STACK_MB } : {}) } });
      // The threads never keep the process alive; close() ends them once the analysis is done.
      worker.unref();
      port1.unref();
      this.#threads.push({ worker, port: port1, outstanding: 0 });
    }
  }

  /** Hands a module to the least busy thread; returns the id to wait for. */
  submit(text: string, rel: string): number {
    const id = this.#nextId++;
    let best = 0;
    for (let i = 1; i < this.#threads.length; i++) if (this.#threads[i]!.outstanding < this.#threads[best]!.outstanding) best = i;
    const thread = this.#threads[best]!;
    thread.outstanding++;
    thread.port.postMessage({ id, text, rel });
    return id;
  }

  /** Threads in the pool. */
  get size(): number {
    return this.#threads.length;
  }

  /**
   * Modules handed to the threads and not yet answered. Takes the replies that came first: a
   * thread's queue only empties here, and a caller parsing modules no thread holds would
   * otherwise see the queues full forever and hand the threads nothing more.
   */
  get outstanding(): number {
    this.#drain();
    let total = 0;
    for (const thread of this.#threads) total += thread.outstanding;
    return total;
  }

  /** The reply for `id` if it has come, without waiting. */
  poll(id: number): Reply | undefined {
    this.#drain();
    const reply = this.#replies.get(id);
    if (reply) this.#replies.delete(id);
    return reply;
  }

  /** The reply for `id`, waiting for it; undefined when the threads stopped answering. */
  wait(id: number): Reply | undefined {
    let stalled = 0;
    for (;;) {
      const seen = Atomics.load(this.#signal, 0);
      this.#drain();
      const reply = this.#replies.get(id);
      if (reply) {
        this.#replies.delete(id);
        return reply;
      }
      if (Atomics.wait(this.#signal, 0, seen, WAIT_MS) === 'timed-out' && ++stalled >= STALLED_WAITS) return undefined;
      else if (Atomics.load(this.#signal, 0) !== seen) stalled = 0;
    }
  }

  #drain(): void {
    for (const thread of this.#threads) {
      for (let message = receiveMessageOnPort(thread.port); message; message = receiveMessageOnPort(thread.port)) {
        const reply = message.message as Reply;
        thread.outstanding--;
        this.#replies.set(reply.id, reply);
      }
    }
  }

  close(): void {
    for (const thread of this.#threads) {
      thread.port.close();
      void thread.worker.terminate();
    }
    this.#threads.length = 0;
  }
}

/** What the thread count is decided from (os and process by default; tests hand in their own). */
export type CoreProbe = {
  /** Cores this process may use. */
  cores: number;
  /** Busy milliseconds of the whole machine so far, all cores summed (os.cpus() times). */
  machineBusyMs(): number;
  /** CPU milliseconds this process used so far. */
  ownMs(): number;
  /** A clock in milliseconds. */
  now(): number;
  /** The one-minute load average, for a window too short to measure. */
  load(): number;
};

const systemProbe = (): CoreProbe => ({
  cores: os.availableParallelism(),
  machineBusyMs: () => os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0),
  ownMs: () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  },
  now: () => performance.now(),
  load: () => os.loadavg()[0] ?? 0,
});

/**
 * Shorter than this, os.cpus() times (10 ms ticks) say little: the load average decides instead.
 * With oxc on Node 24 the threads start about 210 ms into the bench's run; a 250 ms floor sent
 * every such run to the load average, which after knip's run said the cores were busy.
 */
const MIN_WINDOW_MS = 100;

/**
 * Threads by default: the cores other processes left idle between now and the moment the threads
 * would start (the returned function), at least one. Measured on a shared 2-core machine
 * (docs/benchmark.md), a thread with no free core to run on costs about a quarter more CPU and
 * gains nothing, so a busy machine parses in one thread. Measured over the run instead of read
 * from the one-minute load average: that average still counts jobs that have just ended (a CI
 * runner right after `npm ci`, the benchmark right after knip) and chose one thread on idle cores.
 */
export function freeCoresMeter(probe: CoreProbe = systemProbe()): () => number {
  const startBusy = probe.machineBusyMs();
  const startOwn = probe.ownMs();
  const startAt = probe.now();
  return () => {
    const elapsed = probe.now() - startAt;
    const others = elapsed < MIN_WINDOW_MS
      ? probe.load()
      : Math.max(0, probe.machineBusyMs() - startBusy - (probe.ownMs() - startOwn)) / elapsed;
    return Math.max(1, Math.min(probe.cores, Math.round(probe.cores - others)));
  };
}
