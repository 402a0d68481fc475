import { environmentName, workerEnvironmentLabel } from '../environment-names.js';
import { NEVER_ENTER } from '../discover.js';
import type { MainNotFound, WorkerEnvironment } from '../model.js';
import { workerLabel } from './bindings-shared.js';
import type { RuleFinding, StaticRule } from './rule.js';

/** Build-tool output folders that are not discovery's own skip list but are never committed either. */
const MORE_BUILD_OUTPUT = new Set(['.open-next', '.vinxi', '.mastra', '.react-router', '.docusaurus']);

/** The folder that makes `main` look like build output (`dist`, `.svelte-kit`, ...), if any. */
export function buildOutputFolder(main: string): string | undefined {
  return main.split('/').slice(0, -1).find((segment) => NEVER_ENTER.has(segment) || MORE_BUILD_OUTPUT.has(segment));
}

const SKIPPED = 'dead-binding, missing-binding, missing-secret and unused-var cannot check';

/** A folder of configs meant to be copied elsewhere first (`templates/wrangler.toml`, seen in a public repository), if any. */
function templateFolder(config: string): string | undefined {
  return config.split('/').slice(0, -1).find((segment) => /^(?:templates?|scaffolds?|scaffolding|boilerplates?|skeletons?)$/i.test(segment));
}

function message(missing: MainNotFound, envs: readonly WorkerEnvironment[]): { text: string; severity: 'warning' | 'note' } {
  // "worker api (top level and [env.staging] in api/wrangler.toml)": the environments that share this main.
  const labels = envs.map(workerEnvironmentLabel);
  const who = workerLabel(envs[0]!, labels.length < 2 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`);
  if (missing.reason === 'outside') {
    return { severity: 'note', text: `main "${missing.main}" of ${who} points outside the repository, so its code was not read: ${SKIPPED} it.` };
  }
  if (missing.reason === 'package') {
    return { severity: 'note', text: `main "${missing.main}" of ${who} names a package's module, which the build (@cloudflare/vite-plugin resolves main as an import) takes from node_modules; deploy-guard reads the repository's source, not installed packages, so ${SKIPPED} it.` };
  }
  const template = templateFolder(envs[0]!.config);
  if (template) {
    return { severity: 'note', text: `main "${missing.main}" of ${who} does not exist; the config lies in ${template}/, a template meant to be copied elsewhere before use, so ${SKIPPED} it here.` };
  }
  const folder = buildOutputFolder(missing.main);
  if (folder) {
    return { severity: 'note', text: `main "${missing.main}" of ${who} is not in the repository; it lies in ${folder}/, so a build step writes it. deploy-guard reads source, not build output: ${SKIPPED} this Worker until its entry is source in the repository.` };
  }
  return { severity: 'warning', text: `main "${missing.main}" of ${who} does not exist, so its code could not be read and ${SKIPPED} it. wrangler deploy fails on a missing main unless a build step creates it first: fix the path, or point main at the source file.` };
}

/**
 * A Worker whose `main` cannot be read: no module was analysed, so the binding rules say nothing
 * about it. A warning by default (a wrong path fails the deploy, and it silently disables checks);
 * a note when the path is plainly build output (`dist/`, `.svelte-kit/`, ...), outside the
 * repository, or the config is a template (`templates/wrangler.toml`), where nothing in the
 * repository needs fixing.
 */
export const mainNotFound: StaticRule = {
  id: 'main-not-found',
  defaultSeverity: 'warning',
  tag: 'correctness',
  description: "A Worker's main does not exist in the repository (or lies outside it), so its code could not be checked.",
  check(model) {
    const findings: RuleFinding[] = [];
    // One finding per place `main` is set: an inherited main speaks for every environment that inherits it.
    const groups = new Map<string, { missing: MainNotFound; envs: WorkerEnvironment[] }>();
    for (const worker of model.workers) {
      for (const env of worker.environments) {
        if (env.dev || !env.main) continue;
        const missing = model.usage[env.main]?.mainNotFound;
        if (!missing) continue;
        const at = env.mainAt ?? missing.at;
        const key = `${at.file}:${at.line}:${at.column}:${env.main}`;
        const group = groups.get(key) ?? { missing: { ...missing, at }, envs: [] };
        group.envs.push(env);
        groups.set(key, group);
      }
    }
    for (const { missing, envs } of groups.values()) {
      const { text, severity } = message(missing, envs);
      findings.push({
        severity,
        message: text,
        file: missing.at.file, line: missing.at.line, column: missing.at.column,
        ...(envs.length === 1 ? { environment: environmentName(envs[0]!) } : {}),
        subject: missing.main,
      });
    }
    return findings;
  },
};
