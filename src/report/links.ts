/**
 * Where a report's file:line points. In the action, the job summary and the PR comment link each
 * place to the file at the commit checked (`GITHUB_SERVER_URL/REPO/blob/SHA/path#Lline`, the URL
 * GitHub's own "copy permalink" gives), with paths made repository-relative: under
 * `working-directory: app` the report's `workers/wrangler.toml` is `app/workers/wrangler.toml` in
 * the repository (issue 11, item 2). The CLI has no commit to link to: plain `file:line`.
 */
export type SourceLinks = {
  /** `https://github.com/acme/app/blob/<sha>`; absent: no links, only text. */
  blobBase?: string;
  /** What turns a path relative to the checked folder into a repository-relative one: '' or 'app/'. */
  pathPrefix: string;
};

export const NO_LINKS: SourceLinks = { pathPrefix: '' };

/** The links of a workflow run, from the runner's GITHUB_* variables; no blob base when one is missing. */
export function sourceLinksFromEnv(env: Readonly<Record<string, string | undefined>>, pathPrefix: string): SourceLinks {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return server && repository && sha ? { blobBase: `${server.replace(/\/+$/, '')}/${repository}/blob/${sha}`, pathPrefix } : { pathPrefix };
}

/** A path segment by segment percent-encoded, so `app/[id]/a b.ts` stays one URL. */
function encodePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Markdown for a place: a link to the line at the commit, or the place as code. */
export function placeLink(file: string, line: number, links: SourceLinks): string {
  const shown = `${links.pathPrefix}${file}:${line}`;
  if (!links.blobBase) return `\`${escapeCode(shown)}\``;
  return `[\`${escapeCode(shown)}\`](${links.blobBase}/${encodePath(`${links.pathPrefix}${file}`)}#L${line})`;
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, '\\|');
}
