/** Entry of the GitHub Action (bundled to dist/index.js, run by the node24 runtime). */
import { runAction } from './action.js';

await runAction();
