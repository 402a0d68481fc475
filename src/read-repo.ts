/**
 * The "read" stage: turns discovered files into RepoData. Every failure becomes a ReadProblem
 * naming file and line; nothing here throws on user input, so one broken file never hides the
 * findings of the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedEnvFile, LoadedPackageJson, LoadedProjectRef, LoadedWorkerConfig, RepoData } from './repo-data.js';
import { committedSecretPlaces } from './read/tracked-secrets.js';
import { FRAMEWORK_CONFIG } from './frontends.js';
import { DEFAULT_MAX_FILE_BYTES } from './defaults.js';
import type { Discovery, DiscoveredFile } from './discover.js';
import type { ReadProblem } from './model.js';
import { readEnvFile } from './read/env-file.js';
import { modesInScripts, readEnvLike } from './read/env-file-role.js';
import { readJsonc } from './read/jsonc.js';
import { decodeText } from './read/text.js';
import { readToml } from './read/toml.js';
import type { ReadResult } from './read/document.js';
import { projectRefFromFile } from './supabase/target.js';
import { isProjectRef } from './supabase/urls.js';
import { resolveWorkerConfig } from './wrangler/environments.js';
import { findDirectives, type Directive } from './suppress.js';
import { applyScriptEntries, deployEntriesFromScripts, type ConfigKind, type PackageScripts } from './wrangler/entry-from-scripts.js';
import { readDeployCommands, type PackageSource, type WorkflowSource } from './wrangler/deploy-commands.js';
import { committedSecretFile, documentedSecrets, type DocumentSource } from './wrangler/documented-secrets.js';

/** The files read for the secret names they document (wrangler/documented-secrets.ts), by kind. */
const DOCUMENT_KINDS = { markdown: 'markdown', 'shell-script': 'shell', makefile: 'makefile', 'worker-types': 'worker-types' } as const satisfies Record<string, DocumentSource['kind']>;

/** Text encodings of encrypted files that share env files' names (`gpg --armor`, `$ANSIBLE_VAULT`). */
const ENCRYPTED_TEXT = /^\s*(?:-----BEGIN PGP MESSAGE-----|\$ANSIBLE_VAULT;)/;

/** wrangler's own lookup order when several configs sit in one folder. */
const WRANGLER_PRECEDENCE = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];

export type ReadOutcome = { data: RepoData; problems: ReadProblem[]; directives: Directive[] };

function loadText(root: string, file: DiscoveredFile, maxBytes: number, problems: ReadProblem[]): string | undefined {
  const abs = path.join(root, ...file.path.split('/'));
  let bytes: Buffer;
  try {
    const size = fs.statSync(abs).size;
    if (size > maxBytes) {
      problems.push({ file: file.path, line: 1, column: 1, severity: 'note', message: `${file.path} was not read: it is ${Math.round(size / 1024 / 1024)} MiB, above the ${Math.round(maxBytes / 1024 / 1024)} MiB limit for configuration files.` });
      return undefined;
    }
    bytes = fs.readFileSync(abs);
  } catch (error) {
    problems.push({ file: file.path, line: 1, column: 1, severity: 'error', message: `${file.path} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).` });
    return undefined;
  }
  const isEnvFile = file.kind === 'env-file' || file.kind === 'dev-vars';
  const decoded = decodeText(bytes, file.path);
  if (!decoded.ok) {
    // A binary `.env.prod.secret` is an encrypted secrets file (git-crypt, gpg, sops), not a broken
    // dotenv file: nothing in it is for deploy-guard, and failing the check on it would be wrong.
    if (isEnvFile) {
      problems.push({ file: file.path, line: 1, column: 1, severity: 'note', message: `${file.path} is not text (an encrypted secrets file?), so it was not read as an env file.` });
      return undefined;
    }
    problems.push({ file: file.path, line: decoded.error.line, column: decoded.error.column, severity: 'error', message: `${file.path} cannot be read as text: ${decoded.error.message}` });
    return undefined;
  }
  if (isEnvFile && ENCRYPTED_TEXT.test(decoded.text.slice(0, 200))) {
    problems.push({ file: file.path, line: 1, column: 1, severity: 'note', message: `${file.path} is encrypted (ASCII-armoured PGP or similar), so it was not read as an env file.` });
    return undefined;
  }
  return decoded.text;
}

