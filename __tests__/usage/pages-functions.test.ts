/** A folder as the usage entry (a Pages project's functions/), and a main that cannot be read. */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createUsageAnalyzer } from '../../src/usage/index.js';
import { writeTree } from '../helpers/tree.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function analyze(files: Record<string, string>, main: string) {
  const root = writeTree(files);
  roots.push(root);
  return createUsageAnalyzer({ root, packageJsonFiles: [] }).analyzeWorker(main, { file: 'wrangler.toml', line: 2, column: 1 });
}

const names = (usage: { reads: { name: string }[] }) => [...new Set(usage.reads.map((r) => r.name))].sort();

describe('a functions/ folder as entry', () => {
  const files = {
    'functions/_middleware.ts': 'export const onRequest = [async (context) => { context.data.t = context.env.TRACE_HEADER; return context.next(); }];',
    'functions/api/[id].ts': 'import { load } from "../_lib/store";\nexport const onRequestGet: PagesFunction = async ({ env, params }) => Response.json(await load(env, params.id));',
    'functions/api/[[catchall]].js': 'export function onRequestPost(context) { return new Response(context.env.POST_TOKEN); }',
    'functions/_lib/store.ts': 'export async function load(env: { STORE: KVNamespace }, id: string) { return env.STORE.get(id); }',
    'functions/_lib/unused.ts': 'export const x = (env: { NEVER_IMPORTED: string }) => env.NEVER_IMPORTED;',
    'functions/README.md': 'env.NOT_CODE',
    'functions/types.d.ts': 'interface Env { DECLARED_ONLY: string }',
    'src/app.ts': 'export const onRequest = (c) => c.env.OUTSIDE_FUNCTIONS;',
  };

  it('takes every file exporting onRequest* as a route entry, follows their imports, and skips modules nothing routes to', () => {
    const usage = analyze(files, 'functions');
    expect(names(usage)).toEqual(['POST_TOKEN', 'STORE', 'TRACE_HEADER']);
    expect(usage.modules).toEqual(['functions/_lib/store.ts', 'functions/_middleware.ts', 'functions/api/[[catchall]].js', 'functions/api/[id].ts']);
    expect(usage.missingMain).toBeUndefined();
    expect(usage.mainExports).toEqual([]);
  });

  it('reads nothing from a folder without routes', () => {
    const usage = analyze({ 'functions/_lib/a.ts': 'export const a = (env) => env.A;' }, 'functions');
    expect(usage.modules).toEqual([]);
    expect(usage.missingMain).toBeUndefined();
  });
});

describe('a main that cannot be read', () => {
  it('is a typed missingMain with where it is set, not a problem', () => {
    const usage = analyze({ 'src/other.ts': '' }, 'dist/index.js');
    expect(usage.missingMain).toEqual({ main: 'dist/index.js', at: { file: 'wrangler.toml', line: 2, column: 1 }, reason: 'missing' });
    expect(usage.problems).toEqual([]);
    expect(usage.modules).toEqual([]);
  });

  it('says when main leaves the repository', () => {
    expect(analyze({ 'a.ts': '' }, '../elsewhere/index.ts').missingMain).toMatchObject({ reason: 'outside' });
  });
});
