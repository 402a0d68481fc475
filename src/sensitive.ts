/**
 * A value read from the repository or the deploy environment. Every value the guard reads is held
 * in one of these, so that no formatter can print it by accident: `String(v)`, template literals,
 * `JSON.stringify` and `util.inspect` all give a placeholder. Code that really needs the text
 * (to parse a URL or decode a JWT) calls `reveal()`, which is easy to grep for.
 *
 * Whether a value is secret is decided in one place, `classify.ts`; this class only enforces it.
 */
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export const REDACTED = '[redacted]';

/**
 * Every secret text wrapped so far in this process, for the last-resort error handlers: a crash can
 * happen before any report knows its secrets, and its message must still be redacted (a
 * 100 KB password once came back whole in a regular-expression error).
 * It only holds strings the process already holds; a CLI run or an action run is one process.
 */
const seenSecrets = new Set<string>();

/** The secret texts seen so far (see `seenSecrets`): for redacting crash messages only. */
export function secretsSeen(): Iterable<string> {
  return seenSecrets;
}

export class Sensitive {
  readonly #text: string;
  /** true when the text must never be shown, even in part. */
  readonly secret: boolean;

  constructor(text: string, secret: boolean) {
    this.#text = text;
    this.secret = secret;
    if (secret) seenSecrets.add(text);
  }

  reveal(): string {
    return this.#text;
  }

  /** What a report may show: a short prefix of a public value, never any of a secret one. */
  display(maxPrefix = 24): string {
    if (this.secret) return REDACTED;
    const text = this.#text;
    return text.length <= maxPrefix ? text : `${text.slice(0, maxPrefix)}…`;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `Sensitive(${REDACTED})`;
  }
}
