/**
 * What an env-like file is to the tools that would load it, so that a problem in it weighs what
 * it costs: a broken line in a file a deployed build loads is an error, in one only `vite dev` or
 * `wrangler dev` loads a warning, and in a template or a file no tool loads a note. And a file
 * named like an env file that holds JSON, YAML or code (`.env.schema` as a JSON Schema document,
 * `.env.yml`) is no dotenv file at all: no loader reads it, so it is not read as one either.
 */
import { isManifestFile } from '../layers.js';
import { parseTree } from 'jsonc-parser';
import path from 'node:path';
import type { DiscoveredFile } from '../discover.js';
import type { ReadProblem } from '../model.js';
import type { LoadedEnvFile } from '../repo-data.js';
import { readEnvFile } from './env-file.js';

export type EnvFileRole = 'deployed' | 'local' | 'template' | 'unloaded';

/** The severity of a line dotenv cannot read, by the file's role. */
export const PROBLEM_SEVERITY: Record<EnvFileRole, 'error' | 'warning' | 'note'> = { deployed: 'error', local: 'warning', template: 'note', unloaded: 'note' };

/** Extensions no dotenv loader reads (`.env.schema.json`, `.env.d.ts`, `.env.yml`). */
const OTHER_FORMATS: Record<string, string> = {
  json: 'JSON', jsonc: 'JSON', json5: 'JSON', yml: 'YAML', yaml: 'YAML', toml: 'TOML',
  js: 'JavaScript', cjs: 'JavaScript', mjs: 'JavaScript', ts: 'TypeScript', mts: 'TypeScript', cts: 'TypeScript',
  py: 'Python', sh: 'a shell script', md: 'Markdown', xml: 'XML', gpg: 'an encrypted file', enc: 'an encrypted file', age: 'an encrypted file',
};

/** A dotenv assignment as dotenv's grammar accepts it, `export` included. */
const DOTENV_LINE = /^\s*(?:export\s+)?[\w.-]+\s*=/;
/** A YAML mapping line: `key: value` or `key:` opening a block. */
const YAML_LINE = /^\s*(?:-\s+)?[\w.-]+:(?:\s|$)/;

/**
 * What the file holds when it is not dotenv, by its name's extension or its content: JSON (its
 * first character opens an object or array and it parses as JSON), YAML (mapping lines and not one
 * dotenv line); undefined for a dotenv file.
 */
export function otherFormat(fileName: string, text: string): string | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension && OTHER_FORMATS[extension]) return OTHER_FORMATS[extension];
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || body.startsWith('[')) {
    const errors: import('jsonc-parser').ParseError[] = [];
    parseTree(body, errors, { allowTrailingComma: true });
    if (errors.length === 0) return 'JSON';
  }
  let yaml = 0;
  for (const line of body.split(/\r?\n/, 2_000)) {
    if (DOTENV_LINE.test(line)) return undefined;
    if (YAML_LINE.test(line)) yaml++;
  }
  return yaml > 0 ? 'YAML' : undefined;
}

/**
 * The role of an env file by its name, given the modes the repository builds or deploys in
 * besides development and production (`vite build --mode staging`, `wrangler deploy --env staging`):
 * - a template (`.env.example`, `.dev.vars.example`): names only, loaded by nothing;
 * - `.dev.vars*`, `.env.development*`, `.env.test*`: loaded by local servers and tests only;
 * - `.env`, `.env.local`, `.env.production*` and `.env.MODE*` of a mode in use: loaded by a
 *   build that is deployed (Vite and Next load `.env.local` in production builds too);
 * - any other `.env.NAME`: loaded by nothing the repository runs.
 */
export function envFileRole(fileName: string, modesInUse: ReadonlySet<string>): EnvFileRole {
  if (isManifestFile(fileName)) return 'template';
  if (fileName === '.dev.vars' || fileName.startsWith('.dev.vars')) return 'local';
  if (fileName === '.env' || fileName === '.env.local') return 'deployed';
  const mode = fileName.slice('.env.'.length).replace(/\.local$/, '');
  if (mode === 'development' || mode === 'test') return 'local';
  if (mode === 'production' || modesInUse.has(mode)) return 'deployed';
  return 'unloaded';
}

/** `--mode NAME` / `-m NAME` (Vite, Astro, Nuxt) and `--env NAME` / `-e NAME` (wrangler) in package scripts. */
export function modesInScripts(scripts: Iterable<string>): Set<string> {
  const modes = new Set<string>();
  for (const script of scripts) {
    for (const match of script.matchAll(/(?:^|\s)(?:--mode|-m|--env|-e)(?:=|\s+)["']?([\w.-]+)/g)) modes.add(match[1]!);
  }
  return modes;
}

/**
 * An env file as its loaders read it; a problem weighs what the file's role says (env-file-role.ts).
 * A file no tool loads that holds JSON or YAML (`.env.schema`) is no env file: one note, not read.
 */
export function readEnvLike(file: DiscoveredFile, text: string, modesInUse: ReadonlySet<string>, problems: ReadProblem[]): LoadedEnvFile | undefined {
  const name = path.posix.basename(file.path);
  const role = envFileRole(name, modesInUse);
  const format = role === 'template' || role === 'unloaded' ? otherFormat(name, text) : undefined;
  if (format) {
    problems.push({ file: file.path, line: 1, column: 1, severity: 'note', message: `${file.path} holds ${format}, not NAME=value lines, and no tool the repository runs loads it as an env file; it was not read as one.` });
    return undefined;
  }
  const parsed = readEnvFile(text, file.path);
  const why = role === 'deployed' ? '' : role === 'local' ? ' (a file only local servers load)' : role === 'template' ? ' (a template, loaded by nothing)' : ' (no build or deploy the repository runs loads this file)';
  for (const p of parsed.problems) problems.push({ file: file.path, line: p.line, column: p.column, severity: PROBLEM_SEVERITY[role], message: `${file.path}:${p.line}: ${p.message}${why}` });
  return { path: file.path, entries: parsed.entries, gitignored: file.gitignored };
}
