/**
 * What code hands to a Supabase client: literals, module constants, env reads in every spelling,
 * fallbacks; and what is not a client at all.
 */
import { describe, expect, it } from '@jest/globals';
import { analyzeModule } from '../../src/usage/module-facts.js';
import { frontendUrls } from '../../src/usage/frontend-code.js';

type Shown = { callee: string; url: string[]; key: string[] };

function clients(code: string, file = 'src/lib/supabase.ts'): Shown[] {
  return analyzeModule(code, file).supabaseClients.map((c) => ({
    callee: c.callee,
    url: c.url.map((a) => (a.kind === 'env' ? `env:${a.name}` : `literal:${a.text}${a.constant ? ` (${a.constant})` : ''}`)),
    key: c.key.map((a) => (a.kind === 'env' ? `env:${a.name}` : `literal:${a.text}`)),
  }));
}

describe('Supabase clients the code creates', () => {
  it.each<[string, string, Shown[]]>([
    [
      'app-builder client module: module constants',
      'import { createClient } from "@supabase/supabase-js";\nconst SUPABASE_URL = "https://abcdefghijklmnopqrst.supabase.co";\nconst SUPABASE_PUBLISHABLE_KEY = "sb_publishable_x";\nexport const supabase = createClient<Database>(SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY, { auth: {} });',
      [{ callee: 'createClient', url: ['literal:https://abcdefghijklmnopqrst.supabase.co (SUPABASE_URL)'], key: ['literal:sb_publishable_x'] }],
    ],
    [
      'Vite import.meta.env',
      'import { createClient } from "@supabase/supabase-js";\nexport const s = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);',
      [{ callee: 'createClient', url: ['env:VITE_SUPABASE_URL'], key: ['env:VITE_SUPABASE_ANON_KEY'] }],
    ],
    [
      'Next.js process.env with a non-null assertion',
      'import { createBrowserClient } from "@supabase/ssr";\nexport const s = createBrowserClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);',
      [{ callee: 'createBrowserClient', url: ['env:NEXT_PUBLIC_SUPABASE_URL'], key: ['env:NEXT_PUBLIC_SUPABASE_ANON_KEY'] }],
    ],
    [
      'Hono c.env in a Worker, aliased import',
      'import { createClient as sb } from "@supabase/supabase-js";\napp.use(async (c) => { const s = sb(c.env.SUPABASE_URL, c.env.SUPABASE_SERVICE_ROLE_KEY); });',
      [{ callee: 'createClient', url: ['env:SUPABASE_URL'], key: ['env:SUPABASE_SERVICE_ROLE_KEY'] }],
    ],
    [
      'SvelteKit $env/static/public',
      'import { createServerClient } from "@supabase/ssr";\nimport { PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_ANON_KEY as KEY } from "$env/static/public";\nexport const s = createServerClient(PUBLIC_SUPABASE_URL, KEY, {});',
      [{ callee: 'createServerClient', url: ['env:PUBLIC_SUPABASE_URL'], key: ['env:PUBLIC_SUPABASE_ANON_KEY'] }],
    ],
    [
      'fallback to a literal',
      'import { createClient } from "@supabase/supabase-js";\nconst url = import.meta.env.VITE_SUPABASE_URL || "https://abcdefghijklmnopqrst.supabase.co";\nexport const s = createClient(url, import.meta.env.VITE_KEY ?? "");',
      [{ callee: 'createClient', url: ['env:VITE_SUPABASE_URL', 'literal:https://abcdefghijklmnopqrst.supabase.co (url)'], key: ['env:VITE_KEY', 'literal:'] }],
    ],
    [
      'namespace import and Deno.env.get',
      'import * as supabase from "@supabase/supabase-js";\nexport const s = supabase.createClient(Deno.env.get("SUPABASE_URL"), Deno.env.get("SUPABASE_ANON_KEY"));',
      [{ callee: 'createClient', url: ['env:SUPABASE_URL'], key: ['env:SUPABASE_ANON_KEY'] }],
    ],
    [
      'a ternary says nothing certain',
      'import { createClient } from "@supabase/supabase-js";\nexport const s = createClient(import.meta.env.DEV ? "http://127.0.0.1:54321" : "https://abcdefghijklmnopqrst.supabase.co", "k");',
      [{ callee: 'createClient', url: [], key: ['literal:k'] }],
    ],
  ])('%s', (_name, code, expected) => {
    expect(clients(code)).toEqual(expected);
  });

  it.each([
    ['a createClient from another package', 'import { createClient } from "redis";\nexport const r = createClient("redis://localhost");'],
    ['a local function called createClient', 'function createClient(u: string) { return u; }\nexport const r = createClient("https://abcdefghijklmnopqrst.supabase.co");'],
    ['a client mentioned only in a comment or a string', 'import { createClient } from "@supabase/supabase-js";\n// createClient("https://abcdefghijklmnopqrst.supabase.co")\nexport const doc = "createClient(url, key)";'],
    ['a type-only import', 'import type { SupabaseClient } from "@supabase/supabase-js";\nexport let s: SupabaseClient;'],
  ])('no client: %s', (_name, code) => {
    expect(clients(code)).toEqual([]);
  });

  it('gives the position of the call and of each argument', () => {
    const [call] = analyzeModule('import { createClient } from "@supabase/supabase-js";\n\nexport const s = createClient(\n  "https://abcdefghijklmnopqrst.supabase.co",\n  import.meta.env.VITE_KEY,\n);', 'a.ts').supabaseClients;
    expect(call).toMatchObject({ line: 3, column: 18, url: [{ line: 4, column: 3 }], key: [{ line: 5, column: 3 }] });
  });

  it('ends on constants that refer to each other in a cycle', () => {
    expect(clients('import { createClient } from "@supabase/supabase-js";\nconst A = B;\nconst B = A;\nexport const s = createClient(A, B);')).toEqual([{ callee: 'createClient', url: [], key: [] }]);
  });
});

describe('hosts a frontend names in its code', () => {
  it('lists each host once, at its first place, without Supabase or documentation hosts', () => {
    const text = [
      'const API = "https://api.example.com/v1";',
      '// see https://supabase.com/docs and https://github.com/org/repo',
      'fetch(`https://api.example.com/jobs/${id}`);',
      "const other = 'http://shop-api.acme.workers.dev';",
      'const sb = "https://abcdefghijklmnopqrst.supabase.co";',
    ].join('\n');
    expect(frontendUrls('src/api.ts', text)).toEqual([
      { host: 'api.example.com', at: { file: 'src/api.ts', line: 1, column: 14 } },
      { host: 'shop-api.acme.workers.dev', at: { file: 'src/api.ts', line: 4, column: 16 } },
    ]);
  });

  it('finds nothing in text without a scheme', () => {
    expect(frontendUrls('a.ts', 'const x = "api.example.com";')).toEqual([]);
  });
});
