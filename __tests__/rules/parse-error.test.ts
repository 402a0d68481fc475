import { describe } from '@jest/globals';
import { ruleCases } from '../helpers/rule-cases.js';

describe('parse-error', () => {
  ruleCases('parse-error', [
    { name: 'fires: a wrangler.toml that is not TOML, at the line that breaks', files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n\n[env.production\n' }, expected: ['error wrangler.toml:4'] },
    { name: 'fires: an unclosed quote in .dev.vars', files: { 'wrangler.toml': 'name = "api"\n', '.dev.vars': 'OK=1\nBROKEN="never closed\n' }, expected: ['error .dev.vars:2', 'note wrangler.toml:1'] },
    { name: 'must not fire: `export NAME=value`, which dotenv reads as the variable', files: { 'package.json': '{"dependencies":{"next":"15.0.0"}}', '.env.development': 'export NEXT_PUBLIC_SUPABASE_URL=https://abcdefghijklmnopqrst.supabase.co\n  export   NEXT_PUBLIC_SITE=x\n' }, expected: [] },
    { name: 'fires: a line dotenv ignores after an `export` line', files: { 'package.json': '{"dependencies":{"next":"15.0.0"}}', '.env.development': 'export NEXT_PUBLIC_SITE=x\nexport NEXT_PUBLIC_A B=1\n' }, expected: ['error .env.development:2'] },
    { name: 'fires: a Next.js env file whose expansion never ends, which Next does not load', files: { 'package.json': '{"dependencies":{"next":"15.0.0"}}', '.env.local': 'NEXT_PUBLIC_SITE=x\nNEXT_PUBLIC_A=a$NEXT_PUBLIC_A\n' }, expected: ['error .env.local:2'] },
    { name: 'must not fire: the same file in Vite, whose dotenv-expand puts an empty string there', files: { 'package.json': '{"dependencies":{"vite":"7.0.0"}}', '.env.local': 'VITE_SITE=x\nVITE_A=a$VITE_A\n' }, expected: [] },
    { name: 'must not fire: well-formed files', files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\n', 'src/index.ts': 'export default { fetch: () => new Response("ok") };\n', '.dev.vars': 'OK=1\n' }, expected: [] },
  ]);
});
