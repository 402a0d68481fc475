/**
 * The one reader of deploy command lines (package.json scripts, workflow `run:` steps), shared by
 * `entry-from-scripts.ts` (the entry given to `wrangler deploy`) and `deploy-commands.ts` (which
 * environments are deployed, which secrets are put). Shell syntax is read only as far as deploy
 * scripts use it: `&&`, `||`, `;`, `|`, `&` and new lines separate commands; quotes group words;
 * `cd DIR` moves the folder; `NAME=value` and `export NAME=value` set variables that later `$NAME`
 * reads; `for NAME in a b c; do …; done` runs its body once per word; `#` starts a comment; here
 * documents are skipped. `npx` / `pnpm exec` / `pnpm dlx` / `yarn` / `bunx` / `npm exec --` run a tool.
 *
 * Pure and linear in the text: words whose value the repository does not say (`$(…)`, an unset
 * `$NAME`, a `${{ }}` expression GitHub fills in) carry the UNKNOWN mark instead of a guess.
 *
 * Over 300 lines: it is one grammar (tokens, expansion, command
 * splitting, then wrangler's own arguments over the words), and each part is read with the others'
 * conventions (the UNKNOWN mark, variable markers) in view; split, the grammar would be scattered.
 */
import path from 'node:path';

/** Marks the part of a word whose value is not in the repository. */
export const UNKNOWN = '\u0000';
/** `$NAME` in a word is kept as VAR_OPEN + NAME + VAR_CLOSE until the command runs (variables change between commands). */
const VAR_OPEN = '\u0001';
const VAR_CLOSE = '\u0002';

/** How many variants one command may expand to (loops, matrix values): beyond it, values are UNKNOWN. */
export const MAX_VARIANTS = 32;
/** How many variables a text may set: each command keeps a copy of them, so the cost stays linear. */
const MAX_VARIABLES = 256;

export const OPERATORS: ReadonlySet<string> = new Set(['&&', '||', ';', '|', '&', '(', ')']);

type Token = { text: string; op: boolean; line: number };

