/**
 * What the live stage learnt over HTTP, as plain data: the answers, never a verdict. The live
 * rules (`src/rules/<id>.ts`, `checkLive`) decide what the answers mean, and src/rule-findings.ts
 * gives their findings the configured levels, as for every other rule.
 */
import type { Binding, Location, Surface, SupabaseEvidence, WorkerConfig, WorkerEnvironment } from '../model.js';

/** A request that gave no usable answer: the HTTP status when there was one, and why in words. */
export type Unanswered = { ok: false; status?: number; reason: string };

/** One surface's Supabase keys, each sent as `apikey` to the project its URL names. */
export type KeyCheck = {
  surface: Surface;
  url: SupabaseEvidence;
  /** The project's API could not be reached at all (no HTTP status): no key was tried. */
  unreachable?: string;
  keys: { key: SupabaseEvidence; answer: { ok: true } | Unanswered }[];
};

/** What a project's published signing keys say about a token the Worker rejected. */
export type SignatureVerdict =
  | { verdict: 'verifies' }
  | { verdict: 'foreign'; keys: number; alg: string }
  /** The JWKS answered in a shape that cannot be read. */
  | { verdict: 'unreadable'; reason: string };

/** The smoke test: sign a test user in against the frontend's project, call the Worker with the token. */
export type SmokeRun =
  | { kind: 'no-frontend'; at: Location }
  | { kind: 'sign-in-failed'; url: SupabaseEvidence; reason: string }
  | {
      kind: 'called';
      url: SupabaseEvidence;
      /** Where findings about the Worker's answers are placed: the Worker's Supabase URL, else the frontend's first evidence. */
      anchor: Location;
      worker?: Surface;
      /** Who issued the token: `project <ref>`, or `the issuer at <host>`. */
      issuer?: string;
      /** Only asked when a call was refused with 401/403; absent when nothing can be told. */
      signature?: SignatureVerdict;
      calls: { path: string; answer: { ok: true } | Unanswered }[];
    };

/** One deployed Worker environment, as the Cloudflare API describes it. */
export type DeployedWorker = {
  worker: WorkerConfig;
  env: WorkerEnvironment;
  /** The names of the deployed script's secrets (values are write-only). */
  secrets: { ok: true; names: string[] } | Unanswered;
  /** Each binding whose target can be looked up in the account. */
  targets: { binding: Binding; what: string; wanted: string; listing: { ok: true; exists: boolean } | Unanswered }[];
  /** The deployed script's bindings, secrets left out. */
  settings: { ok: true; bindings: string[] } | Unanswered;
};

export type LiveFacts = {
  environment: string;
  keyChecks: KeyCheck[];
  /** Absent when no smoke test was asked for. */
  smoke?: SmokeRun;
  /** Absent when no Cloudflare credentials were handed in. */
  cloudflare?: DeployedWorker[];
};
