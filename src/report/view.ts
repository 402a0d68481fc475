/**
 * Facts every formatter shows, computed once: what each surface talks to and the verdict of each
 * pair. Only names, files, lines and project refs (public) leave this module, never values.
 */
import type { CheckResult } from '../check.js';
import type { Pair, Surface } from '../model.js';
import { describeTarget, sameTarget, surfaceTarget } from '../supabase/target.js';

export type SurfaceView = {
  kind: Surface['kind'];
  path: string;
  environment: string;
  label: string;
  /** "project abc…", "local Supabase stack", "unknown (…)" or "no Supabase settings found". */
  project: string;
  ref?: string;
  evidence: { variable: string; role: string; target: string; file: string; line: number; deployTime: boolean }[];
};

export type PairView = Pair & {
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
    project: chosen ? describeTarget(chosen.target) : 'no Supabase settings found',
    ref: chosen && chosen.target.kind === 'project' ? chosen.target.ref : undefined,
    evidence: surface.evidence.map((e) => ({
      variable: e.variable,
      role: e.role,
      target: describeTarget(e.target),
      file: e.at.file,
      line: e.at.line,
      deployTime: e.source === 'deploy-env',
    })),
  };
}

function surfacesOf(result: CheckResult, side: Pair['frontend'], kind: Surface['kind']): Surface[] {
  return result.model.surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}

export function viewPair(result: CheckResult, pair: Pair): PairView {
  const frontends = surfacesOf(result, pair.frontend, 'frontend');
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
  return { ...pair, frontendLabels: frontends.map((s) => s.label), workerLabels: workers.map((s) => s.label), verdict };
}

export const PAIR_REASONS: Record<Pair['reason'], string> = {
  'same-name': 'same name',
  'local-dev': 'local development',
  'top-level-as-production': 'top level deploys production',
  config: 'config file',
};

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(result: CheckResult): string {
  const { errors, warnings, notes } = result.summary;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}`;
}
