/** Entry of the GitHub Action (bundled to dist/index.js, run by the node24 runtime): the real I/O. */
import { runAction } from './action.js';
import { coreRunner } from './action-io.js';
import { boundYoungGeneration } from './young-generation.js';

boundYoungGeneration();

await runAction({ env: process.env, cwd: process.cwd(), runner: coreRunner(process.env) });
