/**
 * The Supabase evidence of one surface: each variable it sees, what the code hands to a
 * Supabase client (strongest, as `surfaceTarget` weighs it), and, weakest, the project its
 * Supabase CLI folder is linked to. Pure.
 */
import path from 'node:path/posix';
import type { LoadedProjectRef } from '../repo-data.js';
import type { CodeUsage, DeclaredSecret, Expansion, Location, Surface, SupabaseClientUse, SupabaseEvidence, Value } from '../model.js';
import { namesSupabaseAddress } from './names.js';
import { classifyValue } from '../classify.js';
import { resolveSupabaseValue, type SupabaseResolution } from './target.js';
import type { Sensitive } from '../sensitive.js';
import { verifyHs256 } from './verify.js';
import { compareText } from '../compare-text.js';

/** A variable as one surface sees it after layering its files. */
export type LayeredVariable = Value & { name: string; source: 'file' | 'deploy-env' | 'code' };

/** Which variables a surface's code hands to a Supabase client, and the literals it hands instead. */
export type ClientInputs = {
  used: ReadonlyMap<string, { usedAt: Location; resolveAs: string }>;
  /** Values written in the call (or a constant it names), read as what the client takes them for. */
  literals: (LayeredVariable & { resolveAs: string })[];
};

const NO_CLIENTS: ClientInputs = { used: new Map(), literals: [] };

/**
 * For each client call and argument: the first env name the code reads that this surface sets
 * (`import.meta.env.X || "https://…"` takes X when set), else the literal. The role a client gives
 * an argument decides how a value that does not describe itself is read.
 */
export function clientInputs(clients: readonly SupabaseClientUse[], vars: ReadonlyMap<string, LayeredVariable>): ClientInputs {
  const used = new Map<string, { usedAt: Location; resolveAs: string }>();
  const literals = new Map<string, LayeredVariable>();
  const literalRoles = new Map<string, string>();
  for (const client of clients) {
    for (const [args, resolveAs, what] of [[client.url, 'SUPABASE_URL', 'URL'], [client.key, 'SUPABASE_KEY', 'key']] as const) {
      const fromEnv = args.find((a) => a.kind === 'env' && vars.has(a.name));
      if (fromEnv && fromEnv.kind === 'env') {
        if (!used.has(fromEnv.name)) used.set(fromEnv.name, { usedAt: fromEnv.at, resolveAs });
        continue;
      }
      const literal = args.find((a) => a.kind === 'literal');
      if (!literal || literal.kind !== 'literal') continue;
      const key = `${literal.at.file}:${literal.at.line}:${literal.at.column}`;
      if (!literals.has(key)) {
        literalRoles.set(key, resolveAs);
        literals.set(key, { name: literal.constant ?? `${client.callee}() ${what}`, value: classifyValue(resolveAs, literal.value.reveal(), 'file'), at: literal.at, source: 'code' });
      }
    }
  }
  return { used, literals: [...literals].map(([key, l]) => ({ ...l, resolveAs: literalRoles.get(key)! })) };
}

/**
 * The Supabase evidence of one surface's variables. `clients` says which of them the code hands to
 * a Supabase client (and where): those are `client` evidence, and are read in the role the client
 * gives them (an `API_BASE` handed to createClient as its URL is the Supabase URL).
 */
export function evidenceOf(vars: Iterable<LayeredVariable>, clients: ClientInputs = NO_CLIENTS): SupabaseEvidence[] {
  const evidence: SupabaseEvidence[] = [];
  const resolved = [
    ...[...vars].map((variable) => {
      const use = clients.used.get(variable.name);
      const resolve = (value: Sensitive) => resolveSupabaseValue(variable.name, value) ?? (use ? resolveSupabaseValue(use.resolveAs, value) : undefined);
      const resolution = withMissingNamed(resolve(variable.value), variable.expansion, resolve);
      return { variable, resolution, usedAt: use?.usedAt };
    }),
    ...clients.literals.map((variable) => ({ variable, resolution: resolveSupabaseValue(variable.resolveAs, variable.value), usedAt: undefined })),
  ];
  // With a JWT secret in the same surface, every legacy key must carry its HS256 signature.
  const jwtSecret = resolved.find((r) => r.resolution?.role === 'jwt-secret')?.variable;
  for (const { variable, resolution, usedAt } of resolved) {
    if (!resolution) continue;
    const item: SupabaseEvidence = { variable: variable.name, role: resolution.role, target: resolution.target, at: variable.at, source: variable.source, value: variable.value };
    if (variable.expansion) item.expansion = variable.expansion;
    if (variable.source === 'code') item.strength = 'client';
    if (usedAt) {
      item.strength = 'client';
      item.usedAt = usedAt;
    }
    if (resolution.expiresAt && !Number.isNaN(resolution.expiresAt.getTime())) item.expiresAt = resolution.expiresAt.toISOString();
    if (jwtSecret && (resolution.role === 'anon-key' || resolution.role === 'service-key')) {
      const valid = verifyHs256(variable.value.reveal().trim(), jwtSecret.value.reveal().trim());
      if (valid !== undefined) {
        item.signature = valid ? 'valid' : 'invalid';
        item.checkedAgainst = jwtSecret.at;
      }
    }
    evidence.push(item);
  }
  return evidence.sort((a, b) => compareLocation(a.at, b.at) || compareText(a.variable, b.variable));
}

