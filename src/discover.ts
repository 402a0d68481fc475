/**
 * Walks the repository once and lists the files deploy-guard reads. I/O lives here and in the
 * reporters only.
 *
 * - Never enters node_modules, .git, build output, or a folder .gitignore excludes.
 * - Lists the workflows of the root's `.github/workflows` (deploy commands live there).
 * - Env files (.env*, .dev.vars*) ARE listed even when git-ignored: they are exactly the local
 *   values `vite dev` and `wrangler dev` run with, and they are meant to be ignored.
 * - Symlinks are followed only when their target stays inside the root, and a folder already seen
 *   (by real path) is never entered twice, so a loop ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isManifestFile } from './layers.js';
import { runGit } from './git.js';

export type FileKind =
  | 'wrangler-config'
  | 'env-file'
  | 'dev-vars'
  | 'project-ref'
  | 'package-json'
  | 'supabase-config'
  /** `.github/workflows/*.yml` at the root: read for deploy commands (src/wrangler/deploy-commands.ts). */
  | 'workflow'
  /** README, CONTRIBUTING, CLAUDE.md, AGENTS.md, docs/…: read for the secrets they document (src/wrangler/documented-secrets.ts). */
  | 'markdown'
  /** `*.sh`, `Makefile`: read for `wrangler secret put` / `secret bulk`. */
  | 'shell-script'
  | 'makefile'
  /** `worker-configuration.d.ts`, written by `wrangler types`: its `Env` names the Worker's secrets. */
  | 'worker-types';

export type DiscoveredFile = {
  /** Repo-relative, forward slashes. */
  path: string;
  kind: FileKind;
  /** Excluded by a .gitignore (only env files are still listed when ignored). */
  gitignored: boolean;
};

export type SkippedPath = { path: string; reason: string };

export type Discovery = {
  root: string;
  files: DiscoveredFile[];
  /** Paths that were not read, with why: shown as notes so nothing is lost silently. */
  skipped: SkippedPath[];
  /** Files git tracks (repo-relative), or undefined when the root is not in a git work tree. */
  tracked?: ReadonlySet<string>;
  /** Source modules (.ts, .tsx, .js, …; not .d.ts), repo-relative and sorted: frontends' code is read from these. */
  codeFiles: string[];
  /**
   * Every other file git tracks that may hold text (scripts, Markdown, CI files, oddly named env
   * copies), sorted: read only to find committed credentials (read/committed-secrets.ts).
   */
  otherTrackedFiles: string[];
};

/** Names whose content is never a hand-written credential: binaries, lockfiles, generated maps. */
const NOT_SCANNED = /\.(?:png|jpe?g|gif|webp|avif|ico|svg|bmp|tiff?|psd|woff2?|ttf|otf|eot|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|wasm|node|so|dylib|dll|exe|bin|mp[34]|mov|webm|wav|ogg|flac|sqlite3?|db|map|snap|lockb)$|(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lock|Cargo\.lock|poetry\.lock|composer\.lock|Gemfile\.lock|go\.sum)$/i;

/** Source module extensions (the usage resolver's list); declaration files hold no code. */
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx|svelte|vue|astro)$/;

/** Folders that never hold configuration worth reading: dependencies, VCS data, build output. */
export const NEVER_ENTER: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', '.next', '.nuxt', '.output',
  '.svelte-kit', '.vercel', '.netlify', '.turbo', '.cache', 'coverage', '.wrangler', '.yarn',
  '.pnpm-store', '.parcel-cache', '.astro', '.expo', '.angular', 'bower_components', 'jspm_packages',
]);

const WRANGLER_CONFIG_NAMES = new Set(['wrangler.json', 'wrangler.jsonc', 'wrangler.toml']);

export function classifyFileName(name: string): FileKind | undefined {
  if (WRANGLER_CONFIG_NAMES.has(name)) return 'wrangler-config';
  // `.dev.vars-example`, `.env_sample`: templates named with a dash or an underscore count too (isManifestFile).
  if (name === '.dev.vars' || name.startsWith('.dev.vars.') || (name.startsWith('.dev.vars') && isManifestFile(name))) return 'dev-vars';
  if (name === '.env' || name.startsWith('.env.') || (name.startsWith('.env') && isManifestFile(name))) return 'env-file';
  if (name === 'package.json') return 'package-json';
  if (name === 'worker-configuration.d.ts') return 'worker-types';
  if (name === 'Makefile' || name === 'GNUmakefile' || name === 'makefile') return 'makefile';
  if (/\.(?:sh|bash)$/.test(name)) return 'shell-script';
  if (DOCUMENT_NAME.test(name)) return 'markdown';
  return undefined;
}

