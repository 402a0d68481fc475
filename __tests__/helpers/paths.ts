import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'fixtures');
export const SCENARIOS = path.join(FIXTURES, 'scenarios');
export const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'incident');
export const REF_A = 'qzjxkvbnmwplrtyhgfds';
export const REF_B = 'hvtrmpwqkzxnbcldfgsy';
