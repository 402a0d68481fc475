import { describe, expect, it } from '@jest/globals';
import type { SmokeRun } from '../../src/live/facts.js';
import { smokeUnauthorized } from '../../src/rules/smoke-unauthorized.js';
import { liveLines, modelOf } from '../helpers/rule-cases.js';
import { REF_A, REF_B } from '../supabase/keys.js';

const model = modelOf({
  'package.json': '{ "name": "web", "devDependencies": { "vite": "^7.0.0" } }',
  '.env.production': `VITE_SUPABASE_URL=https://${REF_A}.supabase.co\n`,
  'api/wrangler.toml': `name = "api"\nmain = "src/index.ts"\n\n[env.production.vars]\nSUPABASE_URL = "https://${REF_B}.supabase.co"\n`,
  'api/src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.SUPABASE_URL); } };\n',
});
const frontend = model.surfaces.find((s) => s.kind === 'frontend' && s.environment === 'production')!;
const worker = model.surfaces.find((s) => s.kind === 'worker' && s.environment === 'production')!;
const url = frontend.evidence.find((e) => e.role === 'url')!;
const anchor = worker.evidence.find((e) => e.role === 'url')!.at;
const called = (calls: Extract<SmokeRun, { kind: 'called' }>['calls'], signature?: Extract<SmokeRun, { kind: 'called' }>['signature']): SmokeRun =>
  ({ kind: 'called', url, anchor, worker, issuer: `project ${REF_A}`, calls, ...(signature ? { signature } : {}) });

describe('smoke-unauthorized', () => {
  it.each([
    ['fires: the Worker answers 401 to the signed-in user', called([{ path: '/api/profile', answer: { ok: false, status: 401, reason: 'HTTP 401' } }]), ['error api/wrangler.toml:5 [production] /api/profile']],
    ['a note: the Worker could not be called', called([{ path: '/', answer: { ok: false, reason: 'connection refused' } }]), ['note api/wrangler.toml:5 [production] /']],
    ['a note: the test user could not sign in', { kind: 'sign-in-failed', url, reason: 'HTTP 400' } as SmokeRun, ['note .env.production:1 [production]']],
    ['must not fire: the Worker answers 200, or 404 (not an auth failure)', called([{ path: '/', answer: { ok: true } }, { path: '/nope', answer: { ok: false, status: 404, reason: 'HTTP 404' } }]), []],
  ])('%s', (_name, smoke, expected) => {
    expect(liveLines(smokeUnauthorized, model, { keyChecks: [], smoke })).toEqual(expected);
  });

  it("explains the rejection: the token's issuer against the Worker's project, and what the signing keys say", () => {
    const [finding] = smokeUnauthorized.checkLive(model, { environment: 'production', keyChecks: [], smoke: called([{ path: '/', answer: { ok: false, status: 403, reason: 'HTTP 403' } }], { verdict: 'foreign', keys: 2, alg: 'ES256' }) });
    expect(finding!.message).toContain(`The token was issued by project ${REF_A}; worker api-production`);
    expect(finding!.message).toContain(`configured with project ${REF_B} through SUPABASE_URL (api/wrangler.toml:5)`);
    expect(finding!.message).toContain('None of the 2 signing keys published by the Worker\'s project');
  });

  it('must not fire without a smoke test', () => {
    expect(liveLines(smokeUnauthorized, model, { keyChecks: [] })).toEqual([]);
  });
});
