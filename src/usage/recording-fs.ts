/**
 * The journal side of analysis-fs.ts: a view of the run's MemoFs that writes each question a
 * Worker's analysis asks (and the digest of its answer) to that Worker's journal, compactly: the
 * names asked about in a folder make one line, whatever number of candidates a resolution tried.
 */
import path from 'node:path';
import { digestNames, type AnalysisFs, type JournalEntry, type Listing, type Manifest, type MemoFs, type Question } from './analysis-fs.js';

/** A view of a MemoFs that writes each question it answers to a journal. */
export class RecordingFs implements AnalysisFs {
  readonly #fs: MemoFs;
  readonly #journal = new Map<string, JournalEntry>();
  /** Per folder, the names resolutions asked about (a new README beside them changes nothing). */
  readonly #asked = new Map<string, Set<string>>();

  constructor(memo: MemoFs) {
    this.#fs = memo;
  }

  /** Outside the root (a tsconfig path on another drive, say) the path stays absolute. */
  #rel(file: string): string {
    const relative = path.relative(this.#fs.root, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
  }

  #note(question: Question, file: string): void {
    const key = `${question}\0${file}`;
    if (this.#journal.has(key)) return;
    this.#journal.set(key, [question, this.#rel(file), this.#fs.digest(question, file)]);
  }

  #ask(file: string): void {
    const dir = path.dirname(file);
    let names = this.#asked.get(dir);
    if (!names) this.#asked.set(dir, (names = new Set()));
    names.add(path.basename(file));
  }

  listing(dir: string): Listing | null {
    this.#note('listing', dir);
    return this.#fs.listing(dir);
  }

  readText(file: string): string | undefined {
    this.#note('text', file);
    return this.#fs.readText(file);
  }

  readManifest(file: string): Manifest | undefined {
    this.#note('manifest', file);
    return this.#fs.readManifest(file);
  }

  /**
   * A name its folder's listing answers for is journalled with the other names asked there (one
   * line per folder, not one per candidate a resolution tried); only a link, or a name a
   * case-insensitive file system may still open, is asked of itself.
   */
  #listed(file: string): boolean {
    const kind = this.#fs.listing(path.dirname(file))?.get(path.basename(file));
    if (kind === 'link' || (kind === undefined && process.platform !== 'linux')) return false;
    this.#ask(file);
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
      this.#ask(file);
      this.#note('realdir', path.dirname(file));
    } else this.#note('real', file);
    return this.#fs.realInside(file);
  }

  /** Every question asked so far, sorted (the cache file's bytes do not depend on the walk's order). */
  journal(): JournalEntry[] {
    const entries = [...this.#journal.values()];
    for (const [dir, asked] of this.#asked) {
      if (this.#journal.has(`listing\0${dir}`)) continue; // the whole listing is journalled already
      const names = [...asked].sort();
      entries.push(['names', this.#rel(dir), digestNames(this.#fs.listing(dir), names), names]);
    }
    return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }
}
