/**
 * The pipeline, data flowing one way: discover → read → model → rules → severities
 * (src/rule-findings.ts) → suppress → sorted findings.
 * Shared by the CLI and the action; both only choose formatters and exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildModel } from './build-model.js';
import { frontendCodeFiles } from './frontends.js';
import type { RepoData } from './repo-data.js';
import { classifyValue } from './classify.js';
import { loadConfig, type GuardConfig } from './config.js';
import { discover, type Discovery } from './discover.js';
import { ConfigurationError } from './errors.js';
import type { CodeUsage, DeploymentModel, Finding, FrontendCode, ReadProblem } from './model.js';
import { createUsageAnalyzer } from './usage/index.js';
import type { AnalysisCache } from './usage/analysis-cache.js';
import { freeCoresMeter } from './usage/parse-pool.js';
import { applyBaseline, applyDirectives, type Baseline, type Directive } from './suppress.js';
import { DEFAULT_MAX_FILE_BYTES } from './defaults.js';
import { readRepository } from './read-repo.js';
import { RULES } from './rules/index.js';
import { isStaticRule, type RuleContext } from './rules/rule.js';
import { unusedSuppression } from './rules/unused-suppression.js';
import { compareFindings, reportedFindings, SEVERITY_RANK } from './rule-findings.js';

export { compareFindings, SEVERITY_RANK };

export type CheckOptions = {
  root: string;
  /** `--env NAME` / input `environment`: deploy-time values from `processEnv` belong to NAME. */
  deployEnvironment?: string;
  /** The process environment to take deploy-time values from (only read with deployEnvironment). */
  processEnv?: Readonly<Record<string, string | undefined>>;
  configPath?: string;
  /** How to name the config file in messages (as the user wrote it). */
  configDisplayPath?: string;
  /** Overrides applied on top of the config file (CLI flags, action inputs). */
  overrides?: Partial<Pick<GuardConfig, 'failOn'>>;
  now?: Date;
  maxFileBytes?: number;
  /** `--baseline FILE`: findings recorded there no longer count. */
  baselinePath?: string;
  /** `--cache`: Worker results and module facts kept between runs (src/usage/analysis-cache.ts). */
  cache?: AnalysisCache;
  /** `--threads N`: parse threads (default: the cores other processes leave idle, parse-pool.ts). */
  threads?: number;
};

export type Summary = { errors: number; warnings: number; notes: number };

export type CheckResult = {
  root: string;
  config: GuardConfig;
  model: DeploymentModel;
  findings: Finding[];
  summary: Summary;
  /** Findings dropped by inline directives and by the baseline. */
  suppressed: { inline: number; baseline: number };
  /** Every secret text read (deploy-time values, secret-classified file values): for masking only. */
  secretTexts: string[];
};

/** Runs every static rule; each rule's findings are levelled, deduplicated, capped and sorted in src/rule-findings.ts. Pure. */
export function evaluate(model: DeploymentModel, config: GuardConfig, context: RuleContext): Finding[] {
  return RULES.filter(isStaticRule)
    .flatMap((rule) => (config.rules[rule.id] === 'off' ? [] : reportedFindings(rule, rule.check(model, context), config.rules[rule.id])))
    .sort(compareFindings);
}

export function summarize(findings: readonly Finding[]): Summary {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    notes: findings.filter((f) => f.severity === 'note').length,
  };
}

/**
 * Every secret text this run read, for masking (`core.setSecret`) and the last-line redaction of
 * reports: secret-classified values of env files and [vars], and every deploy-time value handed in
 * for a name the repository declares. Never stored in the model, never printed.
 */
