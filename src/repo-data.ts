/**
 * What the read stage hands to the model builder (src/read-repo.ts → src/build-model.ts): the
 * repository's files as data, with repo-relative paths ('/' separated, '.' for the root).
 */
import path from 'node:path/posix';
import type { DeployFacts, DocumentedSecret, Location, WorkerEnvironment } from './model.js';
import type { EnvEntry } from './read/document.js';
import type { StepValue } from './wrangler/deploy-commands.js';

export type LoadedEnvFile = {
  /** Repo-relative path. */
  path: string;
  entries: EnvEntry[];
  gitignored: boolean;
};

export type LoadedWorkerConfig = {
  path: string;
  environments: WorkerEnvironment[];
  /** What the repository's deploy commands say about this config (read-repo.ts, wrangler/deploy-commands.ts). */
  deploy?: DeployFacts;
  /** Secret names the repository documents for this Worker outside its config (wrangler/documented-secrets.ts). */
  documented?: DocumentedSecret[];
  /** A Pages project's top level: the base of `wrangler pages dev` (its deployments are `preview` and `production`). */
  local?: WorkerEnvironment;
};

/** `name`: the package's own name, what a reader calls the app (the report's diagram names frontends by it). */
export type LoadedPackageJson = { path: string; dependencies: ReadonlySet<string>; name?: string };

/**
 * A project the Supabase CLI folder names: `project_id` in `supabase/config.toml` when it has a
 * ref's shape (app builders write the remote ref there; `supabase init` writes the folder name),
 * or `supabase/.temp/project-ref` (written by `supabase link`).
 */
export type LoadedProjectRef = { path: string; ref: string; at: Location; via: 'config-project-id' | 'link' };

export type RepoData = {
  root: string;
  envFiles: LoadedEnvFile[];
  workers: LoadedWorkerConfig[];
  packageJsons: LoadedPackageJson[];
  projectRefs: LoadedProjectRef[];
  /** Files git tracks, when the root is in a git work tree. */
  tracked?: ReadonlySet<string>;
  /** Env entries of workflow steps that build a frontend with a GitHub secret or variable (deploy-commands.ts). */
  workflowValues?: readonly StepValue[];
  /** Framework config files (`vite.config.ts`, `next.config.mjs`, …), repo-relative: each marks its folder a frontend. */
  frameworkConfigs?: readonly string[];
  /** Credentials found in committed files that are not read as configuration (read/committed-secrets.ts). */
  committedSecrets?: readonly CommittedSecretPlace[];
};

/** One place a credential appears; `text` is for grouping and redaction only. */
export type CommittedSecretPlace = { text: string; what: string; file: string; line: number; column: number };

/** Values handed in by the workflow for one environment (`--env NAME`, action input `environment`). */
export type DeployValues = { environment: string; values: ReadonlyMap<string, string> };

/** The folder of a repo-relative path, '.' for the root. */
export function dirOf(file: string): string {
  const dir = path.dirname(file);
  return dir === '' ? '.' : dir;
}

/** Items grouped by a key, each group in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
