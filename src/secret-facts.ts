/**
 * What the model says of committed secrets: per env file, the entries whose value is secret by
 * shape (or, outside templates, by name); per credential found elsewhere, every place it appears.
 * Names and places only; a value is kept wrapped, never printed. Pure.
 */
import path from 'node:path/posix';
import { looksLikeNamedSecret, plaintextSecretKind } from './classify.js';
import { isManifestFile } from './layers.js';
import type { CommittedSecret, EnvFileFacts, Location } from './model.js';
import type { CommittedSecretPlace, RepoData } from './repo-data.js';
import { Sensitive } from './sensitive.js';
import { rawUrlPassword } from './supabase/urls.js';

function at(file: string, line: number, column: number): Location {
  return { file, line, column };
}

/** One entry per credential, with every place it appears in order; the value wrapped as secret. */
export function committedSecrets(places: readonly CommittedSecretPlace[]): CommittedSecret[] {
  // Keyed by the credential itself: one database password in URLs to port 5432 and 6543 is one
  // password to rotate.
  const byValue = new Map<string, CommittedSecret>();
  for (const place of places) {
    const key = rawUrlPassword(place.text) ?? place.text;
    const entry = byValue.get(key) ?? { value: new Sensitive(place.text, true), what: place.what, places: [] };
    entry.places.push(at(place.file, place.line, place.column));
    byValue.set(key, entry);
  }
  return [...byValue.values()];
}

export function envFileFacts(data: RepoData): EnvFileFacts[] {
  return data.envFiles.map((file) => ({
    path: file.path,
    ...(data.tracked ? { tracked: data.tracked.has(file.path) } : {}),
    secretEntries: file.entries.flatMap((entry) => {
      const where = at(file.path, entry.line, entry.column);
      const what = plaintextSecretKind(entry.name, entry.value);
      if (what) return [{ name: entry.name, at: where, what }];
      // Templates (`.env.example`) are meant to be committed: only their shapes count.
      if (!isManifestFile(path.basename(file.path)) && looksLikeNamedSecret(entry.name, entry.value)) {
        return [{ name: entry.name, at: where, what: 'a value its name says is secret', byName: true as const }];
      }
      return [];
    }),
  }));
}

