import { it } from '@jest/globals';
import { readDeployCommands } from '../../src/wrangler/deploy-commands.js';
const configs = [{ path: 'wrangler.toml', environments: [{ name: null, scriptName: 'a' }, { name: 'p', scriptName: 'a-p' }] }];
const cases: Record<string, string> = {
  dos: 'do '.repeat(100000) + 'wrangler deploy',
  assigns: Array.from({ length: 20000 }, (_, i) => `A${i}=1`).join('; ') + '; ' + 'wrangler deploy; '.repeat(20000),
  vars: 'wrangler deploy --env ' + '$A'.repeat(50000),
  subst: '$('.repeat(50000),
  quotes: '"'.repeat(100001),
  heredoc: 'cat <<EOF\n' + 'x\n'.repeat(100000),
  loops: 'for a in 1 2 3 4 5 6 7 8; do '.repeat(2000) + 'wrangler secret put $a; ' + 'done; '.repeat(2000),
  follow: 'npm run x',
};
it('perf', () => {
  for (const [name, text] of Object.entries(cases)) {
    const t = Date.now();
    readDeployCommands({ configs, packages: [{ path: 'package.json', scripts: { deploy: text, x: 'npm run x && npm run y', y: 'npm run x' }, locate: () => ({ line: 1, column: 1 }) }], workflows: [] });
    console.log(name, Date.now() - t, 'ms');
  }
  const wf = 'jobs:\n' + Array.from({ length: 300 }, (_, j) => `  j${j}:\n    strategy:\n      matrix:\n        a: [1,2,3,4,5,6,7,8]\n        b: [1,2,3,4]\n    steps:\n` + Array.from({ length: 20 }, () => '      - run: |\n          wrangler deploy --env ${{ matrix.a }}\n          echo hi\n').join('')).join('');
  const t = Date.now();
  readDeployCommands({ configs, packages: [{ path: 'package.json', scripts: { x: 'npm run x && npm run y', y: 'npm run x' }, locate: () => ({ line: 1, column: 1 }) }], workflows: [{ path: 'w.yml', text: wf }] });
  console.log('workflow', wf.length, Date.now() - t, 'ms');
});
