import type { Binding, WorkerConfig, WorkerEnvironment } from '../model.js';
import { BINDING_SOURCES } from '../wrangler/bindings.js';
import { environmentName } from '../environment-names.js';
import { requiredReads, judgedEnvironments, withoutIt } from './bindings-shared.js';
import type { RuleFinding, StaticRule } from './rule.js';

type Declaration = { env: WorkerEnvironment; binding?: Binding; varName?: string };

/** Where else in the config a name is declared: another environment or the top level. */
function declaredElsewhere(worker: WorkerConfig, name: string, except: WorkerEnvironment): Declaration | undefined {
  // Prefer the top level, then environments in name order (deterministic).
  for (const env of worker.environments) {
    if (env.dev || env === except) continue;
    const binding = env.bindings.find((b) => b.name === name);
    if (binding) return { env, binding };
    if (name in env.vars) return { env, varName: name };
  }
  return undefined;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** The lines to add to `env`, in the config's own syntax, copied from the other declaration. */
export function snippetFor(config: string, env: WorkerEnvironment, declaration: Declaration): string {
  const isToml = config.endsWith('.toml');
  const prefix = env.name === null ? '' : `env.${/^[A-Za-z0-9_-]+$/.test(env.name) ? env.name : quote(env.name)}.`;
  if (declaration.varName) {
    return isToml ? `[${prefix}vars]\n${declaration.varName} = "…"` : `"vars": { ${quote(declaration.varName)}: "…" }`;
  }
  const binding = declaration.binding!;
  // `unsafe` bindings are free-form (and two sources share the kind): named, never copied.
  const source = binding.kind === 'unsafe' ? undefined : BINDING_SOURCES.find((s) => s.kind === binding.kind);
  const where = declaration.env.name === null ? 'the top level' : `[env.${declaration.env.name}]`;
  if (!source) return isToml ? `# declare ${binding.name} as in ${where}` : `// declare ${binding.name} as in ${where}`;
  const fields: [string, string][] = [[source.nameField, binding.name], ...Object.entries(binding.details ?? {})];
  const key = source.list ? `${source.key}.${source.list}` : source.key;
  if (isToml) {
    if (source.shape === 'map') return `[${prefix}${source.key}]\n${binding.name} = "…"`;
    const header = source.shape === 'object' ? `[${prefix}${key}]` : `[[${prefix}${key}]]`;
    return [header, ...fields.map(([k, v]) => `${k} = ${quote(v)}`)].join('\n');
  }
  const object = `{ ${fields.map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')} }`;
  const value = source.shape === 'object' ? object : `[${object}]`;
  return source.list ? `${quote(source.key)}: { ${quote(source.list)}: ${value} }` : `${quote(source.key)}: ${value}`;
}

/**
 * A Durable Object or Workflow binding whose class lives in this Worker (no `script_name`) must
 * name a class that `main` exports; otherwise the deploy fails or the binding points at nothing.
 */
function unexportedClasses(judged: ReturnType<typeof judgedEnvironments>[number]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const binding of judged.env.bindings) {
    if (binding.kind !== 'durable_object' && binding.kind !== 'workflow') continue;
    const className = binding.details?.class_name;
    if (!className || binding.details?.script_name) continue;
    if (judged.usage.mainExportsUnknown || judged.usage.mainExports.includes(className)) continue;
    findings.push({
      message: `${judged.label} binds ${binding.name} to the class ${className}, but ${judged.env.main} does not export a class of that name (exports: ${judged.usage.mainExports.join(', ') || 'none'}). Export it from main, or set script_name if it lives in another Worker.`,
      file: binding.at.file, line: binding.at.line, column: binding.at.column,
      environment: judged.environment,
      subject: binding.name,
    });
  }
  return findings;
}

/** "the top level and [env.preview]": the deployed environments of a Worker that lack a var. */
function environmentsLacking(worker: WorkerConfig, name: string): string {
  const lacking = worker.environments
    .filter((e) => !e.dev && !(name in e.vars) && !e.bindings.some((b) => b.name === name) && !e.secrets.some((s) => s.name === name))
    .map((e) => (e.name === null ? 'the top level' : `[env.${e.name}]`));
  return lacking.length <= 1 ? lacking.join('') : `${lacking.slice(0, -1).join(', ')} and ${lacking[lacking.length - 1]}`;
}

/**
 * Code reads env.X, X is declared elsewhere in the config, but not in this environment: bindings
 * and vars are not inherited by [env.*], so at run time env.X is undefined.
 */
export const missingBinding: StaticRule = {
  id: 'missing-binding',
  defaultSeverity: 'error',
  tag: 'correctness',
  description: 'Code reads a binding that this environment lacks although another environment declares it (a var lacking is a warning: it may arrive as a secret).',
  check(model) {
    const findings: RuleFinding[] = [];
    const deployedOnTheirOwn = new Set(judgedEnvironments(model, { includeTemplateTopLevel: false }).map((j) => j.env));
    for (const judged of judgedEnvironments(model, { includeTemplateTopLevel: true })) {
      // A top level that only serves as a base for [env.*] is never deployed: nothing is missing there.
      for (const [name, readAt] of deployedOnTheirOwn.has(judged.env) ? requiredReads(judged.usage, judged.declared) : []) {
        if (judged.declared.has(name)) continue;
        const declaration = declaredElsewhere(judged.worker, name, judged.env);
        if (!declaration) continue;
        const where = declaration.binding?.at ?? declaration.env.vars[name]!.at;
        const declaredFor = declaration.env.name === null ? 'the top level' : `[env.${declaration.env.name}]`;
        const fix = `Add to ${judged.env.config}:\n${snippetFor(judged.env.config, judged.env, declaration)}`;
        // A var can arrive as a secret (`wrangler secret put`, the deploy workflow), which the
        // repository does not show; a KV namespace, D1 database or service cannot.
        const message = declaration.binding
          ? `${judged.label} reads env.${name} (${readAt.file}:${readAt.line}), but does not declare it. ` +
            `The ${declaration.binding.kind.replace(/_/g, ' ')} binding ${name} is declared for ${declaredFor} (${where.file}:${where.line}), and environments do not inherit bindings, so env.${name} is undefined here.${withoutIt(readAt)} ${fix}`
          : `${judged.label} reads env.${name} (${readAt.file}:${readAt.line}), which is a var of ${declaredFor} (${where.file}:${where.line}) but not of ${environmentsLacking(judged.worker, name)}. ` +
            `Environments do not inherit vars, so unless it is set as a secret there (wrangler secret put ${name}${judged.env.name === null ? '' : ` --env ${judged.env.name}`}), env.${name} is undefined.${withoutIt(readAt)} ` +
            `If it is a secret, list it in secrets.required; otherwise ${fix[0]!.toLowerCase()}${fix.slice(1)}`;
        findings.push({
          ...(declaration.binding ? {} : { severity: 'warning' as const }),
          message,
          file: judged.env.at.file, line: judged.env.at.line, column: judged.env.at.column,
          environment: judged.environment,
          subject: name,
          related: [
            { file: readAt.file, line: readAt.line, column: readAt.column, message: `reads env.${name}` },
            ...(readAt.requiredBy ? [{ ...readAt.requiredBy.at, message: `without env.${name}, ${readAt.requiredBy.says}` }] : []),
            { ...where, message: `declared for ${environmentName(declaration.env)}` },
          ],
        });
      }
      findings.push(...unexportedClasses(judged));
    }
    return findings;
  },
};
