/** The JSON contract of `--format json`: versioned, repo-relative paths, sorted, deterministic. */
import type { CheckResult } from '../check.js';
import { documentedReads, viewPair, viewSurface } from './view.js';
import { compareText } from '../compare-text.js';

export type JsonOptions = { root: string };

export function toJsonReport(result: CheckResult, options: JsonOptions) {
  return {
    version: 1,
    root: options.root,
    summary: result.summary,
    suppressed: result.suppressed,
    findings: result.findings,
    workers: result.model.workers.map((w) => ({
      config: w.config,
      // Where the deploy commands deploy this config and which secret names they put (names only).
      ...(w.deploy ? { deploy: w.deploy } : {}),
      // Secret names the repository documents for this Worker outside its config and its code reads, and where (names only).
      ...(w.documented ? { documented: documentedReads(result, w).map(({ name, file, line, via }) => ({ name, file, line, via })) } : {}),
      environments: w.environments.map((e) => ({
        name: e.name,
        dev: e.dev,
        scriptName: e.scriptName,
        ...(e.main ? { main: e.main } : {}),
        ...(e.pages ? { pages: e.pages } : {}),
        ...(e.endpoints && !e.dev ? { endpoints: e.endpoints.map((p) => (p.kind === 'route' ? { kind: p.kind, pattern: p.pattern } : p.kind === 'custom-domain' ? { kind: p.kind, host: p.host } : p)) } : {}),
        bindings: e.bindings.map((b) => ({ name: b.name, kind: b.kind })).sort((a, b) => compareText(a.name, b.name)),
        vars: Object.keys(e.vars).sort(),
        secrets: e.secrets.map((s) => s.name).sort(),
        ...(!e.dev && e.main && result.model.usage[e.main]
          ? { reads: result.model.usage[e.main]!.reads.map((r) => ({ name: r.name, file: r.at.file, line: r.at.line })) }
          : {}),
      })),
    })),
    surfaces: result.model.surfaces.map(viewSurface),
    pairs: result.model.pairs.map((p) => {
      const view = viewPair(result, p);
      return { environment: p.environment, frontend: p.frontend, worker: p.worker, reason: p.reason, link: p.link, verdict: view.verdict };
    }),
    supabaseLinks: result.model.supabaseLinks,
  };
}

export function formatJson(result: CheckResult, options: JsonOptions): string {
  return `${JSON.stringify(toJsonReport(result, options), null, 2)}\n`;
}
