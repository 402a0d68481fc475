import { requiredReads, judgedEnvironments, withoutIt, type JudgedEnvironment } from './bindings-shared.js';
import type { RuleContext, RuleFinding, StaticRule } from './rule.js';
import type { DeclaredSecret, DeploymentModel, Location, WorkerConfig } from '../model.js';
import { isDeployedBy } from '../environment-names.js';
import { compareText } from '../compare-text.js';

/** Names the Workers runtime or common tooling provides that are not bindings. */
const NOT_BINDINGS = new Set(['NODE_ENV']);

/** How many names the one finding of a Worker that declares none lists before "…". */
const NAMES_SHOWN = 6;

type Missing = { name: string; readAt: Location & { alternatives?: string[] } };

/**
 * Code reads env.X that nothing declares for this environment: no binding, var, `secrets.required`
 * entry, .dev.vars name, deploy-time value, name a deploy command puts (`wrangler secret put`,
 * wrangler-action `secrets:`) or name the repository documents (README, scripts, config comments,
 * `wrangler types`, a template above the Worker; wrangler/documented-secrets.ts).
 *
 * Where the Worker keeps a list of its secrets in any of those places, a name missing from it is
 * the drift that breaks a fresh environment: a warning per name. Where it keeps none, one note per
 * Worker and set of names says so: naming each would bury everything else. At the deploy gate
 * (`--env` with the values handed in) a name with no value and no declaration is a warning per name.
 */
export const missingSecret: StaticRule = {
  id: 'missing-secret',
  defaultSeverity: 'warning',
  tag: 'correctness',
  description: 'Code reads an env name that is neither a var, a binding nor a declared secret of the environment.',
  check(model, context) {
    const findings: RuleFinding[] = [];
    for (const judged of judgedEnvironments(model, { includeTemplateTopLevel: false })) {
      const missing = missingNames(judged);
      if (missing.length === 0) continue;
      if (keepsManifest(judged.worker, model, new Set(judged.usage.reads.map((r) => r.name))) || atDeployGate(judged, context)) for (const m of missing) findings.push(perName(judged, m));
      else findings.push(nothingDeclared(judged, missing));
    }
    return findings;
  },
};

/** The names the code requires that the environment does not declare, in the order of their first reads. */
function missingNames(judged: JudgedEnvironment): Missing[] {
  const elsewhere = new Set<string>();
  for (const env of judged.worker.environments) {
    for (const b of env.bindings) elsewhere.add(b.name);
    for (const v of Object.keys(env.vars)) elsewhere.add(v);
  }
  for (const d of judged.worker.documented ?? []) elsewhere.add(d.name);
  const missing: Missing[] = [];
  for (const [name, readAt] of requiredReads(judged.usage, judged.declared)) {
    if (judged.declared.has(name) || elsewhere.has(name) || NOT_BINDINGS.has(name)) continue;
    missing.push({ name, readAt });
  }
  return missing;
}

/**
 * Whether the repository lists the Worker's secrets anywhere: `secrets.required`, templates
 * (`.dev.vars.example`), a committed `.dev.vars`, a deploy command's `wrangler secret put`, or a
 * documented name (README, scripts, comments). A `.dev.vars` git does not track is one person's
 * copy: a check on a laptop and in CI must agree.
 */
function keepsManifest(worker: WorkerConfig, model: DeploymentModel, read: ReadonlySet<string>): boolean {
  const untracked = new Set(model.gitTracking ? model.envFiles.filter((f) => f.tracked === false).map((f) => f.path) : []);
  const listed = (s: DeclaredSecret) => s.source !== 'deploy-env' && !((s.source === 'dev-vars' || s.source === 'dev-env') && s.at && untracked.has(s.at.file));
  return worker.environments.some((e) => e.secrets.some(listed)) || (worker.deploy?.secrets.length ?? 0) > 0 || documentedReads(worker, read).length > 0;
}

/**
 * The documented names this Worker's code reads: a list in a README that names none of them (the
 * app's users' variables, a list of bindings) is no list of this Worker's secrets.
 */
function documentedReads(worker: WorkerConfig, read: ReadonlySet<string>): NonNullable<WorkerConfig['documented']> {
  return (worker.documented ?? []).filter((d) => read.has(d.name));
}

function atDeployGate(judged: JudgedEnvironment, context: RuleContext): boolean {
  return context.deployEnvironment !== undefined && isDeployedBy(judged.env, judged.worker.environments, context.deployEnvironment);
}