/** The `$…` at `i` (just after the `$`): the text to put in the word and where reading goes on. */
function dollar(text: string, i: number): { put: string; next: number } {
  const c = text[i];
  if (c === '(') {
    // `$(command)`, `$((arithmetic))`: its output is not known here.
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      if (text[j] === '(') depth++;
      else if (text[j] === ')' && --depth === 0) return { put: UNKNOWN, next: j + 1 };
    }
    return { put: UNKNOWN, next: text.length };
  }
  if (c === '{') {
    const end = text.indexOf('}', i);
    if (end === -1) return { put: UNKNOWN, next: text.length };
    const inner = text.slice(i + 1, end);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner)?.[0];
    return { put: name ? VAR_OPEN + name + (inner.length > name.length ? UNKNOWN : '') + VAR_CLOSE : UNKNOWN, next: end + 1 };
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256))?.[0];
  if (name) return { put: VAR_OPEN + name + VAR_CLOSE, next: i + name.length };
  if (c !== undefined && /[0-9@*#?$!-]/.test(c)) return { put: UNKNOWN, next: i + 1 };
  return { put: '$', next: i };
}

/** Words and operators of a shell text, quotes removed, each with its 0-based line. */
export function shellTokens(text: string): Token[] {
  const out: Token[] = [];
  let current = '';
  let has = false;
  let line = 0;
  let wordLine = 0;
  let heredocs: { tag: string; strip: boolean }[] = [];
  let wantTag: boolean | undefined; // after `<<`: the next word is a here document's tag (true: `<<-`)
  const flush = () => {
    if (has || current) {
      if (wantTag !== undefined) {
        heredocs.push({ tag: current, strip: wantTag });
        wantTag = undefined;
      } else out.push({ text: current, op: false, line: wordLine });
    }
    current = '';
    has = false;
  };
  const start = () => {
    if (!has && !current) wordLine = line;
    has = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      if (text[i + 1] === '\n') {
        i++;
        line++;
        continue;
      }
      start();
      if (i + 1 < text.length) current += text[++i];
      continue;
    }
    if (c === "'") {
      start();
      const end = text.indexOf("'", i + 1);
      const body = end === -1 ? text.slice(i + 1) : text.slice(i + 1, end);
      current += body;
      line += body.split('\n').length - 1;
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === '"') {
      start();
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j]!;
        if (d === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) {
          if (text[j + 1] === '\n') line++;
          else current += text[j + 1];
          j++;
        } else if (d === '$') {
          const got = dollar(text, j + 1);
          current += got.put;
          j = got.next - 1;
        } else if (d === '`') {
          const end = text.indexOf('`', j + 1);
          current += UNKNOWN;
          j = end === -1 ? text.length : end;
        } else {
          if (d === '\n') line++;
          current += d;
        }
      }
      i = j;
      continue;
    }
    if (c === '$') {
      start();
      const got = dollar(text, i + 1);
      current += got.put;
      i = got.next - 1;
      continue;
    }
    if (c === '`') {
      start();
      const end = text.indexOf('`', i + 1);
      current += UNKNOWN;
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === '#' && !has && !current) {
      const end = text.indexOf('\n', i);
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if (c === '\n') {
      flush();
      out.push({ text: ';', op: true, line });
      line++;
      // Here documents start on the next line and end at their tag: their text is data, not commands.
      for (const doc of heredocs) {
        for (;;) {
          const end = text.indexOf('\n', i + 1);
          const body = text.slice(i + 1, end === -1 ? text.length : end);
          i = end === -1 ? text.length : end;
          line++;
          if ((doc.strip ? body.replace(/^\t+/, '') : body) === doc.tag || end === -1) break;
        }
      }
      heredocs = [];
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      continue;
    }
    if (c === '<' || c === '>') {
      // `2>&1`, `2>/dev/null`: the digits name a file descriptor, not an argument.
      if (/^[0-9]+$/.test(current) && i > 0 && /[0-9]/.test(text[i - 1]!)) {
        current = '';
        has = false;
      }
      flush();
      if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
        i++;
        wantTag = text[i + 1] === '-';
        if (wantTag) i++;
        continue;
      }
      while (text[i + 1] === '>' || text[i + 1] === '&' || text[i + 1] === '<') i++;
      out.push({ text: '>', op: true, line });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      flush();
      const op = two === '&&' || two === '||' ? two : c;
      out.push({ text: op, op: true, line });
      if (op.length === 2) i++;
      continue;
    }
    start();
    current += c;
  }
  flush();
  return out;
}

/** One simple command: its words (variables already read), the folder it runs in, its 0-based line in the text. */
export type ShellCommand = {
  words: string[];
  cwd: string;
  line: number;
  /** Variables known when it runs (exported or not: a child script sees what its caller set). */
  vars: ReadonlyMap<string, string>;
};

/** The value workflows give `$GITHUB_WORKSPACE` (see deploy-commands.ts). */
export const WORKSPACE = '/github/workspace';

