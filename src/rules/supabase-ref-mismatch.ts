import type { DeploymentModel, Pair, Surface, SupabaseEvidence } from '../model.js';
import { describeTarget, sameTarget, surfaceTarget } from '../supabase/target.js';
import type { RuleFinding, StaticRule } from './rule.js';

function matching(model: DeploymentModel, side: Pair['frontend'], kind: Surface['kind']): Surface[] {
  return model.surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}

/**
 * "VITE_SUPABASE_URL (.env.production:1, handed to createClient at src/lib/supabase.ts:4)",
 * "SUPABASE_URL (handed in at deploy time; declared at …)", "project_id (supabase/config.toml:1, linked project only)".
 */
export function describeEvidence(e: SupabaseEvidence): string {
  const where = `${e.at.file}:${e.at.line}`;
  const used = e.usedAt && e.source !== 'code' ? `, handed to createClient at ${e.usedAt.file}:${e.usedAt.line}` : '';
  if (e.source === 'deploy-env') return `${e.variable} (handed in at deploy time; declared at ${where}${used})`;
  if (e.strength === 'link') return `${e.variable} (${where}, the linked project: weak evidence)`;
  return `${e.variable} (${where}${used})`;
}

/** Several frontends and several Workers: a pair made from names alone may well be wrong. */
function pairingIsAGuess(model: DeploymentModel, pair: Pair): boolean {
  if (pair.link.kind !== 'assumed') return false;
  const frontends = new Set(model.surfaces.filter((s) => s.kind === 'frontend').map((s) => s.path));
  return frontends.size > 1 && model.workers.length > 1;
}

/**
 * The incident's fault: a frontend and the Worker it calls talk to different Supabase projects, so
 * the Worker rejects every user token the frontend obtained (401 on every API call).
 */
export const supabaseRefMismatch: StaticRule = {
  id: 'supabase-ref-mismatch',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: 'A frontend and the Worker it is paired with talk to different Supabase projects (or one to the local stack).',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const pair of model.pairs) {
      for (const worker of matching(model, pair.worker, 'worker')) {
        const workerTarget = surfaceTarget(worker.evidence);
        if (!workerTarget) continue;
        for (const frontend of matching(model, pair.frontend, pair.caller ?? 'frontend')) {
          const frontendTarget = surfaceTarget(frontend.evidence);
          if (!frontendTarget || sameTarget(workerTarget.target, frontendTarget.target) !== false) continue;
          const w = workerTarget.evidence;
          const f = frontendTarget.evidence;
          const guessed = pairingIsAGuess(model, pair);
          const weak = w.strength === 'link' || f.strength === 'link';
          const caveat = guessed
            ? ` This pair is assumed: ${pair.link.detail}. If this frontend does not call this Worker, state the real pairs in deploy-guard.config.json ("pairs").`
            : weak ? ' One side is known only from the linked project, which may be stale: set the URL where the code reads it to decide.' : ` Paired because ${pair.link.detail}.`;
          findings.push({
            ...(guessed || weak ? { severity: 'warning' as const } : {}),
            message:
              `In environment "${pair.environment}", ${worker.label} talks to ${describeTarget(workerTarget.target)} through ${describeEvidence(w)}, ` +
              `but ${frontend.label} talks to ${describeTarget(frontendTarget.target)} through ${describeEvidence(f)}. ` +
              `Tokens issued by one project are rejected by the other, so every authenticated call from this ${pair.caller === 'worker' ? 'calling Worker' : 'frontend'} to this Worker fails with 401.` + caveat,
            file: w.at.file,
            line: w.at.line,
            column: w.at.column,
            environment: pair.environment,
            subject: w.variable,
            related: [{ ...f.at, message: `${f.variable}: ${describeTarget(frontendTarget.target)}` }],
          });
        }
      }
    }
    return findings;
  },
};
