import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

const worker = (code: string) => ({
  'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n',
  'src/index.ts': `export default { async fetch(request: Request, env: Env) { ${code} } };\n`,
});

describe('dead-binding', () => {
  ruleCases('dead-binding', [
    { name: 'fires: a KV binding no module reads', files: worker('return new Response("ok");'), expected: ['error wrangler.toml:3 [top-level] CACHE'] },
    { name: 'fires per environment: [env.staging] declares its own unread binding', files: { ...worker('return new Response(await env.CACHE.get("k"));'), 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[env.staging]\nkv_namespaces = [{ binding = "OLD", id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }]\n' }, expected: ['error wrangler.toml:5 [staging] OLD'] },
    { name: 'must not fire: the binding is read', files: worker('return new Response(await env.CACHE.get("k"));'), expected: [] },
    {
      name: 'a note, not an error: a Python Worker, whose reads deploy-guard cannot see (seen in a real repository)',
      files: {
        'wrangler.toml': 'name = "py"\nmain = "main.py"\ncompatibility_flags = ["python_workers"]\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[site]\nbucket = "./static"\n',
        'main.py': 'from workers import Response\nasync def on_fetch(request, env):\n    return Response(await env.CACHE.get("k"))\n',
        'static/index.html': '<p>hi</p>\n',
      },
      expected: ['note wrangler.toml:1 [top-level]'],
    },
    {
      name: 'a note, not an error: a module reached from main could not be parsed, so its reads are unknown',
      files: { ...worker('return new Response(await cached());'), 'src/index.ts': 'import { cached } from "./cached";\nexport default { async fetch() { return new Response(await cached()); } };\n', 'src/cached.ts': 'import { env } from "cloudflare:workers";\nexport const cached = () => env.CACHE.get("k"));\n' },
      expected: ['note wrangler.toml:1 [top-level]'],
    },
    {
      name: 'a note, not an error: a service-worker Worker reads its bindings as globals, [site] included (seen in a public repository)',
      files: { 'wrangler.toml': 'name = "site"\nmain = "index.js"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n[site]\nbucket = "./public"\n', 'index.js': 'addEventListener("fetch", (event) => {\n  event.respondWith(CACHE.get("k").then(() => __STATIC_CONTENT.get("index.html")).then((b) => new Response(b)));\n});\n', 'public/index.html': '<p>hi</p>\n' },
      expected: ['note wrangler.toml:1 [top-level]'],
    },
    {
      name: 'a note, not an error: a service-worker Worker whose self.addEventListener sits in a module the entry imports',
      files: { 'wrangler.toml': 'name = "sw"\nmain = "src/index.js"\nkv_namespaces = [{ binding = "CACHE", id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }]\n', 'src/index.js': 'import "./handler.js";\n', 'src/handler.js': 'self.addEventListener("fetch", (event) => event.respondWith(CACHE.get("k").then((v) => new Response(v))));\n' },
      expected: ['note wrangler.toml:1 [top-level]'],
    },
    {
      name: 'a note, not an error: itty-router hands env to route handlers as an argument (seen in two public repositories)',
      files: { ...worker(''), 'src/index.ts': 'import { Router } from "itty-router";\nconst router = Router();\nrouter.get("/", async (request: Request, { CACHE }: Env) => new Response(await CACHE.get("k")));\nexport default { fetch: router.handle };\n' },
      expected: ['note wrangler.toml:1 [top-level]'],
    },
    { name: 'a note, not an error: env is read by a computed key, any binding may be used', files: worker('const name = new URL(request.url).searchParams.get("ns") ?? "A";\n  return new Response(await (env as Record<string, KVNamespace>)[name]!.get("k"));'), expected: ['note wrangler.toml:1 [top-level]'] },
  ]);
});
