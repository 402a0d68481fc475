// Runs under Node >= 22 (miniflare's requirement), started by live-workerd.test.ts: serves one
// bundled Worker in the real workerd runtime and prints its URL; stops when stdin closes.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const [, , toolsDir, scriptPath, bindingsJson] = process.argv;
const require = createRequire(`${toolsDir}/package.json`);
const { Miniflare } = require('miniflare');
const mf = new Miniflare({
  // An explicit module list: miniflare would otherwise scan the bundle's imports and refuse the
  // dynamic import() supabase-js keeps for optional polyfills.
  modules: [{ type: 'ESModule', path: 'worker.mjs', contents: fs.readFileSync(scriptPath, 'utf8') }],
  compatibilityDate: '2025-09-01',
  compatibilityFlags: ['nodejs_compat'],
  bindings: JSON.parse(bindingsJson),
  port: 0,
});
const url = await mf.ready;
process.stdout.write(`READY ${url.href}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await mf.dispose();
  process.exit(0);
});
