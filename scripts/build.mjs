#!/usr/bin/env node
/**
 * Bundles the action (src/index.ts → dist/index.js) and the CLI (src/cli.ts → dist/cli.js) with
 * @vercel/ncc, so both run with plain `node` and no node_modules. CI rebuilds and compares the
 * result with the committed dist/, so the output must be byte-for-byte reproducible.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ncc = require('@vercel/ncc');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

const ENTRIES = [
  { source: 'src/index.ts', output: 'index.js' },
  { source: 'src/cli.ts', output: 'cli.js', shebang: true },
  // The parse threads' script (src/usage/parse-pool.ts): a worker thread needs a file of its own.
  { source: 'src/usage/parse-worker.ts', output: 'parse-worker.js' },
];

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const written = new Map();
function write(name, content) {
  const previous = written.get(name);
  if (previous !== undefined && Buffer.compare(Buffer.from(previous), Buffer.from(content)) !== 0) {
    throw new Error(`two bundles want to write different ${name}; give them separate chunk names`);
  }
  written.set(name, content);
  fs.mkdirSync(path.dirname(path.join(dist, name)), { recursive: true });
  fs.writeFileSync(path.join(dist, name), content);
}

for (const entry of ENTRIES) {
  const { code, assets } = await ncc(path.join(root, entry.source), {
    // Minified (ncc: terser, mangling only, function and class names kept): a quarter of a warm
    // `check` run on a big monorepo was V8 reading and compiling the bundle at start-up, and the
    // 2.9 MB CLI bundle becomes 1.4 MB. Nothing is lost for users: deploy-guard never prints a
    // stack trace, and the sources are in the package.
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    license: `${entry.output.replace(/\.js$/, '')}.licenses.txt`,
  });
  let body = code.replace(/^#!.*\n/, '');
  if (entry.shebang) body = `#!/usr/bin/env node\n${body}`;
  write(entry.output, body);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    if (name === 'package.json') continue;
    write(name, asset.source);
  }
}
// oxc's native parser (src/usage/parsers/oxc-raw.ts): its loader requires the binding relative to
// the bundle (`./parser.<platform>.node`), a path ncc does not follow, so the binding npm installed
// for this platform is copied beside the bundles. Other platforms parse with Babel.
const bindings = path.join(root, 'node_modules', '@oxc-parser');
for (const pkg of fs.existsSync(bindings) ? fs.readdirSync(bindings).sort() : []) {
  for (const file of fs.readdirSync(path.join(bindings, pkg)).sort()) {
    if (file.endsWith('.node')) write(file, fs.readFileSync(path.join(bindings, pkg, file)));
  }
}
write('package.json', `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
console.log(`built ${[...written.keys()].sort().join(', ')} in dist/`);
