/**
 * Reading JWT claims without verifying them. Verification needs the project's JWT secret, which
 * the guard usually does not have; the claims alone say which project and role a key is for, and
 * a forged key would fail at Supabase anyway. jose does the base64url/JSON decoding.
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

export type DecodedJwt = { header: ProtectedHeaderParameters; claims: JWTPayload };

// Three base64url segments; a signed JWT's JSON header always starts `{"` which encodes as `eyJ`.
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A cheap shape test, so that ordinary strings never reach the decoder. */
export function looksLikeJwt(text: string): boolean {
  return JWT_SHAPE.test(text);
}

/** Header and claims of a compact JWS, or undefined for anything jose cannot decode. Never throws. */
export function decodeJwtParts(text: string): DecodedJwt | undefined {
  if (!looksLikeJwt(text)) return undefined;
  try {
    const header = decodeProtectedHeader(text);
    // A JWS header names its algorithm; without one the string only looks like a token.
    if (typeof header.alg !== 'string') return undefined;
    return { header, claims: decodeJwt(text) };
  } catch {
    return undefined;
  }
}

/** The signature segment: the part of a token that is useless without the rest, and secret with it. */
export function jwtSignature(text: string): string | undefined {
  if (!looksLikeJwt(text)) return undefined;
  const signature = text.slice(text.lastIndexOf('.') + 1);
  return signature === '' ? undefined : signature;
}

export function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : undefined;
}

/** `exp` as a date; absent or not a finite number means the token states no expiry. */
export function expiryOf(claims: JWTPayload): Date | undefined {
  return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? new Date(claims.exp * 1000) : undefined;
}
