/**
 * A Supabase Auth stand-in for one project on 127.0.0.1, following the shapes of the real
 * endpoints (supabase.com/docs/reference/api, GoTrue README): GET /auth/v1/health, GET
 * /auth/v1/settings (needs a valid `apikey`), POST /auth/v1/token?grant_type=password ({ email,
 * password } → { access_token, token_type, expires_in, user }). Keys and user tokens are real
 * HS256 JWTs signed with this project's own secret, so another project's are rejected.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';

export type AuthProject = { url: string; anonKey: string; serviceKey: string; secret: Uint8Array; close(): Promise<void> };

/** `project`: play a real project, with its JWT secret (so its committed keys are accepted) and its issuer. */
export async function startSupabaseAuth(
  name: string,
  user = { email: 'smoke@example.com', password: 'correct horse' },
  signing: 'HS256' | 'ES256' = 'HS256',
  project: { jwtSecret?: string; issuer?: string } = {},
): Promise<AuthProject> {
  const secret = new TextEncoder().encode(project.jwtSecret ?? `stand-in-jwt-secret-of-${name}-0123456789abcdef`);
  // With asymmetric signing (ES256), user tokens are signed with a key pair whose public half is
  // published at /auth/v1/.well-known/jwks.json; API keys stay HS256, as on Supabase.
  const pair = signing === 'ES256' ? await generateKeyPair('ES256') : undefined;
  const publicJwk: JWK | undefined = pair ? { ...(await exportJWK(pair.publicKey)), kid: `${name}-key`, alg: 'ES256', use: 'sig' } : undefined;
  const valid = async (token: string | undefined) => {
    if (!token) return false;
    try {
      await jwtVerify(token, secret);
      return true;
    } catch {
      return false;
    }
  };
  let url = '';
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const path = new URL(req.url ?? '/', 'http://x');
      if (path.pathname === '/auth/v1/health') return send(200, { name: 'GoTrue', version: 'stand-in' });
      if (path.pathname === '/auth/v1/.well-known/jwks.json') return send(200, { keys: publicJwk ? [publicJwk] : [] });
      const apikey = req.headers.apikey as string | undefined;
      if (!(await valid(apikey))) return send(401, { message: 'Invalid API key' });
      if (path.pathname === '/auth/v1/settings') return send(200, { external: { email: true }, disable_signup: false });
      if (path.pathname === '/auth/v1/user' && req.method === 'GET') {
        // What supabase.auth.getUser(jwt) calls: the user behind a token this project issued.
        const token = req.headers.authorization?.replace(/^Bearer /, '');
        if (!(await valid(token))) return send(401, { code: 401, error_code: 'bad_jwt', msg: 'invalid JWT: unable to parse or verify signature' });
        return send(200, { id: '00000000-0000-0000-0000-000000000001', aud: 'authenticated', role: 'authenticated', email: user.email });
      }
      if (path.pathname === '/auth/v1/token' && path.searchParams.get('grant_type') === 'password' && req.method === 'POST') {
        const body = JSON.parse(raw || '{}') as { email?: string; password?: string };
        if (body.email !== user.email || body.password !== user.password) return send(400, { error: 'invalid_grant', error_description: 'Invalid login credentials' });
        const accessToken = await new SignJWT({ role: 'authenticated', email: user.email })
          .setProtectedHeader(pair ? { alg: 'ES256', typ: 'JWT', kid: publicJwk!.kid } : { alg: 'HS256', typ: 'JWT' })
          .setIssuer(project.issuer ?? `${url}/auth/v1`).setSubject('00000000-0000-0000-0000-000000000001')
          .setIssuedAt().setExpirationTime('1h').sign(pair ? pair.privateKey : secret);
        return send(200, { access_token: accessToken, token_type: 'bearer', expires_in: 3600, user: { id: '00000000-0000-0000-0000-000000000001', email: user.email } });
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const anonKey = await new SignJWT({ iss: 'supabase', role: 'anon' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().sign(secret);
  const serviceKey = await new SignJWT({ iss: 'supabase', role: 'service_role' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().sign(secret);
  return { url, anonKey, serviceKey, secret, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * The incident's Worker auth middleware, reduced to its effect: a bearer token is accepted only if
 * the project in SUPABASE_URL issued it (what `supabase.auth.getUser(token)` decides).
 */
export async function startWorker(project: AuthProject): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    let ok = false;
    try {
      ok = Boolean(token) && Boolean(await jwtVerify(token!, project.secret));
    } catch {
      ok = false;
    }
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { profile: {} } : { error: 'AUTH_FAILED' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
