/**
 * The plain data model every stage shares. Built by pure functions from what the
 * readers returned; rules read it, reporters print findings. Nothing here does I/O.
 *
 * Over 300 lines: the types of one model refer to one another; split by stage, each would be
 * read from several files.
 */
import type { Sensitive } from './sensitive.js';
import type { RuleId } from './rules/ids.js';

/** A position in a repository file: path relative to the root with forward slashes, 1-based. */
export type Location = { file: string; line: number; column: number };

/** A value with where it came from. The text is wrapped so it cannot be printed by accident. */
export type Value = { value: Sensitive; at: Location; expansion?: Expansion };

export type SupabaseVia = 'url' | 'jwt' | 'connection-string' | 'project-ref-file';

export type SupabaseTarget =
  | { kind: 'project'; ref: string; via: SupabaseVia }
  | { kind: 'local' }
  | { kind: 'unknown'; reason: string };

/** One piece of evidence about the Supabase project a surface talks to. */
/**
 * How a value was expanded from `${VAR}` references: the text as written (wrapped: it can hold a
 * secret), the variables read into it with where each is set, and those set nowhere the
 * repository shows (the tool puts an empty string in their place).
 */
export type Expansion = {
  written: Sensitive;
  reads: { name: string; at: Location; source: 'file' | 'deploy-env' }[];
  missing: string[];
  /** Expansion stopped: the value grew past 1 MiB or took too many steps. */
  unfinished?: true;
};

export type SupabaseEvidence = {
  /** The variable that holds it, e.g. `VITE_SUPABASE_URL`. */
  variable: string;
  role: 'url' | 'anon-key' | 'service-key' | 'publishable-key' | 'secret-key' | 'jwt-secret' | 'database-url' | 'project-ref' | 'access-token';
  target: SupabaseTarget;
  at: Location;
  /** Where the value came from: a file, `deploy-env` when handed in by the workflow, `code` for a literal in code. */
  source: 'file' | 'deploy-env' | 'code';
  /**
   * How strongly it decides the surface's project, strongest first:
   * `client`: the value code hands to `createClient` (a literal, or the env var the code reads);
   * `setting`: a value in an env file, `[vars]` or deploy-time value that no client is shown to read;
   * `link`: a linked project (`supabase/config.toml` `project_id`, `supabase/.temp/project-ref`).
   * Absent means `setting`.
   */
  strength?: 'client' | 'setting' | 'link';
  /** For `client` evidence read through an env var: where the code hands it to the client. */
  usedAt?: Location;
  /** A JWT key's `exp`, ISO 8601. */
  expiresAt?: string;
  /** A JWT key checked against the surface's JWT secret (HS256). */
  signature?: 'valid' | 'invalid';
  /** For a JWT key: where the JWT secret it was checked against is set. */
  checkedAgainst?: Location;
  /** The value itself, wrapped (prints as [redacted]); only the live checks use it. */
  value?: Sensitive;
  /** When the value was expanded from `${VAR}` references: how. */
  expansion?: Expansion;
};

export type SurfaceKind = 'frontend' | 'worker';

/** Something that talks to Supabase in one environment. */
export type Surface = {
  kind: SurfaceKind;
  /** The frontend's directory or the Worker's wrangler config, repo-relative ('.' for the root). */
  path: string;
  /** The environment this surface belongs to: 'production', 'staging', 'local', ... */
  environment: string;
  /** Human label: "frontend (vite, mode production)", "worker api-staging". */
  label: string;
  /** Its short name for a diagram: a frontend's package name (else its folder), a Worker's name. */
  name: string;
  /** The files layered to produce this surface's values, lowest precedence first. */
  sources: string[];
  evidence: SupabaseEvidence[];
  /** Frontends: the hosts it names outside Supabase (its API base, URLs in its code), for pairing. */
  calls?: SurfaceCall[];
  /** Variables a deploy workflow supplies from GitHub's secrets or variables, whose values are not in the repository. */
  supplied?: SuppliedValue[];
  /**
   * Why nothing decides the project, for a frontend that uses Supabase but commits no value for it:
   * shown so a reader knows it was seen.
   */
  undecided?: string;
};

