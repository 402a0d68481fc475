import { describe, expect, it } from '@jest/globals';
import { ruleCases, ruleFindings } from '../helpers/rule-cases.js';
import { runCheck } from '../../src/check.js';
import { formatText } from '../../src/report/text.js';
import { toJsonReport } from '../../src/report/json.js';
import { spawnSync } from 'node:child_process';
import { writeTree } from '../helpers/tree.js';

/** A Worker reading env.API_TOKEN that declares no secret anywhere. */
const bare = (extra: Record<string, string> = {}) => ({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n',
  'src/index.ts': 'export default {\n  fetch(request: Request, env: Env) {\n    return new Response(env.API_TOKEN);\n  },\n};\n',
  ...extra,
});

/** The same Worker keeping a manifest of its other secrets, so a name missing from it is reported per name. */
const worker = (extra: Record<string, string> = {}) => bare({ '.dev.vars.example': 'OTHER_SECRET=\n', ...extra });

/** The Worker of `bare` reading two names in one statement, and one more file. */
const readsTwo = (extra: Record<string, string> = {}) => bare({ 'src/index.ts': 'export default {\n  fetch(request: Request, env: Env) {\n    return new Response(env.API_TOKEN + env.STRIPE_KEY);\n  },\n};\n', ...extra });

/** Findings lines of the bare Worker with `files` added: a note listing the names when nothing declares them. */
const UNDECLARED = ['note src/index.ts:3 [top-level] API_TOKEN'];

