/**
 * The diagram of who talks to whom in the job summary and the PR comment: read back from the
 * markdown the way a reader's eye reads it (which names are joined by red arrows, which project
 * nodes are red), on the incident example, the monorepo scenario and tiny inline repositories.
 */
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { runCheck, type CheckResult } from '../src/check.js';
import { DIAGRAM_LABEL_LIMIT, DIAGRAM_PAIR_LIMIT, mermaidString } from '../src/report/diagram.js';
import { formatJson } from '../src/report/json.js';
import { formatMarkdown } from '../src/report/markdown.js';
import { formatText } from '../src/report/text.js';
import { SCENARIOS } from './helpers/paths.js';
import { writeTree } from './helpers/tree.js';

const INCIDENT = path.resolve('examples/incident');

/** Mermaid's entity codes back to characters: what the rendered diagram shows. */
function decode(text: string): string {
  return text.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
}

type Diagram = {
  /** Every line between the fences. */
  lines: string[];
  /** Node id → its name as shown, and the environment (subgraph title) it is drawn in. */
  nodes: Map<string, { name: string; environment: string }>;
  edges: { from: string; to: string; label?: string; red: boolean }[];
  classOf: Map<string, string>;
};

function diagramOf(markdown: string): Diagram | undefined {
  const start = markdown.indexOf('```mermaid\n');
  if (start < 0) return undefined;
  const end = markdown.indexOf('\n```\n', start);
  const lines = markdown.slice(start + '```mermaid\n'.length, end).split('\n');
  const nodes = new Map<string, { name: string; environment: string }>();
  const raw: { from: string; to: string; label?: string }[] = [];
  const classOf = new Map<string, string>();
  let red = new Set<number>();
  let environment = '';
  for (const line of lines) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^ {2}subgraph env\d+\["([^"]*)"\]$/))) environment = decode(m[1]!);
    else if ((m = line.match(/^ {4}(e\d+n\d+)(?:\[\("|\("|\[")([^"]*)"(?:\)\]|\)|\])$/))) nodes.set(m[1]!, { name: decode(m[2]!), environment });
    else if ((m = line.match(/^ {2}(e\d+n\d+) (?:-->|-\.->|==>\|"([^"]*)"\|) (e\d+n\d+)$/))) raw.push({ from: m[1]!, to: m[3]!, ...(m[2] !== undefined ? { label: decode(m[2]) } : {}) });
    else if ((m = line.match(/^ {2}class ([\w,]+) (\w+)$/))) for (const id of m[1]!.split(',')) classOf.set(id, m[2]!);
    else if ((m = line.match(/^ {2}linkStyle ([\d,]+) /))) red = new Set(m[1]!.split(',').map(Number));
  }
  return { lines, nodes, edges: raw.map((e, i) => ({ ...e, red: red.has(i) })), classOf };
}

/** "jobmatch-web ⇒ jobmatch-api-production (API URL: supabase-ref-mismatch)", the way a reader names an arrow. */
function arrows(d: Diagram, which: (e: Diagram['edges'][number]) => boolean): string[] {
  const name = (id: string) => `${d.nodes.get(id)!.environment}: ${d.nodes.get(id)!.name}`;
  return d.edges.filter(which).map((e) => (e.label !== undefined ? `${name(e.from)} ⇒ ${d.nodes.get(e.to)!.name} (${e.label})` : `${name(e.from)} → ${d.nodes.get(e.to)!.name}`)).sort();
}

function redNodes(d: Diagram): string[] {
  return [...d.classOf].filter(([, c]) => c === 'mismatch').map(([id]) => `${d.nodes.get(id)!.environment}: ${d.nodes.get(id)!.name}`).sort();
}

const markdownOf = (result: CheckResult) => formatMarkdown(result);

describe('the diagram of who talks to whom', () => {
  it('the incident: the frontend → Worker arrow and the two projects are red, right under the verdict', () => {
    const result = runCheck({ root: INCIDENT });
    const markdown = markdownOf(result);
    const d = diagramOf(markdown)!;
    expect(arrows(d, (e) => e.red)).toEqual([
      'production: jobmatch-api-production → hvtrmpwqkzxnbcldfgsy',
      'production: jobmatch-web → qzjxkvbnmwplrtyhgfds',
      'production: jobmatch-web ⇒ jobmatch-api-production (API URL: supabase-ref-mismatch)',
    ]);
    expect(redNodes(d)).toEqual(['production: hvtrmpwqkzxnbcldfgsy', 'production: qzjxkvbnmwplrtyhgfds']);
    // Under the verdict and its "why" lines, before the tables.
    expect(markdown.indexOf('```mermaid')).toBeGreaterThan(markdown.indexOf('- ❌ **production**'));
    expect(markdown.indexOf('```mermaid')).toBeLessThan(markdown.indexOf('### Supabase project per environment and surface'));
    // Named by package and Worker name, never by the root folder ".".
    expect([...d.nodes.values()].map((n) => n.name)).not.toContain('.');
  });

  it('the monorepo with two products: exactly the staging shop pair is red; the others are drawn plain', () => {
    const markdown = markdownOf(runCheck({ root: path.join(SCENARIOS, 'monorepo-two-products', 'repo') }));
    const d = diagramOf(markdown)!;
    expect(arrows(d, (e) => e.red)).toEqual([
      'staging: @two/shop → stagingprojectrefaaa',
      'staging: @two/shop ⇒ shop-api-staging (API URL: supabase-ref-mismatch)',
      'staging: shop-api-staging → hvtrmpwqkzxnbcldfgsy',
    ]);
    expect(redNodes(d)).toEqual(['staging: hvtrmpwqkzxnbcldfgsy', 'staging: stagingprojectrefaaa']);
    expect(arrows(d, (e) => !e.red && e.label !== undefined)).toEqual([
      'local: @two/admin ⇒ admin-api (API URL)',
      'production: @two/admin ⇒ admin-api-production (API URL)',
      'production: @two/shop ⇒ shop-api-production (API URL)',
    ]);
    // Failing environment on top (Mermaid stacks the last subgraph written on top), framed in red.
    expect(d.lines.filter((l) => l.startsWith('  subgraph')).at(-1)).toBe('  subgraph env0["staging"]');
    expect(d.lines.filter((l) => l.startsWith('  style'))).toEqual([
      '  style env0 fill:#ffffff,stroke:#cf222e,stroke-width:2px',
      '  style env1 fill:#ffffff,stroke:#d0d7de',
      '  style env2 fill:#ffffff,stroke:#d0d7de',
    ]);
  });

  it('a project that cannot be decided is drawn as such: a dashed node, not a project', () => {
    const d = diagramOf(markdownOf(runCheck({ root: path.join(SCENARIOS, 'monorepo-two-products', 'repo') })))!;
    const unknown = [...d.classOf].filter(([, c]) => c === 'unknown').map(([id]) => d.nodes.get(id)!);
    // `wrangler dev` of a Worker whose SUPABASE_URL no committed file sets: the node says so.
    expect(unknown).toEqual([{ name: '? SUPABASE_URL is read, and nothing in the repository sets …', environment: 'local' }]);
    // A value that names no project: the node says why, in words that name hosts only.
    const root = writeTree({
      'web/package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^6.0.0' } }),
      'web/.env.production': 'VITE_SUPABASE_URL=https://placeholder.supabase.co\n',
      'web/src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const s = createClient(import.meta.env.VITE_SUPABASE_URL, 'k');\n",
      'api/wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n[env.production]\nvars = { SUPABASE_URL = "https://bbbbbbbbbbbbbbbbbbbb.supabase.co" }\n',
      'api/src/index.ts': "import { createClient } from '@supabase/supabase-js';\nexport default { fetch(_r: Request, env: { SUPABASE_URL: string }) { createClient(env.SUPABASE_URL, 'k'); return new Response(''); } };\n",
    });
    const undecided = diagramOf(markdownOf(runCheck({ root })))!;
    expect(arrows(undecided, (e) => e.label === undefined).filter((a) => a.startsWith('production'))).toEqual([
      'production: api-production → bbbbbbbbbbbbbbbbbbbb',
      'production: web → ? placeholder.supabase.co is not a project host',
    ]);
    const placeholder = [...undecided.nodes].find(([, n]) => n.name.includes('placeholder'))![0];
    expect(undecided.classOf.get(placeholder)).toBe('unknown');
    expect(d.lines).toContain('  classDef unknown fill:#f6f8fa,stroke:#59636e,stroke-dasharray:4 3,color:#1f2328');
  });

  it('a repository with no pair shows no diagram', () => {
    const root = writeTree({
      'package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^6.0.0' } }),
      '.env.production': 'VITE_SUPABASE_URL=https://abcdefghijklmnopqrst.supabase.co\n',
    });
    const result = runCheck({ root });
    expect(result.model.surfaces.length).toBeGreaterThan(0);
    expect(markdownOf(result)).not.toContain('```mermaid');
  });

  it('the text and JSON reports carry no diagram', () => {
    const result = runCheck({ root: INCIDENT });
    expect(formatText(result, { colour: false, failOn: 'error' })).not.toMatch(/mermaid|flowchart/);
    const json = formatJson(result, { root: '.' });
    expect(json).not.toMatch(/mermaid|flowchart/);
    // The surfaces keep their documented fields: the diagram's short name is not one of them.
    expect(Object.keys(JSON.parse(json).surfaces[0]).sort()).toEqual(['environment', 'evidence', 'kind', 'label', 'path', 'project', 'ref', 'supplied']);
  });

  it('past the size limit, draws the failing pairs only and says how many were left out', () => {
    const modes = Array.from({ length: DIAGRAM_PAIR_LIMIT + 2 }, (_, i) => `env${String(i).padStart(2, '0')}`);
    const ref = (i: number) => 'abcdefghijklmnopqrstuvwxyz'[i]!.repeat(20);
    const files: Record<string, string> = {
      'web/package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^6.0.0' } }),
      'web/src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const s = createClient(import.meta.env.VITE_SUPABASE_URL, 'k');\n",
      'api/wrangler.toml': `name = "api"\nmain = "src/index.ts"\n${modes.map((m, i) => `[env.${m}]\nname = "api-${m}"\nvars = { SUPABASE_URL = "https://${ref(i === 3 ? 25 : i)}.supabase.co" }\n`).join('')}`,
      'api/src/index.ts': "import { createClient } from '@supabase/supabase-js';\nexport default { fetch(_r: Request, env: { SUPABASE_URL: string }) { createClient(env.SUPABASE_URL, 'k'); return new Response(''); } };\n",
    };
    for (const [i, m] of modes.entries()) files[`web/.env.${m}`] = `VITE_SUPABASE_URL=https://${ref(i)}.supabase.co\n`;
    const result = runCheck({ root: writeTree(files) });
    const compared = result.model.pairs.filter((p) => modes.includes(p.environment));
    expect(compared.length).toBe(modes.length);
    const markdown = markdownOf(result);
    const d = diagramOf(markdown)!;
    expect(arrows(d, (e) => e.label !== undefined)).toEqual([`env03: web ⇒ api-env03 (assumed: supabase-ref-mismatch)`]);
    expect(markdown).toContain(`${result.model.pairs.length - 1} pairs left out of the diagram: above ${DIAGRAM_PAIR_LIMIT} pairs it draws only those on different projects`);
  });

  it('past the size limit with no failing pair, says so in a line instead of drawing', () => {
    const modes = Array.from({ length: DIAGRAM_PAIR_LIMIT + 1 }, (_, i) => `env${String(i).padStart(2, '0')}`);
    const ref = (i: number) => 'abcdefghijklmnopqrstuvwxyz'[i]!.repeat(20);
    const files: Record<string, string> = {
      'web/package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^6.0.0' } }),
      'api/wrangler.toml': `name = "api"\n${modes.map((m, i) => `[env.${m}]\nvars = { SUPABASE_URL = "https://${ref(i)}.supabase.co" }\n`).join('')}`,
    };
    for (const [i, m] of modes.entries()) files[`web/.env.${m}`] = `VITE_SUPABASE_URL=https://${ref(i)}.supabase.co\n`;
    const result = runCheck({ root: writeTree(files) });
    const markdown = markdownOf(result);
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).toContain(`No diagram: none of the ${result.model.pairs.length} pairs is on different projects, and above ${DIAGRAM_PAIR_LIMIT} pairs the diagram draws only those.`);
  });
});

