/** Supabase evidence: what a value says about the project it talks to (DESIGN §5). */
export {
  describeTarget,
  projectRefFileTarget,
  projectRefFromFile,
  resolveSupabaseValue,
  sameTarget,
  surfaceTarget,
  type SupabaseResolution,
  type SupabaseRole,
} from './target.js';
export { isProjectRef, PROJECT_REF_PATTERN } from './urls.js';
export { DEMO_ISSUER, LOCAL_JWT_SECRET, LOCAL_PUBLISHABLE_KEY, LOCAL_SECRET_KEY } from './keys.js';
