import type { DeploymentModel, Pair, Surface, SupabaseEvidence } from '../model.js';
import { describeTarget, sameTarget, surfaceTarget } from '../supabase/target.js';
import type { Rule, RuleFinding } from './rule.js';

function matching(model: DeploymentModel, side: Pair['frontend'], kind: Surface['kind']): Surface[] {
  return model.surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}

/** "VITE_SUPABASE_URL (.env.production:1)" or "SUPABASE_URL (handed in at deploy time, declared at …)". */
export function describeEvidence(e: SupabaseEvidence): string {
  const where = `${e.at.file}:${e.at.line}`;
  return e.source === 'deploy-env' ? `${e.variable} (handed in at deploy time; declared at ${where})` : `${e.variable} (${where})`;
}

/**
 * The incident's fault: a frontend and the Worker it calls talk to different Supabase projects, so
 * the Worker rejects every user token the frontend obtained (401 on every API call).
 */
export const supabaseRefMismatch: Rule = {
  id: 'supabase-ref-mismatch',
  defaultSeverity: 'error',
  description: 'A frontend and the Worker it is paired with talk to different Supabase projects (or one to the local stack).',
  check(model) {
    const findings: RuleFinding[] = [];
    for (const pair of model.pairs) {
      for (const worker of matching(model, pair.worker, 'worker')) {
        const workerTarget = surfaceTarget(worker.evidence);
        if (!workerTarget) continue;
        for (const frontend of matching(model, pair.frontend, 'frontend')) {
          const frontendTarget = surfaceTarget(frontend.evidence);
          if (!frontendTarget || sameTarget(workerTarget.target, frontendTarget.target) !== false) continue;
          const w = workerTarget.evidence;
          const f = frontendTarget.evidence;
          findings.push({
            message:
              `In environment "${pair.environment}", ${worker.label} talks to ${describeTarget(workerTarget.target)} through ${describeEvidence(w)}, ` +
              `but ${frontend.label} talks to ${describeTarget(frontendTarget.target)} through ${describeEvidence(f)}. ` +
              'Tokens issued by one project are rejected by the other, so every authenticated call from this frontend to this Worker fails with 401.',
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
