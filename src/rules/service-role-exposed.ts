import { isBrowserExposed } from '../classify.js';
import type { StaticRule } from './rule.js';
import { uniqueEvidence } from './evidence.js';

/**
 * A service_role key or an `sb_secret_` key in a variable the frontend build inlines into the
 * bundle (VITE_, NEXT_PUBLIC_, …): every visitor can download it and bypass Row Level Security.
 */
export const serviceRoleExposed: StaticRule = {
  id: 'service-role-exposed',
  defaultSeverity: 'error',
  tag: 'security',
  description: 'A service_role JWT or sb_secret_ key sits in a browser-exposed variable or in frontend code, shipped to every visitor.',
  check(model, context) {
    const extra = context.browserPrefixes ?? [];
    const exposed = (name: string) => isBrowserExposed(name) || extra.some((p) => name.startsWith(p));
    // A key written in the frontend's own code ships to the browser whatever it is called.
    const leaks = uniqueEvidence(model, (e, s) => s.kind === 'frontend' && (e.role === 'service-key' || e.role === 'secret-key') && (e.source === 'code' || exposed(e.variable)));
    return leaks.map(({ evidence: e, surface }) => ({
      message:
        `${e.variable} holds ${e.role === 'service-key' ? 'a service_role key' : 'a Supabase secret key (sb_secret_…)'}, and ${e.source === 'code' ? `the frontend's code hands it to createClient, so the build (${surface.path}) bundles it` : `its prefix makes the frontend build (${surface.path}) inline it`} into the JavaScript every visitor downloads. ` +
        'Anyone can then bypass Row Level Security. Use the anon or publishable key in the browser, keep this key server-side only, and rotate it: it has been exposed.',
      file: e.at.file, line: e.at.line, column: e.at.column,
      environment: surface.environment,
      subject: e.variable,
    }));
  },
};
