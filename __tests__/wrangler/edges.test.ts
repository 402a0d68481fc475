/**
 * Wrangler edges where deploy-guard used to disagree with wrangler 4 (each checked against
 * wrangler 4.164.0: `wrangler deploy --dry-run` and its bundled source, cited in src/wrangler/*).
 */
import fs from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/check.js';
import { readJsonc } from '../../src/read/jsonc.js';
import { readToml } from '../../src/read/toml.js';
import { resolveWorkerConfig } from '../../src/wrangler/environments.js';
import { wranglerBindingNames, wranglerNameUses } from '../../src/wrangler/unique-names.js';
import { writeTree } from '../helpers/tree.js';

function resolve(text: string, file = 'wrangler.toml') {
  const read = file.endsWith('.toml') ? readToml(text, file) : readJsonc(text, file, 'jsonc');
  if (!read.ok) throw new Error(read.error.message);
  return resolveWorkerConfig(read.doc, { configFile: file });
}

const kinds = (env: { bindings: { name: string; kind: string }[] }) => env.bindings.map((b) => `${b.name}:${b.kind}`);

describe('Workers Sites ([site])', () => {
  it('binds __STATIC_CONTENT (a KV namespace the deploy creates) in every environment, so code reading it is not missing-secret', () => {
    const { environments, problems } = resolve('name = "site"\nmain = "src/index.js"\n[site]\nbucket = "./public"\n[env.staging]\n');
    expect(problems).toEqual([]);
    expect(environments.map(kinds)).toEqual([['__STATIC_CONTENT:kv_namespace'], ['__STATIC_CONTENT:kv_namespace']]);
    expect(environments[0]!.bindings[0]).toMatchObject({ at: { line: 3 }, details: { bucket: './public' } });
  });

  it('lets a modules Worker read env.__STATIC_CONTENT without any finding (it used to be missing-secret)', () => {
    const root = writeTree({
      'wrangler.toml': 'name = "site"\nmain = "src/index.js"\ncompatibility_date = "2024-09-23"\n[site]\nbucket = "./public"\n',
      'src/index.js': 'import manifest from "__STATIC_CONTENT_MANIFEST";\nexport default { fetch(request, env) { return env.__STATIC_CONTENT.get(JSON.parse(manifest)["index.html"]).then((b) => new Response(b)); } };\n',
      'public/index.html': '<p>hi</p>\n',
    });
    try {
      expect(runCheck({ root }).findings.map((f) => `${f.rule} ${f.subject ?? ''}`)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not add it twice when the config already names a binding __STATIC_CONTENT (the deploy replaces that one)', () => {
    const { environments, problems } = resolve('name = "s"\nmain = "i.js"\nkv_namespaces = [{ binding = "__STATIC_CONTENT", id = "x" }]\n[site]\nbucket = "p"\n');
    expect(kinds(environments[0]!)).toEqual(['__STATIC_CONTENT:kv_namespace']);
    expect(problems).toEqual([]);
  });

  it('takes the entry from site.entry-point (default workers-site/index.js) when there is no main', () => {
    const entry = (text: string) => resolve(text, 'app/wrangler.toml').environments.map((e) => [e.main, e.mainAt?.line]);
    expect(entry('name = "s"\n[site]\nbucket = "p"\n')).toEqual([['app/workers-site/index.js', 2]]);
    expect(entry('name = "s"\n[site]\nbucket = "p"\nentry-point = "worker"\n')).toEqual([['app/worker/index.js', 4]]);
    expect(entry('name = "s"\n[site]\nbucket = "p"\nentry-point = "worker/site.mjs"\n[env.x]\nmain = "x.js"\n')).toEqual([['app/worker/site.mjs', 4], ['app/x.js', 6]]);
  });

  it.each([
    ['name = "s"\nsite = "public"\n', /site must be a table/],
    ['name = "s"\n[site]\ninclude = ["*"]\n', /site needs bucket/],
    ['name = "s"\nmain = "a.js"\n[site]\nbucket = "p"\nentry-point = "w"\n', /site.entry-point and main both/],
  ])('reports %j as wrangler refuses it', (text, message) => {
    expect(resolve(text).problems).toEqual([expect.objectContaining({ message: expect.stringMatching(message) })]);
  });
});

describe('settings TOML put inside a table because they follow its header (seen in two public repositories)', () => {
  it('reports a binding below [site] as an error: wrangler ignores it there, and the Worker deploys without it', () => {
    const { environments, problems } = resolve('name = "s"\nmain = "src/index.js"\n[site]\nbucket = "./public"\nkv_namespaces = [{ binding = "FLOW_KV", id = "x" }]\n');
    expect(problems).toEqual([{ line: 5, column: 1, message: expect.stringMatching(/^kv_namespaces is inside \[site\], where wrangler ignores it .*the deployed Worker has none of these bindings\. In TOML every key below a \[table\] header belongs to that table: move the line above \[site\]\.$/) }]);
    expect(environments.map(kinds)).toEqual([['__STATIC_CONTENT:kv_namespace']]);
  });

  it('reads [site] holding only pages_build_output_dir as a misplaced Pages setting, not as a Workers Sites Worker without a bucket', () => {
    const { environments, problems } = resolve('name = "x"\n[site]\npages_build_output_dir = ".next/standalone"\n[vars]\nA = "1"\n');
    expect(problems).toEqual([{ line: 3, column: 1, severity: 'warning', message: expect.stringMatching(/^pages_build_output_dir is inside \[site\].*Pages does not take this file for its config/) }]);
    expect(environments.map((e) => [e.main, kinds(e)])).toEqual([[undefined, []]]);
  });

  it('reports pages_build_output_dir below [build] (seen in a real Pages project)', () => {
    const { problems } = resolve('name = "cards"\n[build]\npages_build_output_dir = "dist/browser"\ncommand = "./build.sh"\n');
    expect(problems.map((p) => [p.line, p.severity, p.message])).toEqual([[3, 'warning', expect.stringMatching(/^pages_build_output_dir is inside \[build\].*leaves out its vars and bindings\)\. In TOML/)]]);
  });

  it('looks into environments, and says how to fix it in a JSON config', () => {
    const { problems } = resolve('{ "name": "x", "main": "i.js", "env": { "prod": { "observability": { "enabled": true, "vars": { "A": "1" }, "logpush": true } } } }', 'wrangler.jsonc');
    expect(problems.map((p) => [p.line, p.severity, p.message.replace(/ \(.*?\)/, '')])).toEqual([
      [1, undefined, 'vars is inside [env.prod.observability], where wrangler ignores it: it is a setting of [env.prod], so the deployed Worker has none of these vars. Move it out of "observability".'],
      [1, 'warning', 'logpush is inside [env.prod.observability], where wrangler ignores it: it is a setting of [env.prod], so it has no effect. Move it out of "observability".'],
    ]);
  });

  it('says "move it out" for an inline table, where no header is to blame', () => {
    const { problems } = resolve('name = "s"\nmain = "i.js"\nsite = { bucket = "p", kv_namespaces = [{ binding = "K", id = "x" }] }\n');
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^kv_namespaces is inside \[site\].* Move it out of "site"\.$/)]);
  });

  it.each([
    ['[send_email] written for [[send_email]], whose entries have a name (not a misplaced setting)', 'name = "x"\nmain = "i.js"\n[send_email]\nname = "MAIL"\n'],
    ['a var named like a setting', 'name = "x"\nmain = "i.js"\n[vars]\nroutes = "a,b"\n'],
    ['a table\'s own fields', 'name = "x"\nmain = "i.js"\n[site]\nbucket = "p"\ninclude = ["*"]\n[build]\ncommand = "npm run build"\n[triggers]\ncrons = ["* * * * *"]\n'],
    ['the settings above the first header', 'name = "x"\nmain = "i.js"\nkv_namespaces = [{ binding = "K", id = "x" }]\n[site]\nbucket = "p"\n'],
  ])('quiet for %s', (_name, text) => {
    expect(resolve(text).problems).toEqual([]);
  });
});

