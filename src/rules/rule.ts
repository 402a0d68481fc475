import type { DeploymentModel, Finding, RuleId, Severity } from '../model.js';
import type { LiveFacts } from '../live/facts.js';
import type { UnusedDirective } from '../suppress.js';

/** Everything a rule may look at besides the model. */
export type RuleContext = {
  /** Where the checked deploy happens, when `--env` / the `environment` input names one. */
  deployEnvironment?: string;
  /** "Now", injected so expiry checks are reproducible. */
  now: Date;
  /** Extra browser-exposed prefixes from the config file. */
  browserPrefixes?: readonly string[];
};

/**
 * A finding as a rule returns it. `severity` is set only where the rule itself lowers one finding
 * below the rule's level (a "could not check" note); everything else takes the configured level
 * (src/rule-findings.ts, the one place severities are applied). `levelYieldsToConfig`: the rule's
 * own level is only a default, and a setting of the rule in the config file replaces it (raises
 * it too), for findings that are quiet unless a team asks for them.
 */
export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity; levelYieldsToConfig?: true };

/** What every rule has, whichever stage feeds it: id, level, one line, and what it is about. */
export type RuleMeta = {
  id: RuleId;
  defaultSeverity: Severity;
  /** One line, shown in --help, SARIF and the docs index. */
  description: string;
  /** `security` rules are tagged so in SARIF (code scanning's security view); the rest are `correctness`. */
  tag: 'security' | 'correctness';
};

/** A rule of the static check: a pure function of the model, one file per rule, as ESLint's rules are. */
export type StaticRule = RuleMeta & { check(model: DeploymentModel, context: RuleContext): RuleFinding[] };

/** A rule of `deploy-guard verify`: the live stage gathers facts over HTTP, the rule decides what they mean. */
export type LiveRule = RuleMeta & { checkLive(model: DeploymentModel, facts: LiveFacts): RuleFinding[] };

/** A rule of the suppress stage: judges the inline directives that suppressed nothing. */
export type SuppressionRule = RuleMeta & { checkSuppressions(unused: readonly UnusedDirective[], knownRules: readonly RuleId[]): RuleFinding[] };

/** One rule, one file: `src/rules/<id>.ts`, with `docs/rules/<id>.md` and `__tests__/rules/<id>.test.ts`. */
export type Rule = StaticRule | LiveRule | SuppressionRule;

export function isStaticRule(rule: Rule): rule is StaticRule {
  return 'check' in rule;
}

export function isLiveRule(rule: Rule): rule is LiveRule {
  return 'checkLive' in rule;
}

export const DOCS_BASE = 'https://github.com/deploy-guard/deploy-guard/blob/main/docs/rules';

export function docsUrl(id: RuleId): string {
  return `${DOCS_BASE}/${id}.md`;
}
