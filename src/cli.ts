#!/usr/bin/env node
/** Entry of the `deploy-guard` bin (bundled to dist/cli.js). All logic is in cli-main.ts. */
import { main } from './cli-main.js';
import { boundYoungGeneration } from './young-generation.js';

boundYoungGeneration();

process.exitCode = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  isTty: Boolean(process.stdout.isTTY),
});