/** Joins a folder given on a command line to the current one; `$GITHUB_WORKSPACE` is the repository root. */
export function joinDir(cwd: string, dir: string): string {
  const d = dir.replace(/\\/g, '/');
  // In a workflow, `$GITHUB_WORKSPACE` (the checkout) is the repository root; other absolute folders stay
  // absolute, so no config of the repository is found from them.
  if (d === WORKSPACE || d.startsWith(`${WORKSPACE}/`)) return path.posix.normalize(`.${d.slice(WORKSPACE.length)}`) || '.';
  if (d === '~' || d.startsWith('~/')) return '/~';
  if (d.startsWith('/')) return path.posix.normalize(d);
  return path.posix.normalize(path.posix.join(cwd, d));
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', 'time', '{', '}', 'esac']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Every value a word can take given the variables (a loop variable has several), bounded by MAX_VARIANTS. */
function expandWord(word: string, vars: ReadonlyMap<string, readonly string[]>): string[] {
  if (!word.includes(VAR_OPEN)) return [word];
  let results = [''];
  let i = 0;
  while (i < word.length) {
    const open = word.indexOf(VAR_OPEN, i);
    const literal = open === -1 ? word.slice(i) : word.slice(i, open);
    results = results.map((r) => r + literal);
    if (open === -1) break;
    const close = word.indexOf(VAR_CLOSE, open);
    const body = word.slice(open + 1, close === -1 ? word.length : close);
    i = close === -1 ? word.length : close + 1;
    // `${NAME:-default}` and friends are marked unknown: the default may or may not apply.
    const values = body.endsWith(UNKNOWN) ? undefined : vars.get(body);
    const options = values && values.length > 0 ? values : [UNKNOWN];
    const next: string[] = [];
    for (const r of results) for (const v of options) if (next.length < MAX_VARIANTS) next.push(r + v);
    results = next;
  }
  return results;
}

/** The variants of a command's words: one per combination of loop values, at most MAX_VARIANTS. */
function expandCommand(words: readonly string[], vars: ReadonlyMap<string, readonly string[]>): string[][] {
  let variants: string[][] = [[]];
  for (const w of words) {
    const values = expandWord(w, vars);
    if (values.length === 1) {
      for (const v of variants) v.push(values[0]!);
      continue;
    }
    const next: string[][] = [];
    for (const v of variants) for (const value of values) if (next.length < MAX_VARIANTS) next.push([...v, value]);
    variants = next;
  }
  return variants;
}

/**
 * The simple commands of a shell text, in order, with the folder each runs in. `cwd` is where the
 * text starts (repo-relative); `vars` the variables set before it (a workflow's `env:`).
 * `extra` words are appended to the last command (`npm run deploy -- --env staging`).
 */
export function shellCommands(text: string, cwd: string, vars: ReadonlyMap<string, string> = new Map(), extra: readonly string[] = []): ShellCommand[] {
  const tokens = shellTokens(text);
  const groups: { words: string[]; line: number }[] = [];
  let words: string[] = [];
  let line = 0;
  let skipNext = false; // the word after a redirection is a file name, not an argument
  for (const t of tokens) {
    if (t.op) {
      if (t.text === '>') {
        skipNext = true;
        continue;
      }
      if (words.length > 0) groups.push({ words, line });
      words = [];
      continue;
    }
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (words.length === 0) line = t.line;
    words.push(t.text);
  }
  if (words.length > 0) groups.push({ words, line });
  if (extra.length > 0) {
    if (groups.length === 0) groups.push({ words: [...extra], line: 0 });
    else groups[groups.length - 1]!.words.push(...extra);
  }

  const known = new Map<string, string[]>([...vars].slice(0, MAX_VARIABLES).map(([k, v]) => [k, [v]]));
  const loops: { name: string; previous: string[] | undefined }[] = [];
  const out: ShellCommand[] = [];
  let snapshot: Map<string, string> | undefined;
  let dir = cwd;
  for (const group of groups) {
    let k = 0;
    for (; k < group.words.length && KEYWORDS.has(group.words[k]!); k++) {
      if (group.words[k] !== 'done') continue;
      const loop = loops.pop();
      if (loop?.previous) known.set(loop.name, loop.previous);
      else if (loop) known.delete(loop.name);
      snapshot = undefined;
    }
    let w = k === 0 ? group.words : group.words.slice(k);
    if (w.length === 0) continue;
    if (w[0] === 'for' && w[2] === 'in' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w[1]!)) {
      const values = w.slice(3).flatMap((x) => expandWord(x, known)).flatMap((v) => v.split(/\s+/)).filter((v) => v !== '');
      loops.push({ name: w[1]!, previous: known.get(w[1]!) });
      if (known.has(w[1]!) || known.size < MAX_VARIABLES) known.set(w[1]!, values.slice(0, MAX_VARIANTS));
      snapshot = undefined;
      continue;
    }
    if (w[0] === 'export' || w[0] === 'declare' || w[0] === 'local' || w[0] === 'readonly') w = w.slice(1).filter((x) => !x.startsWith('-'));
    // `NAME=value` alone sets a variable; before a command it is that command's environment.
    let i = 0;
    const prefix = new Map<string, string>();
    while (i < w.length && ASSIGNMENT.test(w[i]!)) {
      const [, name, value] = ASSIGNMENT.exec(w[i]!)!;
      prefix.set(name!, expandWord(value!, known)[0]!);
      i++;
    }
    if (i === w.length) {
      for (const [k, v] of prefix) if (known.has(k) || known.size < MAX_VARIABLES) known.set(k, [v]);
      snapshot = undefined;
      continue;
    }
    const scope = prefix.size === 0 ? known : new Map([...known, ...[...prefix].map(([k, v]): [string, string[]] => [k, [v]])]);
    // One copy of the single-valued variables serves every command until a variable changes.
    let flat = prefix.size === 0 ? snapshot : undefined;
    if (!flat) {
      flat = new Map<string, string>();
      for (const [k, v] of scope) if (v.length === 1) flat.set(k, v[0]!);
      if (prefix.size === 0) snapshot = flat;
    }
    for (const variant of expandCommand(w.slice(i), scope)) {
      if (variant[0] === 'cd') {
        const target = variant.find((x, k) => k > 0 && !x.startsWith('-'));
        dir = target === undefined ? '.' : joinDir(dir, target);
        break; // a cd over several loop values leaves the folder unknown; the first is kept
      }
      out.push({ words: variant, cwd: dir, line: group.line, vars: flat });
    }
  }
  return out;
}

