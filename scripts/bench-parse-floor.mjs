/**
 * The parse floor of the bench (`npm run bench`, Node ≥ 22): one process, one thread, that reads
 * every JS/TS file of the tree outside node_modules and has oxc parse it through raw transfer, as
 * deploy-guard does (the same options: TS-shaped trees, oxc's semantic check), but never turns a
 * tree into JavaScript objects and analyses nothing. No tool that parses each module with oxc from
 * Node can take less CPU than this; the bench shows it beside the tools so that a target can be
 * compared with it. Prints the number of files parsed.
 *
 * usage: node scripts/bench-parse-floor.mjs TREE
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSyncRawImpl, returnBufferToCache } from 'oxc-parser/src-js/raw-transfer/common.js';

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/bench-parse-floor.mjs TREE');
  process.exit(2);
}

const files = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.isFile() && /\.[cm]?[jt]sx?$/.test(entry.name)) files.push(full);
  }
};
walk(root);

for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const lang = /\.[cm]?ts$/.test(file) ? 'ts' : file.endsWith('.tsx') ? 'tsx' : 'jsx';
  const options = { lang, sourceType: 'unambiguous', astType: 'ts', preserveParens: false, showSemanticErrors: true };
  parseSyncRawImpl(file, text, options, (buffer) => returnBufferToCache(buffer));
}
console.log(JSON.stringify({ files: files.length }));
