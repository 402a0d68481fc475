/** The rule catalogue (DESIGN §6). Ids are stable API: JSON, SARIF, suppressions and docs use them. */
import type { Rule } from './rule.js';
import { parseError } from './parse-error.js';
import { supabaseKeyMismatch } from './supabase-key-mismatch.js';
import { supabaseRefMismatch } from './supabase-ref-mismatch.js';

export const RULES: readonly Rule[] = [supabaseRefMismatch, supabaseKeyMismatch, parseError];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
