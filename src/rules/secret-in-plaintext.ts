import type { RuleFinding, StaticRule } from './rule.js';
import { plaintextSecretKind } from '../classify.js';
import { environmentName } from '../environment-names.js';

/**
 * A secret value committed to the repository: in wrangler [vars] (deployed in plain text and
 * visible in the dashboard), in a binding's credential field (Hyperdrive's localConnectionString),
 * or in an env file git tracks. Judged by the value's shape (service keys, sb_secret_, passwords
 * in connection strings, JWT secrets), so placeholders are fine; in a tracked env file also by
 * the name (`ADMIN_PASSWORD`, `API_TOKEN`) when the value is no placeholder, as a warning, since
 * the name alone may mislead.
 */
export const secretInPlaintext: StaticRule = {
  id: 'secret-in-plaintext',
  defaultSeverity: 'error',
  tag: 'security',
  description: 'A secret value is committed: in wrangler [vars], in a .dev.vars / .env file that git tracks, or anywhere else in a tracked file (a script, Markdown, a CI file).',
  check(model) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const worker of model.workers) {
      for (const env of worker.environments) {
        if (env.dev) continue;
        for (const [name, value] of Object.entries(env.vars)) {
          const what = plaintextSecretKind(name, value.value.reveal());
          const key = `${value.at.file}:${value.at.line}:${name}`;
          if (!what || seen.has(key)) continue;
          seen.add(key);
          findings.push({
            message: `The var ${name} holds ${what} in plain text in ${env.config}: [vars] are committed, deployed unencrypted and shown in the Cloudflare dashboard. Move it to a secret (wrangler secret put ${name}${env.name ? ` --env ${env.name}` : ''}), list it in secrets.required, and rotate it.`,
            file: value.at.file, line: value.at.line, column: value.at.column,
            environment: environmentName(env),
            subject: name,
          });
        }
        for (const binding of env.bindings) {
          for (const [field, value] of Object.entries(binding.credentials ?? {})) {
            const key = `${value.at.file}:${value.at.line}:${field}`;
            // By the value's shape only, as for [vars]: a placeholder under a secret-sounding name is fine.
            const what = plaintextSecretKind(field, value.value.reveal());
            if (!what || seen.has(key)) continue;
            seen.add(key);
            // wrangler dev also reads Hyperdrive's from the environment (developers.cloudflare.com/hyperdrive/configuration/local-development/).
            const fix = binding.kind === 'hyperdrive'
              ? `Delete ${field} from the config, set it where only wrangler dev reads it (the environment variable CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_${binding.name}), and rotate the password.`
              : `Delete it from the config, make it a secret (wrangler secret put ${binding.name}${env.name ? ` --env ${env.name}` : ''}), and rotate it.`;
            findings.push({
              message: `The ${binding.kind.replace(/_/g, ' ')} binding ${binding.name} holds ${what} in ${field}, in plain text in ${env.config}: the config is committed, so everyone with read access to the repository has it. ${fix}`,
              file: value.at.file, line: value.at.line, column: value.at.column,
              environment: environmentName(env),
              subject: `${binding.name}.${field}`,
            });
          }
        }
      }
    }
    const untrackedUnknown: string[] = [];
    for (const file of model.envFiles) {
      if (file.secretEntries.length === 0) continue;
      if (file.tracked === undefined) {
        // Outside git only what the value's shape says is worth a word.
        if (file.secretEntries.some((e) => !e.byName)) untrackedUnknown.push(file.path);
        continue;
      }
      if (!file.tracked) continue;
      for (const entry of file.secretEntries) {
        findings.push({
          // Judged by the name alone, it may be a harmless value: a warning, not an error.
          ...(entry.byName ? { severity: 'warning' as const } : {}),
          message: `${file.path} is tracked by git and ${entry.name} in it holds ${entry.what}: everyone with read access to the repository has it. Remove the file from git (git rm --cached ${file.path}), add it to .gitignore, keep names only in a *.example file, and rotate the secret.`,
          file: entry.at.file, line: entry.at.line, column: entry.at.column,
          subject: entry.name,
        });
      }
    }
    for (const committed of model.committedSecrets ?? []) {
      const [first, ...others] = committed.places;
      const elsewhere = others.length === 0 ? '' : ` It appears in ${others.length} more place${others.length === 1 ? '' : 's'} (listed as related), one key to rotate.`;
      findings.push({
        message: `${first!.file}:${first!.line} holds ${committed.what}, committed for everyone with read access to the repository.${elsewhere} Rotate it, remove it from the file (a placeholder or \${NAME} in its place) and from git history, and keep it in a secret store: wrangler secret put, GitHub Actions secrets.`,
        file: first!.file, line: first!.line, column: first!.column,
        ...(others.length > 0 ? { related: others.map((place) => ({ ...place, message: 'the same credential' })) } : {}),
      });
    }
    if (untrackedUnknown.length > 0) {
      const first = model.envFiles.find((f) => f.path === untrackedUnknown[0])!.secretEntries.find((e) => !e.byName)!;
      findings.push({
        severity: 'note',
        message: `${untrackedUnknown.join(', ')} hold secret values, and whether git tracks them is unknown: the folder checked is not a git work tree. If they are committed anywhere, remove them and rotate the secrets.`,
        file: first.at.file, line: first.at.line, column: first.at.column,
      });
    }
    return findings;
  },
};