function collectSecretTexts(model: DeploymentModel, data: RepoData, deploy: Map<string, string> | undefined): string[] {
  const texts = new Set<string>();
  const declared = new Set<string>();
  for (const worker of model.workers) {
    for (const env of worker.environments) {
      for (const [name, v] of Object.entries(env.vars)) {
        declared.add(name);
        if (v.value.secret) texts.add(v.value.reveal());
      }
      for (const s of env.secrets) {
        declared.add(s.name);
        if (s.value?.value.secret) texts.add(s.value.value.reveal());
      }
      for (const b of env.bindings) for (const c of Object.values(b.credentials ?? {})) if (c.value.secret) texts.add(c.value.reveal());
    }
  }
  for (const file of data.envFiles) {
    for (const entry of file.entries) {
      declared.add(entry.name);
      if (classifyValue(entry.name, entry.value, 'file').secret) texts.add(entry.value);
    }
  }
  for (const [name, value] of deploy ?? []) if (declared.has(name)) texts.add(value);
  // Keys written in code (a service key hard-coded in a client module) are secrets read too, and
  // so are values expanded from `${VAR}` references (a connection string built around a password).
  for (const surface of model.surfaces) for (const e of surface.evidence) if ((e.source === 'code' || e.expansion) && e.value?.secret) texts.add(e.value.reveal());
  for (const committed of model.committedSecrets ?? []) texts.add(committed.value.reveal());
  return [...texts].filter((t) => t.trim().length > 0).sort();
}

function deployValues(options: CheckOptions): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(options.processEnv ?? {})) if (value !== undefined && value !== '') values.set(name, value);
  return values;
}

/**
 * Everything before suppression: the model and every static rule's findings, levelled. The live
 * stage adds its findings to these, so that inline directives, `unused-suppression` and the
 * baseline see every finding once (`settle`).
 */
export type Evaluated = {
  root: string;
  config: GuardConfig;
  model: DeploymentModel;
  findings: Finding[];
  directives: Directive[];
  /** Read before any rule runs, so a bad baseline stops the run before the live stage's requests. */
  baseline?: Baseline;
  secretTexts: string[];
};

export function runCheck(options: CheckOptions): CheckResult {
  return settle(evaluateRepository(options));
}

/** discover → read → usage → model → rules: the findings before any suppression. */
export function evaluateRepository(options: CheckOptions): Evaluated {
  const threads = options.threads ?? freeCoresMeter();
  const root = path.resolve(options.root);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new ConfigurationError(`the folder to check does not exist: ${options.root}`);
  }
  if (!stat.isDirectory()) throw new ConfigurationError(`the path to check is not a folder: ${options.root}`);

  const fileConfig = loadConfig(root, options.configPath, options.configDisplayPath);
  const config: GuardConfig = { ...fileConfig, ...definedOnly(options.overrides ?? {}) };
  const baseline = options.baselinePath ? loadBaseline(options.baselinePath) : undefined;
  const discovery = discover(root, config.ignore);
  const { data, problems, directives } = readRepository(discovery, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const handedIn = options.deployEnvironment ? deployValues(options) : undefined;
  const { usage, frontendCode, problems: codeProblems, directives: codeDirectives } = analyzeCode(root, data, discovery, config.frontends, { cache: options.cache, threads });
  const built = buildModel(data, {
    deploy: options.deployEnvironment && handedIn ? { environment: options.deployEnvironment, values: handedIn } : undefined,
    pairs: config.pairs,
    frontends: config.frontends,
    code: { usage, frontends: frontendCode },
  });
  const model: DeploymentModel = { ...built, root, usage, problems: [...built.problems, ...problems, ...codeProblems] };
  return {
    root, config, model,
    findings: evaluate(model, config, { deployEnvironment: options.deployEnvironment, now: options.now ?? new Date(), browserPrefixes: config.browserPrefixes }),
    directives: [...directives, ...codeDirectives],
    ...(baseline ? { baseline } : {}),
    secretTexts: collectSecretTexts(model, data, handedIn),
  };
}

/**
 * suppress → sorted findings: inline directives, then `unused-suppression` for directives that
 * silenced nothing, then the baseline, each applied once to the static findings and any `more`
 * (the live stage's, levelled like the static ones), whose secrets join `moreSecrets`.
 */