describe('names cannot break or inject into the diagram', () => {
  const hostile = [
    'evil"]\nclick e0n0 href "javascript:alert(1)"\n%%{init: {"securityLevel": "loose"}}%%',
    'a --> b ==> c -.-> d ;; end',
    '```\n# heading outside the fence\n```',
    '<img src=x onerror=alert(1)><script>alert(1)</script>&amp;',
    'x:::mismatch | pipe | [bracket] {brace} (paren) `tick` #35; %% comment',
    'subgraph\nend\nflowchart TD',
    'ü日本語🚀 tab\there',
  ];

  it('a label is one quoted string of plain characters and entity codes, and reads back as the name', () => {
    for (const name of hostile) {
      const label = mermaidString(name, 1000);
      expect(label).toMatch(/^"[A-Za-z0-9 ._/@,()#;-]*"$/);
      expect(decode(label.slice(1, -1))).toBe(name.replace(/\s+/g, ' ').trim());
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (name) => {
      const label = mermaidString(name);
      return /^"[A-Za-z0-9 ._/@,()#;-]*"$/.test(label) && [...decode(label.slice(1, -1))].length <= DIAGRAM_LABEL_LIMIT;
    }), { numRuns: 300 });
  });

  it('a very long name is cut, with an ellipsis', () => {
    const label = decode(mermaidString('w'.repeat(500)).slice(1, -1));
    expect(label).toBe(`${'w'.repeat(DIAGRAM_LABEL_LIMIT - 1)}…`);
  });

  it('hostile package, Worker and environment names: every diagram line is one the diagram writes, and the names read back', () => {
    const frontendName = hostile.join(' ');
    const workerName = 'api"] ; click e0n1 call alert() %% <b>';
    const envName = 'prod"] %% <i>';
    const toml = (s: string) => JSON.stringify(s);
    const root = writeTree({
      'web/package.json': JSON.stringify({ name: frontendName, devDependencies: { vite: '^6.0.0' } }),
      [`web/.env.${envName}`]: 'VITE_SUPABASE_URL=https://aaaaaaaaaaaaaaaaaaaa.supabase.co\n',
      'web/src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const s = createClient(import.meta.env.VITE_SUPABASE_URL, 'k');\n",
      'api/wrangler.toml': `name = "api"\nmain = "src/index.ts"\n[env.${toml(envName)}]\nname = ${toml(workerName)}\nvars = { SUPABASE_URL = "https://bbbbbbbbbbbbbbbbbbbb.supabase.co" }\n`,
      'api/src/index.ts': "import { createClient } from '@supabase/supabase-js';\nexport default { fetch(_r: Request, env: { SUPABASE_URL: string }) { createClient(env.SUPABASE_URL, 'k'); return new Response(''); } };\n",
    });
    const markdown = markdownOf(runCheck({ root }));
    const d = diagramOf(markdown)!;
    const grammar = [
      /^flowchart LR$/,
      /^ {2}subgraph env\d+\["[A-Za-z0-9 ._/@,()#;-]*"\]$/,
      /^ {4}direction LR$/,
      /^ {4}e\d+n\d+(?:\["[A-Za-z0-9 ._/@,()#;-]*"\]|\("[A-Za-z0-9 ._/@,()#;-]*"\)|\[\("[A-Za-z0-9 ._/@,()#;-]*"\)\])$/,
      /^ {2}end$/,
      /^ {2}e\d+n\d+ (?:-->|-\.->|==>\|"[A-Za-z0-9 ._/@,()#;-]*"\|) e\d+n\d+$/,
      /^ {2}classDef \w+ [\w#:,. -]+$/,
      /^ {2}style env\d+ [\w#:,-]+$/,
      /^ {2}class [\w,]+ \w+$/,
      /^ {2}linkStyle [\d,]+ [\w#:,-]+$/,
    ];
    expect(d.lines.filter((line) => !grammar.some((g) => g.test(line)))).toEqual([]);
    // The fence opens and closes once: a name cannot close it early.
    expect(markdown.match(/```/g)!.length).toBe(2);
    // Nor does a name become markup in the lines around it (the failing pair in words).
    const inWords = markdown.split('\n').filter((line) => line.startsWith('- ❌'));
    expect(inWords).toHaveLength(1);
    expect(inWords[0]).not.toMatch(/<(?:b|i)>/);
    expect(arrows(d, (e) => e.red)).toEqual([
      `${envName}: ${workerName} → bbbbbbbbbbbbbbbbbbbb`,
      `${envName}: ${frontendName.replace(/\s+/g, ' ').slice(0, DIAGRAM_LABEL_LIMIT - 1)}… → aaaaaaaaaaaaaaaaaaaa`,
      `${envName}: ${frontendName.replace(/\s+/g, ' ').slice(0, DIAGRAM_LABEL_LIMIT - 1)}… ⇒ ${workerName} (assumed: supabase-ref-mismatch)`,
    ]);
  });

  it('no secret value appears in the diagram, even one a name happens to hold', () => {
    const secret = 'Zq9!xL2&vR7<mK4>pT8wQ';
    const root = writeTree({
      'web/package.json': JSON.stringify({ name: 'web', devDependencies: { vite: '^6.0.0' } }),
      'web/.env.production': 'VITE_SUPABASE_URL=https://aaaaaaaaaaaaaaaaaaaa.supabase.co\n',
      'web/src/supabase.ts': "import { createClient } from '@supabase/supabase-js';\nexport const s = createClient(import.meta.env.VITE_SUPABASE_URL, 'k');\n",
      'api/wrangler.toml': `name = "api"\nmain = "src/index.ts"\n[env.production]\nname = "api-${secret}"\nvars = { SUPABASE_URL = "https://bbbbbbbbbbbbbbbbbbbb.supabase.co" }\n`,
      'api/.dev.vars': `API_TOKEN=${secret}\n`,
      'api/src/index.ts': "import { createClient } from '@supabase/supabase-js';\nexport default { fetch(_r: Request, env: { SUPABASE_URL: string; API_TOKEN: string }) { createClient(env.SUPABASE_URL, env.API_TOKEN); return new Response(''); } };\n",
    });
    const result = runCheck({ root });
    expect(result.secretTexts).toContain(secret);
    const d = diagramOf(markdownOf(result))!;
    const names = [...d.nodes.values()].map((n) => n.name);
    expect(names.some((n) => n.includes(secret))).toBe(false);
    expect(names).toContain('api-[redacted]');
  });
});
