import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

describe('parse-error', () => {
  ruleCases('parse-error', [
    { name: 'fires: a wrangler.toml that is not TOML, at the line that breaks', files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n\n[env.production\n' }, expected: ['error wrangler.toml:4'] },
    { name: 'a warning: an unclosed quote in .dev.vars, which only wrangler dev loads', files: { 'wrangler.toml': 'name = "api"\n', '.dev.vars': 'OK=1\nBROKEN="never closed\n' }, expected: ['warning .dev.vars:2', 'note wrangler.toml:1'] },
    { name: 'must not fire: `export NAME=value`, which dotenv reads as the variable', files: { 'package.json': '{"dependencies":{"next":"15.0.0"}}', '.env.development': 'export NEXT_PUBLIC_SUPABASE_URL=https://abcdefghijklmnopqrst.supabase.co\n  export   NEXT_PUBLIC_SITE=x\n' }, expected: [] },
    { name: 'fires: a line dotenv ignores after an `export` line', files: { 'package.json': '{"dependencies":{"next":"15.0.0"}}', '.env.development': 'export NEXT_PUBLIC_SITE=x\nexport NEXT_PUBLIC_A B=1\n' }, expected: ['warning .env.development:2'] },
    { name: 'fires: a Next.js env file whose expansion never ends, which Next does not load', files: { 'package.json': '{"dependencies":{"next":"15.0.0"}}', '.env.local': 'NEXT_PUBLIC_SITE=x\nNEXT_PUBLIC_A=a$NEXT_PUBLIC_A\n' }, expected: ['error .env.local:2'] },
    { name: 'must not fire: the same file in Vite, whose dotenv-expand puts an empty string there', files: { 'package.json': '{"dependencies":{"vite":"7.0.0"}}', '.env.local': 'VITE_SITE=x\nVITE_A=a$VITE_A\n' }, expected: [] },
    { name: 'must not fire: well-formed files', files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'src/index.ts': 'export default { fetch: () => new Response("ok") };\n', '.dev.vars': 'OK=1\n' }, expected: [] },
  ]);
});

const VITE_APP = { 'package.json': JSON.stringify({ name: 'web', scripts: { build: 'vite build', 'build:qa': 'vite build --mode qa' }, devDependencies: { vite: '^7.0.0' } }) };

describe('parse-error weighs a file by who loads it', () => {
  ruleCases('parse-error', [
    { name: 'fires as an error: a broken line in .env.production, which the production build loads', files: { ...VITE_APP, '.env.production': 'VITE_API_URL=https://api.example.com\nnot a line\n' }, expected: ['error .env.production:2'] },
    { name: 'fires as an error: a broken line in .env.qa, a mode a package script builds in', files: { ...VITE_APP, '.env.qa': 'VITE_API_URL=https://qa.example.com\nnot a line\n' }, expected: ['error .env.qa:2'] },
    { name: 'a warning: .env.development, loaded by the dev server only', files: { ...VITE_APP, '.env.development': 'VITE_API_URL=http://localhost\noops\n' }, expected: ['warning .env.development:2'] },
    { name: 'a note: .env.staging in a Vite repo whose scripts never build --mode staging', files: { ...VITE_APP, '.env.staging': 'VITE_API_URL=https://staging.example.com\noops\n' }, expected: ['note .env.staging:2'] },
    { name: 'a note: a prose line in a template nobody loads', files: { ...VITE_APP, '.env.example': '# Supabase\nCopy this file to .env.local and fill it in.\nVITE_SUPABASE_URL=\n' }, expected: ['note .env.example:2'] },
    { name: 'one note, not one error per line: a JSON Schema in .env.schema', files: { ...VITE_APP, '.env.schema': '{\n  "$schema": "http://json-schema.org/draft-07/schema#",\n  "type": "object",\n  "properties": { "VITE_API_URL": { "type": "string" } }\n}\n' }, expected: ['note .env.schema:1'] },
    { name: 'one note: YAML in .env.yml', files: { ...VITE_APP, '.env.yml': 'production:\n  api_url: https://api.example.com\n' }, expected: ['note .env.yml:1'] },
    { name: 'must not fire: comments and blank lines', files: { ...VITE_APP, '.env.production': '# prod\n\nVITE_API_URL=https://api.example.com\n' }, expected: [] },
  ]);
});