export function settle(evaluated: Evaluated, more: readonly Finding[] = [], moreSecrets: readonly string[] = []): CheckResult {
  const { config } = evaluated;
  const ruleIds = RULES.map((r) => r.id);
  const inline = applyDirectives([...evaluated.findings, ...more], evaluated.directives, ruleIds);
  const withNotes = [...inline.kept, ...reportedFindings(unusedSuppression, unusedSuppression.checkSuppressions(inline.unused, ruleIds), config.rules[unusedSuppression.id])];
  const baseline = evaluated.baseline ? applyBaseline(withNotes, evaluated.baseline) : { kept: withNotes, known: 0 };
  const findings = baseline.kept.sort(compareFindings);
  return {
    root: evaluated.root, config, model: evaluated.model, findings,
    summary: summarize(findings),
    suppressed: { inline: inline.suppressed, baseline: baseline.known },
    secretTexts: [...new Set([...evaluated.secretTexts, ...moreSecrets])].sort(),
  };
}

/**
 * Usage analysis for every distinct `main` of every deployed Worker environment, then each
 * frontend's own code (I/O: reads the code). Problems in code are notes: the code is the
 * Worker's, deploy-guard only reads it.
 */
function analyzeCode(root: string, data: RepoData, discovery: Discovery, declaredFrontends: readonly string[], parsing: { cache?: AnalysisCache; threads: number | (() => number) }): { usage: Record<string, CodeUsage>; frontendCode: FrontendCode[]; problems: ReadProblem[]; directives: Directive[] } {
  const analyzer = createUsageAnalyzer({ root, packageJsonFiles: discovery.files.filter((f) => f.kind === 'package-json').map((f) => f.path), store: parsing.cache?.facts, workers: parsing.cache?.workers, threads: parsing.threads });
  const usage: Record<string, CodeUsage> = {};
  const problems = new Map<string, ReadProblem>();
  const directives = new Map<string, Directive>();
  for (const worker of data.workers) {
    for (const env of worker.environments) {
      if (env.dev || !env.main || usage[env.main]) continue;
      const result = analyzer.analyzeWorker(env.main, env.mainAt);
      usage[env.main] = { reads: result.reads, opaque: result.opaque, modules: result.modules, mainExports: result.mainExports, ...(result.mainExportsUnknown ? { mainExportsUnknown: true as const } : {}), supabaseClients: result.supabaseClients, ...(result.missingMain ? { mainNotFound: result.missingMain } : {}), ...(result.handlers ? { handlers: result.handlers } : {}) };
      for (const d of result.directives) directives.set(`${d.file}:${d.line}`, d);
      for (const p of result.problems) {
        const key = `${p.file}:${p.line}:${p.message}`;
        if (!problems.has(key)) problems.set(key, { file: p.file, line: p.line, column: p.column, message: p.message, severity: 'note' });
      }
    }
  }
  const workerModules = new Set(Object.values(usage).flatMap((u) => u.modules));
  const frontendCode = frontendCodeFiles(data, discovery.codeFiles, workerModules, declaredFrontends)
    .map(({ dir, files }) => analyzer.analyzeFrontend(dir, files));
  analyzer.close();
  return { usage, frontendCode, problems: [...problems.values()], directives: [...directives.values()] };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function loadBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(`cannot read the baseline ${file}: ${code ?? 'it is not valid JSON'}. Create one with: deploy-guard baseline`);
  }
  const baseline = data as Partial<Baseline>;
  if (baseline.version !== 1 || !Array.isArray(baseline.findings) || baseline.findings.some((f) => typeof f?.key !== 'string')) {
    throw new ConfigurationError(`${file} is not a deploy-guard baseline (version 1 with a findings list). Create one with: deploy-guard baseline`);
  }
  return baseline as Baseline;
}

/** Whether the findings reach the fail-on threshold. */
export function reachesThreshold(findings: readonly Finding[], failOn: GuardConfig['failOn']): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn]);
}
