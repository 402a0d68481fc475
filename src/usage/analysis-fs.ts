/**
 * The file system as the usage analysis sees it: folder listings, the text of small files (tsconfig,
 * package.json, Vite and wrangler configs), whether a path is a file, and whether a folder's real
 * path is inside the repository. Each answer is read once per run (`MemoFs`) and, through a
 * `RecordingFs`, written to the journal of the Worker whose analysis asked for it.
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

export type EntryKind = 'file' | 'dir' | 'link' | 'other';
export type Listing = ReadonlyMap<string, EntryKind>;

export type AnalysisFs = {
  /** A folder's entries by name; null when it cannot be read. */
  listing(dir: string): Listing | null;
  /** A small file's text; undefined when it cannot be read. */
  readText(file: string): string | undefined;
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

/**
 * What one question asked: its kind and the absolute path it names. `realdir`: whether a folder's
 * real path is inside the repository.
 */
type Question = 'listing' | 'text' | 'file' | 'exists' | 'real' | 'realdir';

/** One journal line: the question, the repo-relative path, and a short digest of the answer. */
export type JournalEntry = [Question, string, string];

/**
 * The absolute path of a repo-relative one (path.join costs a tenth of a warm run on 10,000
 * modules); a path the journal keeps absolute (outside the root) is returned as it is.
 */
export function absolute(root: string, rel: string): string {
  if (rel === '') return root;
  if (path.isAbsolute(rel)) return rel;
  return path.sep === '/' && !root.endsWith('/') && !rel.startsWith('../') ? `${root}/${rel}` : path.join(root, ...rel.split('/'));
}

function kindOf(entry: fs.Dirent): EntryKind {
  return entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
}

