/**
 * GitHub Actions workflow files as deploy-commands.ts reads them: YAML with the place of each value,
 * `${{ }}` expressions filled in as GitHub does before a step runs (from `env:`, the matrix and the
 * workspace; anything else is an UNKNOWN mark), matrix combinations, and where a value comes from
 * GitHub's settings (`${{ secrets.KEY }}`, `${{ vars.KEY }}`, with the job's deployment
 * `environment`). Pure.
 *
 * Sources (docs.github.com): "Workflow syntax for GitHub Actions" (`env`, `jobs.<id>.environment`
 * as a string or `{ name, url }`, `strategy.matrix` with `include` / `exclude`, `defaults.run`);
 * "Contexts" (`secrets`, `vars`: an environment's secrets and variables take precedence over the
 * repository's and organization's of the same name).
 */
import yaml from 'js-yaml';
import type { GitHubValue } from '../model.js';
import { LineIndex } from '../read/positions.js';
import { MAX_VARIANTS, UNKNOWN, WORKSPACE } from './command-line.js';

export type Scalar = { line: number; block: 'literal' | 'folded' | undefined };

/**
 * The workflow, and where each of its string values starts (1-based line; a block scalar's content
 * starts on the line after its `|`), in document order, by value: js-yaml gives parsed values
 * without positions, so its parse events are read alongside. Keys are left out. Throws js-yaml's
 * error for a text that is not YAML.
 */
export function loadWithPositions(text: string): { doc: unknown; index: Map<string, Scalar[]> } {
  const index = new Map<string, Scalar[]>();
  const lines = new LineIndex(text);
  const opens: number[] = [];
  const doc = yaml.load(text, {
    json: true, // a repeated key keeps the last value, as GitHub does, instead of failing
    listener(event, state) {
      if (event === 'open') {
        opens.push(state.position);
        return;
      }
      const start = opens.pop() ?? 0;
      if (typeof state.result !== 'string') return;
      let end = state.position;
      while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
      if (text[end] === ':') return; // a key
      let s = start;
      while (s < text.length && /\s/.test(text[s]!)) s++;
      if (text[s] === ':' || text[s] === '-' || text[s] === '?') {
        s++;
        while (s < text.length && /\s/.test(text[s]!)) s++;
      }
      const block = text[s] === '|' ? 'literal' : text[s] === '>' ? 'folded' : undefined;
      const line = lines.position(s).line + (block ? 1 : 0);
      const list = index.get(state.result) ?? [];
      list.push({ line, block });
      index.set(state.result, list);
    },
  });
  return { doc, index };
}

/**
 * What a step's text is filled in from: the `env:` blocks in force (workflow, job, step), the job's
 * matrix combination, which env names hold a GitHub secret or variable (`sources`), and the job's
 * GitHub deployment environment.
 */
export type Scope = {
  env: Map<string, string>;
  matrix: Record<string, unknown>;
  sources: Map<string, Omit<GitHubValue, 'environment'>>;
  githubEnvironment?: string;
};

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** One `${{ }}` expression's value when the workflow itself says it (env, matrix, the workspace), else UNKNOWN. */
function expression(expr: string, scope: Scope): string {
  const e = expr.trim();
  if (e === 'github.workspace') return WORKSPACE;
  const env = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(e);
  if (env) return scope.env.get(env[1]!) ?? UNKNOWN;
  const m = /^matrix((?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\s*'[^']*'\s*\])+)$/.exec(e);
  if (m) {
    let value: unknown = scope.matrix;
    for (const part of m[1]!.matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']*)'\s*\]/g)) value = isRecord(value) ? value[part[1] ?? part[2]!] : undefined;
    return scalarText(value) ?? UNKNOWN;
  }
  const quoted = /^'([^']*)'$/.exec(e);
  if (quoted) return quoted[1]!;
  return UNKNOWN;
}

/** Fills in `${{ }}` as GitHub does before a step runs (linear: one pass, no recursion). */
export function substitute(text: string, scope: Scope): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => expression(expr, scope));
}

