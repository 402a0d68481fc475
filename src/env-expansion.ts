/**
 * `${VAR}` expansion in env files, done the way each tool that loads them does it, so the value the
 * guard judges is the value the build or `wrangler dev` holds. Pure.
 *
 * The tools run dotenv-expand, in two different versions with different semantics:
 * - Vite 7 (`loadEnv`) and wrangler 4 (`loadDotEnv` in packages/wrangler/src/config/dot-env.ts of
 *   cloudflare/workers-sdk) merge their files first (a later file's value replaces an earlier
 *   one's), then run dotenv-expand 12 once over the merged variables: `${VAR}`, `$VAR`,
 *   `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `\$` for a literal `$`; a
 *   variable sees the process environment and the variables before it in the merged order (Vite
 *   bundles the library patched so that it also sees those after it, as written).
 * - Next.js 15 (`@next/env` `loadEnvConfig`) bundles an older dotenv-expand and runs it per file,
 *   highest-priority file first, writing each file's results into the process environment before
 *   the next file: only `${VAR}`, `$VAR` and `${VAR:-default}`, the process environment (with the
 *   higher files' values) before the file's own variables, and expansion from the right-most `$`.
 *
 * dotenv-expand itself is not called: the guard needs, for every value, which variables went into
 * it (the evidence names them, and a value built from a secret stays secret) and a bound on the
 * work (a file crafted to double a value per line must not hang the check). So the two algorithms
 * are written out here step for step, each string operation the same one the library performs
 * (`String.prototype.replace` with a string pattern, `$` patterns in the replacement included);
 * `__tests__/env-expansion.test.ts` compares the result with the real loaders on generated files.
 *
 * Over 300 lines: the two dotenv-expand versions, their shared bookkeeping of what each value read
 * and their shared bounds belong together; split, each half would need the other's internals.
 */
import { MAX_EXPANDED_LENGTH, MAX_EXPANSION_STEPS, WORK_PER_RUN, WORK_PER_WRITTEN_CHARACTER } from './defaults.js';
import type { Location } from './model.js';

/** A variable as written in an env file, or a value the process environment holds. */
export type WrittenVariable = { name: string; text: string; at: Location; secret: boolean; source: 'file' | 'deploy-env' };

/** A variable whose value was put into another's while expanding it. */
export type ExpansionRead = { name: string; at: Location; source: 'file' | 'deploy-env' };

export type ExpandedVariable = WrittenVariable & {
  /** The text as written, before expansion (equal to `text` when nothing was expanded). */
  written: string;
  /** Variables whose values went into this one, in the order they were read, each once. */
  reads: ExpansionRead[];
  /** Variables it reads that are set nowhere the guard sees (the tool puts an empty string there). */
  missing: string[];
  /** The expansion was stopped: the value grew past MAX_EXPANDED_LENGTH or took too many steps. */
  unfinished?: true;
};

/*
 * Bounds on expansion (src/defaults.ts). A real file never comes near; a crafted one (each line
 * doubling the last) would otherwise take exponential time and memory, where the tool would crash.
 * Per value: its length and its steps. Per run of the loader: the characters scanned, each step
 * scanning the value once, so the time stays linear in the input.
 */

/** What is left of a run's work; shared by every value the run expands. */
type Budget = { work: number };

function budgetFor(variables: Iterable<WrittenVariable>): Budget {
  let written = 0;
  for (const v of variables) written += v.text.length;
  return { work: Math.max(WORK_PER_RUN, written * WORK_PER_WRITTEN_CHARACTER) };
}

/** Whether one more step on `text` stays within the bounds, charging it to the budget. */
function mayStep(text: string, budget: Budget): boolean {
  budget.work -= text.length + 1;
  return budget.work >= 0 && text.length <= MAX_EXPANDED_LENGTH;
}

/**
 * `text.replace(pattern, replacement)` (the library's own call, `$` patterns in the replacement
 * included) when the result cannot pass MAX_EXPANDED_LENGTH; else undefined. Each `$` of the
 * replacement can insert at most the whole text, so that bounds the result before it is built.
 */
function boundedReplace(text: string, pattern: string, replacement: string): string | undefined {
  let dollars = 0;
  for (let i = replacement.indexOf('$'); i !== -1; i = replacement.indexOf('$', i + 1)) dollars++;
  const longest = text.length + replacement.length + dollars * text.length;
  return longest > MAX_EXPANDED_LENGTH ? undefined : text.replace(pattern, replacement);
}

/**
 * The order in which a JavaScript object lists the keys (the loaders keep variables in objects):
 * integer-like names first, ascending, then the others in order of first insertion.
 */
export function objectKeyOrder(names: Iterable<string>): string[] {
  const keys: Record<string, true> = {};
  for (const name of names) if (name !== '__proto__') keys[name] = true;
  return Object.keys(keys);
}

