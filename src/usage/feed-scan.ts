/**
 * Which modules a Worker's graph walk is likely to reach before it has read a single import: the
 * code files in the folder of its entry (`src/` for `main = "src/index.ts"`), so the parse threads
 * (facts-source.ts `feed`) can start on them at once. A guess only: it decides what is parsed
 * early, never what the report contains, since the walk still follows imports itself.
 */
import path from 'node:path';
import type { Listing } from './analysis-fs.js';
import { CODE_EXTENSIONS } from './resolve.js';

/**
 * At most this many files per Worker: well above a large Worker's own code (the bench's Workers
 * have 500 modules), small enough that an entry at the top of a big repository costs little.
 */
export const FEED_MAX_FILES = 2000;
/** At most this much text queued per Worker (facts-source.ts `feed`): bounds the memory it holds. */
export const FEED_MAX_BYTES = 8 * 1024 * 1024;

function isCode(name: string): boolean {
  return CODE_EXTENSIONS.includes(path.extname(name)) && !name.endsWith('.d.ts');
}

/**
 * Code files under `dir`, nearest folders first and sorted within each (so the guess is the same
 * on every run), at most `max`; node_modules and hidden folders are skipped. Iterative. `listing`:
 * the run's folder listings (analysis-fs.ts MemoFs, read once for the resolver as well; a guess
 * is journalled for no Worker).
 */
export function likelyModules(listing: (dir: string) => Listing | null, dir: string, max = FEED_MAX_FILES): string[] {
  const files: string[] = [];
  const queue = [dir];
  for (let i = 0; i < queue.length && files.length < max; i++) {
    const entries = [...(listing(queue[i]!) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, kind] of entries) {
      if (kind === 'dir') {
        if (name !== 'node_modules' && !name.startsWith('.')) queue.push(path.join(queue[i]!, name));
      } else if (kind === 'file' && isCode(name) && files.length < max) files.push(path.join(queue[i]!, name));
    }
  }
  return files;
}
