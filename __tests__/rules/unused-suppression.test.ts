import { describe } from '@jest/globals';
import { ruleCases, workerRepo } from '../helpers/rule-cases.js';

const worker = (vars: string) => workerRepo(`\n[vars]\n${vars}`, 'env.USED');

describe('unused-suppression', () => {
  ruleCases('unused-suppression', [
    { name: 'fires: the directive suppresses nothing on the next line', files: worker('# deploy-guard-disable-next-line dead-binding\nUSED = "2"\n'), expected: ['note wrangler.toml:5'] },
    { name: 'fires: the directive names a rule that does not exist', files: worker('USED = "2"\n# deploy-guard-disable-next-line no-such-rule\nOTHER = "3"\n'), expected: ['note wrangler.toml:6'] },
    {
      name: 'takes its level from the config like any rule: warning',
      files: { ...worker('# deploy-guard-disable-next-line dead-binding\nUSED = "2"\n'), 'deploy-guard.config.json': '{ "rules": { "unused-suppression": "warning" } }' },
      expected: ['warning wrangler.toml:5'],
    },
    { name: 'must not fire when the config turns it off', files: { ...worker('# deploy-guard-disable-next-line dead-binding\nUSED = "2"\n'), 'deploy-guard.config.json': '{ "rules": { "unused-suppression": "off" } }' }, expected: [] },
    { name: 'must not fire: the directive suppresses the finding below it', files: worker('USED = "2"\n# deploy-guard-disable-next-line unused-var -- read by the cron Worker\nOTHER = "3"\n'), expected: [] },
  ]);
});
