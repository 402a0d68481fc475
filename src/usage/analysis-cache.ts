/**
 * The analysis cache folder (`--cache-location`, the action's `cache` input): whole Worker results
 * (worker-cache.ts) and, under them, each module's facts (facts-cache.ts). Problems with either are
 * handed to `note` and never stop the check: the run then works as without a cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeProblems, type CacheProblem } from './cache-files.js';
import { FactsCache, type FactsStore } from './facts-cache.js';
import { WorkerCache, type WorkerStore } from './worker-cache.js';

export type AnalysisCache = { facts: FactsStore; workers: WorkerStore };

/** The one file the first cache format used; a folder written by this build no longer needs it. */
const OLD_FACTS_FILE = 'module-facts.json';

export class CacheFolder implements AnalysisCache {
  readonly location: string;
  readonly facts: FactsCache;
  readonly workers: WorkerCache;
  readonly #problems: CacheProblem[] = [];

  constructor(location: string, tool: string) {
    this.location = location;
    const note = (problem: CacheProblem) => this.#problems.push(problem);
    this.facts = new FactsCache(location, tool, note);
    this.workers = new WorkerCache(location, tool, note);
  }

  /** What could not be used, one line per reason (the files are read lazily, so ask after the check). */
  notes(): string[] {
    return describeProblems(this.#problems);
  }

  /** Writes what changed; true when anything was written. */
  save(): boolean {
    const facts = this.facts.save();
    const workers = this.workers.save();
    if (facts || workers) fs.rmSync(path.join(this.location, OLD_FACTS_FILE), { force: true });
    return facts || workers;
  }
}

/**
 * Runs `check` with the cache at `location`, saved after; what went wrong with the cache is handed
 * to `note` and never stops the check.
 */
export function withAnalysisCache<T>(location: string, tool: string, note: (text: string) => void, check: (cache: AnalysisCache) => T): T {
  const cache = new CacheFolder(location, tool);
  const result = check(cache);
  for (const line of cache.notes()) note(line);
  try {
    cache.save();
  } catch (error) {
    note(`cannot write the cache in ${location} (${(error as NodeJS.ErrnoException).code ?? 'error'}); the next run analyses every Worker again`);
  }
  return result;
}
