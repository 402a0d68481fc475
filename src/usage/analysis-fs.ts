/**
 * The file system as the usage analysis sees it: folder listings, the text of small files (tsconfig,
 * package.json, Vite and wrangler configs), whether a path is a file, and whether a folder's real
 * path is inside the repository. Each answer is read once per run (`MemoFs`) and, through a
 * `RecordingFs` (recording-fs.ts), written to the journal of the Worker whose analysis asked for it.
 *
 * Why a journal: for one checked folder on one platform, a Worker's usage is a function of these
 * answers and of its modules' texts, nothing else (worker-cache.ts keys results by the folder).
 * A later run may therefore reuse it when every answer in its journal is still the same
 * (worker-cache.ts); a file added, removed or renamed anywhere the resolver looked changes a
 * listing, so a new `./x.ts` next to an import of `./x` is never missed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

export type EntryKind = 'file' | 'dir' | 'link' | 'other';
export type Listing = ReadonlyMap<string, EntryKind>;

export type AnalysisFs = {
  /** A folder's entries by name; null when it cannot be read. */
  listing(dir: string): Listing | null;
  /** A small file's text; undefined when it cannot be read. */
  readText(file: string): string | undefined;
  /**
   * What module resolution reads of a package.json (MANIFEST_FIELDS); undefined when it cannot be
   * read or is no JSON object. Journalled by those fields only: a dependency bump changes nothing.
   */
  readManifest(file: string): Manifest | undefined;
  /** Whether `file` is a file, following links. */
  isFile(file: string): boolean;
  /** Whether `file` exists at all (of any kind). */
  exists(file: string): boolean;
  /**
   * Whether the real path of `file` (links followed) is inside the repository: `undefined` when it
   * cannot be opened. Answered per folder when the file itself is no link.
   */
  realInside(file: string): boolean | undefined;
};

export type Manifest = Readonly<Record<string, unknown>>;

/** The package.json fields module resolution reads (resolve.ts): the name, entry points and `imports`. */
const MANIFEST_FIELDS = ['name', 'exports', 'imports', 'main', 'module', 'source'] as const;

/**
 * What one question asked: its kind and the absolute path it names. `realdir`: whether a folder's
 * real path is inside the repository.
 */
export type Question = 'listing' | 'names' | 'text' | 'manifest' | 'file' | 'exists' | 'real' | 'realdir';

/**
 * One journal line: the question, the repo-relative path, and a short digest of the answer;
 * `names`: which entries of the folder were asked about (their kinds are the answer).
 */
export type JournalEntry = [Question, string, string] | ['names', string, string, string[]];

/**
 * The absolute path of a repo-relative one (path.join costs a tenth of a warm run on 10,000
 * modules); a path the journal keeps absolute (outside the root) is returned as it is.
 */
export function absolute(root: string, rel: string): string {
  if (rel === '') return root;
  if (path.isAbsolute(rel)) return rel;
  return path.sep === '/' && !root.endsWith('/') && !rel.startsWith('../') ? `${root}/${rel}` : path.join(root, ...rel.split('/'));
}

/** Whether a normalized absolute path is `root` or below it: a prefix test, no path.relative. */
export function isWithin(root: string, file: string): boolean {
  return file === root || (file.startsWith(root) && (file[root.length] === path.sep || root.endsWith(path.sep)));
}

/** A JSON (with comments) object, or undefined for anything else: how tsconfig and package.json are read. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = parseJsonc(text, [], { allowTrailingComma: true });
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The value memoised under `key`, computed once (undefined included). */
function remember<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  const value = compute();
  memo.set(key, value);
  return value;
}

function kindOf(entry: fs.Dirent): EntryKind {
  return entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
}

function digestText(text: string | undefined): string {
  return text === undefined ? '-' : crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

export function digestNames(listing: Listing | null, names: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const name of names) hash.update(`${name}\0${listing?.get(name) ?? '-'}\0`);
  return hash.digest('base64url').slice(0, 22);
}

function digestListing(listing: Listing | null): string {
  if (!listing) return '-';
  const hash = crypto.createHash('sha256');
  for (const name of [...listing.keys()].sort()) hash.update(`${name}\0${listing.get(name)}\0`);
  return hash.digest('base64url').slice(0, 22);
}