/** A host a frontend's settings or code name: `VITE_API_URL=https://api.example.com` gives api.example.com. */
export type SurfaceCall = {
  host: string;
  /** The variable, or "a URL in code". */
  via: string;
  at: Location;
  /** From a literal in code, which every build mode shares, rather than from this mode's settings. */
  fromCode: boolean;
};

export type BindingKind =
  | 'kv_namespace' | 'durable_object' | 'r2_bucket' | 'd1_database' | 'queue' | 'service'
  | 'analytics_engine' | 'vectorize' | 'hyperdrive' | 'ai' | 'ai_search' | 'browser' | 'images'
  | 'media' | 'stream' | 'version_metadata' | 'send_email' | 'dispatch_namespace' | 'mtls_certificate'
  | 'pipeline' | 'ratelimit' | 'secrets_store_secret' | 'workflow' | 'worker_loader' | 'vpc_service'
  | 'vpc_network' | 'assets' | 'unsafe' | 'text_blob' | 'data_blob' | 'wasm_module' | 'logfwdr'
  | 'agent_memory' | 'websearch' | 'artifacts' | 'flagship' | 'var' | 'unknown';

/**
 * `details`: scalar fields (id, bucket_name…) a snippet may copy. `credentials`: fields that can
 * hold one (Hyperdrive's `localConnectionString`), kept apart so no snippet copies them, and
 * classified like [vars] (classify.ts, in build-model.ts).
 */
export type Binding = { name: string; kind: BindingKind; at: Location; details?: Record<string, string>; credentials?: Record<string, Value> };

/** `deploy-command`: a repository command supplies it (`wrangler secret put NAME`, wrangler-action `secrets:`; see DeployFacts). */
export type SecretSource = 'dev-vars' | 'dev-env' | 'secrets.required' | 'manifest' | 'deploy-env' | 'deploy-command';

export type DeclaredSecret = { name: string; source: SecretSource; at?: Location; value?: Value };

/**
 * Where a deployed Worker environment answers requests: what a frontend's API URL is matched
 * against to tell which Worker it calls.
 */
export type Endpoint =
  /** A zone route pattern (`routes`, `route`), e.g. `api.example.com/*`. */
  | { kind: 'route'; pattern: string; at: Location }
  /** `{ pattern = "api.example.com", custom_domain = true }`. */
  | { kind: 'custom-domain'; host: string; at: Location }
  /** `<script>.<account subdomain>.workers.dev` (the subdomain is not in the repository), when workers_dev is on. */
  | { kind: 'workers-dev'; scriptName: string }
  /** A Pages project: `<project>.pages.dev` and `<branch>.<project>.pages.dev`. */
  | { kind: 'pages-dev'; project: string };

/** A Cloudflare Pages project (`pages_build_output_dir` in its wrangler config). */
export type PagesProject = {
  /** The build output folder, repo-relative. */
  outputDir: string;
  /** The Functions folder (`functions/` beside the config), repo-relative, when it exists. */
  functionsDir?: string;
  /** `<outputDir>/_worker.js` when it is in the repository (advanced mode: replaces functions/). */
  advancedWorker?: string;
};

/** One Worker as deployed by `wrangler deploy [--env NAME]`, or run by `wrangler dev` (local). */
export type WorkerEnvironment = {
  /** The wrangler config file, repo-relative. */
  config: string;
  /** `null` = the top level (no `--env`); 'local' environments use `dev: true`. */
  name: string | null;
  /** true for the values `wrangler dev` runs with (.dev.vars / dev .env files). */
  dev: boolean;
  /** The script name wrangler would deploy (`<name>-<env>` unless the env sets `name`). */
  scriptName: string;
  /** `main`, resolved relative to the config file and made repo-relative; absent for assets-only. */
  main?: string;
  /** Where `main` is set (the env's own or the inherited top-level key). */
  mainAt?: Location;
  compatibilityFlags: string[];
  /** Routes, custom domains, workers.dev: where this environment is reached (absent when unknown). */
  endpoints?: Endpoint[];
  /** Set for a Pages project: `main` is then the Functions folder or `_worker.js`. */
  pages?: PagesProject;
  bindings: Binding[];
  vars: Record<string, Value>;
  secrets: DeclaredSecret[];
  /** Where `[env.NAME]` starts in the config (or line 1 for the top level). */
  at: Location;
};

