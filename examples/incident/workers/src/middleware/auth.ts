import { createClient } from '@supabase/supabase-js';
import type { MiddlewareHandler } from 'hono';

export type Bindings = {
  SUPABASE_URL: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  ENVIRONMENT: string;
  SESSIONS: KVNamespace;
};
export type AppEnv = { Bindings: Bindings; Variables: { userId: string } };

// Validates the bearer token against the project in SUPABASE_URL. A token issued by any other
// project is unknown there, which is how the incident turned every API call into a 401.
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = c.req.header('Authorization')?.replace(/^Bearer /, '') ?? '';
  const supabase = createClient(c.env.SUPABASE_URL, c.env.SUPABASE_SERVICE_ROLE_KEY);
  const { data, error } = await supabase.auth.getUser(token);
  if (error || !data.user) return c.json({ error: 'AUTH_FAILED' }, 401);
  c.set('userId', data.user.id);
  await next();
};
