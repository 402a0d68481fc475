/**
 * Who talks to whom, as a Mermaid flowchart for the job summary and the PR comment (GitHub renders
 * a ```mermaid block as a diagram there). One subgraph per environment that has a pair: each
 * frontend and Worker of a compared pair, the Supabase project each talks to, and an edge from
 * the frontend to its Worker labelled by why they were paired. A pair on different projects is
 * drawn in red with its rule, so the incident reads at a glance: two arrows ending on two red
 * projects.
 *
 * Only names (package, Worker, environment) and project refs go in, never a value. Every label is
 * written as a quoted Mermaid string in which every character outside a small plain set is an
 * entity code (`#34;`), so a hostile package or Worker name can neither end the string, the
 * ```mermaid fence nor the diagram, nor add a directive, a link, a comment or HTML. Node ids are
 * generated (`e0f1`), never taken from a name.
 */
import type { CheckResult } from '../check.js';
import { redactor } from '../classify.js';
import type { Pair, Surface } from '../model.js';
import { surfaceTarget } from '../supabase/target.js';
import { compareText } from '../compare-text.js';
import { LINK_KINDS, plural, viewPair, type PairView } from './view.js';

/** Past this many pairs the diagram shows the failing ones only; a reader takes in a dozen arrows, not fifty. */
export const DIAGRAM_PAIR_LIMIT = 12;
/** A node's name is cut to this many characters: a 300-character Worker name would stretch the picture off the page. */
export const DIAGRAM_LABEL_LIMIT = 40;
/** Why a project is not decidable is a short sentence, wrapped on two lines. */
const REASON_LIMIT = 60;
/** The rule a pair on different projects breaks (its verdict is that rule's comparison). */
const MISMATCH_RULE = 'supabase-ref-mismatch';

const RED = 'stroke:#cf222e,stroke-width:3px';

/**
 * A Mermaid string: quoted, with every character but letters, digits, space and `._/@,()-` as
 * an entity code (Mermaid's own escape, `#35;` for `#`), after a cut to `limit` characters.
 * Hand-written: Mermaid ships no escaping function, and an allow-list is the only form that
 * cannot miss a character its grammar gives meaning to (quotes, brackets, pipes, backticks,
 * `%%`, `;`, newlines, `<`, `&`).
 */
export function mermaidString(text: string, limit = DIAGRAM_LABEL_LIMIT): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  const cut = chars.length > limit ? [...chars.slice(0, limit - 1), '…'] : chars;
  return `"${cut.map((c) => (/^[A-Za-z0-9 ._/@,()-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('')}"`;
}

type SideKey = Pair['frontend'];

function sideSurfaces(surfaces: readonly Surface[], side: SideKey, kind: Surface['kind']): Surface[] {
  return surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}

/** What a surface talks to, as a node: the project ref, the local stack, or not decidable. */
function projectOf(surface: Surface): { key: string; label: string; decided: boolean } {
  const chosen = surfaceTarget(surface.evidence)?.target;
  if (chosen?.kind === 'project') return { key: `project ${chosen.ref}`, label: chosen.ref, decided: true };
  if (chosen?.kind === 'local') return { key: 'local', label: 'local Supabase stack', decided: true };
  // Not decidable: a node of its own per surface, since two unknowns are not the same project.
  // The reason names hosts only (src/supabase/target.ts), e.g. "placeholder.supabase.co is not a project host".
  const why = chosen ? chosen.reason : surface.supplied?.length ? 'project set in GitHub settings' : surface.undecided ?? 'no Supabase settings found';
  return { key: `unknown ${surface.kind} ${surface.path} ${surface.environment}`, label: `? ${why}`, decided: false };
}

/** The pairs to draw, failing first, and how many were left out for size. */
function choosePairs(pairs: PairView[]): { shown: PairView[]; leftOut: number } {
  const order = { mismatch: 0, match: 1, unknown: 2 } as const;
  const sorted = [...pairs].sort((a, b) => order[a.verdict] - order[b.verdict] || compareText(a.environment, b.environment) || compareText(a.frontend.path, b.frontend.path) || compareText(a.worker.path, b.worker.path));
  if (sorted.length <= DIAGRAM_PAIR_LIMIT) return { shown: sorted, leftOut: 0 };
  const shown = sorted.filter((p) => p.verdict === 'mismatch').slice(0, DIAGRAM_PAIR_LIMIT);
  return { shown, leftOut: sorted.length - shown.length };
}

/**
 * The diagram's markdown lines (the ```mermaid block, a legend, and a line saying how many pairs
 * were left out for size), or none when the repository has no pair.
 */
