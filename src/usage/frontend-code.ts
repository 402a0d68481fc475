/**
 * What a frontend's own code tells about whom it talks to: the Supabase clients it creates (from
 * the module facts) and the hosts it writes in `https://…` literals, which pairing matches against
 * Workers' routes, custom domains and workers.dev hosts. Pure.
 */
import type { ClientArgument as ModelArgument, Location, SupabaseClientUse } from '../model.js';
import { Sensitive } from '../sensitive.js';
import type { ClientArgument, SupabaseClientCall } from './supabase-clients.js';

function toModelArgument(file: string, arg: ClientArgument): ModelArgument {
  const at = { file, line: arg.line, column: arg.column };
  // A literal handed to createClient may be a key: wrapped like every value read, classified later.
  if (arg.kind === 'env') return { kind: 'env', name: arg.name, at };
  return { kind: 'literal', value: new Sensitive(arg.text, false), at, ...(arg.constant ? { constant: arg.constant } : {}) };
}

/** Module-relative client calls → the model's, with repo-relative locations. */
export function clientUses(file: string, calls: readonly SupabaseClientCall[]): SupabaseClientUse[] {
  return calls.map((call) => ({
    callee: call.callee,
    at: { file, line: call.line, column: call.column },
    url: call.url.map((a) => toModelArgument(file, a)),
    key: call.key.map((a) => toModelArgument(file, a)),
  }));
}

// Hosts in quoted or template literals: `'https://api.example.com/v1'`, `` `https://${x}` `` is skipped
// (no host). A regular expression over the text instead of a parse: most frontend modules never
// need an AST, and a host in a comment still says which backend the code is written against.
const URL_HOST = /https?:\/\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)(?=[:/'"`?#\s]|$)/gi;

/** Hosts that never name a Worker of the repository: documentation, CDNs, Supabase itself. */
function isIrrelevantHost(host: string): boolean {
  return /(?:^|\.)(?:supabase\.co|supabase\.com|supabase\.in|github\.com|githubusercontent\.com|w3\.org|googleapis\.com|gstatic\.com|cloudflare\.com|npmjs\.(?:com|org)|unpkg\.com|jsdelivr\.net|schema\.org|mozilla\.org)$/.test(host);
}

/** Every `https://host` the text names (first place per host), for pairing by calls. */
export function frontendUrls(file: string, text: string): { host: string; at: Location }[] {
  if (!text.includes('://')) return [];
  const found = new Map<string, Location>();
  // Line numbers by counting newlines up to each match: one pass over the text.
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (const match of text.matchAll(URL_HOST)) {
    const host = match[1]!.toLowerCase();
    if (isIrrelevantHost(host) || found.has(host)) continue;
    const index = match.index ?? 0;
    for (let i = text.indexOf('\n', scanned); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    scanned = index;
    found.set(host, { file, line, column: index - lineStart + 1 });
  }
  return [...found].map(([host, at]) => ({ host, at }));
}
