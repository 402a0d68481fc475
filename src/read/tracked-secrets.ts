/**
 * Reads every committed file that is not otherwise judged for credentials (env files and wrangler
 * configs are, by name and value) and hands its text to the scanner (committed-secrets.ts).
 * I/O: the read stage's bytes, like read-repo.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Discovery } from '../discover.js';
import type { CommittedSecretPlace } from '../repo-data.js';
import { findCommittedSecrets } from './committed-secrets.js';
import { compareText } from '../compare-text.js';

/** Kinds read as configuration that may also carry a pasted credential (a workflow's env, a script). */
const SCANNED_KINDS: ReadonlySet<string> = new Set(['workflow', 'package-json', 'supabase-config', 'markdown', 'shell-script', 'makefile', 'worker-types']);

/**
 * Credentials in committed files not otherwise judged for them (env files and wrangler configs
 * are, by name and value): every other tracked text file within the size limit. A file over the
 * limit or not text is passed over in silence: it is no configuration, and nothing is claimed of it.
 */
export function committedSecretPlaces(discovery: Discovery, maxBytes: number, alreadyRead: ReadonlyMap<string, string>): CommittedSecretPlace[] {
  if (!discovery.tracked) return [];
  const places: CommittedSecretPlace[] = [];
  const scan = (rel: string, text: string) => {
    for (const found of findCommittedSecrets(text)) places.push({ text: found.text, what: found.what, file: rel, line: found.line, column: found.column });
  };
  // Files read as configuration are scanned in the text the read stage already holds, not read again.
  for (const file of discovery.files) {
    const text = SCANNED_KINDS.has(file.kind) && discovery.tracked.has(file.path) ? alreadyRead.get(file.path) : undefined;
    if (text !== undefined) scan(file.path, text);
  }
  for (const rel of discovery.otherTrackedFiles) {
    let bytes: Buffer;
    try {
      const abs = path.join(discovery.root, ...rel.split('/'));
      if (fs.statSync(abs).size > maxBytes) continue;
      bytes = fs.readFileSync(abs);
    } catch {
      continue;
    }
    if (!bytes.includes(0)) scan(rel, bytes.toString('utf8'));
  }
  // In path order, so a credential's first place is the same however the files were reached.
  return places.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column);
}

