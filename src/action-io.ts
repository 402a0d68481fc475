/**
 * What the action touches outside itself, handed in so tests run the action in-process on the
 * current source, as the CLI's `Io` is
 * (src/cli-main.ts): the environment it reads inputs and GITHUB_* from, the folder it runs in, and
 * a runner sink for annotations, log lines, masks, outputs, the job summary and the step's failure.
 * Tests run the action in-process with a recording sink; `coreRunner` is the real one, on
 * `@actions/core`, which writes the workflow commands and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files exactly as the runner expects (the end-to-end tests run the bundle with it).
 */
import * as core from '@actions/core';

export type AnnotationKind = 'error' | 'warning' | 'notice';

export type Annotation = {
  kind: AnnotationKind;
  message: string;
  title?: string;
  /** Repository-relative, forward slashes. */
  file?: string;
  startLine?: number;
  startColumn?: number;
};

export type ActionRunner = {
  annotate(annotation: Annotation): void;
  info(line: string): void;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  appendSummary(markdown: string): Promise<void>;
  /** Fails the step: one `::error::` annotation (it counts against the error budget) and exit code 1. */
  setFailed(message: string): void;
};

export type ActionIo = {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  runner: ActionRunner;
};

const ANNOTATE = { error: core.error, warning: core.warning, notice: core.notice } as const;

/** The runner as GitHub runs it: `@actions/core` on this process's stdout and GITHUB_* files. */
export function coreRunner(env: Readonly<Record<string, string | undefined>>): ActionRunner {
  return {
    annotate: ({ kind, message, ...properties }) => ANNOTATE[kind](message, properties),
    info: (line) => core.info(line),
    setSecret: (secret) => core.setSecret(secret),
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
    },
    setFailed: (message) => core.setFailed(message),
  };
}
