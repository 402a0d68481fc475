import { describe, expect, it } from '@jest/globals';
import { pathsNote, placeLink, sourceLinksFromEnv } from '../src/report/links.js';

const env = { GITHUB_SERVER_URL: 'https://github.example/', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abcdef0123456789' };

describe('links to file and line at the commit', () => {
  it('links a place repository-relative, with the text as the report names it', () => {
    expect(placeLink('workers/wrangler.toml', 21, sourceLinksFromEnv(env, 'app/'))).toBe('[workers/wrangler.toml:21](https://github.example/acme/shop/blob/abcdef0123456789/app/workers/wrangler.toml#L21)');
  });

  it('keeps odd file names one link: brackets escaped in the text, spaces and parentheses encoded in the URL', () => {
    expect(placeLink('app/[id]/a (b).ts', 3, sourceLinksFromEnv(env, ''))).toBe('[app/\\[id\\]/a (b).ts:3](https://github.example/acme/shop/blob/abcdef0123456789/app/%5Bid%5D/a%20%28b%29.ts#L3)');
  });

  it('without the commit variables, names the place as code and links nothing', () => {
    const links = sourceLinksFromEnv({ GITHUB_REPOSITORY: 'acme/shop' }, 'app/');
    expect(placeLink('wrangler.toml', 6, links)).toBe('`wrangler.toml:6`');
    expect(pathsNote(links)).toBe('Paths are relative to `app/`.');
    expect(pathsNote(sourceLinksFromEnv({}, ''))).toBeUndefined();
  });
});
