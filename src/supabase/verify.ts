/**
 * HS256 signature check of a legacy Supabase key against a JWT secret. Synchronous (rules are pure
 * and synchronous), with node:crypto's HMAC and a constant-time comparison; equivalent to jose's
 * `jwtVerify` for HS256 without the claim checks, which deploy-guard does separately.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyHs256(token: string, secret: string): boolean | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let header: { alg?: string };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string };
  } catch {
    return undefined;
  }
  if (header.alg !== 'HS256') return undefined; // asymmetric keys are verified against JWKS, not a shared secret
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
