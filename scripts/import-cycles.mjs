#!/usr/bin/env node
/**
 * Import cycles in src/ (`npm run cycles`): every relative import of every module, type-only
 * imports included (a cycle of types is still two modules that cannot be read apart), read with
 * TypeScript's own pre-processor. Prints each cycle and exits 1 when there is one. The same answer
 * as `npx madge --circular --extensions ts src`, without adding madge and its dependencies to the
 * project; __tests__/import-cycles.test.ts runs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Module (repo-relative) → the src modules it imports. */
export function importGraph(srcDir = path.join(ROOT, 'src')) {
  const files = fs.readdirSync(srcDir, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => path.join(srcDir, f));
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts')))
      .filter((target) => fs.existsSync(target));
    graph.set(path.relative(ROOT, file), [...new Set(targets.map((t) => path.relative(ROOT, t)))].sort());
  }
  return graph;
}

/** Each cycle once, as the list of modules around it, starting from its smallest name. */
export function findCycles(graph) {
  const cycles = new Map();
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join(' > '), rotated);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  const cycles = findCycles(graph);
  for (const cycle of cycles) process.stdout.write(`cycle: ${[...cycle, cycle[0]].join(' > ')}\n`);
  process.stdout.write(`${graph.size} modules, ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'}\n`);
  process.exit(cycles.length > 0 ? 1 : 0);
}
