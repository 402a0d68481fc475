/**
 * Lets the main thread's young generation grow to YOUNG_GENERATION_BOUND_MB and no further. V8
 * grows it while much of what is allocated survives, which is the whole analysis here (the facts
 * of every module are kept); on Node 24 it grows to several times Node 20's size, and the bench's
 * peak memory reached 285–345 MiB with two parse threads (the bench's budget is 300).
 *
 * V8 has no runtime flag for a bounded size (`--max-semi-space-size` is read when the heap is set
 * up, before any of our code runs), but `--semi-space-growth-factor` is read each time the young
 * generation would grow: so the analysis calls `youngGenerationCheckpoint` as it goes, and once
 * the young generation has reached the bound the factor is set to 1, which stops its growth.
 * Measured on the bench tree (docs/benchmark.md), Node 24, two threads, three interleaved runs each:
 *
 * | bound | cold run | peak memory |
 * | --- | --- | --- |
 * | no growth at all (the factor set to 1 at start-up) | 5.8–6.3 s | 187–205 MiB |
 * | 32 MiB | 5.1–5.7 s | 232–234 MiB |
 * | 64 MiB | 4.9–5.8 s | 259–265 MiB |
 * | none (V8's default) | 5.4 s | 285–345 MiB |
 *
 * The parse threads get their own bound through `resourceLimits` (parse-pool.ts). Only the two
 * entries turn the bound on (`boundYoungGeneration`): library code and the tests leave V8's flags
 * alone, and their checkpoints cost one comparison.
 */
import v8 from 'node:v8';

export const YOUNG_GENERATION_BOUND_MB = 32;

/** Checkpoints between two looks at the heap: a look costs microseconds, a module's analysis about a millisecond. */
const CHECKPOINTS_PER_LOOK = 32;

let watching = false;
let checkpoints = 0;

/** Called by the entries (cli.ts, index.ts) at start-up. */
export function boundYoungGeneration(): void {
  watching = true;
  checkpoints = 0;
}

/** Called once per module the main thread analyses: stops the young generation's growth at the bound. */
export function youngGenerationCheckpoint(): void {
  if (!watching || ++checkpoints % CHECKPOINTS_PER_LOOK !== 0) return;
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (young && young.space_size >= YOUNG_GENERATION_BOUND_MB * 1024 * 1024) {
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    watching = false;
  }
}
