/**
 * The values a tool ends up with from the env files it loads: layered in its order and expanded
 * with its version of dotenv-expand (`env-expansion.ts`). Pure.
 */
import { classifyValue } from './classify.js';
import { expandLikeNext, expandMerged, type ExpandedVariable, type FailedFile, type WrittenVariable } from './env-expansion.js';
import type { FrontendFramework } from './layers.js';
import type { Location, ReadProblem } from './model.js';
import type { LoadedEnvFile } from './repo-data.js';
import { Sensitive } from './sensitive.js';
import type { LayeredVariable } from './supabase/evidence.js';

function written(file: LoadedEnvFile): WrittenVariable[] {
  return file.entries.map((entry) => ({
    name: entry.name,
    text: entry.value,
    at: { file: file.path, line: entry.line, column: entry.column },
    secret: classifyValue(entry.name, entry.value, 'file').secret,
    source: 'file' as const,
  }));
}

/** Deploy-time values as the tool's process environment; each is secret, whatever its name. */
function processValues(values: ReadonlyMap<string, string>, declaredAt: (name: string) => Location): Map<string, WrittenVariable> {
  const env = new Map<string, WrittenVariable>();
  for (const [name, text] of values) env.set(name, { name, text, at: declaredAt(name), secret: true, source: 'deploy-env' });
  return env;
}

/** An expanded variable as a surface sees it: secret when its text or anything that went into it is. */
function layered(v: ExpandedVariable): LayeredVariable {
  const secret = v.secret || classifyValue(v.name, v.text, v.source).secret;
  const changed = v.text !== v.written || v.reads.length > 0 || v.missing.length > 0;
  return {
    name: v.name,
    value: new Sensitive(v.text, secret),
    at: v.at,
    source: v.source,
    ...(changed
      ? {
          expansion: {
            written: new Sensitive(v.written, v.source === 'deploy-env' || classifyValue(v.name, v.written, 'file').secret),
            reads: v.reads,
            missing: v.missing,
            ...(v.unfinished ? { unfinished: true as const } : {}),
          },
        }
      : {}),
  };
}

export type ToolValues = {
  vars: Map<string, LayeredVariable>;
  /** Files the tool fails to load (Next.js, on a value whose expansion never ends). */
  failedFiles: FailedFile[];
};

/**
 * A frontend mode's variables: `files` in the framework's load order (lowest precedence first,
 * `layers.ts`), `processEnv` the deploy-time values handed in for this mode. Vite merges, then
 * expands once; Next.js expands file by file from the highest precedence down.
 */
export function frontendValues(framework: FrontendFramework, files: readonly LoadedEnvFile[], processEnv: ReadonlyMap<string, string> = new Map(), declaredAt: (name: string) => Location = () => ({ file: '', line: 0, column: 0 })): ToolValues {
  const env = processValues(processEnv, declaredAt);
  if (framework === 'next') {
    const { variables, failedFiles } = expandLikeNext([...files].reverse().map((f) => ({ path: f.path, variables: written(f) })), env);
    return { vars: new Map([...variables].map(([name, v]) => [name, layered(v)])), failedFiles };
  }
  const expanded = expandMerged(files.flatMap(written), env, 'all');
  // `loadEnv` ends by copying the process environment over the files' values, unexpanded.
  for (const [name, v] of expanded) {
    const fromProcess = env.get(name);
    if (fromProcess) expanded.set(name, { ...fromProcess, at: v.at, written: fromProcess.text, reads: [], missing: [] });
  }
  return { vars: new Map([...expanded].map(([name, v]) => [name, layered(v)])), failedFiles: [] };
}

/**
 * `wrangler dev` without a `.dev.vars` file: `.env` < `.env.local` < `.env.NAME` < `.env.NAME.local`
 * merged, then expanded with dotenv-expand 12 (`loadDotEnv`, packages/wrangler/src/config/dot-env.ts
 * in cloudflare/workers-sdk). The process environment joins only with
 * CLOUDFLARE_INCLUDE_PROCESS_ENV, which the repository does not show, so it is left out.
 * `.dev.vars` files are read with dotenv alone, never expanded (`dev-vars.ts` there).
 */
export function wranglerDotEnvValues(files: readonly LoadedEnvFile[]): Map<string, LayeredVariable> {
  const expanded = expandMerged(files.flatMap(written));
  return new Map([...expanded].map(([name, v]) => [name, layered(v)]));
}

/** Next.js logs "Failed to load env" and skips the whole file when a value's expansion never ends. */
export function unloadedFileProblem({ path: file, variable }: FailedFile): ReadProblem {
  const { line, column } = variable.at;
  return { file, line, column, severity: 'error', message: `${file}:${line}: Next.js does not load this file: expanding ${variable.name} never ends (its value comes back to itself), so none of the file's values reach the build` };
}
