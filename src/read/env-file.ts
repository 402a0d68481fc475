/**
 * .env / .dev.vars files, read exactly as dotenv 17 reads them (wrangler and the frontend tools
 * use dotenv), plus the line and column of every name and a list of lines dotenv silently drops or
 * misreads. The grammar is dotenv's own LINE expression; `__tests__/read/env-file.test.ts`
 * compares the result with `dotenv.parse` on many inputs.
 */
import type { EnvEntry, EnvFile, ParseFailure } from './document.js';
import { LineIndex } from './positions.js';

// dotenv 17 lib/main.js LINE (same semantics; kept here so positions come with each match).
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
const EXPORT_PREFIX = /^\s*(?:export\s+)?/;
// The same expression, tried only where the scan below puts it (sticky), instead of at every line start.
const LINE_AT = new RegExp(LINE.source, 'my');
const BLANK = /\s*/y;

function unquote(raw: string): { value: string; problem?: string } {
  let value = raw.trim();
  const quote = value[0];
  const quoted = quote === '"' || quote === "'" || quote === '`';
  // Same as dotenv: strip one pair of matching surrounding quotes.
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  if (quoted && (raw.trim().length < 2 || raw.trim().at(-1) !== quote)) {
    return { value, problem: `the value opens a ${quote} quote that is never closed, so dotenv keeps the quote and reads the rest of the line literally` };
  }
  return { value };
}

/** `NAME=` at the start of a line too long for the expression (below), with its optional `export`. */
const LONG_LINE_NAME = /\s*(?:export\s+)?([\w.-]+)\s*=\s*/y;

/**
 * LINE at one line start. On a line of tens of megabytes V8's backtracking stack overflows
 * (`RangeError: Maximum call stack size exceeded`, depending on how deep the caller's stack
 * already is); such a line is read the way the expression reads a single-line value instead:
 * NAME, `=`, then the value up to a `#` comment or the end of the line, quotes handled by unquote.
 */
function lineAt(source: string, lineStart: number): RegExpExecArray | null {
  LINE_AT.lastIndex = lineStart;
  try {
    return LINE_AT.exec(source);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    LONG_LINE_NAME.lastIndex = lineStart;
    const head = LONG_LINE_NAME.exec(source);
    if (!head) return null;
    const valueStart = lineStart + head[0].length;
    const newline = source.indexOf('\n', valueStart);
    const lineEnd = newline === -1 ? source.length : newline;
    const quoted = /['"`]/.test(source[valueStart] ?? '');
    const hash = quoted ? -1 : source.indexOf('#', valueStart);
    const valueEnd = hash !== -1 && hash < lineEnd ? hash : lineEnd;
    const match = [source.slice(lineStart, lineEnd), head[1]!, source.slice(valueStart, valueEnd)] as unknown as RegExpExecArray;
    match.index = lineStart;
    match.input = source;
    return match;
  }
}

/**
 * Ignored lines reported one by one; the rest are counted in one problem. A 4 MB file of junk
 * lines made 800,000 problems and 1.5 GB of memory; the first ones say what is wrong.
 */
export const MAX_IGNORED_LINES_LISTED = 20;

export function readEnvFile(text: string, file: string): EnvFile {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = new LineIndex(source);
  const entries: EnvEntry[] = [];
  const problems: ParseFailure[] = [];
  let covered = 0;
  let ignored = 0;
  let firstUnlisted = 0;
  const reportUncovered = (from: number, to: number) => {
    let start = from;
    while (start < to) {
      const newline = source.indexOf('\n', start);
      const end = newline === -1 || newline > to ? to : newline;
      const content = source.slice(start, end).trim();
      if (content !== '' && !content.startsWith('#')) {
        ignored++;
        if (ignored <= MAX_IGNORED_LINES_LISTED) {
          const { line } = lines.position(start);
          problems.push({ message: `line ${line} is not a NAME=value line, so dotenv ignores it`, line, column: 1 });
        } else if (ignored === MAX_IGNORED_LINES_LISTED + 1) firstUnlisted = start;
      }
      start = end + 1;
    }
  };

  /*
   * dotenv runs LINE globally: at every line start, `\s*` first swallows all following blank lines.
   * After n blank lines that is n attempts of n steps each (80k blank lines took 27 s).
   * An attempt that starts on a blank line gives the same result as one started on the line of the
   * first non-blank character (names never start with whitespace, so a shorter `\s*` cannot
   * help), so the scan jumps there and tries once; after a failure, on with the next line.
   */
  let at = 0; // always a line start
  while (at < source.length) {
    BLANK.lastIndex = at;
    const content = at + BLANK.exec(source)![0].length;
    if (content >= source.length) break;
    const lineStart = Math.max(at, source.lastIndexOf('\n', content - 1) + 1);
    const match = lineAt(source, lineStart);
    if (!match) {
      const newline = source.indexOf('\n', content);
      if (newline === -1) break;
      at = newline + 1;
      continue;
    }
    const name = match[1]!;
    const prefix = EXPORT_PREFIX.exec(match[0])![0];
    const nameOffset = match.index + (match[0].startsWith(name, prefix.length) ? prefix.length : /^\s*/.exec(match[0])![0].length);
    // Up to the line's start, not the name's: `export ` before the name is part of the line.
    reportUncovered(covered, match.index);
    covered = match.index + match[0].length;
    const { value, problem } = unquote(match[2] ?? '');
    const position = lines.position(nameOffset);
    entries.push({ name, value, line: position.line, column: position.column });
    if (problem) problems.push({ message: `${name}: ${problem}`, line: position.line, column: position.column });
    // The global expression would go on at the next line start at or after the match's end.
    if (covered === 0 || source[covered - 1] === '\n') at = covered;
    else {
      const newline = source.indexOf('\n', covered);
      if (newline === -1) break;
      at = newline + 1;
    }
  }
  reportUncovered(covered, source.length);
  if (ignored > MAX_IGNORED_LINES_LISTED) {
    const { line } = lines.position(firstUnlisted);
    const more = ignored - MAX_IGNORED_LINES_LISTED;
    problems.push({ message: `${more === 1 ? '1 more line' : `${more} more lines`} from line ${line} on ${more === 1 ? 'is not a NAME=value line' : 'are not NAME=value lines'} either, so dotenv ignores them (only the first ${MAX_IGNORED_LINES_LISTED} are listed)`, line, column: 1 });
  }
  return { file, entries, problems };
}
