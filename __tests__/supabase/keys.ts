/**
 * Test keys for the whole project: real HS256 JWTs signed with jose, so code under test decodes
 * exactly what Supabase issues. Claims follow Supabase's legacy keys
 * (`{"iss":"supabase","ref","role","iat","exp"}`), the CLI's demo keys (`iss: "supabase-demo"`,
 * no ref) and Auth access tokens (`iss: "https://<ref>.supabase.co/auth/v1"`).
 *
 * Times are fixed so tokens are identical on every run; pass `exp` to test expiry.
 */
import { SignJWT } from 'jose';

/** Realistic refs: 20 lowercase letters, as the Supabase CLI requires. */
export const REF_A = 'abcdefghijklmnopqrst';
export const REF_B = 'qrstuvwxyzabcdefghij';
export const REF_C = 'zyxwvutsrqponmlkjihg';

/** A secret for test keys only; never a real project's. */
export const TEST_JWT_SECRET = 'deploy-guard-test-jwt-secret-not-a-real-one-0123456789';

/** 2023-11-14T22:13:20Z. */
export const TEST_IAT = 1_700_000_000;
/** 2033-10-29 or so: ten years on, like Supabase's own keys. */
export const TEST_EXP = TEST_IAT + 10 * 365 * 24 * 60 * 60;

export type LegacyKeyOptions = {
  /** Omit for keys that name no project (self-hosted, demo). */
  ref?: string;
  role: 'anon' | 'service_role' | 'authenticated' | (string & {});
  /** Seconds since the epoch, or a Date. */
  exp?: number | Date;
  /** Defaults to "supabase". Pass `null` to leave `iss` out (the oldest keys had none). */
  iss?: string | null;
  secret?: string;
  /** Extra claims, e.g. `sub` for access tokens. */
  claims?: Record<string, unknown>;
};

function seconds(exp: number | Date): number {
  return exp instanceof Date ? Math.floor(exp.getTime() / 1000) : exp;
}

/** A signed legacy-style key (or any HS256 JWT with Supabase's claim layout). */
export async function makeLegacyKey(options: LegacyKeyOptions): Promise<string> {
  const iss = options.iss === undefined ? 'supabase' : options.iss;
  const payload: Record<string, unknown> = {
    ...(iss !== null ? { iss } : {}),
    ...(options.ref !== undefined ? { ref: options.ref } : {}),
    role: options.role,
    iat: TEST_IAT,
    exp: seconds(options.exp ?? TEST_EXP),
    ...options.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** The local CLI stack's demo key shape: `iss: "supabase-demo"`, no ref. */
export function makeDemoKey(role: 'anon' | 'service_role'): Promise<string> {
  return makeLegacyKey({ role, iss: 'supabase-demo' });
}

/** A Supabase Auth user access token issued by `issuer` (default: project `ref`'s Auth). */
export function makeAccessToken(options: { ref?: string; issuer?: string; exp?: number | Date }): Promise<string> {
  const issuer = options.issuer ?? `https://${options.ref ?? REF_A}.supabase.co/auth/v1`;
  return makeLegacyKey({
    role: 'authenticated',
    iss: issuer,
    ...(options.exp !== undefined ? { exp: options.exp } : {}),
    claims: { aud: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' },
  });
}
