/**
 * Every default deploy-guard applies when neither the config file, a CLI flag nor an action input
 * says otherwise: the one place to read or change one. A leaf module (no imports), so the HTTP
 * client and the readers can use it without pulling in the rule catalogue.
 */

/** The config file looked for in the checked folder. */
export const CONFIG_FILE_NAME = 'deploy-guard.config.json';

/** The file `deploy-guard baseline` writes in the checked folder. */
export const BASELINE_FILE_NAME = 'deploy-guard.baseline.json';

/** Exit 1 / fail the step at or above this level. */
export const DEFAULT_FAIL_ON = 'error';

/** Files above this size are skipped with a note: real configs are kilobytes. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Deadline per live request, body included (`--timeout`). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** What the smoke test calls on the Worker when no path is named (`--smoke-path`, input `smoke-paths`). */
export const DEFAULT_SMOKE_PATHS: readonly string[] = ['/'];

/** The Cloudflare API (`--cloudflare-api-url`, env CLOUDFLARE_API_BASE_URL). */
export const DEFAULT_CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4';

/** Live requests and the PR comment's GitHub API calls: retries after a 5xx or 429, and (live) the first pause between them (doubling). */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_BACKOFF_MS = 500;

/** Deadline of each GitHub API request the PR comment makes (list, create, update). */
export const GITHUB_API_TIMEOUT_MS = 10_000;

/** Source modules above this size are not parsed (a note says so): hand-written modules are far smaller. */
export const MAX_MODULE_BYTES = 2 * 1024 * 1024;

/** Where `--cache` keeps module facts, relative to the folder deploy-guard runs in (ESLint's and knip's place). */
export const DEFAULT_CACHE_LOCATION = 'node_modules/.cache/deploy-guard';

/**
 * How far `${VAR}` expansion of env files goes (src/env-expansion.ts): a value stops at 1 MiB or
 * after 10,000 steps (a value that never ends, where Next.js's recursion overflows the stack, is
 * taken as such), and one loader run scans at most 64 Mi characters or 16 per character written,
 * whichever is more.
 */
export const MAX_EXPANDED_LENGTH = 1 << 20;
export const MAX_EXPANSION_STEPS = 10_000;
export const WORK_PER_RUN = 64 << 20;
export const WORK_PER_WRITTEN_CHARACTER = 16;
