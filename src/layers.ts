/**
 * Which env files each tool loads, in which order (lowest precedence first). The frameworks
 * disagree (Vite ranks `.env.MODE` above `.env.local`, Next.js below it; `wrangler dev` reads
 * `.dev.vars*` instead of the `.env` chain), and getting the order wrong means comparing the wrong values.
 */

export type FrontendFramework = 'vite' | 'next';

/**
 * File-name suffixes that mark a template listing names, not real values: `.env.example`, and
 * with a dash or an underscore, `.dev.vars-example` (seen in a public repository), `.env_sample`.
 */
const MANIFEST_SUFFIX = /[._-](?:example|sample|template|dist|defaults)$/;

export function isManifestFile(fileName: string): boolean {
  return MANIFEST_SUFFIX.test(fileName);
}

/**
 * Vite (`loadEnv`): .env < .env.local < .env.[mode] < .env.[mode].local, then process env.
 * So in a production build `.env.production` overrides `.env.local`.
 */
export function viteEnvFiles(mode: string): string[] {
  return ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`];
}

/**
 * Next.js (@next/env): .env < .env.$NODE_ENV < .env.local < .env.$NODE_ENV.local, then process
 * env; `.env.local` is not loaded when NODE_ENV is `test`.
 */
export function nextEnvFiles(mode: string): string[] {
  const files = ['.env', `.env.${mode}`];
  if (mode !== 'test') files.push('.env.local');
  files.push(`.env.${mode}.local`);
  return files;
}

export function frontendEnvFiles(framework: FrontendFramework, mode: string): string[] {
  return framework === 'next' ? nextEnvFiles(mode) : viteEnvFiles(mode);
}

/**
 * The modes a frontend builds in: always development (`vite dev`, `next dev`) and production
 * (`vite build`, `next build`); Vite also any custom mode that has its own `.env.[mode]` file.
 * Next.js only knows NODE_ENV development/production/test, so its other files are never loaded.
 */
export function frontendModes(framework: FrontendFramework, envFileNames: readonly string[]): string[] {
  const modes = new Set(['development', 'production']);
  if (framework === 'vite') {
    for (const name of envFileNames) {
      if (isManifestFile(name) || !name.startsWith('.env.')) continue;
      const mode = name.slice('.env.'.length).replace(/\.local$/, '');
      if (mode !== '' && mode !== 'local' && !mode.includes('.')) modes.add(mode);
    }
  }
  return [...modes].sort();
}

/**
 * `wrangler dev [--env NAME]`: `.dev.vars.NAME` INSTEAD of `.dev.vars` (no merge), else
 * `.dev.vars`; only when neither exists, `.env` < `.env.local` < `.env.NAME` < `.env.NAME.local`.
 * Returns the files that exist, in load order.
 */
export function wranglerDevFiles(envName: string | null, existing: ReadonlySet<string>): { files: string[]; source: 'dev-vars' | 'dev-env' } {
  if (envName !== null && existing.has(`.dev.vars.${envName}`)) return { files: [`.dev.vars.${envName}`], source: 'dev-vars' };
  if (existing.has('.dev.vars')) return { files: ['.dev.vars'], source: 'dev-vars' };
  const candidates = envName === null ? ['.env', '.env.local'] : ['.env', '.env.local', `.env.${envName}`, `.env.${envName}.local`];
  return { files: candidates.filter((f) => existing.has(f)), source: 'dev-env' };
}