/**
 * Markdown, where a repository documents its setup, secrets among it (README.md, CONTRIBUTING.md,
 * CLAUDE.md, AGENTS.md, docs/…, and the notes people keep beside them such as DEPLOYMENT.md):
 * read for the secret names it declares in the shapes documented-secrets.ts knows.
 */
const DOCUMENT_NAME = /\.mdx?$/i;

type IgnoreScope = { dir: string; rules: Ignore };

function readGitignore(absDir: string): Ignore | undefined {
  const file = path.join(absDir, '.gitignore');
  try {
    const text = fs.readFileSync(file, 'utf8');
    return ignore().add(text);
  } catch {
    return undefined;
  }
}

function isIgnored(scopes: IgnoreScope[], relPath: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const inside = scope.dir === '' ? relPath : relPath.slice(scope.dir.length + 1);
    if (inside === '' || inside.startsWith('..')) continue;
    if (scope.rules.ignores(isDir ? `${inside}/` : inside)) return true;
  }
  return false;
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Walks `root` (absolute). Iterative, so a deep tree cannot overflow the stack. */
export function discover(root: string, extraPatterns: readonly string[] = []): Discovery {
  // The config's `ignore` patterns, when there are any: asking an empty matcher about each of ten
  // thousand code files still costs a few microseconds each.
  const extra = extraPatterns.length > 0 ? ignore().add(extraPatterns) : undefined;
  const extraIgnores = (rel: string) => extra?.ignores(rel) ?? false;
  const realRoot = fs.realpathSync.native(root);
  // git reads a tracked file whatever .gitignore says (a committed wrangler.toml that .gitignore
  // also lists is still what deploys), so .gitignore only hides what git does not track.
  const tracked = gitTrackedFiles(realRoot);
  const trackedDirs = new Set<string>();
  for (const file of tracked ?? []) for (let i = file.indexOf('/'); i !== -1; i = file.indexOf('/', i + 1)) trackedDirs.add(file.slice(0, i));
  const gitIgnores = (rel: string, isDir: boolean, scopes: IgnoreScope[]) => (isDir ? !trackedDirs.has(rel) : !tracked?.has(rel)) && isIgnored(scopes, rel, isDir);
  const files: DiscoveredFile[] = [];
  const skipped: SkippedPath[] = [];
  const codeFiles: string[] = [];
  const otherTrackedFiles: string[] = [];
  // Real path → the path the walk entered it by; a second path to the same folder is an alias.
  const walkedAs = new Map<string, string>([[realRoot, '']]);
  const aliases: { rel: string; real: string }[] = [];
  const stack: { abs: string; real: string; rel: string; scopes: IgnoreScope[] }[] = [{ abs: realRoot, real: realRoot, rel: '', scopes: [] }];

  while (stack.length > 0) {
    const { abs, real: realHere, rel, scopes: parentScopes } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: rel || '.', reason: `cannot be listed (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const own = readGitignore(abs);
    const scopes = own ? [...parentScopes, { dir: rel, rules: own }] : parentScopes;
    const childDirs: { abs: string; rel: string }[] = [];

    for (const entry of entries) {
      const childAbs = path.join(abs, entry.name);
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync.native(childAbs);
        } catch {
          skipped.push({ path: childRel, reason: 'is a broken symbolic link' });
          continue;
        }
        if (!isInside(realRoot, target)) {
          skipped.push({ path: childRel, reason: 'is a symbolic link to a place outside the repository' });
          continue;
        }
        const stat = fs.statSync(target);
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      }
      if (isDir) {
        if (NEVER_ENTER.has(entry.name)) continue;
        if (gitIgnores(childRel, true, scopes) || extraIgnores(`${childRel}/`)) continue;
        childDirs.push({ abs: childAbs, rel: childRel });
        continue;
      }
      const kind =
        classifyFileName(entry.name) ??
        (entry.name === 'config.toml' && path.basename(abs) === 'supabase' ? 'supabase-config' : undefined) ??
        // GitHub runs workflows from the root's .github/workflows only (a dot folder the walk enters like any other).
        (rel === '.github/workflows' && /\.ya?ml$/.test(entry.name) ? 'workflow' : undefined);
      if (!kind) {
        if (isFile && CODE_FILE.test(entry.name)) {
          if (!entry.name.endsWith('.d.ts') && !extraIgnores(childRel) && !gitIgnores(childRel, false, scopes)) codeFiles.push(childRel);
        } else if (isFile && tracked?.has(childRel) && !NOT_SCANNED.test(entry.name) && !extraIgnores(childRel)) {
          otherTrackedFiles.push(childRel);
        }
        continue;
      }
      if (!isFile) {
        skipped.push({ path: childRel, reason: 'has a configuration file name but is not a regular file' });
        continue;
      }
      if (extraIgnores(childRel)) continue;
      const gitignored = gitIgnores(childRel, false, scopes);
      // Env files are read even when git-ignored (they are local values); other kinds are not.
      if (gitignored && kind !== 'env-file' && kind !== 'dev-vars') continue;
      files.push({ path: childRel, kind, gitignored });
    }

    // Files the Supabase CLI and build tools write inside folders we otherwise skip.
    for (const special of [
      { rel: 'supabase/.temp/project-ref', kind: 'project-ref' as const },
    ]) {
      const candidate = path.join(abs, ...special.rel.split('/'));
      if (fileExistsInside(realRoot, candidate)) {
        files.push({ path: rel === '' ? special.rel : `${rel}/${special.rel}`, kind: special.kind, gitignored: true });
      }
    }

    // Decided in name order, pushed in reverse so folders are visited in name order (deterministic output).
    const toVisit: typeof stack = [];
    for (const dir of childDirs.sort((a, b) => (a.rel < b.rel ? -1 : 1))) {
      let real: string;
      try {
        real = fs.realpathSync.native(dir.abs);
      } catch {
        continue;
      }
      if (walkedAs.has(real)) {
        // A link to a folder that holds it (`a/loop -> ..`) would never end; another path to a
        // folder already walked (`web/functions -> ../functions`) is read once more, by copying
        // what the walk found there (aliasedPaths below), and a folder is aliased only once so a
        // hostile tree of links cannot multiply the work.
        if (isInside(real, realHere)) skipped.push({ path: dir.rel, reason: 'is a symbolic link loop (it leads back to a folder that holds it)' });
        else if (aliases.some((a) => a.real === real)) skipped.push({ path: dir.rel, reason: `leads to ${walkedAs.get(real) || '.'}, which is already read through another alias` });
        else aliases.push({ rel: dir.rel, real });
        continue;
      }
      walkedAs.set(real, dir.rel);
      toVisit.push({ abs: dir.abs, real, rel: dir.rel, scopes });
    }
    stack.push(...toVisit.reverse());
  }

  // Copies come from what the walk itself found, never from other copies: one pass per alias.
  const walkedFiles = [...files];
  const walkedCode = [...codeFiles];
  for (const alias of aliases) {
    const from = walkedAs.get(alias.real)!;
    const under = (p: string) => p.startsWith(`${from}/`);
    const moved = (p: string) => `${alias.rel}${p.slice(from.length)}`;
    files.push(...walkedFiles.filter((f) => under(f.path)).map((f) => ({ ...f, path: moved(f.path) })));
    codeFiles.push(...walkedCode.filter(under).map(moved));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  codeFiles.sort();
  otherTrackedFiles.sort();
  return { root: realRoot, files, skipped, tracked, codeFiles, otherTrackedFiles };
}

/** `git ls-files` from the root: paths relative to it. Undefined without git or outside a work tree. */
function gitTrackedFiles(root: string): ReadonlySet<string> | undefined {
  const listing = runGit(['ls-files', '-z'], root);
  if (listing === undefined) return undefined;
  return new Set(listing.split('\0').filter((p) => p !== ''));
}

function fileExistsInside(realRoot: string, candidate: string): boolean {
  try {
    const real = fs.realpathSync.native(candidate);
    return isInside(realRoot, real) && fs.statSync(real).isFile();
  } catch {
    return false;
  }
}