describe('names used twice, compared as wrangler compares them', () => {
  it('warns (not a parse error) when send_email or ratelimits share a name with another binding: wrangler accepts it and keeps only one', () => {
    const { problems } = resolve('name = "a"\n[[send_email]]\nname = "MAIL"\n[[kv_namespaces]]\nbinding = "MAIL"\nid = "x"\n[[ratelimits]]\nname = "MAIL"\nnamespace_id = "1"\n');
    expect(problems).toEqual([{ line: 5, column: 1, severity: 'warning', message: expect.stringMatching(/^MAIL is declared more than once in the top level \(lines 3, 5, 8\)\. wrangler's duplicate check does not see it.*env\.MAIL is only one of them/) }]);
  });

  it('refuses what wrangler refuses: a kv and a var of one name, two kv of one name, a required secret named like a var', () => {
    const { problems } = resolve('name = "a"\nkv_namespaces = [{ binding = "X", id = "1" }, { binding = "X", id = "2" }]\n[vars]\nY = "1"\n[secrets]\nrequired = ["Y"]\n');
    expect(problems.map((p) => [p.line, p.severity, p.message.split(':')[0]])).toEqual([
      [2, undefined, 'X is declared more than once in the top level (lines 2, 2)'],
      [6, undefined, 'Y is declared more than once in the top level (lines 4, 6)'],
    ]);
  });

  it('mirrors getBindingNames, quirks included', () => {
    expect(wranglerBindingNames({ bindings: [{ name: 'DO' }] })).toEqual(['DO']);
    expect(wranglerBindingNames([{ binding: 'A' }, { binding: 'B' }])).toEqual(['A', 'B']);
    // One entry without a binding: wrangler compares none of that list; send_email/ratelimits entries are named by `name`.
    expect(wranglerBindingNames([{ binding: 'A' }, { id: 'x' }])).toEqual([]);
    expect(wranglerBindingNames([{ name: 'MAIL' }])).toEqual([]);
    expect(wranglerBindingNames({ binding: 'AI' })).toEqual(['AI']);
    // [assets] without a binding is named by its keys; a var called "binding" by its value (both confirmed with wrangler 4.164).
    expect(wranglerBindingNames({ directory: './public' })).toEqual(['directory']);
    expect(wranglerBindingNames({ binding: 'V', OTHER: '1' })).toEqual(['V']);
    expect([...wranglerNameUses((k) => ({ queues: { producers: [{ binding: 'Q' }] }, vars: { Q: '1' } } as Record<string, unknown>)[k], ['S'])]).toEqual([['Q', ['Queue', 'Environment Variable']], ['S', ['Secret']]]);
  });

  it('refuses an assets folder without a binding next to a var named "directory", as wrangler does', () => {
    const { problems } = resolve('name = "a"\n[assets]\ndirectory = "./public"\n[vars]\ndirectory = "x"\n');
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringMatching(/^directory is declared more than once.*used by Environment Variable, Assets|^directory is declared more than once.*used by Assets, Environment Variable/) })]);
  });
});

