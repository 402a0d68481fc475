/**
 * A parse thread (parse-pool.ts): turns module texts into facts as data. Built as its own bundle,
 * dist/parse-worker.js (scripts/build.mjs), because a worker thread needs a file to run and the
 * two main bundles must work with no node_modules. After each reply it bumps the shared counter
 * and wakes the main thread, which waits on it synchronously (the usage analysis is synchronous).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { analyzeModule } from './module-facts.js';
import { factsToData } from './facts-data.js';
import { prepareParser, type ParserName } from './parsers/index.js';

const { port, signal, parser } = workerData as { port: MessagePort; signal: Int32Array; parser: ParserName };
// The main thread's parser (Babel if oxc will not load here after all: the facts are the same, and
// a thread that died would leave the main thread waiting). A port queues messages until the listener is attached.
await Promise.resolve(prepareParser(parser)).catch(() => prepareParser('babel'));

port.on('message', (job: { id: number; text: string; rel: string }) => {
  let reply: { id: number; data?: unknown; error?: string };
  try {
    reply = { id: job.id, data: factsToData(analyzeModule(job.text, job.rel)) };
  } catch (error) {
    // The main thread parses this module itself: an unexpected error then surfaces as without
    // threads, and a module meant for the main thread's stack (parsers/index.ts) gets there.
    reply = { id: job.id, error: String(error) };
  }
  port.postMessage(reply);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
