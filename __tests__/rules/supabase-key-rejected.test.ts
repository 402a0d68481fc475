import { describe, expect, it } from '@jest/globals';
import type { KeyCheck } from '../../src/live/facts.js';
import { supabaseKeyRejected } from '../../src/rules/supabase-key-rejected.js';
import { liveLines, modelOf } from '../helpers/rule-cases.js';
import { makeLegacyKey, REF_A, REF_B } from '../supabase/keys.js';

const model = modelOf({
  'package.json': '{ "name": "web", "devDependencies": { "vite": "^7.0.0" } }',
  '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\nVITE_SUPABASE_ANON_KEY=${await makeLegacyKey({ ref: REF_B, role: 'anon' })}\n`,
});
const surface = model.surfaces.find((s) => s.kind === 'frontend' && s.environment === 'production')!;
const url = surface.evidence.find((e) => e.role === 'url')!;
const key = surface.evidence.find((e) => e.role === 'anon-key')!;
/** What the project's API answered when the key was sent as `apikey`. */
const answered = (answer: KeyCheck['keys'][number]['answer']): KeyCheck[] => [{ surface, url, keys: [{ key, answer }] }];

describe('supabase-key-rejected', () => {
  it.each([
    ['fires: the project answers 401 to the key', answered({ ok: false, status: 401, reason: 'HTTP 401' }), ['error .env.production:2 [production] VITE_SUPABASE_ANON_KEY']],
    ['a note: the key could not be checked (a 500)', answered({ ok: false, status: 500, reason: 'HTTP 500' }), ['note .env.production:2 [production] VITE_SUPABASE_ANON_KEY']],
    ['a note: the API could not be reached at all', [{ surface, url, unreachable: 'connection refused', keys: [] }], ['note .env.production:1 [production] VITE_SUPABASE_URL']],
    ['must not fire: the project accepts the key', answered({ ok: true }), []],
  ])('%s', (_name, keyChecks, expected) => {
    expect(liveLines(supabaseKeyRejected, model, { keyChecks })).toEqual(expected);
  });

  it('takes its level from the config like any rule: a ceiling, and off drops it', () => {
    const facts = { keyChecks: [...answered({ ok: false, status: 403, reason: 'HTTP 403' }), { surface, url, unreachable: 'timeout', keys: [] }] };
    expect(liveLines(supabaseKeyRejected, model, facts, 'warning')).toEqual(['note .env.production:1 [production] VITE_SUPABASE_URL', 'warning .env.production:2 [production] VITE_SUPABASE_ANON_KEY']);
    expect(liveLines(supabaseKeyRejected, model, facts, 'error')).toEqual(['note .env.production:1 [production] VITE_SUPABASE_URL', 'error .env.production:2 [production] VITE_SUPABASE_ANON_KEY']);
    expect(liveLines(supabaseKeyRejected, model, facts, 'off')).toEqual([]);
  });
});