describe('other edges', () => {
  it('takes [assets] binding = "" as no binding, as deploy does (`if (assets?.binding)`)', () => {
    const { environments, problems } = resolve('name = "a"\n[assets]\ndirectory = "./public"\nbinding = ""\n');
    expect(problems).toEqual([]);
    expect(environments[0]!.bindings).toEqual([]);
  });

  it('still reports an empty binding name where wrangler needs one', () => {
    expect(resolve('name = "a"\n[[kv_namespaces]]\nbinding = ""\nid = "x"\n').problems).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/kv_namespaces\[0\] has no "binding"/) })]);
  });

  it('reports legacy_env = true: wrangler 4 refuses the field whatever its value, and deploys names unchanged without it', () => {
    const { environments, problems } = resolve('name = "api"\nlegacy_env = true\n[env.staging]\n');
    expect(environments.map((e) => e.scriptName)).toEqual(['api', 'api-staging']);
    expect(problems).toEqual([{ line: 2, column: 1, message: expect.stringMatching(/legacy_env is no longer supported: wrangler 4 refuses/) }]);
  });

  it('takes name = "" as no name (wrangler refuses to deploy without --name) and labels the script by its folder', () => {
    const { environments, problems } = resolve('name = ""\nmain = "a.js"\n[env.x]\n[env.y]\nname = "own"\n', 'svc/wrangler.toml');
    expect(environments.map((e) => e.scriptName)).toEqual(['svc', 'svc-x', 'own']);
    expect(problems).toEqual([expect.objectContaining({ line: 1, severity: 'warning', message: expect.stringMatching(/^name is empty/) })]);
    // A named script keeps its workers.dev host; a nameless one has none.
    expect(environments.map((e) => (e.endpoints ?? []).map((p) => p.kind))).toEqual([[], [], ['workers-dev']]);
  });
});