export function pairsDiagram(result: CheckResult): string[] {
  const pairs = result.model.pairs.map((p) => viewPair(result, p));
  if (pairs.length === 0) return [];
  const { shown, leftOut } = choosePairs(pairs);
  if (shown.length === 0) return [`No diagram: none of the ${pairs.length} pairs is on different projects, and above ${DIAGRAM_PAIR_LIMIT} pairs the diagram draws only those.`, ''];
  // Names come from the repository; one that happens to hold a secret's text is redacted before it is encoded (encoding would hide it from the output's redaction).
  const redact = redactor(result.secretTexts);
  const label = (text: string, limit = DIAGRAM_LABEL_LIMIT) => mermaidString(redact(text), limit);

  const environments = [...new Set(shown.map((p) => p.environment))];
  const lines = ['flowchart LR'];
  const subgraphs: string[][] = [];
  const frames: string[] = [];
  const links: string[] = [];
  const redLinks: number[] = [];
  const classes = { frontend: new Set<string>(), worker: new Set<string>(), project: new Set<string>(), red: new Set<string>(), unknown: new Set<string>() };

  environments.forEach((environment, e) => {
    const nodes = new Map<string, string>();
    const body: string[] = [];
    const node = (key: string, text: string, shape: 'box' | 'round' | 'cylinder', limit?: number): string => {
      const existing = nodes.get(key);
      if (existing) return existing;
      const id = `e${e}n${nodes.size}`;
      nodes.set(key, id);
      const shown = label(text, limit);
      body.push(shape === 'cylinder' ? `    ${id}[(${shown})]` : shape === 'round' ? `    ${id}(${shown})` : `    ${id}[${shown}]`);
      return id;
    };
    const edges = new Set<string>();
    const edge = (from: string, arrow: string, to: string, red: boolean) => {
      const line = `  ${from} ${arrow} ${to}`;
      if (edges.has(line)) return;
      edges.add(line);
      if (red) redLinks.push(links.length);
      links.push(line);
    };
    for (const pair of shown.filter((p) => p.environment === environment)) {
      const red = pair.verdict === 'mismatch';
      const frontends = sideSurfaces(result.model.surfaces, pair.frontend, pair.caller ?? 'frontend');
      const workers = sideSurfaces(result.model.surfaces, pair.worker, 'worker');
      const surfaceNode = (s: Surface) => {
        const id = node(`${s.kind} ${s.path} ${s.environment} ${s.label}`, s.name, s.kind === 'frontend' ? 'box' : 'round');
        classes[s.kind].add(id);
        const project = projectOf(s);
        const projectId = node(project.key, project.label, 'cylinder', project.decided ? DIAGRAM_LABEL_LIMIT : REASON_LIMIT);
        (red ? classes.red : project.decided ? classes.project : classes.unknown).add(projectId);
        edge(id, project.decided ? '-->' : '-.->', projectId, red);
        return id;
      };
      const why = red ? `${LINK_KINDS[pair.link.kind]}: ${MISMATCH_RULE}` : LINK_KINDS[pair.link.kind];
      for (const f of frontends.map(surfaceNode)) for (const w of workers.map(surfaceNode)) edge(f, `==>|${label(why)}|`, w, red);
    }
    subgraphs.push([`  subgraph env${e}[${label(environment)}]`, '    direction LR', ...body, '  end']);
    // A plain frame, red around an environment whose pair disagrees.
    const failing = shown.some((p) => p.environment === environment && p.verdict === 'mismatch');
    frames.push(`  style env${e} fill:#ffffff,${failing ? 'stroke:#cf222e,stroke-width:2px' : 'stroke:#d0d7de'}`);
  });
  // Mermaid's layout stacks unconnected subgraphs with the last written on top: written in
  // reverse, the failing environment (env0) is drawn first, at the top.
  lines.push(...subgraphs.reverse().flat());
  lines.push(...links);
  // A project that any disagreeing pair reaches is red even if a matching pair reaches it too: it is part of the disagreement.
  for (const id of classes.red) {
    classes.project.delete(id);
    classes.unknown.delete(id);
  }
  lines.push(
    '  classDef frontend fill:#ddf4ff,stroke:#0969da,color:#1f2328',
    '  classDef worker fill:#fff8c5,stroke:#9a6700,color:#1f2328',
    '  classDef project fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
    '  classDef unknown fill:#f6f8fa,stroke:#59636e,stroke-dasharray:4 3,color:#1f2328',
    `  classDef mismatch fill:#ffebe9,${RED},color:#82071e`,
  );
  lines.push(...frames);
  for (const [name, ids] of [['frontend', classes.frontend], ['worker', classes.worker], ['project', classes.project], ['unknown', classes.unknown], ['mismatch', classes.red]] as const) {
    if (ids.size > 0) lines.push(`  class ${[...ids].join(',')} ${name}`);
  }
  if (redLinks.length > 0) lines.push(`  linkStyle ${redLinks.join(',')} ${RED}`);

  const legend = 'Frontend ⇒ Worker: why they were paired · each → its Supabase project · red: different projects · dashed: project not decidable.';
  const note = leftOut > 0 ? [`${plural(leftOut, 'pair')} left out of the diagram: above ${DIAGRAM_PAIR_LIMIT} pairs it draws only those on different projects (at most ${DIAGRAM_PAIR_LIMIT}). The table below lists every surface.`, ''] : [];
  return ['```mermaid', ...lines, '```', '', legend, '', ...note];
}
