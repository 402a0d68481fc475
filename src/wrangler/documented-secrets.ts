/**
 * Secret names a repository documents outside its wrangler config's `secrets.required` and
 * `.dev.vars` files, for the rule `missing-secret`: the forms people write them in.
 *
 * - a comment in the wrangler config that names secrets (`# Secrets (wrangler secret put NAME):
 *   STRIPE_SECRET_KEY, RESEND_API_KEY`) or lists names (`# Required: A, B`);
 * - markdown (any `*.md`: README, CONTRIBUTING, CLAUDE.md, AGENTS.md, docs/…): the command
 *   `wrangler secret put NAME` in a code span or block, a table or list of secrets or variables,
 *   and `NAME=` lines of an env file shown in a code block;
 * - shell scripts and Makefiles: `wrangler secret put NAME`, `wrangler secret bulk FILE` (the
 *   names of FILE or of its committed example);
 * - `worker-configuration.d.ts` written by `wrangler types`: the `string` members of its `Env`;
 * - a `.env.example` in a folder above the Worker's: the names it lists that are not browser-exposed.
 *
 * Names only, never values. A name written in a sentence is no declaration: only these shapes are.
 * Commands are read by the one command-line reader of deploy scripts (command-line.ts). Pure.
 *
 * Over 300 lines: one small reader per form of documentation, all sharing the shape of a name, the
 * command reader and the choice of Worker a document speaks for; split by form, each module would
 * import those from the others.
 */
import path from 'node:path';
import type { DocumentedSecret, Location } from '../model.js';
import { isBrowserExposed } from '../classify.js';
import { isManifestFile } from '../layers.js';
import { findConfig, joinDir, packageManagerBinary, shellCommands, toolCommand, UNKNOWN, wranglerArguments } from './command-line.js';

export type DocumentKind = 'markdown' | 'shell' | 'makefile' | 'worker-types' | 'wrangler-config';
export type DocumentSource = { path: string; kind: DocumentKind; text: string };
export type ManifestSource = { path: string; entries: readonly { name: string; line: number; column: number }[] };

export type DocumentedInputs = {
  /** Worker config paths, repo-relative. */
  configs: readonly string[];
  documents: readonly DocumentSource[];
  /** Env templates (`.env.example`, …) of the repository. */
  manifests: readonly ManifestSource[];
  /** The names (never values) of a file given to `wrangler secret bulk FILE` or of its committed example; undefined when none is readable. */
  secretFileNames?: (file: string) => { names: readonly string[]; file: string } | undefined;
};

/** An env name as code reads it: upper case, digits, underscores (`STRIPE_KEY`, `DATABASE_URL`). */
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
const ENV_NAME_IN_TEXT = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g;

/** The inputs, and the configs a document speaks for when its commands name none (configsAround, asked once per file). */
type Inputs = DocumentedInputs & { around(file: string): string[] };

type Declared = { name: string; at: Location; via: string; configs: readonly string[] };

/** Per Worker config, the names documented for it: the first place each name is documented, sorted by name. */
export function documentedSecrets(given: DocumentedInputs): Map<string, DocumentedSecret[]> {
  // One answer per document: a table of a thousand rows asks once.
  const around = new Map<string, string[]>();
  const inputs: Inputs = {
    ...given,
    around: (file) => {
      let found = around.get(file);
      if (!found) around.set(file, (found = configsAround(file, given.configs)));
      return found;
    },
  };
  const found: Declared[] = [];
  for (const doc of inputs.documents) {
    if (doc.kind === 'wrangler-config') append(found, configComments(doc));
    else if (doc.kind === 'worker-types') append(found, workerTypes(doc, inputs.configs));
    else if (doc.kind === 'markdown') append(found, markdown(doc, inputs));
    else append(found, commands(doc.kind === 'makefile' ? makeRecipes(doc.text) : doc.text, doc.path, 0, inputs));
  }
  append(found, ancestorManifests(inputs));
  const out = new Map<string, Map<string, DocumentedSecret>>();
  for (const d of found) {
    for (const config of d.configs) {
      let names = out.get(config);
      if (!names) out.set(config, (names = new Map()));
      const prior = names.get(d.name);
      if (!prior || compareAt(d.at, prior.at) < 0) names.set(d.name, { name: d.name, at: d.at, via: d.via });
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)).map(([config, names]) => [config, [...names.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))]));
}