function parseFailure(file: string, result: Extract<ReadResult, { ok: false }>): ReadProblem {
  const { line, column, message } = result.error;
  return { file, line, column, severity: 'error', message: `${file}:${line}: ${message}` };
}

function readWorkerConfig(file: DiscoveredFile, text: string, problems: ReadProblem[], kinds: Map<string, ConfigKind>, codeFiles: ReadonlySet<string>): LoadedWorkerConfig | undefined {
  const name = path.posix.basename(file.path);
  const result = name.endsWith('.toml') ? readToml(text, file.path) : readJsonc(text, file.path, name.endsWith('.jsonc') ? 'jsonc' : 'json');
  if (!result.ok) {
    problems.push(parseFailure(file.path, result));
    return undefined;
  }
  const resolved = resolveWorkerConfig(result.doc, { configFile: file.path, codeFiles });
  kinds.set(file.path, configKind(result.doc.data));
  for (const p of resolved.problems) problems.push({ file: file.path, line: p.line, column: p.column, severity: p.severity ?? 'error', message: `${file.path}:${p.line}: ${p.message}` });
  return { path: file.path, environments: resolved.environments, ...(resolved.local ? { local: resolved.local } : {}) };
}

/** Whether a config needs no `main`: a Pages project, or a Worker that only serves assets (wrangler accepts both without one). */
function configKind(data: unknown): ConfigKind {
  const table = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const envs = typeof table.env === 'object' && table.env !== null ? Object.values(table.env as Record<string, unknown>) : [];
  const hasAssets = (t: unknown) => typeof t === 'object' && t !== null && (t as Record<string, unknown>).assets !== undefined;
  return { pages: table.pages_build_output_dir !== undefined, assets: hasAssets(table) || envs.some(hasAssets) };
}

function readPackageJson(file: DiscoveredFile, text: string, scripts: PackageScripts[], sources: PackageSource[]): LoadedPackageJson | undefined {
  const result = readJsonc(text, file.path, 'json');
  // Every script, for the deploy commands (deploy-commands.ts): which environments and secrets they deploy.
  if (result.ok && typeof result.doc.data === 'object' && result.doc.data !== null) {
    const all = (result.doc.data as Record<string, unknown>).scripts;
    if (typeof all === 'object' && all !== null && !Array.isArray(all)) {
      const strings = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const doc = result.doc;
      if (Object.keys(strings).length > 0) sources.push({ path: file.path, scripts: strings, locate: (script) => doc.locate(['scripts', script]) });
    }
  }
  // `"deploy": "wrangler deploy src/index.ts"`: the entry of a config without main (entry-from-scripts.ts).
  if (result.ok && typeof result.doc.data === 'object' && result.doc.data !== null) {
    const entries = deployEntriesFromScripts((result.doc.data as Record<string, unknown>).scripts);
    const doc = result.doc;
    if (entries.length > 0) scripts.push({ path: file.path, entries, locate: (script) => doc.locate(['scripts', script]) });
  }
  // A broken package.json is npm's to report; it only tells us which framework a folder uses.
  if (!result.ok || typeof result.doc.data !== 'object' || result.doc.data === null) return undefined;
  const pkg = result.doc.data as Record<string, unknown>;
  const dependencies = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = pkg[key];
    if (typeof deps === 'object' && deps !== null && !Array.isArray(deps)) for (const dep of Object.keys(deps)) dependencies.add(dep);
  }
  const name = typeof pkg.name === 'string' && pkg.name.trim() !== '' ? pkg.name.trim() : undefined;
  return { path: file.path, dependencies, ...(name ? { name } : {}) };
}

/**
 * `project_id` of `supabase/config.toml`, when it has a ref's shape: `supabase init` writes the
 * folder's name there, app builders (and people who link by hand) the remote project's ref. A
 * broken config.toml is the Supabase CLI's to report; it only costs us this weak evidence.
 */