const RUNNERS = new Set(['npx', 'bunx', 'pnpx']);

/** The tool a command runs through a package runner (`npx wrangler`, `pnpm exec wrangler`), and its arguments. */
export function toolCommand(command: readonly string[]): { tool: string; args: string[] } | undefined {
  let i = 0;
  const first = command[i];
  if (first !== undefined && RUNNERS.has(first)) i++;
  else if (first === 'pnpm' && (command[i + 1] === 'exec' || command[i + 1] === 'dlx')) i += 2;
  else if (first === 'npm' && command[i + 1] === 'exec') i += command[i + 2] === '--' ? 3 : 2;
  else if (first === 'yarn' && command[i + 1] === 'dlx') i += 2;
  else if (first === 'bun' && command[i + 1] === 'x') i += 2;
  while (command[i]?.startsWith('-')) i++; // npx -y, npx --yes
  const raw = command[i];
  if (raw === undefined) return undefined;
  const tool = raw.replace(/^.*node_modules\/\.bin\//, '').replace(/^(@?[^@\s]+)@[^\s]*$/, '$1');
  return { tool, args: command.slice(i + 1) };
}

/** `yarn wrangler …` and `bun wrangler …` run a package binary when no script has that name: the caller knows the scripts. */
export function packageManagerBinary(command: readonly string[]): { tool: string; args: string[] } | undefined {
  const first = command[0];
  if (first !== 'yarn' && first !== 'bun' && first !== 'pnpm') return undefined;
  const i = command[1] === 'run' ? 2 : 1;
  const tool = command[i];
  return tool === undefined ? undefined : { tool, args: command.slice(i + 1) };
}

/** wrangler flags that take no value (deploy/index.ts `deployOptions`, dev and secret options, global flags). */
const BOOLEAN_FLAGS = new Set([
  'bundle', 'no-bundle', 'latest', 'minify', 'node-compat', 'dry-run', 'keep-vars', 'legacy-env', 'logpush', 'upload-source-maps',
  'help', 'h', 'version', 'v', 'strict', 'experimental-versions', 'x-versions', 'experimental-auto-create', 'x-auto-create',
  'experimental-provision', 'x-provision', 'experimental-remote-bindings', 'x-remote-bindings', 'metafile', 'remote', 'local',
  'y', 'yes', 'json', 'live-reload', 'show-interactive-dev-session', 'x-registry', 'preview',
]);
/** wrangler flags that take a value. */
const VALUE_FLAGS = new Set([
  'name', 'outdir', 'compatibility-date', 'compatibility-flags', 'compatibility-flag', 'assets', 'format', 'experimental-public', 'public',
  'legacy-assets', 'site', 'site-include', 'site-exclude', 'var', 'define', 'alias', 'triggers', 'schedule', 'schedules', 'routes', 'route',
  'jsx-factory', 'jsx-fragment', 'tsconfig', 'old-asset-ttl', 'dispatch-namespace', 'config', 'c', 'env', 'e', 'cwd', 'env-file', 'tag',
  'message', 'containers-rollout', 'secrets-file', 'domain', 'domains', 'port', 'ip', 'inspector-port', 'host', 'local-protocol',
  'persist-to', 'log-level', 'test-scheduled', 'upstream-protocol', 'preview-alias', 'version-id', 'percentage',
]);
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** A wrangler command line read as wrangler's yargs reads it: positionals, and the flags deploy-guard uses. */
export type WranglerArguments = {
  positionals: string[];
  env?: string;
  /** `--config`/`-c`, joined to the folder the command runs in (after `--cwd`). */
  config?: string;
  name?: string;
  secretsFile?: string;
  /** Names given values by `--var NAME:VALUE` (an array option: `--var A:1 B:2`); values are not kept. */
  vars: string[];
  /** The folder wrangler runs in: the command's, moved by `--cwd`. */
  cwd: string;
};

export function wranglerArguments(args: readonly string[], cwd: string): WranglerArguments {
  const out: WranglerArguments = { positionals: [], vars: [], cwd };
  let config: string | undefined;
  let secretsFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') continue;
    if (arg.startsWith('-') && arg.length > 1) {
      const body = arg.replace(/^-+/, '');
      const eq = body.indexOf('=');
      const flag = eq === -1 ? body : body.slice(0, eq);
      let value = eq === -1 ? undefined : body.slice(eq + 1);
      const next = args[i + 1];
      if (value === undefined && next !== undefined && !next.startsWith('-') && !BOOLEAN_FLAGS.has(flag) && !flag.startsWith('no-')) {
        // An unknown flag before an entry-looking word is taken as a switch (a newer wrangler's).
        if (VALUE_FLAGS.has(flag) || !CODE_FILE.test(next)) {
          value = next;
          i++;
        }
      }
      if (value === undefined) continue;
      if (flag === 'env' || flag === 'e') out.env = value;
      else if (flag === 'config' || flag === 'c') config = value;
      else if (flag === 'cwd') out.cwd = joinDir(out.cwd, value);
      else if (flag === 'name') out.name = value;
      else if (flag === 'secrets-file') secretsFile = value;
      else if (flag === 'var') {
        // yargs reads an array option's following words as more values while they look like NAME:VALUE.
        const values = [value];
        while (i + 1 < args.length && /^[A-Za-z_][A-Za-z0-9_]*:/.test(args[i + 1]!)) values.push(args[++i]!);
        for (const v of values) {
          const name = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(v)?.[1];
          if (name !== undefined) out.vars.push(name);
        }
      }
      continue;
    }
    out.positionals.push(arg);
  }
  // wrangler resolves --config and files against the folder --cwd names.
  if (config !== undefined) out.config = joinDir(out.cwd, config);
  if (secretsFile !== undefined) out.secretsFile = joinDir(out.cwd, secretsFile);
  return out;
}