/** What the repository's deploy commands say about one Worker config (package.json scripts, .github/workflows/*.yml). */
export type DeployFacts = {
  /** Environments a command deploys (`wrangler deploy [--env X]`, `wrangler versions upload`, wrangler-action): env null = the top level. */
  deployed: { env: string | null; at: Location; via: string }[];
  /** Environments only `wrangler dev --env X` uses. */
  devOnly: { env: string; at: Location; via: string }[];
  /** Names a command supplies: `wrangler secret put NAME [--env X]`, `secret bulk`, wrangler-action `secrets:` (names listed; values come from the step's `env:`), `wrangler deploy --var NAME:VALUE`. */
  secrets: { name: string; env: string | null; at: Location; via: string; from?: GitHubValue }[];
};

/**
 * A value a workflow takes from GitHub's settings rather than the repository: `${{ secrets.KEY }}`
 * or `${{ vars.KEY }}`, read in a job that names a GitHub deployment `environment` (whose own
 * secrets and variables then win over the repository's) or none. Names only: the value is never in
 * the repository, and never read.
 */
export type GitHubValue = {
  store: 'secrets' | 'vars';
  key: string;
  /** The job's GitHub environment; absent when the job names none (repository or organization values). */
  environment?: string;
};

/** A variable of a surface that a deploy workflow supplies from GitHub's settings (see GitHubValue). */
export type SuppliedValue = { variable: string; from: GitHubValue; at: Location; via: string };

/**
 * A secret name the repository documents for a Worker outside its config's `secrets.required` and
 * its `.dev.vars` files (src/wrangler/documented-secrets.ts): `via` says in which form, e.g.
 * `wrangler secret put` in a README, a table of secrets, `Env` of `wrangler types`.
 */
export type DocumentedSecret = { name: string; at: Location; via: string };

export type WorkerConfig = {
  config: string;
  /** Every environment, top level first, then `[env.*]` in name order, then the local dev one. */
  environments: WorkerEnvironment[];
  /** Absent when no command of the repository names this config. */
  deploy?: DeployFacts;
  /** Secret names documented for this Worker (README, scripts, comments, `wrangler types`), first place per name, by name. */
  documented?: DocumentedSecret[];
};

/** `env.NAME` read in a module reachable from `main`. */
export type Usage = {
  name: string;
  at: Location;
  /** The code carries on without the name here (`env.X ?? fallback`, `env.X?.get()`, `if (!env.X) return null`). */
  guarded?: true;
  /** The code tests for the name's absence here and fails without it: what it does then, and where. */
  requiredBy?: { says: string; at: Location };
  /** Names the code reads in this one's place (`env.A || env.B` for B): required only where none is declared. */
  alternatives?: string[];
};

/** An access that could read any binding (`env[key]`, `{...env}`, env handed to a package). */
export type OpaqueAccess = { at: Location; reason: string };

/** What code hands to a Supabase client factory: a literal (wrapped: it may be a key) or an env name. */
export type ClientArgument =
  | { kind: 'literal'; value: Sensitive; at: Location; constant?: string }
  | { kind: 'env'; name: string; at: Location };

/** `createClient(url, key)` (or `@supabase/ssr`'s factories) in code, with what each argument can be. */
export type SupabaseClientUse = { callee: string; at: Location; url: ClientArgument[]; key: ClientArgument[] };

/** What a frontend's own code says: its Supabase clients, and the hosts it names in URL literals. */
export type FrontendCode = {
  /** The frontend folder, repo-relative. */
  path: string;
  supabaseClients: SupabaseClientUse[];
  /** `https://host…` written in its code, first place each host appears. */
  urls: { host: string; at: Location }[];
};

/** What the code reachable from one `main` reads. */
export type CodeUsage = {
  /** Supabase clients created in reachable modules. */
  supabaseClients?: SupabaseClientUse[];
  reads: Usage[];
  opaque: OpaqueAccess[];
  /** Reachable modules, repo-relative, sorted. */
  modules: string[];
  /** Names exported by main. */
  mainExports: string[];
  /** Set when main, or a module it re-exports, was not read (a Python entry, a syntax error). */
  mainExportsUnknown?: true;
  /** Set when `main` could not be read: no module was analysed (rule `main-not-found`). */
  mainNotFound?: MainNotFound;
  /**
   * The handlers main's default export defines, when it is an object literal (`fetch`, `scheduled`,
   * `queue`, `email`, `tail`); absent when that cannot be told (`export default app`, a class).
   */
  handlers?: string[];
};

