/**
 * Keeps the main thread's young generation from growing. V8 grows it while much of what is
 * allocated survives, which is the whole analysis here (facts of every module are kept); on Node 24
 * it grows to several times Node 20's size, and the bench's peak memory went from about 285 MiB to
 * 325 MiB with two parse threads (issue 12 asks for at most 300). Without growth the peak is about
 * 190 MiB, for more scavenges: that run took 5.7 s against 5.4 s (three interleaved runs each,
 * `npm run bench` tree, Node 24, two threads). V8 has no runtime flag for a bounded size that
 * still grows at first (`--max-semi-space-size` is read when the heap is set up). The parse
 * threads get the same bound through `resourceLimits` (parse-pool.ts); the main thread can only be
 * told through V8's flags, and this one is read each time the young generation would grow, so
 * setting it at start-up is enough. Called by the two entries only, never by library code.
 */
import v8 from 'node:v8';

export function boundYoungGeneration(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
