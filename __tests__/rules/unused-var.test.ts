import { describe } from '@jest/globals';
import { ruleCases, workerRepo } from '../helpers/rule-cases.js';

const worker = (vars: string, code: string) => workerRepo(`\n[vars]\n${vars}`, code);

describe('unused-var', () => {
  ruleCases('unused-var', [
    { name: 'fires: a [vars] entry no module reads', files: worker('LEVEL = "info"\nLEGACY_MODE = "1"\n', 'env.LEVEL'), expected: ['warning wrangler.toml:6 [top-level] LEGACY_MODE'] },
    { name: 'must not fire: every var is read', files: worker('LEVEL = "info"\n', 'env.LEVEL'), expected: [] },
    {
      name: 'must not fire: a Python Worker reads its vars where deploy-guard cannot see (seen in a real repository)',
      files: { 'wrangler.toml': 'name = "py"\nmain = "main.py"\ncompatibility_flags = ["python_workers"]\n[vars]\nFOO = "1"\n', 'main.py': 'from workers import Response\nasync def on_fetch(request, env):\n    return Response(env.FOO)\n' },
      expected: [],
    },
    { name: 'must not fire: env.X ??= d reads X (only a plain = is no read)', files: worker('LEVEL = "info"\n', '(env.LEVEL ??= "warn")'), expected: [] },
    { name: 'must not fire: a destructured read counts', files: worker('LEVEL = "info"\n', '(({ LEVEL }) => LEVEL)(env)'), expected: [] },
  ]);
});