function digestText(text: string | undefined): string {
  return text === undefined ? '-' : crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22);
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
  readonly #files = new Map<string, boolean>();
  readonly #exists = new Map<string, boolean>();
  readonly #realDirs = new Map<string, boolean | undefined>();
  readonly #realFiles = new Map<string, boolean | undefined>();
  /** Digests already computed: every Worker's journal asks for the shared folders' again. */
  readonly #digests = new Map<string, string>();

  constructor(root: string) {
    this.root = root;
  }

  /** Whether an absolute, normalized path is the root or below it. */
  inside(file: string): boolean {
    const root = this.root;
    return file === root || (file.startsWith(root) && (file[root.length] === path.sep || root.endsWith(path.sep)));
  }

  listing(dir: string): Listing | null {
    let listing = this.#listings.get(dir);
    if (listing === undefined) {
      try {
        listing = new Map(fs.readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, kindOf(e)]));
      } catch {
        listing = null;
      }
      this.#listings.set(dir, listing);
    }
    return listing;
  }

  readText(file: string): string | undefined {
    if (this.#texts.has(file)) return this.#texts.get(file);
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    this.#texts.set(file, text);
    return text;
  }

  isFile(file: string): boolean {
    let known = this.#files.get(file);
    if (known === undefined) {
      const kind = this.listing(path.dirname(file))?.get(path.basename(file));
      // A link is followed; a name not listed may still open on a case-insensitive file system.
      if (kind !== undefined && kind !== 'link') known = kind === 'file';
      else if (kind === undefined && process.platform === 'linux') known = false;
      else {
        try {
          known = fs.statSync(file).isFile();
        } catch {
          known = false;
        }
      }
      this.#files.set(file, known);
    }
    return known;
  }

  exists(file: string): boolean {
    let known = this.#exists.get(file);
    if (known === undefined) {
      known = fs.existsSync(file);
      this.#exists.set(file, known);
    }
    return known;
  }

  realInside(file: string): boolean | undefined {
    const dir = path.dirname(file);
    const kind = this.listing(dir)?.get(path.basename(file));
    // A file that is no link is where its folder really is: one realpath per folder, not per file.
    if (kind !== undefined && kind !== 'link') return this.realDirInside(dir);
    if (this.#realFiles.has(file)) return this.#realFiles.get(file);
    const answer = this.#real(file);
    this.#realFiles.set(file, answer);
    return answer;
  }

  /** Whether a folder's real path is inside the repository (undefined: it cannot be opened). */
  realDirInside(dir: string): boolean | undefined {
    if (this.#realDirs.has(dir)) return this.#realDirs.get(dir);
    const answer = this.#real(dir);
    this.#realDirs.set(dir, answer);
    return answer;
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
    const root = this.#realRoot;
    return real === root || (real.startsWith(root) && (real[root.length] === path.sep || root.endsWith(path.sep)));
  }

  /** The digest of the answer to a question, for the journal and to check it again later. */
  digest(question: Question, file: string): string {
    const key = `${question}\0${file}`;
    let digest = this.#digests.get(key);
    if (digest === undefined) {
      digest = this.#answerDigest(question, file);
      this.#digests.set(key, digest);
    }
    return digest;
  }

  #answerDigest(question: Question, file: string): string {
    switch (question) {
      case 'listing': return digestListing(this.listing(file));
      case 'text': return digestText(this.readText(file));
      case 'file': return flag(this.isFile(file));
      case 'exists': return flag(this.exists(file));
      case 'real': return flag(this.realInside(file));
      case 'realdir': return flag(this.realDirInside(file));
    }
  }

  /** Whether every answer of a journal (written by an earlier run) is still the same. */
  stillHolds(journal: readonly JournalEntry[]): boolean {
    for (const [question, rel, digest] of journal) {
      const file = absolute(this.root, rel);
      if (this.digest(question, file) !== digest) return false;
    }
    return true;
  }
}

/** A view of a MemoFs that writes each question it answers to a journal. */
export class RecordingFs implements AnalysisFs {
  readonly #fs: MemoFs;
  readonly #journal = new Map<string, JournalEntry>();

  constructor(memo: MemoFs) {
    this.#fs = memo;
  }

  #note(question: Question, file: string): void {
    const key = `${question}\0${file}`;
    if (this.#journal.has(key)) return;
    // Outside the root (a tsconfig path on another drive, say) the path stays absolute.
    const relative = path.relative(this.#fs.root, file);
    const rel = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
    this.#journal.set(key, [question, rel, this.#fs.digest(question, file)]);
  }

  listing(dir: string): Listing | null {
    this.#note('listing', dir);
    return this.#fs.listing(dir);
  }

  readText(file: string): string | undefined {
    this.#note('text', file);
    return this.#fs.readText(file);
  }

  /**
   * A name its folder's listing answers for is journalled as that listing (one line per folder, not
   * one per candidate a resolution tried); only a link, or a name a case-insensitive file system
   * may still open, is asked of itself.
   */
  #listed(file: string): boolean {
    const dir = path.dirname(file);
    const listing = this.#fs.listing(dir);
    const kind = listing?.get(path.basename(file));
    if (kind === 'link' || (kind === undefined && process.platform !== 'linux')) return false;
    this.#note('listing', dir);
    return true;
  }

  isFile(file: string): boolean {
    if (!this.#listed(file)) this.#note('file', file);
    return this.#fs.isFile(file);
  }

  exists(file: string): boolean {
    this.#note('exists', file);
    return this.#fs.exists(file);
  }

  realInside(file: string): boolean | undefined {
    const kind = this.#fs.listing(path.dirname(file))?.get(path.basename(file));
    if (kind !== undefined && kind !== 'link') {
      this.#note('listing', path.dirname(file));
      this.#note('realdir', path.dirname(file));
    } else this.#note('real', file);
    return this.#fs.realInside(file);
  }

  /** Every question asked so far, sorted (the cache file's bytes do not depend on the walk's order). */
  journal(): JournalEntry[] {
    return [...this.#journal.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }
}
