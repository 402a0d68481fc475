import { describe, expect, it } from '@jest/globals';
import type { KeyPath } from '../../src/read/document.js';
import { readToml } from '../../src/read/toml.js';

const WRANGLER = `# a real-world shaped config
name = "api"
main = "src/index.ts"
compatibility_flags = ["nodejs_compat"]
kv_namespaces = [
  { binding = "CACHE", id = "aaa" },
  { binding = "FLAGS", id = "bbb" }
]
durable_objects.bindings = [{ name = "ROOMS", class_name = "Room" }]
description = """
binding = "NOT_A_KEY"
"""

[vars]
"QUOTED.KEY" = "x"
SUPABASE_URL = "https://abcdefghijklmnopqrst.supabase.co"

[[env.staging.kv_namespaces]]
binding = "SESSIONS"
id = "ccc"

[[env.staging.kv_namespaces]]
  binding = "OTHER"   # indented, with a comment
  id = "ddd"

[env.production.vars]
SUPABASE_URL = "https://qrstuvwxyzabcdefghij.supabase.co"
`;

function doc(text = WRANGLER) {
  const result = readToml(text, 'wrangler.toml');
  if (!result.ok) throw new Error(result.error.message);
  return result.doc;
}

describe('readToml locator', () => {
  it.each<[KeyPath, number, number]>([
    [['name'], 2, 1],
    [['kv_namespaces', 0, 'binding'], 6, 5],
    [['kv_namespaces', 1, 'binding'], 7, 5],
    [['durable_objects', 'bindings', 0, 'name'], 9, 31],
    [['vars', 'QUOTED.KEY'], 15, 1],
    [['vars', 'SUPABASE_URL'], 16, 1],
    [['env', 'staging', 'kv_namespaces', 0, 'binding'], 19, 1],
    [['env', 'staging', 'kv_namespaces', 1, 'binding'], 23, 3],
    [['env', 'production', 'vars', 'SUPABASE_URL'], 27, 1],
    // implicit tables take the position of the first header below them
    [['env', 'production'], 26, 1],
    // unknown keys fall back to the nearest ancestor
    [['env', 'production', 'vars', 'NOPE'], 26, 1],
  ])('%j is at line %i column %i', (path, line, column) => {
    expect(doc().locate(path)).toEqual({ line, column });
  });

  it('does not read keys out of a multi-line string', () => {
    expect(doc().data).not.toHaveProperty('binding');
    expect(doc().locate(['binding'])).toEqual({ line: 1, column: 1 });
  });

  it('keeps positions right with CRLF line endings and a BOM', () => {
    const crlf = `\uFEFF${WRANGLER.replace(/\n/g, '\r\n')}`;
    expect(doc(crlf).locate(['env', 'production', 'vars', 'SUPABASE_URL'])).toEqual({ line: 27, column: 1 });
  });

  it('turns dates into ISO strings so the data is plain JSON', () => {
    expect(doc('compatibility_date = 2025-01-01\n').data).toEqual({ compatibility_date: '2025-01-01' });
  });
});

describe('readToml errors', () => {
  it.each([
    ['name = "api"\n[env.production\nvars = 1\n', 2],
    ['name = "api"\nname = "again"\n', 2],
    ['a = [1, 2\n', 2],
    ['ok = 1\n\nbroken = \n', 3],
  ])('reports %j at line %i, without throwing', (text, line) => {
    const result = readToml(text, 'wrangler.toml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.line).toBe(line);
      expect(result.error.message).toMatch(/^invalid TOML: /);
    }
  });

  it('reports 60,000-deep nesting as an error instead of overflowing the stack', () => {
    for (const text of [`a = ${'['.repeat(60_000)}`, `a = ${'{ a = '.repeat(60_000)}`]) {
      const result = readToml(text, 'wrangler.toml');
      expect(result.ok).toBe(false);
    }
  });

  it('survives NUL bytes and random garbage', () => {
    for (const text of ['\u0000\u0000', 'name = "a\u0000"', '[[[', '= = =', '"""']) {
      expect(() => readToml(text, 'wrangler.toml')).not.toThrow();
    }
  });
});