/**
 * What an expanded value says when it names no backend and reads variables set nowhere the
 * repository shows: the tool filled in empty strings, so the value as written tells whether it is
 * about Supabase, and the target says which names are missing (instead of "not a project host").
 * A value that still names a project or the local stack without them keeps that.
 */
function withMissingNamed(resolution: SupabaseResolution | undefined, expansion: Expansion | undefined, resolve: (value: Sensitive) => SupabaseResolution | undefined): SupabaseResolution | undefined {
  if (!expansion || (expansion.missing.length === 0 && !expansion.unfinished)) return resolution;
  if (resolution && resolution.target.kind !== 'unknown') return resolution;
  const { missing, unfinished } = expansion;
  const fromWritten = resolve(expansion.written);
  if (!fromWritten) return resolution;
  const names = missing.map((n) => `\${${n}}`).join(', ');
  const reason = unfinished
    ? 'the value is too long to expand'
    : `it reads ${names}, which ${missing.length === 1 ? 'is' : 'are'} set nowhere the repository shows, so the value cannot be expanded`;
  return { role: (resolution ?? fromWritten).role, target: { kind: 'unknown', reason } };
}

export function compareLocation(a: Location, b: Location): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

/**
 * The weakest evidence: the project the Supabase CLI folder nearest above a surface names
 * (`supabase/config.toml` `project_id`, `supabase/.temp/project-ref`). Used only by surfaces that
 * say nothing themselves, and never for local development, which runs against the local stack.
 */
export function withLinkedProject(surface: Surface, refs: readonly LoadedProjectRef[]): Surface {
  if (surface.evidence.length > 0 || surface.environment === 'local' || surface.environment === 'development') return surface;
  const dir = surface.kind === 'worker' ? path.dirname(surface.path) || '.' : surface.path;
  let best: { owner: string; refs: LoadedProjectRef[] } | undefined;
  for (const ref of refs) {
    const owner = supabaseFolderOwner(ref.path);
    if (!isInsideDir(dir, owner)) continue;
    if (!best || owner.length > best.owner.length) best = { owner, refs: [ref] };
    else if (owner === best.owner) best.refs.push(ref);
  }
  if (!best) return surface;
  const evidence: SupabaseEvidence[] = best.refs.map((ref) => ({
    variable: ref.via === 'link' ? 'supabase link' : 'project_id',
    role: 'project-ref',
    target: { kind: 'project', ref: ref.ref, via: 'project-ref-file' },
    at: ref.at,
    source: 'file',
    strength: 'link',
  }));
  return { ...surface, evidence: evidence.sort((a, b) => compareLocation(a.at, b.at)) };
}

/** `app/supabase/config.toml` and `app/supabase/.temp/project-ref` both belong to `app`. */
function supabaseFolderOwner(file: string): string {
  const marker = file.lastIndexOf('supabase/');
  const owner = marker <= 0 ? '.' : file.slice(0, marker - 1);
  return owner === '' ? '.' : owner;
}

function isInsideDir(dir: string, ancestor: string): boolean {
  return ancestor === '.' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}

/**
 * Why a Worker that reads its Supabase address has no project in the repository: the value is a
 * secret set outside it (declared without a value), or nothing in the repository sets it. Shown
 * instead of "no Supabase settings found", which reads as "this Worker does not use Supabase".
 */
export function undecidedWorker(secrets: readonly DeclaredSecret[], values: ReadonlyMap<string, LayeredVariable>, usage: CodeUsage | undefined): { undecided?: string } {
  const address = usage?.reads.find((r) => namesSupabaseAddress(r.name) && !values.has(r.name))?.name;
  if (address === undefined) return {};
  const declared = secrets.some((s) => s.name === address);
  return { undecided: declared ? `${address} is a secret set outside the repository` : `${address} is read, and nothing in the repository sets it` };
}