function readSupabaseConfigRef(file: DiscoveredFile, text: string, problems: ReadProblem[]): LoadedProjectRef | undefined {
  const result = readToml(text, file.path);
  if (!result.ok) {
    problems.push({ file: file.path, line: result.error.line, column: result.error.column, severity: 'note', message: `${file.path}:${result.error.line}: ${result.error.message} (its project_id is not read)` });
    return undefined;
  }
  const data = result.doc.data as Record<string, unknown>;
  const ref = data.project_id;
  if (typeof ref !== 'string' || !isProjectRef(ref)) return undefined;
  const { line, column } = result.doc.locate(['project_id']);
  return { path: file.path, ref, at: { file: file.path, line, column }, via: 'config-project-id' };
}

/** Keeps the config wrangler itself would use in each folder and notes the others. */
function effectiveWranglerConfigs(files: readonly DiscoveredFile[], problems: ReadProblem[]): DiscoveredFile[] {
  const byDir = new Map<string, DiscoveredFile[]>();
  for (const f of files) {
    const dir = path.posix.dirname(f.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const chosen: DiscoveredFile[] = [];
  for (const group of byDir.values()) {
    const ordered = [...group].sort((a, b) => WRANGLER_PRECEDENCE.indexOf(path.posix.basename(a.path)) - WRANGLER_PRECEDENCE.indexOf(path.posix.basename(b.path)));
    const [first, ...rest] = ordered;
    if (!first) continue;
    chosen.push(first);
    for (const other of rest) {
      problems.push({ file: other.path, line: 1, column: 1, severity: 'note', message: `${other.path} is ignored by wrangler because ${first.path} takes precedence (wrangler reads wrangler.json, then wrangler.jsonc, then wrangler.toml); deploy-guard checks ${first.path} only.` });
    }
  }
  return chosen.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The names (never the values) in a file given to `wrangler secret bulk FILE` or `--secrets-file
 * FILE`: JSON `{"NAME": "value"}` or a .dev.vars-style file, as wrangler reads both. An env file
 * already read is used as read; another file inside the root is read here. Undefined when absent.
 */
function secretFileNames(root: string, file: string, envFiles: readonly LoadedEnvFile[], maxBytes: number): string[] | undefined {
  const known = envFiles.find((f) => f.path === file);
  if (known) return known.entries.map((e) => e.name);
  if (file.startsWith('..') || file.startsWith('/') || path.posix.normalize(file) !== file) return undefined;
  let text: string;
  try {
    // A symbolic link may point out of the repository: only files inside it are read.
    const abs = fs.realpathSync(path.join(root, ...file.split('/')));
    const rel = path.relative(fs.realpathSync(root), abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const stat = fs.statSync(abs);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
  if (/^\s*\{/.test(text)) {
    try {
      const data = JSON.parse(text) as unknown;
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.keys(data) : undefined;
    } catch {
      return undefined;
    }
  }
  return readEnvFile(text, file).entries.map((e) => e.name);
}

export function readRepository(discovery: Discovery, maxFileBytes = DEFAULT_MAX_FILE_BYTES): ReadOutcome {
  const problems: ReadProblem[] = discovery.skipped.map((s) => ({ file: s.path, line: 1, column: 1, severity: 'note', message: `${s.path} was not read: it ${s.reason}.` }));
  const data: RepoData = { root: discovery.root, envFiles: [], workers: [], packageJsons: [], projectRefs: [], ...(discovery.tracked ? { tracked: discovery.tracked } : {}) };
  const wranglerFiles = effectiveWranglerConfigs(discovery.files.filter((f) => f.kind === 'wrangler-config'), problems);
  const directives: Directive[] = [];
  const configKinds = new Map<string, ConfigKind>();
  // A Pages project's entry (`_worker.js` or `functions/`) is whichever of them the repository holds.
  const codeFiles = new Set(discovery.codeFiles);
  const packageScripts: PackageScripts[] = [];
  const scriptSources: PackageSource[] = [];
  const workflows: WorkflowSource[] = [];
  const envTexts: { file: DiscoveredFile; text: string }[] = [];
  const texts = new Map<string, string>();
  const documents: DocumentSource[] = [];

  for (const file of wranglerFiles) {
    const text = loadText(discovery.root, file, maxFileBytes, problems);
    if (text !== undefined) directives.push(...findDirectives(file.path, text));
    if (text !== undefined) documents.push({ path: file.path, kind: 'wrangler-config', text });
    const worker = text === undefined ? undefined : readWorkerConfig(file, text, problems, configKinds, codeFiles);
    if (worker) data.workers.push(worker);
  }
  for (const file of discovery.files) {
    if (file.kind === 'wrangler-config') continue;
    const text = loadText(discovery.root, file, maxFileBytes, problems);
    if (text === undefined) continue;
    texts.set(file.path, text);
    if (file.kind === 'env-file' || file.kind === 'dev-vars') directives.push(...findDirectives(file.path, text));
    switch (file.kind) {
      case 'env-file':
      case 'dev-vars':
        // Read once every package script is known: which modes are in use decides what a problem weighs.
        envTexts.push({ file, text });
        break;
      case 'package-json': {
        const pkg = readPackageJson(file, text, packageScripts, scriptSources);
        if (pkg) data.packageJsons.push(pkg);
        break;
      }
      case 'supabase-config': {
        const ref = readSupabaseConfigRef(file, text, problems);
        if (ref) data.projectRefs.push(ref);
        break;
      }
      case 'project-ref': {
        const ref = projectRefFromFile(text);
        if (ref) data.projectRefs.push({ path: file.path, ref, at: { file: file.path, line: 1, column: 1 }, via: 'link' } satisfies LoadedProjectRef);
        else problems.push({ file: file.path, line: 1, column: 1, severity: 'warning', message: `${file.path} does not hold a Supabase project ref (20 lowercase letters); run \`supabase link\` again.` });
        break;
      }
      case 'workflow':
        workflows.push({ path: file.path, text });
        break;
      case 'markdown':
      case 'shell-script':
      case 'makefile':
      case 'worker-types':
        documents.push({ path: file.path, kind: DOCUMENT_KINDS[file.kind], text });
        break;
    }
  }
  const frameworkConfigs = discovery.codeFiles.filter((file) => FRAMEWORK_CONFIG.test(path.posix.basename(file)));
  if (frameworkConfigs.length > 0) data.frameworkConfigs = frameworkConfigs;
  const committed = committedSecretPlaces(discovery, maxFileBytes, texts);
  if (committed.length > 0) data.committedSecrets = committed;
  const modesInUse = modesInScripts(scriptSources.flatMap((p) => Object.values(p.scripts)));
  for (const worker of data.workers) for (const env of worker.environments) if (env.name !== null) modesInUse.add(env.name);
  for (const { file, text } of envTexts) {
    const loaded = readEnvLike(file, text, modesInUse, problems);
    if (loaded) data.envFiles.push(loaded);
  }
  // What package.json scripts and workflows deploy, and the secret names they put (deploy-commands.ts).
  const deploy = readDeployCommands({
    configs: data.workers.map((w) => ({ path: w.path, environments: w.environments.filter((e) => !e.dev).map((e) => ({ name: e.name, scriptName: e.scriptName })) })),
    packages: scriptSources,
    workflows,
    secretFileNames: (file) => secretFileNames(discovery.root, file, data.envFiles, maxFileBytes),
  });
  data.workers = data.workers.map((w) => {
    const facts = deploy.facts.get(w.path);
    return facts ? { ...w, deploy: facts } : w;
  });
  problems.push(...deploy.notes);
  // Secret names documented in READMEs, scripts, config comments, `wrangler types` output and templates above the Worker.
  const documented = documentedSecrets({
    configs: data.workers.map((w) => w.path),
    documents,
    manifests: data.envFiles,
    secretFileNames: (file) => committedSecretFile(file, (candidate) => secretFileNames(discovery.root, candidate, data.envFiles, maxFileBytes)),
  });
  data.workers = data.workers.map((w) => {
    const names = documented.get(w.path);
    return names && names.length > 0 ? { ...w, documented: names } : w;
  });
  if (deploy.stepValues.length > 0) data.workflowValues = deploy.stepValues;
  const withEntries = applyScriptEntries(data.workers, packageScripts, configKinds);
  data.workers = withEntries.workers;
  problems.push(...withEntries.notes);
  return { data, problems, directives };
}
