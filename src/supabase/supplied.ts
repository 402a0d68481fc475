/**
 * Which of a surface's Supabase variables a deploy workflow takes from GitHub's settings
 * (`${{ vars.SUPABASE_URL }}`, `${{ secrets.SUPABASE_SERVICE_ROLE_KEY }}`), and from which GitHub
 * environment (many repositories keep a deploy's Supabase URL there, per GitHub environment).
 * The value is never in the repository, so it decides no project; the
 * report says where it comes from, which is what a person checks in the repository's settings when
 * two surfaces disagree or a surface shows no project at all. Pure.
 */
import path from 'node:path/posix';
import type { DeployFacts, Location, SuppliedValue, SupabaseClientUse } from '../model.js';
import type { StepValue } from '../wrangler/deploy-commands.js';
import { mentionsSupabase } from './names.js';
import { compareText } from '../compare-text.js';

/** A name worth reporting: it says Supabase, or code hands it to a Supabase client. */
function concernsSupabase(name: string, clients: readonly SupabaseClientUse[]): boolean {
  return mentionsSupabase(name) || clients.some((c) => [...c.url, ...c.key].some((a) => a.kind === 'env' && a.name === name));
}

function isWithin(dir: string, ancestor: string): boolean {
  return ancestor === '.' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

/** Whether a workflow step builds the frontend in `dir`: it runs in that folder, or in a folder holding no other frontend. */
export function buildsFrontend(step: Pick<StepValue, 'cwd'>, dir: string, allDirs: readonly string[]): boolean {
  const cwd = path.normalize(step.cwd);
  return cwd === dir || (isWithin(dir, cwd) && allDirs.filter((d) => isWithin(d, cwd)).length === 1);
}

/** Build modes a workflow builds a frontend in (`vite build --mode staging`), which need no env file of their own. */
export function workflowModes(values: readonly StepValue[], dir: string, allDirs: readonly string[]): string[] {
  return values.flatMap((v) => (v.mode !== undefined && buildsFrontend(v, dir, allDirs) ? [v.mode] : []));
}

/**
 * The values a workflow step hands to a frontend's build in one mode. A step builds the frontend in
 * its own folder, or the only frontend under the step's folder (`npm run build` at the root of a
 * repository with one frontend). A build without `--mode` is a production build (`vite build`,
 * `next build`). Only names the frontend declares (its env files) or reads (its clients) count.
 */
export function frontendSupplied(
  values: readonly StepValue[],
  frontend: { dir: string; mode: string; allDirs: readonly string[]; declared: ReadonlyMap<string, Location>; clients: readonly SupabaseClientUse[] },
): SuppliedValue[] {
  const out: SuppliedValue[] = [];
  for (const v of values) {
    if ((v.mode ?? 'production') !== frontend.mode) continue;
    if (!frontend.declared.has(v.name) || !concernsSupabase(v.name, frontend.clients)) continue;
    if (buildsFrontend(v, frontend.dir, frontend.allDirs)) out.push({ variable: v.name, from: v.from, at: v.at, via: v.via });
  }
  return unique(out);
}

/** The secrets a Worker environment's deploy commands put from GitHub's settings, for names it does not hold a value of. */
export function workerSupplied(deploy: DeployFacts | undefined, env: string | null, held: ReadonlySet<string>, clients: readonly SupabaseClientUse[]): SuppliedValue[] {
  const out: SuppliedValue[] = [];
  for (const s of deploy?.secrets ?? []) {
    if (s.env !== env || !s.from || held.has(s.name) || !concernsSupabase(s.name, clients)) continue;
    out.push({ variable: s.name, from: s.from, at: s.at, via: s.via });
  }
  return unique(out);
}

/** One entry per (variable, source), sorted by variable then place, so reports are stable. */
function unique(values: SuppliedValue[]): SuppliedValue[] {
  const seen = new Set<string>();
  return values
    .sort((a, b) => compareText(a.variable, b.variable) || compareText(a.at.file, b.at.file) || a.at.line - b.at.line || compareText(describeGitHubValue(a.from), describeGitHubValue(b.from)))
    .filter((v) => {
      const key = `${v.variable}\0${describeGitHubValue(v.from)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** `secrets.SUPABASE_URL of GitHub environment "production"`, or `vars.SUPABASE_URL (repository or organization)`. */
export function describeGitHubValue(from: SuppliedValue['from']): string {
  const ref = `${from.store}.${from.key}`;
  return from.environment !== undefined ? `${ref} of GitHub environment "${from.environment}"` : `${ref} (repository or organization)`;
}
