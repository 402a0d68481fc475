import type { DeploymentModel, Location } from '../model.js';
import type { SignatureVerdict, SmokeRun } from '../live/facts.js';
import { describeTarget, surfaceTarget } from '../supabase/target.js';
import type { LiveRule, RuleFinding } from './rule.js';

/**
 * Live smoke test (src/live/verify.ts signs a test user in and calls the Worker): a Worker that
 * answers 401/403 to a freshly signed-in user of the frontend's project rejects that frontend's
 * users, the incident this tool exists for. The finding explains who issued the token against
 * the project the Worker is configured with.
 */
export const smokeUnauthorized: LiveRule = {
  id: 'smoke-unauthorized',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: "Live smoke test: the Worker answers 401/403 to a freshly signed-in user of the frontend's project.",
  checkLive(_model: DeploymentModel, facts) {
    const smoke = facts.smoke;
    if (!smoke) return [];
    const at = (l: Location, subject?: string) => ({ environment: facts.environment, file: l.file, line: l.line, column: l.column, ...(subject ? { subject } : {}) });
    if (smoke.kind === 'no-frontend') {
      return [{ ...at(smoke.at), severity: 'note', message: `The smoke test for "${facts.environment}" was skipped: no frontend of this environment has a Supabase URL and an anon or publishable key to sign in with.` }];
    }
    if (smoke.kind === 'sign-in-failed') {
      return [{ ...at(smoke.url.at), severity: 'note', message: `The smoke test could not sign the test user in against ${smoke.url.variable} (${smoke.reason}); the Worker was not called.` }];
    }
    const findings: RuleFinding[] = [];
    for (const { path, answer } of smoke.calls) {
      if (answer.ok) continue;
      if (answer.status === undefined) {
        findings.push({ ...at(smoke.anchor, path), severity: 'note', message: `GET ${path} on the Worker could not be called (${answer.reason}).` });
        continue;
      }
      if (answer.status !== 401 && answer.status !== 403) continue;
      findings.push({
        ...at(smoke.anchor, path),
        message: `GET ${path} on the Worker answered ${answer.status} to a freshly signed-in test user of ${smoke.url.variable}'s project: the Worker rejects this frontend's users.${issuerSentence(smoke)}${signatureSentence(smoke.signature)}`,
      });
    }
    return findings;
  },
};

function issuerSentence(smoke: Extract<SmokeRun, { kind: 'called' }>): string {
  if (!smoke.issuer) return '';
  const configured = smoke.worker ? surfaceTarget(smoke.worker.evidence) : undefined;
  if (!configured) return ` The token was issued by ${smoke.issuer}; which project the Worker is configured with is not in the repository (hand it in with --env).`;
  return ` The token was issued by ${smoke.issuer}; ${smoke.worker!.label} is configured with ${describeTarget(configured.target)} through ${configured.evidence.variable} (${configured.evidence.at.file}:${configured.evidence.at.line}).`;
}

function signatureSentence(signature: SignatureVerdict | undefined): string {
  switch (signature?.verdict) {
    case undefined:
      return '';
    case 'verifies':
      return ' Its signature does verify with the signing keys of the Worker\'s project, so the rejection has another cause (expired session, RLS, or the Worker\'s own checks).';
    case 'foreign':
      return ` None of the ${signature.keys} signing keys published by the Worker's project (/auth/v1/.well-known/jwks.json) verifies the token (${signature.alg}): it was signed by another project.`;
    case 'unreadable':
      return ` Whether the Worker's project signed it could not be told: ${signature.reason}.`;
  }
}
