import { describe, expect, it } from '@jest/globals';
import { missingDeployedSecret } from '../../src/rules/missing-deployed-secret.js';
import { deployed } from '../helpers/deployed-worker.js';
import { liveLines, modelOf } from '../helpers/rule-cases.js';

const model = modelOf({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n\n[env.production]\n[env.production.secrets]\nrequired = ["STRIPE_KEY"]\n',
  'src/index.ts': 'export default {\n  fetch(request: Request, env: Env) {\n    return new Response(env.STRIPE_KEY + env.SESSION_SECRET);\n  },\n};\n',
  '.dev.vars': 'STRIPE_KEY=sk_test_local\nSESSION_SECRET=local-only\n',
});

describe('missing-deployed-secret', () => {
  it.each([
    ['fires: secrets.required names one the deployed script lacks, and code reads one only .dev.vars declares', { ok: true as const, names: [] }, ['error src/index.ts:3 [production] SESSION_SECRET', 'error wrangler.toml:6 [production] STRIPE_KEY']],
    ['must not fire: both are deployed', { ok: true as const, names: ['SESSION_SECRET', 'STRIPE_KEY'] }, []],
    ['a note: the token may not list secrets', { ok: false as const, status: 403, reason: 'HTTP 403' }, ['note wrangler.toml:4 [production]']],
  ])('%s', (_name, secrets, expected) => {
    expect(liveLines(missingDeployedSecret, model, { keyChecks: [], cloudflare: [deployed(model, 'production', { secrets })] })).toEqual(expected);
  });

  it('must not fire without Cloudflare credentials', () => {
    expect(liveLines(missingDeployedSecret, model, { keyChecks: [] })).toEqual([]);
  });
});
