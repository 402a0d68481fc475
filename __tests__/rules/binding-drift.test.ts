import { describe, expect, it } from '@jest/globals';
import { bindingDrift } from '../../src/rules/binding-drift.js';
import { deployed } from '../helpers/deployed-worker.js';
import { liveLines, modelOf } from '../helpers/rule-cases.js';

const model = modelOf({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[vars]\nLEVEL = "info"\n',
  'src/index.ts': 'export default { async fetch(request: Request, env: Env) { return new Response(await env.CACHE.get(env.LEVEL)); } };\n',
});

describe('binding-drift', () => {
  it.each([
    ['fires: the deployed script has a binding the config no longer lists', { ok: true as const, bindings: ['CACHE', 'LEVEL', 'OLD_QUEUE'] }, ['warning wrangler.toml:1 [production]']],
    ['fires: the config has a binding not deployed yet', { ok: true as const, bindings: ['LEVEL'] }, ['warning wrangler.toml:1 [production]']],
    ['must not fire: the same names on both sides', { ok: true as const, bindings: ['CACHE', 'LEVEL'] }, []],
    ['a note: the deployed bindings could not be read', { ok: false as const, status: 404, reason: 'HTTP 404' }, ['note wrangler.toml:1 [production]']],
  ])('%s', (_name, settings, expected) => {
    expect(liveLines(bindingDrift, model, { keyChecks: [], cloudflare: [deployed(model, null, { settings })] })).toEqual(expected);
  });

  it('says which names differ, on each side', () => {
    const [finding] = bindingDrift.checkLive(model, { environment: 'production', keyChecks: [], cloudflare: [deployed(model, null, { settings: { ok: true, bindings: ['LEVEL', 'OLD_QUEUE'] } })] });
    expect(finding!.message).toBe('The deployed api differs from wrangler.toml: not deployed yet: CACHE; deployed but no longer in the config: OLD_QUEUE.');
  });
});
