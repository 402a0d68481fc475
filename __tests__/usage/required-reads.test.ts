/**
 * Whether a read of env is required is judged per read, from what the code does without the value:
 * a guard whose branch fails (throws, answers an error response, rejects, exits) makes it
 * required, and the finding says so; a default, an ordinary early return or a feature switch keeps
 * it optional, in the function that tests it only.
 */
import { describe, expect, it } from '@jest/globals';
import { ruleCases, ruleFindings } from '../helpers/rule-cases.js';

/** `[ai]` at the top level only; [env.production] does not inherit it. */
const aiOnTopLevel = 'name = "api"\nmain = "src/index.ts"\n[ai]\nbinding = "AI"\n\n[env.production]\nroutes = ["api.example.com/*"]\n';

/** A Hono-style app whose summarize route is `body` (lines 4 on of src/routes/summarize.ts). */
function summarize(body: string): Record<string, string> {
  return {
    'wrangler.toml': aiOnTopLevel,
    'src/index.ts': 'import { app } from "./routes/summarize";\nexport default app;\n',
    'src/routes/summarize.ts': `import { Hono } from "hono";\nexport const app = new Hono<{ Bindings: Env }>();\napp.post("/api/summarize", async (c) => {\n${body}\n});\n`,
  };
}

/** Supabase vars at the top level; [env.staging] declares neither. */
const supabaseTopLevelOnly = 'name = "api"\nmain = "src/index.ts"\n[vars]\nSUPABASE_URL = "https://abcdefghijklmnopqrst.supabase.co"\nSUPABASE_ANON_KEY = "anon"\n\n[env.staging]\nroutes = ["staging.example.com/*"]\n';

/** A KV namespace at the top level only, and a Worker whose fetch handler's body is `body` (line 3 on). */
function cacheWorker(body: string, before = ''): Record<string, string> {
  return {
    'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n\n[env.production]\nroutes = ["api.example.com/*"]\n',
    'src/index.ts': `${before}export default {\n  async fetch(request: Request, env: Env) {\n${body}\n  },\n};\n`,
  };
}

/**
 * A Worker that declares one unrelated secret (so a name it lacks is drift, reported per name),
 * its fetch handler's body `body` (line 3 on) and more code before it.
 */
function bareWorker(body: string, before = ''): Record<string, string> {
  return {
    'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n',
    '.dev.vars.example': 'SESSION_SIGNING_KEY=\n',
    'src/index.ts': `${before}export default {\n  async fetch(request: Request, env: Env) {\n${body}\n  },\n};\n`,
  };
}