describe('missing-secret', () => {
  ruleCases('missing-secret', [
    { name: 'fires: code reads a name that the Worker\'s manifest of secrets lacks (drift), a warning', files: worker(), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'fires once, as a note: a Worker that declares no secret anywhere', files: bare(), expected: UNDECLARED },
    { name: 'fires once for all names of a Worker that declares none, listing them', files: readsTwo(), expected: ['note src/index.ts:3 [top-level] API_TOKEN, STRIPE_KEY'] },
    {
      name: 'fires once per environment with the names, so reports show one note for the set',
      files: readsTwo({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[vars]\nMODE = "dev"\n[env.production.vars]\nMODE = "prod"\n', 'src/index.ts': 'export default {\n  fetch(request: Request, env: Env) {\n    return new Response(env.API_TOKEN + env.STRIPE_KEY + env.MODE);\n  },\n};\n' }),
      expected: ['note src/index.ts:3 [production] API_TOKEN, STRIPE_KEY', 'note src/index.ts:3 [top-level] API_TOKEN, STRIPE_KEY'],
    },
    { name: 'fires per name as a warning at the deploy gate (--env production), even where nothing is declared', files: readsTwo(), env: 'production', processEnv: {}, expected: ['warning src/index.ts:3 [top-level] API_TOKEN', 'warning src/index.ts:3 [top-level] STRIPE_KEY'] },
    { name: 'the config raises the one note: "missing-secret": "warning"', files: bare({ 'deploy-guard.config.json': '{ "rules": { "missing-secret": "warning" } }\n' }), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'the config lowers drift: "missing-secret": "note"', files: worker({ 'deploy-guard.config.json': '{ "rules": { "missing-secret": "note" } }\n' }), expected: ['note src/index.ts:3 [top-level] API_TOKEN'] },
    // Forms public repositories document their Worker secrets in.
    { name: 'must not fire: a comment on secrets in wrangler.toml names it', files: bare({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n# Secrets (wrangler secret put NAME): API_TOKEN, RESEND_API_KEY\n' }), expected: [] },
    { name: 'must not fire: a comment list of names in wrangler.jsonc', files: bare({ 'wrangler.toml': '', 'wrangler.jsonc': '{\n  "name": "api",\n  "main": "src/index.ts",\n  // Required: API_TOKEN, OTHER_TOKEN\n}\n' }), expected: [] },
    { name: 'fires: a commented-out assignment in wrangler.toml is no declaration', files: bare({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[vars]\n# API_TOKEN = "abc"\n' }), expected: UNDECLARED },
    { name: 'must not fire: README shows `npx wrangler secret put NAME --env x` in a code block', files: bare({ 'README.md': '# API\n\n```sh\nnpx wrangler secret put API_TOKEN --env production\n```\n' }), expected: [] },
    { name: 'must not fire: README shows a wrangler.toml whose comment says `# wrangler secret put NAME`', files: bare({ 'README.md': '```toml\nname = "api"\n# Secrets are set with:\n# wrangler secret put API_TOKEN\n```\n' }), expected: [] },
    { name: 'must not fire: README shows `wrangler secret put NAME` in a code span', files: bare({ 'README.md': 'Run `wrangler secret put API_TOKEN` once.\n' }), expected: [] },
    { name: 'one note, not drift: a README list that names none of what the Worker reads (its users\' variables) is no list of its secrets', files: bare({ 'README.md': '| Secret | Purpose |\n| --- | --- |\n| `CLIENT_API_KEY` | your key for our API |\n' }), expected: UNDECLARED },
    { name: 'fires: README names it in passing in prose', files: bare({ 'README.md': 'The API_TOKEN secret comes from the upstream dashboard.\n' }), expected: UNDECLARED },
    { name: 'must not fire: a README table of secrets lists it', files: bare({ 'README.md': '| Secret | Purpose |\n| --- | --- |\n| `API_TOKEN` | upstream API |\n' }), expected: [] },
    { name: 'fires: a README table about something else (no secret, variable or env header)', files: bare({ 'README.md': '| Route | Handler |\n| --- | --- |\n| `API_TOKEN` | upstream API |\n' }), expected: UNDECLARED },
    { name: 'must not fire: a list under a line about secrets names it', files: bare({ 'README.md': '**Required secrets**:\n- `API_TOKEN` - the upstream token\n' }), expected: [] },
    { name: 'fires: a list under a line about something else', files: bare({ 'README.md': '**Endpoints**:\n- `API_TOKEN` - returns the token\n' }), expected: UNDECLARED },
    { name: 'must not fire: WRANGLER_SETUP.md shows `wrangler pages secret put NAME`', files: bare({ 'WRANGLER_SETUP.md': '```bash\nnpx wrangler pages secret put API_TOKEN --project-name api\n```\n' }), expected: [] },
    { name: 'must not fire: a docs page of a docs folder shows the command', files: bare({ 'docs/deploying.md': '```bash\ncd . && wrangler secret put API_TOKEN\n```\n' }), expected: [] },
    { name: 'must not fire: AGENTS.md shows the command', files: bare({ 'AGENTS.md': '- set secrets: `wrangler secret put API_TOKEN`\n' }), expected: [] },
    { name: 'must not fire: README shows a .dev.vars file', files: bare({ 'README.md': 'Create `.dev.vars`:\n\n```\nAPI_TOKEN=your-token\n```\n' }), expected: [] },
    { name: 'must not fire: a shell script pipes it to wrangler secret put', files: bare({ 'scripts/secrets.sh': '#!/bin/sh\necho "$API_TOKEN" | npx wrangler secret put API_TOKEN\n' }), expected: [] },
    { name: 'must not fire: a Makefile runs wrangler secret bulk FILE with a committed example of FILE', files: bare({ Makefile: 'secrets:\n\t@wrangler secret bulk secrets.json\n', 'secrets.example.json': '{ "API_TOKEN": "" }\n' }), expected: [] },
    { name: 'fires: wrangler secret bulk FILE with neither FILE nor an example of it', files: bare({ Makefile: 'secrets:\n\twrangler secret bulk secrets.json\n' }), expected: UNDECLARED },
    { name: 'must not fire: worker-configuration.d.ts (wrangler types) lists it in Env', files: bare({ 'worker-configuration.d.ts': 'declare namespace Cloudflare {\n\tinterface Env {\n\t\tAPI_TOKEN: string;\n\t}\n}\ninterface Env extends Cloudflare.Env {}\n' }), expected: [] },
    { name: 'fires: a binding-typed member of a stale worker-configuration.d.ts declares no secret', files: bare({ 'worker-configuration.d.ts': 'interface Env {\n\tAPI_TOKEN: KVNamespace;\n}\n' }), expected: UNDECLARED },
    {
      name: 'must not fire: a .env.example at the root, away from the Worker\'s folder, names it',
      files: { 'worker/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'worker/src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.API_TOKEN); } };\n', '.env.example': 'VITE_SUPABASE_URL=\nAPI_TOKEN=\n' },
      expected: [],
    },
    {
      name: 'fires per name: the root .env.example names the Worker\'s other secrets but not this one (drift)',
      files: { 'worker/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'worker/src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.API_TOKEN + env.OTHER_SECRET); } };\n', '.env.example': 'OTHER_SECRET=\n' },
      expected: ['warning worker/src/index.ts:1 [top-level] API_TOKEN'],
    },
    {
      name: 'one note, not drift: the root .env.example names only values the Worker never reads (another app\'s)',
      files: { 'worker/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'worker/src/index.ts': 'export default { fetch(request: Request, env: Env) { return new Response(env.API_TOKEN); } };\n', '.env.example': 'OTHER_SECRET=\n' },
      expected: ['note worker/src/index.ts:1 [top-level] API_TOKEN'],
    },
    { name: 'fires per name: README documents the Worker\'s other secrets but not this one (drift)', files: readsTwo({ 'README.md': '```sh\nwrangler secret put STRIPE_KEY\n```\n' }), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'must not fire: .dev.vars declares it as a secret', files: worker({ '.dev.vars': 'API_TOKEN=local-only\n' }), expected: [] },
    { name: 'must not fire: secrets.required lists it', files: worker({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[secrets]\nrequired = ["API_TOKEN"]\n' }), expected: [] },
    { name: 'must not fire: it is a var', files: worker({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[vars]\nAPI_TOKEN = "public"\n' }), expected: [] },
    { name: 'must not fire: a .dev.vars-example (with a dash) lists it, as seen in a public repository', files: worker({ '.dev.vars-example': 'API_TOKEN=\n' }), expected: [] },
    // Seen in public repositories: each is code written to run without the name.
    { name: 'must not fire: a variable holding the read is tested for absence', files: reading('const token = env.API_TOKEN;\n    return new Response(token ? token : "anonymous");'), expected: [] },
    { name: 'must not fire: a variable holding the read is tested with if (!v) return', files: reading('const token = env.API_TOKEN;\n    if (!token) return new Response("off");\n    return new Response(token);'), expected: [] },
    { name: 'fires: a variable holding the read is used without a test', files: reading('const token = env.API_TOKEN;\n    return new Response(token);'), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'must not fire: destructured, then tested for absence', files: reading('const { API_TOKEN: token, OTHER } = env;\n    if (!token) return new Response("off");\n    return new Response(token + OTHER);', '.dev.vars', 'OTHER=x\n'), expected: [] },
    { name: 'must not fire: a destructuring default', files: reading('const { API_TOKEN = "anonymous" } = env;\n    return new Response(API_TOKEN);'), expected: [] },
    { name: 'fires: destructured without a default', files: reading('const { API_TOKEN } = env;\n    return new Response(API_TOKEN);'), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'must not fire: the second of two names either of which will do (env.A || env.B), the first declared', files: reading('const token = env.API_TOKEN || env.LEGACY_TOKEN;\n    return new Response(token);', '.dev.vars', 'API_TOKEN=x\n'), expected: [] },
    { name: 'fires: env.A || env.B with neither declared, on the last name', files: reading('const token = env.API_TOKEN || env.LEGACY_TOKEN;\n    return new Response(token);'), expected: ['warning src/index.ts:3 [top-level] LEGACY_TOKEN'] },
    { name: 'must not fire: env.A || env.B || env.C with the second declared', files: reading('return new Response(env.API_TOKEN || env.LEGACY_TOKEN || env.OLD_TOKEN);', '.dev.vars', 'LEGACY_TOKEN=x\n'), expected: [] },
    {
      name: 'fires: a variable of the same name tested in another function guards nothing',
      files: worker({ 'src/index.ts': 'async function upstream(env: Env) {\n  const token = env.API_TOKEN;\n  return fetch("https://x.example", { headers: { authorization: `Bearer ${token}` } });\n}\nfunction auth(request: Request) {\n  const token = request.headers.get("authorization");\n  if (!token) return false;\n  return true;\n}\nexport default { async fetch(request: Request, env: Env) { return auth(request) ? upstream(env) : new Response("no"); } };\n' }),
      expected: ['warning src/index.ts:2 [top-level] API_TOKEN'],
    },
    { name: 'fires: a variable of the same name declared and tested in a nested function guards nothing (second review)', files: reading('const token = env.API_TOKEN;\n    const verify = (h: Headers) => { const token = h.get("authorization"); if (!token) return false; return true; };\n    return new Response(verify(request.headers) ? token : "no");'), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'must not fire: the variable tested inside a nested function that does not shadow it', files: reading('const token = env.API_TOKEN;\n    const ready = () => { if (!token) return false; return true; };\n    return new Response(ready() ? token : "no");'), expected: [] },
    { name: 'fires: a test before the variable holds the read guards nothing', files: reading('let token = request.headers.get("x");\n    if (!token) token = "";\n    { const token = env.API_TOKEN; return new Response(token); }'), expected: ['warning src/index.ts:5 [top-level] API_TOKEN'] },
    { name: 'fires: env read as the fallback of something else is still required', files: reading('return new Response(request.headers.get("x-token") || env.API_TOKEN);'), expected: ['warning src/index.ts:3 [top-level] API_TOKEN'] },
    { name: 'must not fire: env.A || env.B held in a variable and tested, the branch answering an ordinary response (second review)', files: reading('const key = env.API_TOKEN || env.LEGACY_TOKEN;\n    if (!key) return new Response("anonymous");\n    return new Response(key);'), expected: [] },
    { name: 'fires: env.A || env.B held in a variable and tested, the branch answering 500: one of them is required', files: reading('const key = env.API_TOKEN || env.LEGACY_TOKEN;\n    if (!key) return new Response("not configured", { status: 500 });\n    return new Response(key);'), expected: ['warning src/index.ts:3 [top-level] LEGACY_TOKEN'] },
    { name: 'must not fire: env.X ??= d is a default', files: reading('env.API_TOKEN ??= "anonymous";\n    return new Response(env.API_TOKEN);'), expected: [] },
    { name: 'must not fire: a write to process.env is no read', files: reading('process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";\n    process.env.MY_FLAG = "1";\n    return new Response("ok");'), expected: [] },
  ]);
});

describe('missing-secret: where a declaration comes from, in the reports', () => {
  it('names the documented source of the manifest in a drift warning', () => {
    const [finding] = ruleFindings('missing-secret', { files: readsTwo({ 'README.md': '# API\n\n```sh\nwrangler secret put STRIPE_KEY\n```\n' }) });
    expect(finding?.message).toContain('declared in README.md:4 (wrangler secret put)');
  });

  it('lists the names in the one note of a Worker that declares none', () => {
    const [finding] = ruleFindings('missing-secret', { files: readsTwo() });
    expect(finding?.message).toContain('worker api (top level in wrangler.toml) reads 2 values no file in the repository declares (API_TOKEN, STRIPE_KEY)');
    expect(finding?.message).toContain('`secrets.required` or `.dev.vars.example`');
  });

  it('shows the documented declaration in the JSON and text reports', () => {
    const root = writeTree(bare({ 'README.md': '# API\n\nRun `wrangler secret put API_TOKEN`.\n' }));
    const result = runCheck({ root, now: new Date('2026-11-24T00:00:00Z') });
    const json = toJsonReport(result, { root: '.' });
    expect(json.workers[0]?.documented).toEqual([{ name: 'API_TOKEN', file: 'README.md', line: 3, via: 'wrangler secret put' }]);
    expect(formatText(result, { colour: false, failOn: 'error' })).toContain('wrangler.toml: API_TOKEN declared in README.md:3 (wrangler secret put)');
  });

  it('shows only documented names the code reads: a word of a name\'s shape in a comment about secrets (an access key id) is never printed', () => {
    const root = writeTree(bare({ 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n# secrets: API_TOKEN; the old key id was AKIAIOSFODNN7EXAMPLE\n' }));
    const result = runCheck({ root, now: new Date('2026-11-24T00:00:00Z') });
    expect(toJsonReport(result, { root: '.' }).workers[0]?.documented).toEqual([{ name: 'API_TOKEN', file: 'wrangler.toml', line: 3, via: 'a comment on secrets in the wrangler config' }]);
    expect(JSON.stringify(toJsonReport(result, { root: '.' }))).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(formatText(result, { colour: false, failOn: 'error' })).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('a .dev.vars git does not track is no list of the Worker\'s secrets (a laptop and CI agree); a committed one is', () => {
    const files = bare({ '.gitignore': '.dev.vars\n', '.dev.vars': 'OTHER_SECRET=x\n' });
    const root = writeTree(files);
    spawnSync('git', ['init', '-q'], { cwd: root });
    spawnSync('git', ['add', '--', ...Object.keys(files).filter((f) => f !== '.dev.vars')], { cwd: root });
    const lines = () => runCheck({ root, now: new Date('2026-11-24T00:00:00Z') }).findings.filter((f) => f.rule === 'missing-secret').map((f) => `${f.severity} ${f.subject}`);
    expect(lines()).toEqual(['note API_TOKEN']);
    spawnSync('git', ['add', '-f', '--', '.dev.vars'], { cwd: root });
    expect(lines()).toEqual(['warning API_TOKEN']);
  });

  it('never reads a value: a README .dev.vars block gives names only', () => {
    const root = writeTree(bare({ 'README.md': '```env\n# .dev.vars\nAPI_TOKEN=sk_live_do_not_print_me\n```\n' }));
    const result = runCheck({ root, now: new Date('2026-11-24T00:00:00Z') });
    expect(JSON.stringify(toJsonReport(result, { root: '.' }))).not.toContain('do_not_print_me');
    expect(formatText(result, { colour: false, failOn: 'error' })).not.toContain('do_not_print_me');
  });
});

/** The Worker above with `body` as its fetch handler's body, and one more file if given. */
function reading(body: string, file?: string, text?: string): Record<string, string> {
  return worker({ 'src/index.ts': `export default {\n  fetch(request: Request, env: Env) {\n    ${body}\n  },\n};\n`, ...(file ? { [file]: text! } : {}) });
}