/**
 * The config wrangler uses when run in `dir` (repo-relative): `config` when given, else the nearest
 * of `configs` in `dir` or above (wrangler's `findWranglerConfig`, which stops at the first folder
 * holding one). A folder with an UNKNOWN part matches every config folder of that shape.
 */
export function findConfig(dir: string, configs: readonly string[], config?: string): string[] {
  const known = new Set(configs);
  if (config !== undefined) {
    if (!config.includes(UNKNOWN)) return known.has(config) ? [config] : [];
    const pattern = globPattern(config, false);
    return configs.filter((c) => pattern.test(c));
  }
  if (dir.includes(UNKNOWN)) {
    const pattern = globPattern(dir, false);
    return configs.filter((c) => pattern.test(path.posix.dirname(c)));
  }
  const byDir = new Map<string, string>();
  for (const c of configs) byDir.set(path.posix.dirname(c), c);
  let d = path.posix.normalize(dir);
  for (;;) {
    const found = byDir.get(d);
    if (found) return [found];
    if (d === '.' || d === '' || d.startsWith('..')) return [];
    const parent = path.posix.dirname(d);
    if (parent === d) return [];
    d = parent;
  }
}

/** A pattern for a text with UNKNOWN parts: each matches any text (`slashes`: across folders too). */
export function globPattern(text: string, slashes = true): RegExp {
  const parts = text.split(UNKNOWN).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join(slashes ? '.*' : '[^/]*')}$`, 's');
}