/** The job's matrix combinations, GitHub's way (product, then `include`, minus `exclude`), at most MAX_VARIANTS. */
export function matrixCombinations(strategy: unknown): Record<string, unknown>[] {
  const matrix = isRecord(strategy) ? strategy.matrix : undefined;
  if (!isRecord(matrix)) return [{}];
  let combos: Record<string, unknown>[] = [{}];
  const keys = Object.keys(matrix).filter((k) => k !== 'include' && k !== 'exclude');
  for (const key of keys) {
    const values = matrix[key];
    if (!Array.isArray(values)) return [{}];
    const next: Record<string, unknown>[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [key]: v });
    if (next.length > MAX_VARIANTS) return [{}];
    combos = next;
  }
  if (keys.length === 0) combos = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(matrix.exclude)) {
    combos = combos.filter((c) => !(matrix.exclude as unknown[]).some((x) => isRecord(x) && Object.entries(x).every(([k, v]) => same(c[k], v))));
  }
  const original = combos.length;
  if (Array.isArray(matrix.include)) {
    for (const inc of matrix.include) {
      if (!isRecord(inc)) continue;
      let added = false;
      for (let i = 0; i < original; i++) {
        const c = combos[i]!;
        if (Object.entries(inc).every(([k, v]) => !keys.includes(k) || same(c[k], v))) {
          combos[i] = { ...c, ...inc };
          added = true;
        }
      }
      if (!added) combos.push({ ...inc });
      if (combos.length > MAX_VARIANTS) return [{}];
    }
  }
  return combos.length === 0 ? [{}] : combos;
}

/** Resolves an `env:` block over the scope it extends. */
export function withEnv(scope: Scope, block: unknown): Scope {
  if (!isRecord(block)) return scope;
  const env = new Map(scope.env);
  const sources = new Map(scope.sources);
  for (const [k, v] of Object.entries(block)) {
    const text = scalarText(v);
    env.set(k, text === undefined ? UNKNOWN : substitute(text, scope));
    const from = text === undefined ? undefined : githubReference(text);
    if (from) sources.set(k, from);
    else sources.delete(k);
  }
  return { ...scope, env, sources };
}

export function runDirectory(v: unknown): string | undefined {
  return isRecord(v) && isRecord(v.run) ? scalarText(v.run['working-directory']) : undefined;
}

/** Lines of a multi-line input, as `@actions/core` `getMultilineInput` splits them, with each one's 0-based line. */
export function inputLines(value: string): { text: string; line: number }[] {
  return value.split('\n').map((text, line) => ({ text: text.trim(), line })).filter((l) => l.text !== '');
}


const GITHUB_REFERENCE = /\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `${{ secrets.KEY }}` / `${{ vars.KEY }}` when that is the whole value (spaces aside). */
export function githubReference(text: string): Omit<GitHubValue, 'environment'> | undefined {
  const m = /^\s*\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/.exec(text);
  return m ? { store: m[1] as GitHubValue['store'], key: m[2]! } : undefined;
}

/** Every `${{ secrets.KEY }}` / `${{ vars.KEY }}` in a text, in order. */
export function githubReferences(text: string): Omit<GitHubValue, 'environment'>[] {
  return [...text.matchAll(GITHUB_REFERENCE)].map((m) => ({ store: m[1] as GitHubValue['store'], key: m[2]! }));
}

/**
 * The GitHub deployment environment a job names (`environment: production` or `environment: { name:
 * production }`), filled in from the matrix and env; an expression the workflow does not settle is
 * kept as written (`${{ inputs.target }}`), which a report can show as it is.
 */
export function jobEnvironment(job: Record<string, unknown>, scope: Scope): string | undefined {
  const raw = isRecord(job.environment) ? scalarText(job.environment.name) : scalarText(job.environment);
  if (raw === undefined || raw.trim() === '') return undefined;
  const filled = substitute(raw, scope).trim();
  return filled.includes(UNKNOWN) ? raw.trim() : filled;
}

/** A GitHub secret or variable as the job reads it: from its deployment environment's store, when it names one. */
export function withGitHubEnvironment(ref: Omit<GitHubValue, 'environment'>, scope: Scope): GitHubValue {
  return scope.githubEnvironment !== undefined ? { ...ref, environment: scope.githubEnvironment } : { ...ref };
}