const flag = (value: boolean | undefined): string => (value === undefined ? '-' : value ? '1' : '0');

/** The real file system, each answer read once for the run. */
export class MemoFs implements AnalysisFs {
  readonly root: string;
  readonly #listings = new Map<string, Listing | null>();
  readonly #texts = new Map<string, string | undefined>();
  readonly #manifests = new Map<string, Manifest | undefined>();
  readonly #files = new Map<string, boolean>();
  readonly #exists = new Map<string, boolean>();
  readonly #realDirs = new Map<string, boolean | undefined>();
  readonly #realFiles = new Map<string, boolean | undefined>();
  /** Digests already computed: every Worker's journal asks for the shared folders' again. */
  readonly #digests = new Map<string, string>();

  constructor(root: string) {
    this.root = root;
  }

  listing(dir: string): Listing | null {
    return remember(this.#listings, dir, () => {
      try {
        return new Map(fs.readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, kindOf(e)]));
      } catch {
        return null;
      }
    });
  }

  readText(file: string): string | undefined {
    return remember(this.#texts, file, () => {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    });
  }

  readManifest(file: string): Manifest | undefined {
    return remember(this.#manifests, file, () => {
      const text = this.readText(file);
      const record = text === undefined ? undefined : parseJsonObject(text);
      return record && Object.fromEntries(MANIFEST_FIELDS.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]));
    });
  }

  isFile(file: string): boolean {
    return remember(this.#files, file, () => {
      const kind = this.listing(path.dirname(file))?.get(path.basename(file));
      // A link is followed; a name not listed may still open on a case-insensitive file system.
      if (kind !== undefined && kind !== 'link') return kind === 'file';
      if (kind === undefined && process.platform === 'linux') return false;
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    });
  }

  exists(file: string): boolean {
    return remember(this.#exists, file, () => fs.existsSync(file));
  }

  realInside(file: string): boolean | undefined {
    const dir = path.dirname(file);
    const kind = this.listing(dir)?.get(path.basename(file));
    // A file that is no link is where its folder really is: one realpath per folder, not per file.
    if (kind !== undefined && kind !== 'link') return this.realDirInside(dir);
    return remember(this.#realFiles, file, () => this.#real(file));
  }

  /** Whether a folder's real path is inside the repository (undefined: it cannot be opened). */
  realDirInside(dir: string): boolean | undefined {
    return remember(this.#realDirs, dir, () => this.#real(dir));
  }

  #realRoot: string | undefined;

  /**
   * A real path is compared with the root's real path: checked through a link (`/tmp` on macOS is
   * `/private/tmp`), every module's real path lies outside the path as given.
   */
  #real(file: string): boolean | undefined {
    let real: string;
    try {
      real = fs.realpathSync.native(file);
    } catch {
      return undefined;
    }
    if (this.#realRoot === undefined) {
      try {
        this.#realRoot = fs.realpathSync.native(this.root);
      } catch {
        this.#realRoot = this.root;
      }
    }
    return isWithin(this.#realRoot, real);
  }

  /** The digest of the answer to a question, for the journal and to check it again later. */
  digest(question: Question, file: string): string {
    return remember(this.#digests, `${question}\0${file}`, () => this.#answerDigest(question, file));
  }

  #answerDigest(question: Question, file: string): string {
    switch (question) {
      case 'listing': return digestListing(this.listing(file));
      case 'names': return '';
      case 'text': return digestText(this.readText(file));
      case 'manifest': {
        const manifest = this.readManifest(file);
        return digestText(manifest === undefined ? undefined : JSON.stringify(manifest));
      }
      case 'file': return flag(this.isFile(file));
      case 'exists': return flag(this.exists(file));
      case 'real': return flag(this.realInside(file));
      case 'realdir': return flag(this.realDirInside(file));
    }
  }

  /** Whether every answer of a journal (written by an earlier run) is still the same. */
  stillHolds(journal: readonly JournalEntry[]): boolean {
    for (const [question, rel, digest, names] of journal) {
      const file = absolute(this.root, rel);
      if (question === 'names') {
        if (digestNames(this.listing(file), names ?? []) !== digest) return false;
        continue;
      }
      if (this.digest(question, file) !== digest) return false;
    }
    return true;
  }
}
