/**
 * What every structured-file reader returns: the parsed data plus a way back from a key path to
 * the line and column it was written at (neither smol-toml nor JSON.parse keep positions, so each
 * reader builds its own locator).
 */
export type KeyPath = readonly (string | number)[];

export type Position = { line: number; column: number };

export interface SourceDocument {
  /** Repo-relative path with forward slashes. */
  readonly file: string;
  readonly format: 'toml' | 'json' | 'jsonc';
  /** The parsed value: plain objects, arrays, strings, numbers, booleans (TOML dates as strings). */
  readonly data: unknown;
  /**
   * Where the key at `path` was written (for an array element: the element's start). Falls back
   * to the nearest ancestor that was written explicitly (TOML dotted keys, inline tables), and to
   * line 1 when nothing matches. Never throws.
   */
  locate(path: KeyPath): Position;
  /** Where the value at `path` starts, when it is known exactly. */
  locateValue(path: KeyPath): Position | undefined;
}

/** A file that could not be parsed: the message is the parser's, rephrased for a person. */
export type ParseFailure = { message: string; line: number; column: number };

export type ReadResult = { ok: true; doc: SourceDocument } | { ok: false; error: ParseFailure };

/** One `NAME=value` line of a .env or .dev.vars file. */
export type EnvEntry = {
  name: string;
  value: string;
  /** Where the name starts. */
  line: number;
  column: number;
};

export type EnvFile = {
  file: string;
  entries: EnvEntry[];
  /** Lines that dotenv would silently skip or misread (e.g. an unterminated quote). */
  problems: ParseFailure[];
};
