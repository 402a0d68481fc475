/**
 * Facts every formatter shows, computed once: what each surface talks to and the verdict of each
 * pair. Only names, files, lines and project refs (public) leave this module, never values.
 */
import type { CheckResult } from '../check.js';
import type { Pair, Surface, WorkerConfig } from '../model.js';
import { describeGitHubValue } from '../supabase/supplied.js';
import { describeTarget, sameTarget, surfaceTarget } from '../supabase/target.js';

export type SurfaceView = {
  kind: Surface['kind'];
  path: string;
  environment: string;
  label: string;
  /** "project abc…", "local Supabase stack", "unknown (…)" or "no Supabase settings found". */
  project: string;
  ref?: string;
  evidence: {
    variable: string; role: string; target: string; file: string; line: number; deployTime: boolean;
    /** `client` (handed to createClient), `setting` (a value no client is shown to read) or `link` (the linked project). */
    strength: 'client' | 'setting' | 'link';
    /** Where the code hands this variable to createClient. */
    usedAt?: { file: string; line: number };
    /** A value expanded from `${VAR}` references: as written (`[redacted]` when secret), the variables read into it, those set nowhere. */
    expansion?: { written: string; reads: { variable: string; file: string; line: number; deployTime: boolean }[]; missing: string[] };
  }[];
  /** Variables a deploy workflow takes from GitHub's secrets or variables: `from` in words, where the workflow names it. */
  supplied: { variable: string; from: string; file: string; line: number }[];
};

export type PairView = Pair & {
  /** The frontend as a reader names it: its folder, or at the root its package name (never "."). */
  frontendName: string;
  frontendLabels: string[];
  workerLabels: string[];
  verdict: 'match' | 'mismatch' | 'unknown';
};

export function viewSurface(surface: Surface): SurfaceView {
  const chosen = surfaceTarget(surface.evidence);
  return {
    kind: surface.kind,
    path: surface.path,
    environment: surface.environment,
    label: surface.label,
    project: chosen ? describeTarget(chosen.target) : surface.supplied?.length ? 'set in GitHub settings, not in the repository' : surface.undecided ? `not decidable (${surface.undecided})` : 'no Supabase settings found',
    ref: chosen && chosen.target.kind === 'project' ? chosen.target.ref : undefined,
    evidence: surface.evidence.map((e) => ({
      variable: e.variable,
      role: e.role,
      target: describeTarget(e.target),
      file: e.at.file,
      line: e.at.line,
      deployTime: e.source === 'deploy-env',
      strength: e.strength ?? 'setting',
      ...(e.usedAt && e.source !== 'code' ? { usedAt: { file: e.usedAt.file, line: e.usedAt.line } } : {}),
      ...(e.expansion
        ? {
            expansion: {
              written: e.expansion.written.display(EXPANSION_SHOWN),
              reads: e.expansion.reads.map((r) => ({ variable: r.name, file: r.at.file, line: r.at.line, deployTime: r.source === 'deploy-env' })),
              missing: e.expansion.missing,
            },
          }
        : {}),
    })),
    supplied: (surface.supplied ?? []).map((v) => ({ variable: v.variable, from: describeGitHubValue(v.from), file: v.at.file, line: v.at.line })),
  };
}

function surfacesOf(result: CheckResult, side: Pair['frontend'], kind: Surface['kind']): Surface[] {
  return result.model.surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}

/** The calling side as a reader names it: "web (mode production)", "worker app (production)". */
export function callerText(p: PairView): string {
  return p.caller === 'worker' ? `${p.frontendName} (${p.frontend.environment})` : `${p.frontendName} (mode ${p.frontend.environment})`;
}

