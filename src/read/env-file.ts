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

export function readEnvFile(text: string, file: string): EnvFile {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = new LineIndex(source);
  const entries: EnvEntry[] = [];
  const problems: ParseFailure[] = [];
  let covered = 0;
  const reportUncovered = (from: number, to: number) => {
    let start = from;
    while (start < to) {
      const newline = source.indexOf('\n', start);
      const end = newline === -1 || newline > to ? to : newline;
      const content = source.slice(start, end).trim();
      if (content !== '' && !content.startsWith('#')) {
        const { line } = lines.position(start);
        problems.push({ message: `line ${line} is not a NAME=value line, so dotenv ignores it`, line, column: 1 });
      }
      start = end + 1;
    }
  };

  LINE.lastIndex = 0;
  for (let match = LINE.exec(source); match !== null; match = LINE.exec(source)) {
    const name = match[1]!;
    const prefix = EXPORT_PREFIX.exec(match[0])![0];
    const nameOffset = match.index + (match[0].startsWith(name, prefix.length) ? prefix.length : /^\s*/.exec(match[0])![0].length);
    reportUncovered(covered, nameOffset);
    covered = match.index + match[0].length;
    const { value, problem } = unquote(match[2] ?? '');
    const position = lines.position(nameOffset);
    entries.push({ name, value, line: position.line, column: position.column });
    if (problem) problems.push({ message: `${name}: ${problem}`, line: position.line, column: position.column });
  }
  reportUncovered(covered, source.length);
  return { file, entries, problems };
}
