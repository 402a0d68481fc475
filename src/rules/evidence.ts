import type { DeploymentModel, Surface, SupabaseEvidence } from '../model.js';

/**
 * Each piece of Supabase evidence once, with the first surface it appears in: a value in `.env` is
 * layered into several build modes, and one line deserves one finding.
 */
export function uniqueEvidence(model: DeploymentModel, keep: (e: SupabaseEvidence, s: Surface) => boolean): { evidence: SupabaseEvidence; surface: Surface }[] {
  const seen = new Set<string>();
  const result: { evidence: SupabaseEvidence; surface: Surface }[] = [];
  for (const surface of model.surfaces) {
    for (const evidence of surface.evidence) {
      if (!keep(evidence, surface)) continue;
      const key = `${evidence.at.file}:${evidence.at.line}:${evidence.variable}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ evidence, surface });
    }
  }
  return result;
}