/**
 * A `main` the usage analysis could not start from: `missing` (no such file; often the output of a
 * build step), `outside` (it leaves the repository) or `package` (it names a package's module,
 * `@scope/pkg/entry`, which a bundler resolves from node_modules). `at` is where the config sets it.
 */
export type MainNotFound = { main: string; at: Location; reason: 'missing' | 'outside' | 'package' };

export type Severity = 'error' | 'warning' | 'note';

/** Derived from the rule files (src/rules/ids.ts, generated by scripts/rule-catalogue.mjs). */
export type { RuleId };

export type Finding = {
  rule: RuleId;
  severity: Severity;
  /** A full sentence. Names keys and files, never a secret value. */
  message: string;
  file: string;
  line: number;
  column?: number;
  environment?: string;
  /** The binding, variable or key the finding is about. */
  subject?: string;
  related?: (Location & { message?: string })[];
};

/**
 * Why a frontend folder is taken to call a Worker config, strongest first: evidence of calls
 * (its API URL names the Worker's route, custom domain or workers.dev host; a Pages project's own
 * Functions; a service binding from a Worker it calls), then proximity (one package, or one folder
 * inside the other), then nothing at all (`assumed`: only environment names pair them).
 */
export type PairLink = {
  kind: 'api-url' | 'pages-functions' | 'service-binding' | 'same-package' | 'assumed' | 'config';
  /** One sentence naming the evidence, e.g. `VITE_API_URL (apps/shop/.env.production:1) names shop-api.example.com, a route of workers/shop-api/wrangler.toml`. */
  detail: string;
  at?: Location;
};

/** Two surfaces expected to agree on their Supabase project when deployed together. */
export type Pair = {
  environment: string;
  /** The caller: a frontend surface, or with `caller: 'worker'` a Worker surface that binds the other. */
  frontend: { path: string; environment: string };
  /** Set when the caller is a Worker calling through a service binding (a full-stack app's Worker, a gateway). */
  caller?: 'worker';
  worker: { path: string; environment: string };
  /** How the environments were matched: from names, an API URL naming this very environment, or the config file. */
  reason: 'same-name' | 'local-dev' | 'top-level-as-production' | 'api-url' | 'config';
  /** Why this frontend is taken to call this Worker at all. */
  link: PairLink;
};

/** An env file (.env*, .dev.vars*), with the entries whose values are secret. */
export type EnvFileFacts = {
  path: string;
  /** `true`/`false` from `git ls-files`; `undefined` when the root is not a git work tree. */
  tracked?: boolean;
  /** Entries whose value is a secret by its shape (service key, sb_secret_, password in a URL, JWT secret). */
  secretEntries: { name: string; at: Location; what: string; byName?: true }[];
};

/**
 * A credential committed in a file not read as configuration, with every place it appears (the
 * same key pasted in five files is one fault to rotate). The value is wrapped, never printed.
 */
export type CommittedSecret = { value: Sensitive; what: string; places: Location[] };

/** A file deploy-guard could not read as intended. Becomes a `parse-error` finding. */
export type ReadProblem = { file: string; line: number; column: number; message: string; severity: Severity };

/** Everything the rules look at. */
export type DeploymentModel = {
  root: string;
  workers: WorkerConfig[];
  surfaces: Surface[];
  pairs: Pair[];
  /** Env files and what in them is secret (names and places only, never values). */
  envFiles: EnvFileFacts[];
  /** Credentials committed in other tracked files (scripts, Markdown, CI files), one per value. */
  committedSecrets?: CommittedSecret[];
  /** Whether the root is a git work tree (`git ls-files` worked): decides what "committed" means. */
  gitTracking: boolean;
  /** Code usage per repo-relative `main` (absent when usage analysis did not run). */
  usage: Record<string, CodeUsage>;
  /** Files that could not be read or parsed, and paths skipped on purpose (severity note). */
  problems: ReadProblem[];
  /** Projects named by `supabase link` (`supabase/.temp/project-ref`): shown, not compared. */
  supabaseLinks: { path: string; ref: string }[];
};