/** Files merged as `{ ...a, ...b }`: the last value of each name, in object key order. */
function merged(variables: readonly WrittenVariable[]): WrittenVariable[] {
  const last = new Map<string, WrittenVariable>();
  for (const v of variables) last.set(v.name, v);
  return objectKeyOrder(variables.map((v) => v.name)).map((name) => last.get(name)!);
}

function isExpanded(v: ExpandedVariable | WrittenVariable): v is ExpandedVariable {
  return 'written' in v;
}

/** Collects what one value's expansion read. */
class Trace {
  readonly reads: ExpansionRead[] = [];
  readonly missing: string[] = [];
  secret = false;
  unfinished = false;

  read(from: ExpandedVariable | WrittenVariable): void {
    if (!this.reads.some((r) => r.name === from.name)) this.reads.push({ name: from.name, at: from.at, source: from.source });
    if (from.secret) this.secret = true;
    if (isExpanded(from)) {
      for (const name of from.missing) this.miss(name);
      if (from.unfinished) this.unfinished = true;
    }
  }

  miss(name: string): void {
    if (!this.missing.includes(name)) this.missing.push(name);
  }

  done(variable: WrittenVariable, text: string, written = variable.text): ExpandedVariable {
    return {
      ...variable,
      text,
      written,
      secret: variable.secret || this.secret,
      reads: this.reads,
      missing: this.missing,
      ...(this.unfinished ? { unfinished: true as const } : {}),
    };
  }
}

const unescapeDollars = (text: string): string => text.replace(/\\\$/g, '$');

type Lookup = (name: string) => ExpandedVariable | WrittenVariable | undefined;

/** dotenv-expand 12 `expandValue`: one value against the variables it may see and the process environment. */
function expandValue12(variable: WrittenVariable, env: Lookup, runningParsed: ReadonlyMap<string, ExpandedVariable | WrittenVariable>, budget: Budget): ExpandedVariable {
  const trace = new Trace();
  const pattern = /(?<!\\)\${([^{}]+)}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let result = variable.text;
  const seen = new Set<string>();
  let steps = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(result)) !== null) {
    if (++steps > MAX_EXPANSION_STEPS || !mayStep(result, budget)) {
      trace.unfinished = true;
      break;
    }
    seen.add(result);
    const [template, braced, unbraced] = match;
    const expression = (braced || unbraced)!;
    const operator = /(:\+|\+|:-|-)/.exec(expression)?.[0] ?? null;
    // As the library: split(null) splits on the text "null".
    const parts = expression.split(operator as string);
    const key = parts.shift()!;
    const found = env(key);
    let fallback: string;
    let value: string | undefined;
    if (operator === ':+' || operator === '+') {
      fallback = found?.text ? parts.join(operator) : '';
      value = undefined;
    } else {
      fallback = parts.join(operator as string);
      value = found?.text;
    }
    // The library's guard against a value that holds itself: a value seen before gives the fallback.
    const readsValue = Boolean(value) && !seen.has(value!);
    const inserted = readsValue ? value! : fallback;
    if (readsValue) trace.read(found!);
    else if (!value && found === undefined && operator === null && fallback === '') trace.miss(key);
    const next = boundedReplace(result, template, inserted);
    if (next === undefined) {
      trace.unfinished = true;
      break;
    }
    result = next;
    if (result === runningParsed.get(key)?.text) break;
    pattern.lastIndex = 0;
  }
  return trace.done(variable, result);
}

/**
 * Which variables a value may read besides the process environment. dotenv-expand 12 as
 * published (wrangler): those before it in the merged order, as expanded. Vite 7 bundles it
 * patched to read the merged variables themselves: those before it as expanded, those after it
 * as written (expanded in turn inside the value).
 */
export type MergedReads = 'earlier' | 'all';

/**
 * Vite's `loadEnv` and wrangler's `loadDotEnv`: the files' variables (lowest precedence first)
 * merged, then dotenv-expand 12 over them with `processEnv` (the values the tool finds in its
 * environment: for the guard, the deploy-time values handed in). A name the environment already
 * holds keeps the environment's value, unexpanded.
 */
export function expandMerged(variables: readonly WrittenVariable[], processEnv: ReadonlyMap<string, WrittenVariable> = new Map(), reads: MergedReads = 'earlier'): Map<string, ExpandedVariable> {
  const order = merged(variables);
  const budget = budgetFor([...order, ...processEnv.values()]);
  const runningParsed = new Map<string, ExpandedVariable | WrittenVariable>(reads === 'all' ? order.map((v) => [v.name, v]) : []);
  const done = new Map<string, ExpandedVariable>();
  for (const variable of order) {
    const fromProcess = processEnv.get(variable.name);
    let expanded: ExpandedVariable;
    if (fromProcess?.text && fromProcess.text !== variable.text) {
      expanded = { ...fromProcess, at: variable.at, written: fromProcess.text, reads: [], missing: [] };
    } else {
      // `{ ...runningParsed, ...processEnv }`: the environment wins.
      const env: Lookup = (name) => (processEnv.has(name) ? processEnv.get(name) : runningParsed.get(name));
      expanded = expandValue12(variable, env, runningParsed, budget);
    }
    expanded.text = unescapeDollars(expanded.text);
    runningParsed.set(variable.name, expanded);
    done.set(variable.name, expanded);
  }
  return done;
}

