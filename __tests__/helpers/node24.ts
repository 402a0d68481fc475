/**
 * A Node 24 binary for tests that must run on the runtime action.yml declares (`node24`) while the
 * suite itself runs on Node 20: the pinned `node` package of the test tool folder
 * (helpers/tool-cache.ts), shared with the workerd test. Without the registry: undefined, and a
 * message says what was skipped.
 */
import { ensureTools, toolNode } from './tool-cache.js';

export { TOOLS } from './tool-cache.js';

export function ensureNode24(skipping: string): string | undefined {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const tools = ensureTools(skipping);
  return tools ? toolNode(tools) : undefined;
}
