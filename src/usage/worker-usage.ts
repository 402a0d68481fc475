/** What one Worker's code reads: the result of the usage analysis (index.ts) and of the Worker cache (worker-cache.ts). */
import type { Location, MainNotFound, OpaqueAccess, SupabaseClientUse, Usage } from '../model.js';
import type { Directive } from '../suppress.js';

export type WorkerUsage = {
  /** Every read of env.NAME in a module reachable from main, sorted. */
  reads: Usage[];
  /** Accesses that could read any binding: no dead-binding claim can be made. */
  opaque: OpaqueAccess[];
  /** Reachable modules, repo-relative, sorted. */
  modules: string[];
  /** Names exported by main (Durable Object and Workflow classes must be among them). */
  mainExports: string[];
  /** Set when main, or a module it re-exports, was not read: `mainExports` may lack names. */
  mainExportsUnknown?: true;
  problems: (Location & { message: string })[];
  /** Suppression comments in the reachable modules. */
  directives: Directive[];
  /** Supabase clients created in the reachable modules. */
  supabaseClients: SupabaseClientUse[];
  /** Set when main could not be read (nothing was analysed). */
  missingMain?: MainNotFound;
  /** The keys of main's `export default { … }` object literal (its handlers), when it is one. */
  handlers?: string[];
};