/**
 * `@next/env`'s dotenv-expand `_interpolate`: from the right-most unescaped `$`, one `${NAME}`,
 * `$NAME` or `${NAME:-default}`, replaced by the environment's value, else the default, else the
 * file's own value; again until no `$` is left that starts one. `undefined` when it never ends
 * (a variable that holds itself), where Next's recursion overflows the stack.
 */
function interpolateNext(text: string, environment: ReadonlyMap<string, ExpandedVariable | WrittenVariable>, fileValues: ReadonlyMap<string, ExpandedVariable | WrittenVariable>, trace: Trace, budget: Budget): string | undefined {
  let result = text;
  for (let steps = 1; ; steps++) {
    if (steps > MAX_EXPANSION_STEPS) return undefined;
    if (!mayStep(result, budget)) {
      trace.unfinished = true;
      return result;
    }
    let last = -1;
    for (const m of result.matchAll(/(?!(?<=\\))\$/g)) last = m.index;
    if (last === -1) return result;
    const match = /((?!(?<=\\))\${?([\w]+)(?::-([^}\\]*))?}?)/.exec(result.slice(last));
    if (match === null) return result;
    const [, group, name, fallback] = match as unknown as [string, string, string, string | undefined];
    const fromEnvironment = environment.get(name!);
    const fromFile = fileValues.get(name!);
    let replacement = '';
    if (fromEnvironment?.text) {
      trace.read(fromEnvironment);
      replacement = fromEnvironment.text;
    } else if (fallback) replacement = fallback;
    else if (fromFile?.text) {
      trace.read(fromFile);
      replacement = fromFile.text;
    } else if (fromEnvironment === undefined && fromFile === undefined && fallback === undefined) trace.miss(name!);
    const next = boundedReplace(result, group!, replacement);
    if (next === undefined) {
      trace.unfinished = true;
      return result;
    }
    result = next;
  }
}

/** A file Next.js does not load: the variable whose expansion never ends. */
export type FailedFile = { path: string; variable: WrittenVariable };

/** What `@next/env` ends with: each variable's value, and the files it could not load. */
export type NextExpansion = { variables: Map<string, ExpandedVariable>; failedFiles: FailedFile[] };

/**
 * Next.js `loadEnvConfig`: files from the highest precedence (`.env.[mode].local`) to the lowest
 * (`.env`), each expanded on its own against the process environment, which holds the deploy-time
 * values and every earlier file's results; a name keeps the first value it got. A file whose
 * expansion never ends is not loaded at all (Next logs "Failed to load env" and goes on).
 */
export function expandLikeNext(filesHighestFirst: readonly { path: string; variables: readonly WrittenVariable[] }[], processEnv: ReadonlyMap<string, WrittenVariable> = new Map()): NextExpansion {
  const environment = new Map<string, ExpandedVariable | WrittenVariable>(processEnv);
  const failedFiles: FailedFile[] = [];
  const first = new Map<string, ExpandedVariable>();
  const budget = budgetFor([...filesHighestFirst.flatMap((f) => f.variables), ...processEnv.values()]);
  for (const file of filesHighestFirst) {
    const fileValues = new Map<string, ExpandedVariable | WrittenVariable>(merged(file.variables).map((v) => [v.name, v]));
    const results = new Map<string, ExpandedVariable>();
    let failed: WrittenVariable | undefined;
    for (const [name, variable] of fileValues) {
      // A name the environment holds starts from the environment's value (and is expanded again).
      const base = environment.get(name) ?? variable;
      const trace = new Trace();
      if (isExpanded(base)) {
        trace.reads.push(...base.reads);
        for (const missing of base.missing) trace.miss(missing);
        if (base.unfinished) trace.unfinished = true;
      }
      const text = interpolateNext(base.text, environment, fileValues, trace, budget);
      if (text === undefined) {
        failed = variable;
        break;
      }
      const expanded = trace.done({ name, text: base.text, at: base.at, secret: base.secret, source: base.source }, unescapeDollars(text), isExpanded(base) ? base.written : base.text);
      results.set(name, expanded);
      fileValues.set(name, expanded);
    }
    if (failed) {
      failedFiles.push({ path: file.path, variable: failed });
      continue;
    }
    for (const [name, expanded] of results) {
      environment.set(name, expanded);
      if (!processEnv.has(name) && !first.has(name)) first.set(name, expanded);
    }
  }
  // Next assigns each name's first value over the environment, except names the process
  // environment held before: those keep what the files' expansion last wrote there.
  const variables = new Map<string, ExpandedVariable>(first);
  for (const name of processEnv.keys()) {
    const v = environment.get(name)!;
    if (isExpanded(v)) variables.set(name, v);
  }
  return { variables, failedFiles };
}
