/**
 * One file of the analysis cache (`--cache`): JSON with a header naming the format and the tool
 * that wrote it (its version and a hash of its code). A file that is missing is empty; one that is
 * corrupt, not ours or from another build is ignored with a note and later written anew, never
 * trusted. Written through a temporary file and a rename, so a run that dies half-way leaves the
 * previous file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The body of a cache file: `T` under the key `body`, after the header. */
type CacheFile<T> = { format: string; tool: string; body: T };

/** What a cache file held: its body when it can be trusted, else why not (undefined: there was none). */
export type Loaded<T> = { body: T; problem?: undefined } | { body?: undefined; problem?: string };

/** Where a cache file could not be used, and why (the reason, e.g. "it is not valid JSON"). */
export type CacheProblem = { file: string; reason: string };

/**
 * Reads `file` if it is a `format` file written by `tool` whose body passes `isBody`. A file that
 * cannot be used gives the reason, in words that follow "ignored the cache FILE: ".
 */
export function readCacheFile<T>(file: string, format: string, tool: string, isBody: (value: unknown) => value is T): Loaded<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? {} : { problem: `it cannot be read (${code ?? 'error'})` };
  }
  let parsed: Partial<CacheFile<unknown>> | null;
  try {
    parsed = JSON.parse(text) as Partial<CacheFile<unknown>> | null;
  } catch {
    return { problem: 'it is not valid JSON' };
  }
  if (parsed?.format !== format || !isBody(parsed.body)) {
    return { problem: 'it is not a deploy-guard cache file of this format' };
  }
  if (parsed.tool !== tool) {
    return { problem: 'it was written by another build of deploy-guard' };
  }
  return { body: parsed.body as T };
}

/**
 * One note per reason, naming the first file and counting the others: a new build of deploy-guard
 * finds every file of the cache from the old one, and says so once.
 */
export function describeProblems(problems: readonly CacheProblem[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const { file, reason } of problems) byReason.set(reason, [...(byReason.get(reason) ?? []), file]);
  return [...byReason].map(([reason, files]) => {
    const sorted = [...files].sort();
    const others = sorted.length - 1;
    const more = others === 0 ? '' : ` and ${others} other cache ${others === 1 ? 'file' : 'files'} beside it`;
    return `ignored the cache ${sorted[0]}${more}: ${reason}; working without ${others === 0 ? 'it' : 'them'} and writing ${others === 0 ? 'it' : 'them'} anew`;
  });
}

/** Writes a cache file whole, through a temporary file and a rename. */
export function writeCacheFile(file: string, format: string, tool: string, body: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Random, not the process id: containers sharing a cache volume often have equal pids.
  const temporary = `${file}.${crypto.randomUUID()}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ format, tool, body }));
  fs.renameSync(temporary, file);
}

/**
 * What must match for cached facts to be trusted: the version, and a hash of the code that is
 * running (the bundle, or this module's source under tests), so a rebuilt deploy-guard with the
 * same version number does not read facts an older build wrote.
 */
export function toolIdentity(version: string, codeFile: string | undefined): string {
  try {
    return `${version}+${crypto.createHash('sha256').update(fs.readFileSync(codeFile ?? '')).digest('base64url').slice(0, 16)}`;
  } catch {
    return `${version}+unknown-build`;
  }
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
