/**
 * Two kinds of failure, kept apart (as github/codeql-action does): a `ConfigurationError` is the
 * user's to fix (bad flag, unreadable root, invalid config file) and is printed as one clear line
 * with exit code 2; anything else is a bug in deploy-guard and is reported as such, asking for an
 * issue. A broken file in the checked repository is neither: it becomes a `parse-error` finding.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function describeFailure(error: unknown): { userError: boolean; message: string } {
  if (error instanceof ConfigurationError) return { userError: true, message: error.message };
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    userError: false,
    message: `deploy-guard failed unexpectedly (${detail}). This is a bug in deploy-guard, not in your repository; please report it with the command you ran.`,
  };
}
