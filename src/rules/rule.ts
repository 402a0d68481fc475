import type { DeploymentModel, Finding, RuleId, Severity } from '../model.js';

/** Everything a rule may look at besides the model. */
export type RuleContext = {
  /** Where the checked deploy happens, when `--env` / the `environment` input names one. */
  deployEnvironment?: string;
  /** "Now", injected so expiry checks are reproducible. */
  now: Date;
  /** Extra browser-exposed prefixes from the config file. */
  browserPrefixes?: readonly string[];
};

/** A finding before the rule's configured severity is applied. */
export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

/** One rule, one file: id, default severity, description and docs page (DESIGN §1, §8). */
export type Rule = {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line, shown in --help, SARIF and the docs index. */
  description: string;
  check(model: DeploymentModel, context: RuleContext): RuleFinding[];
};

export const DOCS_BASE = 'https://github.com/deploy-guard/deploy-guard/blob/main/docs/rules';

export function docsUrl(id: RuleId): string {
  return `${DOCS_BASE}/${id}.md`;
}
