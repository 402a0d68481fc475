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
import { runGit } from '../git.js';

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
 * Whether git tracks any file in the cache folder: then a commit wrote it, anyone who can open a
 * pull request could have (the default location is inside the checkout), and its entries would
 * be believed: every check the cache makes is computable from the repository itself.
 */
export function trackedByGit(location: string): boolean {
  let cwd = location;
  while (!fs.existsSync(cwd) && path.dirname(cwd) !== cwd) cwd = path.dirname(cwd);
  const listing = runGit(['ls-files', '-z', '--', location], cwd);
  return listing !== undefined && listing.length > 0;
}

/**
 * Runs `check` with the cache at `location`, saved after; what went wrong with the cache is handed
 * to `note` and never stops the check. A cache folder git tracks is not used.
 */
export function withAnalysisCache<T>(location: string, tool: string, note: (text: string) => void, check: (cache?: AnalysisCache) => T): T {
  if (trackedByGit(location)) {
    note(`ignored the cache in ${location}: git tracks files there, so a commit could have written them; working without it`);
    return check(undefined);
  }
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
