import { describe, expect, it } from '@jest/globals';
import type { DeployedWorker } from '../../src/live/facts.js';
import { danglingBinding } from '../../src/rules/dangling-binding.js';
import { deployed } from '../helpers/deployed-worker.js';
import { liveLines, modelOf } from '../helpers/rule-cases.js';

const model = modelOf({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nr2_buckets = [{ binding = "UPLOADS", bucket_name = "uploads-old" }]\n',
  'src/index.ts': 'export default { async fetch(request: Request, env: Env) { return new Response(await env.UPLOADS.get("k")); } };\n',
});
const binding = model.workers[0]!.environments.find((e) => e.name === null)!.bindings[0]!;
const target = (listing: DeployedWorker['targets'][number]['listing']) => deployed(model, null, { targets: [{ binding, what: 'R2 bucket', wanted: 'uploads-old', listing }] });

describe('dangling-binding', () => {
  it.each([
    ['fires: the bucket does not exist in the account', target({ ok: true, exists: false }), ['error wrangler.toml:3 [production] UPLOADS']],
    ['must not fire: the bucket exists', target({ ok: true, exists: true }), []],
    ['a note: the buckets could not be listed', target({ ok: false, status: 403, reason: 'HTTP 403' }), ['note wrangler.toml:1 [production]']],
  ])('%s', (_name, worker, expected) => {
    expect(liveLines(danglingBinding, model, { keyChecks: [], cloudflare: [worker] })).toEqual(expected);
  });
});