/** `target.push(...items)` without the spread, which overflows the stack for a few hundred thousand items. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function compareAt(a: Location, b: Location): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

function dirOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '' ? '.' : dir;
}

function isAtOrBelow(file: string, dir: string): boolean {
  return dir === '.' || file.startsWith(`${dir}/`);
}

/**
 * The configs a document speaks for when its commands name none (a root README's `wrangler
 * secret put X` for a Worker in `worker/`): those below the nearest folder, from the document's
 * own upwards, that holds any.
 */
function configsAround(file: string, configs: readonly string[]): string[] {
  let dir = dirOf(file);
  for (;;) {
    const below = configs.filter((c) => isAtOrBelow(c, dir));
    if (below.length > 0 || dir === '.') return below;
    dir = dirOf(dir);
  }
}

/**
 * Comment blocks of a wrangler config (`#` in TOML, `//` in JSON(C)), consecutive lines as one
 * block. A block that speaks of secrets declares every name in it; another block declares the
 * names of its lines that are only a list of names (`# Required: A, B`), not a commented-out
 * assignment (`# API_URL = "…"`), which says the value is not set.
 */
function configComments(doc: DocumentSource): Declared[] {
  const marker = doc.path.endsWith('.toml') ? /^\s*#+\s?(.*)$/ : /^\s*\/\/+\s?(.*)$/;
  const lines = doc.text.split('\n');
  const out: Declared[] = [];
  let block: { line: number; body: string }[] = [];
  const flush = () => {
    if (block.length === 0) return;
    const aboutSecrets = block.some((l) => /secret/i.test(l.body));
    for (const l of block) {
      if (!aboutSecrets && !isNameList(l.body)) continue;
      for (const m of l.body.matchAll(ENV_NAME_IN_TEXT)) {
        if (!isEnvShaped(m[0])) continue;
        out.push({ name: m[0], at: { file: doc.path, line: l.line, column: 1 }, via: aboutSecrets ? 'a comment on secrets in the wrangler config' : 'a list of names in a comment of the wrangler config', configs: [doc.path] });
      }
    }
    block = [];
  };
  lines.forEach((text, i) => {
    const m = marker.exec(text);
    if (m) block.push({ line: i + 1, body: m[1]! });
    else flush();
  });
  flush();
  return out;
}

/** Words documentation writes in a name's place (`wrangler secret put NAME`). */
const PLACEHOLDERS = new Set(['NAME', 'KEY', 'VALUE', 'SECRET', 'SECRET_NAME', 'YOUR_SECRET', 'MY_SECRET', 'TODO', 'NOTE']);

/** A name a person writes for an env value: SHOUTING_CASE, at least two characters, not a placeholder. */
function isEnvShaped(word: string): boolean {
  return ENV_NAME.test(word) && word.length >= 2 && !PLACEHOLDERS.has(word);
}

