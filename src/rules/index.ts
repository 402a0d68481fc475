/** The rule catalogue (DESIGN §6). Ids are stable API: JSON, SARIF, suppressions and docs use them. */
import { deadBinding } from './dead-binding.js';
import { duplicateScriptName } from './duplicate-script-name.js';
import { keyExpired } from './key-expired.js';
import { missingBinding } from './missing-binding.js';
import { missingSecret } from './missing-secret.js';
import type { Rule } from './rule.js';
import { secretInPlaintext } from './secret-in-plaintext.js';
import { serviceRoleExposed } from './service-role-exposed.js';
import { supabaseJwtSecretMismatch } from './supabase-jwt-secret-mismatch.js';
import { unusedSuppression } from './unused-suppression.js';
import { unusedVar } from './unused-var.js';
import { smokeUnauthorized } from './smoke-unauthorized.js';
import { supabaseKeyRejected } from './supabase-key-rejected.js';
import { missingDeployedSecret } from './missing-deployed-secret.js';
import { danglingBinding } from './dangling-binding.js';
import { bindingDrift } from './binding-drift.js';
import { parseError } from './parse-error.js';
import { mainNotFound } from './main-not-found.js';
import { supabaseKeyMismatch } from './supabase-key-mismatch.js';
import { supabaseRefMismatch } from './supabase-ref-mismatch.js';

export const RULES: readonly Rule[] = [
  supabaseRefMismatch, supabaseKeyMismatch, deadBinding, missingBinding, missingSecret, unusedVar,
  serviceRoleExposed, secretInPlaintext, keyExpired, supabaseJwtSecretMismatch, parseError, mainNotFound, duplicateScriptName, unusedSuppression,
  supabaseKeyRejected, smokeUnauthorized, missingDeployedSecret, danglingBinding, bindingDrift,
];