describe('a read is required by what the code does without it: missing-binding', () => {
  ruleCases('missing-binding', [
    {
      name: 'fires: the route answers 500 without the AI binding production lacks',
      files: summarize('  const ai = c.env.AI;\n  if (!ai) return c.json({ error: "AI is not available" }, 500);\n  return c.json(await ai.run("@cf/model", {}));'),
      expected: ['error wrangler.toml:6 [production] AI'],
    },
    {
      name: 'must not fire: the route answers an ordinary value without it',
      files: summarize('  const ai = c.env.AI;\n  if (!ai) return c.json({ summary: null });\n  return c.json(await ai.run("@cf/model", {}));'),
      expected: [],
    },
    {
      name: 'fires: new Response(…, { status: 503 }) without it',
      files: summarize('  if (!c.env.AI) return new Response("AI is off", { status: 503 });\n  return c.json(await c.env.AI.run("@cf/model", {}));'),
      expected: ['error wrangler.toml:6 [production] AI'],
    },
    {
      name: 'must not fire: a feature switch (the code runs only with it)',
      files: summarize('  if (c.env.AI) await c.env.AI.run("@cf/model", {});\n  return c.text("ok");'),
      expected: [],
    },
    {
      name: 'fires on both names: if (!A || !B) throw',
      files: {
        'wrangler.toml': supabaseTopLevelOnly,
        'src/index.ts': 'import { createClient } from "@supabase/supabase-js";\nexport function supabaseFor(env: Env) {\n  if (!env.SUPABASE_URL || !env.SUPABASE_ANON_KEY) throw new Error("SUPABASE_URL and SUPABASE_ANON_KEY must be set");\n  return createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY);\n}\nexport default { fetch(request: Request, env: Env) { return supabaseFor(env).from("t").select(); } };\n',
      },
      expected: ['warning wrangler.toml:7 [staging] SUPABASE_ANON_KEY', 'warning wrangler.toml:7 [staging] SUPABASE_URL'],
    },
    {
      name: 'must not fire: if (!A && !B) throw needs only one of them',
      files: {
        'wrangler.toml': supabaseTopLevelOnly,
        'src/index.ts': 'export default { fetch(request: Request, env: Env) {\n  if (!env.SUPABASE_URL && !env.SUPABASE_ANON_KEY) throw new Error("nothing set");\n  return new Response("ok");\n} };\n',
      },
      expected: [],
    },
    {
      name: 'must not fire: an ordinary early return guards the later read in the same function',
      files: cacheWorker('    if (!env.CACHE) return new Response("no cache");\n    return new Response(await env.CACHE.get("k"));'),
      expected: [],
    },
    {
      name: 'fires: a nested function\'s guard protects no read outside it',
      files: cacheWorker('    const cached = () => { if (!env.CACHE) return null; return env.CACHE.get("k"); };\n    await cached();\n    return new Response(await env.CACHE.get("x"));'),
      expected: ['error wrangler.toml:5 [production] CACHE'],
    },
    {
      name: 'must not fire: the nested function\'s guard alone, its reads inside it',
      files: cacheWorker('    const cached = () => { if (!env.CACHE) return null; return env.CACHE.get("k"); };\n    return new Response(await cached());'),
      expected: [],
    },
    {
      name: 'fires: a guard in one handler does not make an unguarded read in another optional',
      files: cacheWorker('    return new Response(await env.CACHE.get("k"));', 'export async function warm(env: Env) {\n  if (!env.CACHE) return;\n  await env.CACHE.put("k", "v");\n}\n'),
      expected: ['error wrangler.toml:5 [production] CACHE'],
    },
    {
      name: 'fires: a health check\'s !!env.CACHE makes no other route\'s read optional',
      files: cacheWorker('    if (new URL(request.url).pathname === "/health") return health(env);\n    return new Response(await env.CACHE.get("k"));', 'function health(env: Env) {\n  return Response.json({ cache: !!env.CACHE });\n}\n'),
      expected: ['error wrangler.toml:5 [production] CACHE'],
    },
    {
      name: 'fires: each name of a constant list tested in a loop whose branch answers 500',
      files: {
        'wrangler.toml': supabaseTopLevelOnly,
        'src/index.ts': 'const REQUIRED = ["SUPABASE_URL", "SUPABASE_ANON_KEY"] as const;\nexport default { fetch(request: Request, env: Env) {\n  for (const key of REQUIRED) if (!env[key]) return new Response(`${key} is not set`, { status: 500 });\n  return new Response("ok");\n} };\n',
      },
      expected: ['warning wrangler.toml:7 [staging] SUPABASE_ANON_KEY', 'warning wrangler.toml:7 [staging] SUPABASE_URL'],
    },
    {
      name: 'must not fire: the same loop skipping what is missing',
      files: {
        'wrangler.toml': supabaseTopLevelOnly,
        'src/index.ts': 'const OPTIONAL = ["SUPABASE_URL", "SUPABASE_ANON_KEY"] as const;\nexport default { fetch(request: Request, env: Env) {\n  const set: string[] = [];\n  for (const key of OPTIONAL) { if (!env[key]) continue; set.push(key); }\n  return new Response(set.join());\n} };\n',
      },
      expected: [],
    },
  ]);

  it('quotes the consequence as evidence', () => {
    const [finding] = ruleFindings('missing-binding', { files: summarize('  const ai = c.env.AI;\n  if (!ai) return c.json({ error: "AI is not available" }, 500);\n  return c.json(await ai.run("@cf/model", {}));') });
    expect(finding?.message).toContain('Without it the handler answers 500 "AI is not available" at src/routes/summarize.ts:5.');
    expect(finding?.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toContain('src/routes/summarize.ts:5 without env.AI, the handler answers 500 "AI is not available"');
  });
});

describe('a read is required by what the code does without it: missing-secret', () => {
  ruleCases('missing-secret', [
    {
      name: 'must not fire: a gate that fails closed, denying access without the secret as with a wrong token (seen in a public repository)',
      files: bareWorker('    const secret = env.DEBUG_SECRET;\n    const token = request.headers.get("x-debug-token");\n    if (!secret || token !== secret) return new Response("forbidden", { status: 403 });\n    return new Response("debug");'),
      expected: [],
    },
    {
      name: 'fires: the same secret tested alone, whose absence answers 500',
      files: bareWorker('    const secret = env.DEBUG_SECRET;\n    if (!secret) return new Response("misconfigured", { status: 500 });\n    return new Response(secret.length > 0 ? "ok" : "no");'),
      expected: ['warning src/index.ts:3 [top-level] DEBUG_SECRET'],
    },
    {
      name: 'fires: a callee that tests its parameter and throws',
      files: bareWorker('    return new Response(stripeKey(env));', 'function stripeKey(bindings) {\n  if (!bindings.STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not set");\n  return bindings.STRIPE_SECRET_KEY;\n}\n'),
      expected: ['warning src/index.ts:2 [top-level] STRIPE_SECRET_KEY'],
    },
    {
      name: 'must not fire: a callee that tests its parameter and returns null',
      files: bareWorker('    return new Response(stripeKey(env));', 'function stripeKey(bindings) {\n  if (!bindings.STRIPE_SECRET_KEY) return null;\n  return bindings.STRIPE_SECRET_KEY;\n}\n'),
      expected: [],
    },
    {
      name: 'fires: a callee whose parameter is held in a variable, tested, and thrown without',
      files: bareWorker('    return new Response(stripeKey(env));', 'function stripeKey(bindings) {\n  const key = bindings.STRIPE_SECRET_KEY;\n  if (!key) throw new Error("no key");\n  return key;\n}\n'),
      expected: ['warning src/index.ts:2 [top-level] STRIPE_SECRET_KEY'],
    },
    {
      name: 'must not fire: a value handed to a function that cleans it (v?.trim() || "")',
      files: bareWorker('    return new Response(clean(env.API_TOKEN));', 'function clean(v?: string) { return v?.trim() || ""; }\n'),
      expected: [],
    },
    {
      name: 'must not fire: a value handed to a function that returns null without it',
      files: bareWorker('    return new Response(orNull(env.API_TOKEN));', 'function orNull(value?: string) {\n  if (!value) return null;\n  return value;\n}\n'),
      expected: [],
    },
    {
      name: 'fires: a value handed to a function that throws without it',
      files: bareWorker('    return new Response(required(env.API_TOKEN, "API_TOKEN"));', 'function required(value: string | undefined, name: string) {\n  if (!value) throw new Error(`${name} must be set`);\n  return value;\n}\n'),
      expected: ['warning src/index.ts:7 [top-level] API_TOKEN'],
    },
    {
      name: 'fires: the process exits without it',
      files: bareWorker('    if (!env.API_TOKEN) process.exit(1);\n    return new Response("ok");'),
      expected: ['warning src/index.ts:3 [top-level] API_TOKEN'],
    },
    {
      name: 'fires: the promise is rejected without it',
      files: bareWorker('    if (!env.API_TOKEN) return Promise.reject(new Error("no token"));\n    return new Response("ok");'),
      expected: ['warning src/index.ts:3 [top-level] API_TOKEN'],
    },
    {
      name: 'fires: c.text(…, 500), an else branch, and an error helper',
      files: bareWorker('    if (env.API_TOKEN) { return new Response("ok"); } else { return c.text("no token", 500); }\n    if (env.OTHER_TOKEN === undefined) return errorResponse("no other token");', 'declare const c: any;\ndeclare function errorResponse(m: string): Response;\n'),
      expected: ['warning src/index.ts:5 [top-level] API_TOKEN', 'warning src/index.ts:6 [top-level] OTHER_TOKEN'],
    },
    {
      name: 'must not fire: a default (??, ||, a destructuring default)',
      files: bareWorker('    const { REGION = "eu" } = env;\n    return new Response((env.API_TOKEN ?? "anonymous") + (env.LEVEL || "info") + REGION);'),
      expected: [],
    },
  ]);

  it('quotes the consequence, without a token-like text', () => {
    const [finding] = ruleFindings('missing-secret', { files: bareWorker('    const key = env.STRIPE_SECRET_KEY;\n    if (!key) throw new Error("sk_live_abcdefghijklmnopqrstuvwxyz");\n    return new Response(key);') });
    expect(finding?.message).toContain('Without it the code throws at src/index.ts:4.');
    expect(finding?.message).not.toContain('sk_live');
    const [handed] = ruleFindings('missing-secret', { files: bareWorker('    return new Response(required(env.API_TOKEN));', 'function required(value?: string) {\n  if (!value) throw new Error("a value is required");\n  return value;\n}\n') });
    expect(handed?.message).toContain('Without it the code throws "a value is required" at src/index.ts:2.');
    const [thrown] = ruleFindings('missing-secret', { files: bareWorker('    if (!env.STRIPE_SECRET_KEY) throw new Error(`STRIPE_SECRET_KEY is not set for ${request.url}`);\n    return new Response("ok");') });
    expect(thrown?.message).toContain('Without it the code throws "STRIPE_SECRET_KEY is not set for …" at src/index.ts:3.');
  });
});