function perName(judged: JudgedEnvironment, { name, readAt }: Missing): RuleFinding {
  // A deploy command that puts the name for another environment of this config: the usual slip is a missing `--env`.
  const putElsewhere = judged.worker.deploy?.secrets.find((s) => s.name === name && s.env !== judged.env.name);
  const manifest = manifestPlace(judged.worker, new Set(judged.usage.reads.map((r) => r.name)));
  const hint = putElsewhere
    ? `A deploy command puts it ${putElsewhere.env === null ? 'without --env (the top level)' : `with --env ${putElsewhere.env}`} only (${putElsewhere.via}, line ${putElsewhere.at.line}); ` +
      `put it for this environment too (${judged.env.name === null ? 'without --env' : `--env ${judged.env.name}`}).`
    : manifest
      ? `The Worker's other secrets are ${manifest}, this one is not: add it there, or check the name.`
      : `If it is a secret, list it in secrets.required (wrangler then refuses to deploy without it) or in .dev.vars.example; otherwise check the name.`;
  return {
    message: (readAt.alternatives
      ? `${judged.label} reads env.${name} where env.${readAt.alternatives.join(' and env.')} ${readAt.alternatives.length === 1 ? 'is' : 'are'} missing, and none of them is a binding, var or declared secret of this environment.`
      : `${judged.label} reads env.${name}, which is not a binding, var or declared secret of this environment.`) + `${withoutIt(readAt)} ${hint}`,
    file: readAt.file, line: readAt.line, column: readAt.column,
    environment: judged.environment,
    subject: name,
    ...(putElsewhere ? { related: [{ ...putElsewhere.at, message: `${name} put by ${putElsewhere.via}` }] } : {}),
  };
}

/** Where the Worker's list of secrets is, for the drift message: "declared in README.md:41 (wrangler secret put)". */
function manifestPlace(worker: WorkerConfig, read: ReadonlySet<string>): string | undefined {
  const secrets = worker.environments.flatMap((e) => e.secrets);
  const inConfig = secrets.find((s) => s.source === 'secrets.required' && s.at);
  if (inConfig?.at) return `in secrets.required (${inConfig.at.file}:${inConfig.at.line})`;
  const template = secrets.find((s) => s.source === 'manifest' && s.at);
  if (template?.at) return `listed in ${template.at.file}`;
  // The first place in the repository, as a reader would meet the list.
  const documented = [...documentedReads(worker, read)].sort((a, b) => compareText(a.at.file, b.at.file) || a.at.line - b.at.line)[0];
  if (documented) return `declared in ${documented.at.file}:${documented.at.line} (${documented.via})`;
  const put = worker.deploy?.secrets[0];
  if (put) return `put by ${put.via} (line ${put.at.line})`;
  const local = secrets.find((s) => s.at && s.source !== 'deploy-env');
  return local?.at ? `listed in ${local.at.file}` : undefined;
}

/**
 * One finding for a Worker environment whose every secret is undeclared: at its first read, the
 * names listed. Environments with the same names share place and subject, so reports show it once
 * and name the environments.
 */
function nothingDeclared(judged: JudgedEnvironment, missing: readonly Missing[]): RuleFinding {
  const first = [...missing].sort((a, b) => compareText(a.readAt.file, b.readAt.file) || a.readAt.line - b.readAt.line || a.readAt.column - b.readAt.column)[0]!.readAt;
  const names = missing.map((m) => m.name).sort(compareText);
  const shown = names.length > NAMES_SHOWN ? `${names.slice(0, NAMES_SHOWN).join(', ')}, …` : names.join(', ');
  return {
    severity: 'note',
    levelYieldsToConfig: true,
    message:
      `${judged.label} reads ${names.length === 1 ? 'a value' : `${names.length} values`} no file in the repository declares (${shown}): ` +
      `no binding, var, secrets.required entry, .dev.vars file or documented secret names ${names.length === 1 ? 'it' : 'them'}. ` +
      `If ${names.length === 1 ? 'it is a secret' : 'they are secrets'}, list ${names.length === 1 ? 'it' : 'them'} in \`secrets.required\` or \`.dev.vars.example\` (wrangler then refuses to deploy without them); otherwise check the names.`,
    file: first.file, line: first.line, column: first.column,
    environment: judged.environment,
    subject: names.join(', '),
  };
}
