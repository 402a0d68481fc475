import type { LiveRule, RuleFinding } from './rule.js';

/**
 * Live, with Cloudflare credentials (src/live/cloudflare.ts reads the deployed script's
 * bindings): the deployed Worker and its config name different bindings and vars, so the next
 * deploy changes more than the change under review says.
 */
export const bindingDrift: LiveRule = {
  id: 'binding-drift',
  defaultSeverity: 'warning',
  tag: 'correctness',
  description: "Live: the deployed script's bindings differ from the config.",
  checkLive(_model, facts) {
    const findings: RuleFinding[] = [];
    const { environment } = facts;
    for (const { env, secrets, settings } of facts.cloudflare ?? []) {
      const at = { environment, file: env.at.file, line: env.at.line, column: env.at.column };
      if (!settings.ok) {
        // When the secrets could not be listed either, that note already says what the token cannot read.
        if (secrets.ok) findings.push({ ...at, severity: 'note', message: `The deployed bindings of ${env.scriptName} could not be read (${settings.reason}); drift was not checked.` });
        continue;
      }
      const deployedNames = new Set(settings.bindings);
      const configured = new Set([...env.bindings.map((b) => b.name), ...Object.keys(env.vars)]);
      const onlyDeployed = [...deployedNames].filter((n) => !configured.has(n)).sort();
      const onlyConfigured = [...configured].filter((n) => !deployedNames.has(n)).sort();
      if (onlyDeployed.length + onlyConfigured.length === 0) continue;
      const parts = [onlyConfigured.length ? `not deployed yet: ${onlyConfigured.join(', ')}` : '', onlyDeployed.length ? `deployed but no longer in the config: ${onlyDeployed.join(', ')}` : ''];
      findings.push({ ...at, message: `The deployed ${env.scriptName} differs from ${env.config}: ${parts.filter(Boolean).join('; ')}.` });
    }
    return findings;
  },
};