/** `Required: A, B`, `- A`, `A B`: nothing but names after an optional label; no `=`. */
function isNameList(body: string): boolean {
  const rest = body.replace(/^[^:=]*:\s*/, '').replace(/^[-*]\s+/, '').replace(/[`()]/g, '').trim();
  if (rest === '' || body.includes('=')) return false;
  return rest.split(/[\s,]+/).filter((w) => w !== '').every((w) => ENV_NAME.test(w) && w.includes('_'));
}

/**
 * The `string` members of the `Env` interfaces `wrangler types` writes (`interface Env {`, inside
 * `declare namespace Cloudflare` too), for the config in the file's folder or above it. Read by lines: the
 * file is generated in this one shape, and a TypeScript parse of its runtime types (tens of
 * thousands of lines) would cost more than the whole rule.
 */
function workerTypes(doc: DocumentSource, configs: readonly string[]): Declared[] {
  const targets = findConfig(dirOf(doc.path), configs);
  if (targets.length === 0) return [];
  const out: Declared[] = [];
  let depth = 0;
  let inEnv = false;
  doc.text.split('\n').forEach((text, i) => {
    if (!inEnv) {
      if (/^\s*(?:export\s+)?interface\s+(?:[A-Za-z_$][\w$]*)?Env\b[^{]*\{\s*$/.test(text)) {
        inEnv = true;
        depth = 1;
      }
      return;
    }
    if (depth === 1) {
      // `NAME: string` is a secret `.dev.vars` held when the file was generated; bindings have their own types, vars literal ones.
      const m = /^\s*(?:readonly\s+)?["']?([A-Za-z_][A-Za-z0-9_]*)["']?\??\s*:\s*string\s*;?\s*$/.exec(text);
      if (m) out.push({ name: m[1]!, at: { file: doc.path, line: i + 1, column: text.indexOf(m[1]!) + 1 }, via: 'Env of wrangler types', configs: targets });
    }
    for (const c of text) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth <= 0) inEnv = false;
  });
  return out;
}

/** Make's recipe lines as shell: the leading tab and Make's `@`, `-`, `+` prefixes removed, lines kept in place. */
function makeRecipes(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^\s+[@+-]*/, ''))
    .join('\n');
}

/**
 * `wrangler secret put NAME` and `wrangler secret bulk FILE` in a shell text starting at 0-based
 * line `offset` of `file`. Which Worker: the config the command would use (its folder after `cd`,
 * `--config`), else those around the file (configsAround). Every environment: a document says
 * which secrets the Worker needs, whichever `--env` its example shows.
 */
function commands(text: string, file: string, offset: number, inputs: Inputs): Declared[] {
  const out: Declared[] = [];
  for (const command of shellCommands(text, dirOf(file))) {
    const tool = toolCommand(command.words) ?? packageManagerBinary(command.words);
    if (!tool || tool.tool !== 'wrangler') continue;
    const a = wranglerArguments(tool.args, command.cwd);
    // `wrangler pages secret put NAME` (a Pages project) and `wrangler versions secret put NAME` put a secret too.
    const prefix = a.positionals[0] === 'pages' || a.positionals[0] === 'versions' ? `${a.positionals[0]} ` : '';
    const positionals = prefix === '' ? a.positionals : a.positionals.slice(1);
    const [sub, verb, operand] = positionals[0] === 'secret:bulk' ? ['secret', 'bulk', positionals[1]] : positionals;
    if (sub !== 'secret' || operand === undefined || operand.includes(UNKNOWN)) continue;
    const found = findConfig(a.cwd, inputs.configs, a.config);
    const configs = found.length > 0 ? found : inputs.around(file);
    const at: Location = { file, line: offset + command.line + 1, column: 1 };
    if (verb === 'put' && isEnvShaped(operand)) out.push({ name: operand, at, via: `wrangler ${prefix}secret put`, configs });
    if (verb === 'bulk') {
      const names = inputs.secretFileNames?.(joinDir(a.cwd, operand));
      for (const name of names?.names ?? []) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) out.push({ name, at, via: `wrangler secret bulk ${operand} (names from ${names!.file})`, configs });
    }
  }
  return out;
}

/**
 * Markdown: code (fenced blocks and `inline spans`) read as shell for wrangler's secret commands;
 * tables whose header speaks of secrets, variables or env; list items that start with a name in
 * code or bold, under a line about secrets or variables; a fenced block of bare names under a line
 * about secrets; `NAME=` lines of a fenced block that shows an env file (info string
 * `env`/`dotenv`/`ini`, or `.dev.vars` / `.env` named in it or just above). Prose is not read: a
 * name mentioned in passing is no declaration. Hand-written because only these shapes are needed
 * and no markdown parser is among the project's dependencies; one pass over the lines.
 */
function markdown(doc: DocumentSource, inputs: Inputs): Declared[] {
  const out: Declared[] = [];
  const lines = doc.text.split('\n');
  const configs = () => inputs.around(doc.path);
  let fence: { marker: string; info: string; start: number; body: string[] } | undefined;
  let tableHeader: string | undefined;
  /** The last line before the current list that is no list item: a heading or sentence that introduces it. */
  let listIntro = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence) {
      if (line.trim().startsWith(fence.marker)) {
        append(out, fencedBlock(doc, fence, lines, inputs));
        fence = undefined;
      } else fence.body.push(line);
      continue;
    }
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (open) {
      fence = { marker: open[1]!, info: open[2]!.toLowerCase(), start: i, body: [] };
      tableHeader = undefined;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      if (tableHeader === undefined && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1] ?? '')) tableHeader = line;
      else if (tableHeader !== undefined && /secret|variable|\benv|binding/i.test(tableHeader) && !/^\s*\|?\s*:?-{2,}/.test(line)) {
        for (const cell of line.split('|')) {
          const name = cell.replace(/[`*]/g, '').trim();
          if (isEnvShaped(name) && name.includes('_')) out.push({ name, at: { file: doc.path, line: i + 1, column: line.indexOf(name) + 1 }, via: 'a table of secrets', configs: configs() });
        }
      }
      continue;
    }
    tableHeader = undefined;
    for (const span of line.matchAll(/`([^`]+)`/g)) if (/\bsecret\b/.test(span[1]!)) append(out, commands(span[1]!, doc.path, i, inputs));
    const item = LIST_ITEM.exec(line);
    if (item && INTRODUCES_SECRETS.test(listIntro) && isEnvShaped(item[1]!) && item[1]!.includes('_')) {
      out.push({ name: item[1]!, at: { file: doc.path, line: i + 1, column: line.indexOf(item[1]!) + 1 }, via: 'a list of secrets', configs: configs() });
    }
    if (!item && line.trim() !== '' && !/^\s{2,}\S/.test(line)) listIntro = line;
  }
  return out;
}

/** A list item that starts with a name in code or bold: "- `STRIPE_KEY` – Stripe's secret key", "1. **SUPABASE_URL**". */
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(?:`|\*\*)([A-Za-z_][A-Za-z0-9_]*)(?:`|\*\*)/;
/** What a heading or sentence says before a list of secrets: "Secrets requeridos:", "## Environment variables". */
const INTRODUCES_SECRETS = /secret|variable|\benv\b|environment|credential/i;

function fencedBlock(doc: DocumentSource, fence: { info: string; start: number; body: string[] }, lines: readonly string[], inputs: Inputs): Declared[] {
  const text = fence.body.join('\n');
  const out = commands(text, doc.path, fence.start + 1, inputs);
  // `# wrangler secret put NAME` in a block of TOML or shell: the command the reader is to run, written as a comment.
  const commented = fence.body.map((l) => /^\s*(?:#|\/\/)\s*((?:npx\s+|pnpm\s+(?:exec\s+)?|yarn\s+|bunx\s+)?wrangler\s+(?:pages\s+)?secret\s.*)$/.exec(l)?.[1] ?? '');
  if (commented.some((l) => l !== '')) append(out, commands(commented.join('\n'), doc.path, fence.start + 1, inputs));
  const before = lines.slice(Math.max(0, fence.start - 2), fence.start).join('\n');
  const showsEnvFile = /^(?:env|dotenv|ini|properties)$/.test(fence.info) || /\.dev\.vars|\.env\b/.test(before) || /^\s*#.*(?:\.dev\.vars|\.env\b)/m.test(text);
  if (/secret/i.test(before)) {
    // A block that only lists names, under a line about secrets ("Your configured secrets:").
    fence.body.forEach((l, k) => {
      const name = l.trim();
      if (isEnvShaped(name) && name.includes('_')) out.push({ name, at: { file: doc.path, line: fence.start + k + 2, column: l.indexOf(name) + 1 }, via: 'a list of secrets', configs: inputs.around(doc.path) });
    });
  }
  if (showsEnvFile) {
    fence.body.forEach((l, k) => {
      const m = /^\s*([A-Z][A-Z0-9_]*)\s*=/.exec(l);
      if (m && isEnvShaped(m[1]!)) out.push({ name: m[1]!, at: { file: doc.path, line: fence.start + k + 2, column: l.indexOf(m[1]!) + 1 }, via: 'an env file shown in the docs', configs: inputs.around(doc.path) });
    });
  }
  return out;
}

/**
 * A template (`.env.example`) in a folder above a Worker's: its names that are not browser-exposed
 * declare the Worker's secrets (the template beside the config is read with the Worker's own files).
 */
function ancestorManifests(inputs: Inputs): Declared[] {
  const out: Declared[] = [];
  for (const m of inputs.manifests) {
    const name = path.posix.basename(m.path);
    if (!isManifestFile(name)) continue;
    const dir = dirOf(m.path);
    const configs = inputs.configs.filter((c) => isAtOrBelow(c, dir) && dirOf(c) !== dir);
    if (configs.length === 0) continue;
    for (const e of m.entries) {
      if (isBrowserExposed(e.name)) continue;
      out.push({ name: e.name, at: { file: m.path, line: e.line, column: e.column }, via: "a template above the Worker's folder", configs });
    }
  }
  return out;
}

/**
 * The names of a file given to `wrangler secret bulk FILE` in documentation or a script: the file
 * itself when it is in the repository, else its committed example (`secrets.example.json`,
 * `secrets.json.example`, `.sample`, `.template`), since the real file holds values and is ignored.
 */
export function committedSecretFile(file: string, names: (candidate: string) => string[] | undefined): { names: string[]; file: string } | undefined {
  const ext = path.posix.extname(file);
  const stem = ext === '' ? file : file.slice(0, -ext.length);
  for (const candidate of [file, ...['example', 'sample', 'template'].flatMap((w) => [`${stem}.${w}${ext}`, `${file}.${w}`])]) {
    const found = names(candidate);
    if (found) return { names: found, file: candidate };
  }
  return undefined;
}
