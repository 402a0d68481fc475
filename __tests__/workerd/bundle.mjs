// Bundles the incident example's Worker (Hono + supabase-js) for workerd, resolving its packages
// from the test tool folder (the example has no node_modules of its own).
import { createRequire } from 'node:module';
import path from 'node:path';

const [, , toolsDir, entry, outfile] = process.argv;
const require = createRequire(`${toolsDir}/package.json`);
await require('esbuild').build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  nodePaths: [path.join(toolsDir, 'node_modules')],
  outfile,
  logLevel: 'error',
});
