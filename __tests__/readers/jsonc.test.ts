import { describe, expect, it } from '@jest/globals';
import { readJsonc } from '../../src/read/jsonc.js';

const CONFIG = `{
  // comments are allowed in wrangler.json and wrangler.jsonc
  "name": "api",
  "kv_namespaces": [
    { "binding": "CACHE", "id": "a" },
    { "binding": "FLAGS", "id": "b" }, /* trailing comma next */
  ],
  "env": {
    "production": {
      "vars": { "SUPABASE_URL": "https://abcdefghijklmnopqrst.supabase.co", },
    },
  },
}
`;

describe('readJsonc', () => {
  it('parses comments and trailing commas and locates keys and elements', () => {
    const result = readJsonc(CONFIG, 'wrangler.jsonc', 'jsonc');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.doc.data).toMatchObject({ name: 'api', env: { production: { vars: { SUPABASE_URL: expect.any(String) } } } });
    expect(result.doc.locate(['name'])).toEqual({ line: 3, column: 3 });
    expect(result.doc.locate(['kv_namespaces', 1])).toEqual({ line: 6, column: 5 });
    expect(result.doc.locate(['kv_namespaces', 1, 'binding'])).toEqual({ line: 6, column: 7 });
    expect(result.doc.locate(['env', 'production', 'vars', 'SUPABASE_URL'])).toEqual({ line: 10, column: 17 });
  });

  it('lets the last duplicate key win, as JSON.parse does', () => {
    const result = readJsonc('{ "name": "a",\n "name": "b" }', 'wrangler.json', 'json');
    expect(result.ok && result.doc.data).toEqual({ name: 'b' });
    expect(result.ok && result.doc.locate(['name'])).toEqual({ line: 2, column: 2 });
  });

  it.each([
    ['{\n  "name": "api"\n  "main": "x"\n}', 3, /a comma was expected/],
    ['{\n  "name": "api",\n', 3, /property name|closing \}/],
    ['', 1, /value was expected|empty/],
    ['{ "a": "unterminated }', 1, /string is not closed/],
  ])('reports %j at line %i', (text, line, message) => {
    const result = readJsonc(text, 'wrangler.json', 'json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.line).toBe(line);
      expect(result.error.message).toMatch(message);
    }
  });

  it('does not overflow the stack on 60,000-deep nesting', () => {
    expect(() => readJsonc('['.repeat(60_000), 'wrangler.json', 'json')).not.toThrow();
    const deep = `${'['.repeat(60_000)}${']'.repeat(60_000)}`;
    expect(() => readJsonc(deep, 'wrangler.json', 'json')).not.toThrow();
  });
});