export function viewPair(result: CheckResult, pair: Pair): PairView {
  const frontends = surfacesOf(result, pair.frontend, pair.caller ?? 'frontend');
  const workers = surfacesOf(result, pair.worker, 'worker');
  let verdict: PairView['verdict'] = 'match';
  let decided = false;
  for (const f of frontends) {
    for (const w of workers) {
      const a = surfaceTarget(f.evidence);
      const b = surfaceTarget(w.evidence);
      const same = a && b ? sameTarget(a.target, b.target) : undefined;
      if (same === false) verdict = 'mismatch';
      if (same !== undefined) decided = true;
    }
  }
  if (!decided && verdict === 'match') verdict = 'unknown';
  const frontendName = pair.caller === 'worker' ? `worker ${frontends[0]?.name ?? pair.frontend.path}` : pair.frontend.path !== '.' ? pair.frontend.path : frontends[0]?.name ?? 'the repository root';
  return { ...pair, frontendName, frontendLabels: frontends.map((s) => s.label), workerLabels: workers.map((s) => s.label), verdict };
}

/** How much of a public value as written the evidence shows: enough for a URL with its `${VAR}`s. */
const EXPANSION_SHOWN = 120;

/**
 * " = https://${REF}.supabase.co, REF (.env:2)": how an expanded value was built, for the line
 * after the variable's name; empty when it was not expanded. Names and places, and the value as
 * written only when it is public.
 */
export function describeExpansion(e: SurfaceView['evidence'][number]): string {
  if (!e.expansion) return '';
  const reads = e.expansion.reads.map((r) => `${r.variable} (${r.deployTime ? 'handed in at deploy time' : `${r.file}:${r.line}`})`);
  const missing = e.expansion.missing.map((name) => `${name} set nowhere`);
  return ` = ${[e.expansion.written, ...reads, ...missing].join(', ')}`;
}

/** How strong a piece of evidence is, in words: "used by createClient at src/x.ts:4", "linked project". */
export function describeStrength(e: SurfaceView['evidence'][number]): string {
  if (e.strength === 'link') return 'linked project, weak';
  if (e.strength === 'client') return e.usedAt ? `handed to createClient at ${e.usedAt.file}:${e.usedAt.line}` : 'written in the createClient call';
  return 'setting';
}

export const LINK_KINDS: Record<Pair['link']['kind'], string> = {
  'api-url': 'API URL',
  'pages-functions': 'Pages Functions',
  'service-binding': 'service binding',
  'same-package': 'same folder',
  assumed: 'assumed',
  config: 'config file',
};

/** "API URL", "same folder, same name": how the frontend was tied to the Worker, then how their environments were matched. */
export function pairedBy(pair: Pair): string {
  return pair.reason === 'api-url' || pair.reason === 'config' ? LINK_KINDS[pair.link.kind] : `${LINK_KINDS[pair.link.kind]}, ${PAIR_REASONS[pair.reason]}`;
}

export const PAIR_REASONS: Record<Pair['reason'], string> = {
  'same-name': 'same name',
  'local-dev': 'local development',
  'top-level-as-production': 'top level deploys production',
  config: 'config file',
  'api-url': 'API URL',
};

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(result: CheckResult): string {
  const { errors, warnings, notes } = result.summary;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}`;
}

/**
 * The secret names documented for a Worker (README, scripts, config comments, `wrangler types`)
 * that its code reads, with where each is documented. Only names the code reads are shown: a
 * comment or table may hold a word in a name's shape that is no name at all (an access key ID).
 * `declaredInConfig`: the config or a `.dev.vars*` file declares it too.
 */
export function documentedReads(result: CheckResult, worker: WorkerConfig): { name: string; file: string; line: number; via: string; declaredInConfig: boolean }[] {
  const reads = new Set<string>();
  const declared = new Set<string>();
  for (const e of worker.environments) {
    for (const r of (e.main && !e.dev ? result.model.usage[e.main]?.reads : undefined) ?? []) reads.add(r.name);
    for (const n of [...e.bindings.map((b) => b.name), ...Object.keys(e.vars), ...e.secrets.map((s) => s.name)]) declared.add(n);
  }
  return (worker.documented ?? []).filter((d) => reads.has(d.name)).map((d) => ({ name: d.name, file: d.at.file, line: d.at.line, via: d.via, declaredInConfig: declared.has(d.name) }));
}
