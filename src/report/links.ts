/**
 * Where a report's file:line points. In the action, the job summary and the PR comment link each
 * place to the file at the commit checked (`GITHUB_SERVER_URL/REPO/blob/SHA/path#Lline`, the URL
 * GitHub's own "copy permalink" gives), with paths made repository-relative: under
 * `working-directory: app` the report's `workers/wrangler.toml` is `app/workers/wrangler.toml` in
 * the repository, as code scanning and the links need. The CLI has no commit to link to: plain `file:line`.
 */
import path from 'node:path';

export type SourceLinks = {
  /** `https://github.com/acme/app/blob/<sha>`; absent: no links, only text. */
  blobBase?: string;
  /** The commit the links open. */
  sha?: string;
  /** What turns a path relative to the checked folder into a repository-relative one: '' or 'app/'. */
  pathPrefix: string;
};

export const NO_LINKS: SourceLinks = { pathPrefix: '' };

/**
 * The prefix that turns a path relative to the checked folder into a repository-relative one
 * (`app/` under `working-directory: app`). GITHUB_WORKSPACE is where actions/checkout puts the
 * repository; annotations, SARIF and the report's links all need repository-relative paths.
 */
export function workspacePrefix(root: string, workspace: string): string {
  const rel = path.relative(workspace, root).split(path.sep).join('/');
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? '' : `${rel}/`;
}


/** The links of a workflow run, from the runner's GITHUB_* variables; no blob base when one is missing. */
export function sourceLinksFromEnv(env: Readonly<Record<string, string | undefined>>, pathPrefix: string): SourceLinks {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return server && repository && sha ? { blobBase: `${server.replace(/\/+$/, '')}/${repository}/blob/${sha}`, sha, pathPrefix } : { pathPrefix };
}

/** A path segment by segment percent-encoded, so `app/[id]/a (b).ts` stays one URL in markdown. */
function encodePath(file: string): string {
  return file.split('/').map((segment) => encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

/**
 * Markdown for a place: a link to the line at the commit, or the place as code. The text is the
 * path as the report names it (relative to the checked folder, short enough for a table cell);
 * the link is repository-relative.
 */
export function placeLink(file: string, line: number, links: SourceLinks): string {
  const shown = `${file}:${line}`;
  if (!links.blobBase) return `\`${shown.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
  return `[${shown.replace(/[[\]|\\]/g, (c) => `\\${c}`)}](${links.blobBase}/${encodePath(`${links.pathPrefix}${file}`)}#L${line})`;
}

/** One line saying what the report's paths are relative to and which commit the links open. */
export function pathsNote(links: SourceLinks): string | undefined {
  const folder = links.pathPrefix ? `Paths are relative to \`${links.pathPrefix}\`` : undefined;
  const commit = links.blobBase && links.sha ? `links open each file at commit \`${links.sha.slice(0, 7)}\`` : undefined;
  if (!folder && !commit) return undefined;
  const text = [folder, commit].filter(Boolean).join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
