import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { documentedSecrets, type DocumentKind } from '../../src/wrangler/documented-secrets.js';

const KINDS: DocumentKind[] = ['markdown', 'shell', 'makefile', 'worker-types', 'wrangler-config'];
const PATHS: Record<DocumentKind, string> = { markdown: 'README.md', shell: 'scripts/s.sh', makefile: 'Makefile', 'worker-types': 'worker-configuration.d.ts', 'wrangler-config': 'wrangler.toml' };

describe('documentedSecrets', () => {
  it('never throws, and gives only names of a name\'s shape, whatever the text', () => {
    const pieces = fc.constantFrom('`', '```', '|', '---', '- ', '**', '#', '//', 'wrangler secret put ', 'secret', 'interface Env {', '}', ': string;', '\n', '\t', 'API_TOKEN', 'cd ', '$(', '"', "'", '\\', '=', '.dev.vars', ' ');
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.array(fc.oneof(pieces, fc.string()), { maxLength: 60 }), (kind, parts) => {
        const out = documentedSecrets({ configs: ['wrangler.toml'], documents: [{ path: PATHS[kind], kind, text: parts.join('') }], manifests: [] });
        for (const list of out.values()) for (const d of list) expect(d.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      }),
      { numRuns: 500 },
    );
  });

  it('gives each name once per Worker, at its first place, sorted by name', () => {
    const out = documentedSecrets({
      configs: ['api/wrangler.toml', 'web/wrangler.toml'],
      documents: [
        { path: 'README.md', kind: 'markdown', text: '```sh\nwrangler secret put A_KEY\ncd api && wrangler secret put B_KEY\n```\n' },
        { path: 'api/README.md', kind: 'markdown', text: '`wrangler secret put A_KEY`\n' },
      ],
      manifests: [],
    });
    // The plain command in the root README speaks for both Workers; after `cd api`, for the api Worker only.
    expect(out.get('api/wrangler.toml')?.map((d) => `${d.name} ${d.at.file}:${d.at.line}`)).toEqual(['A_KEY README.md:2', 'B_KEY README.md:3']);
    expect(out.get('web/wrangler.toml')?.map((d) => d.name)).toEqual(['A_KEY']);
  });
});
