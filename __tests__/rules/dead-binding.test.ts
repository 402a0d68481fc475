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
    { name: 'a note, not an error: env is read by a computed key, any binding may be used', files: worker('const name = new URL(request.url).searchParams.get("ns") ?? "A";\n  return new Response(await (env as Record<string, KVNamespace>)[name]!.get("k"));'), expected: ['note wrangler.toml:1 [top-level]'] },
  ]);
});
