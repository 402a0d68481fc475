/**
 * The action's `cache` input: the analysis cache (src/usage/analysis-cache.ts) kept between
 * workflow runs with @actions/cache, GitHub's own client for its cache service. Restored before
 * the check from the newest entry this build of deploy-guard wrote (keys are immutable, so each
 * run that learnt something saves under a key of its own and the next run restores by prefix),
 * saved after it only when it changed. Nothing here can fail the step: a cache service that is
 * unavailable or refuses is an info line, and the check runs as without the cache.
 */
import os from 'node:os';
import path from 'node:path';
import * as cache from '@actions/cache';
import { CacheFolder, type AnalysisCache } from './usage/analysis-cache.js';
import { toolIdentity } from './usage/cache-files.js';
import { VERSION } from './version.js';

/** What the cache needs of the action's I/O (src/action-io.ts): the runner's environment and its log. */
export type CacheIo = { env: Readonly<Record<string, string | undefined>>; info(line: string): void };

/**
 * Runs `check` with the analysis cache when `enabled` (the input `cache`), restoring and saving it.
 * @actions/cache itself reads the runner's cache service settings from the process environment.
 */
export async function withActionCache<T>(enabled: boolean, io: CacheIo, check: (cache?: AnalysisCache) => T): Promise<T> {
  if (!enabled) return check(undefined);
  const { env } = io;
  const location = path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'deploy-guard-cache');
  const tool = toolIdentity(VERSION, process.argv[1]);
  const prefix = `deploy-guard-analysis-${process.platform}-${tool}-`;
  const key = `${prefix}${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  const available = cache.isFeatureAvailable();
  if (!available) io.info('deploy-guard: the GitHub cache service is not available here; the analysis cache is kept for this run only');
  else {
    try {
      const restored = await cache.restoreCache([location], key, [prefix]);
      io.info(restored ? `deploy-guard: analysis cache restored from cache ${restored}` : 'deploy-guard: no analysis cache yet; this run writes one');
    } catch (error) {
      io.info(`deploy-guard: the analysis cache was not restored (${(error as Error).message})`);
    }
  }
  const folder = new CacheFolder(location, tool);
  const result = check(folder);
  for (const note of folder.notes()) io.info(`deploy-guard: ${note}`);
  try {
    if (folder.save() && available) await cache.saveCache([location], key);
  } catch (error) {
    io.info(`deploy-guard: the analysis cache was not saved (${(error as Error).message})`);
  }
  return result;
}
