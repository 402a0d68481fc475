/**
 * Which parser turns module texts into trees. oxc (through raw transfer, oxc-raw.ts) parses
 * several times faster than Babel (PARSER.md) but needs Node 22 or later and the native binding
 * of the machine's platform, which dist/ carries for linux-x64 only (scripts/build.mjs); Babel
 * runs everywhere. Both give the readers Babel's node shapes (estree-to-babel.ts), and a module
 * oxc reports a syntax error in is parsed by Babel, so the findings and their wording do not
 * depend on which parser ran (__tests__/usage/parsers.test.ts compares them fact for fact).
 *
 * The choice is made once per process, before the analysis starts (`prepareParser`), because
 * loading oxc is asynchronous and the analysis is not.
 */
import { isMainThread } from 'node:worker_threads';
import { ConfigurationError } from '../../errors.js';
import { parseWithBabel } from './babel.js';
import { estreeToBabel } from './estree-to-babel.js';
import type { ParsedModule } from './parsed-module.js';
import type { OxcParse, OxcResult } from './oxc-options.js';

export type { ParsedModule } from './parsed-module.js';

/** `--parser`: `auto` takes oxc where it can run, else Babel. */
export type ParserChoice = 'auto' | 'oxc' | 'babel';
export type ParserName = 'oxc' | 'babel';
export const PARSER_CHOICES: readonly ParserChoice[] = ['auto', 'oxc', 'babel'];

let oxc: OxcParse | undefined;

/**
 * The longest text oxc may parse in a thread. oxc's parser recurses natively, once per level of
 * nesting, and a native stack overflow kills the process (no exception to catch): 5,000 nested
 * generics (`A<A<…>>`, 15 KB) crash it on an 8 MiB stack, so about 1.6 KiB of stack per level, at
 * least two characters per level; a text of n characters nests at most n levels. So on the main
 * thread (8 MiB on Linux by default) texts up to 4,000 characters; in the parse threads, started
 * with a 256 MiB stack when oxc parses (parse-pool.ts), up to 100,000. Between the two a text is
 * handed to a thread when threads run (facts-source.ts); longer ones stay on the main thread.
 * Babel parses whatever oxc may not, and throws a catchable RangeError where nesting is too deep
 * (__tests__/hostile-input.test.ts).
 */
export const OXC_MAX_CHARS = { mainThread: 4_000, parseThread: 100_000 } as const;
const oxcMaxChars = isMainThread ? OXC_MAX_CHARS.mainThread : OXC_MAX_CHARS.parseThread;

/**
 * Where a module of `text` is best parsed: `thread` when oxc may parse it in a parse thread but
 * not here; `main` when it is too long for oxc anywhere (Babel, on the main thread's stack, where
 * deep nesting ends in a quick RangeError rather than 256 MiB of recursion); else `either`.
 */
export function bestParsedIn(text: string): 'thread' | 'main' | 'either' {
  if (!oxc || text.length <= OXC_MAX_CHARS.mainThread) return 'either';
  return text.length <= OXC_MAX_CHARS.parseThread ? 'thread' : 'main';
}

let loading: Promise<OxcParse | string> | undefined;

/** oxc's parse, or why it cannot run here; loaded once per process. */
function loadOxc(): Promise<OxcParse | string> {
  loading ??= import(/* webpackMode: "eager" */ './oxc-raw.js').then(
    (raw) => raw.parseWithOxcRaw,
    // The error names the paths searched for the binding: nothing a user can act on beyond this.
    () => `oxc's native parser for ${process.platform}-${process.arch} could not be loaded`,
  );
  return loading;
}

function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}

/**
 * Sets the parser `choice` asks for and gives the one that will parse: at once when nothing needs
 * loading (Babel, or Node < 22 where oxc cannot run), else a promise to wait for before the
 * analysis starts. Asking for oxc where it cannot run is a configuration error; `auto` then
 * quietly takes Babel.
 */
export function prepareParser(choice: ParserChoice = 'auto'): ParserName | Promise<ParserName> {
  oxc = undefined;
  if (choice === 'babel') return 'babel';
  const cannot = (why: string): ParserName => {
    if (choice === 'oxc') throw new ConfigurationError(`--parser oxc cannot be used here: ${why}. Leave out --parser to use Babel.`);
    return 'babel';
  };
  if (nodeMajor() < 22) return cannot(`oxc's raw transfer needs Node 22 or later; this is Node ${process.versions.node}`);
  return loadOxc().then((loaded) => {
    if (typeof loaded === 'string') return cannot(loaded);
    useOxc(loaded);
    return 'oxc';
  });
}

/**
 * Parses with `parse` from now on (undefined: Babel), as `prepareParser` does with raw transfer;
 * the fact-for-fact test hands in oxc's JSON transfer, which gives the same tree on Node 20.
 */
export function useOxc(parse: OxcParse | undefined): void {
  oxc = parse;
}

/** The parser `prepareParser` chose (the parse threads are started with the same). */
export function activeParser(): ParserName {
  return oxc ? 'oxc' : 'babel';
}

/** Thrown in a parse thread for a module the main thread should parse (see parseModule). */
export class ParseOnMainThread extends Error {}

/** One module's tree in Babel's shapes, from oxc when it runs and finds no syntax error, else from Babel. */
export function parseModule(text: string, file: string): ParsedModule {
  if (oxc && text.length <= oxcMaxChars) {
    let result: OxcResult | undefined;
    try {
      result = oxc(text, file);
    } catch {
      // A panic inside oxc is not the user's problem: Babel parses the module instead.
      result = undefined;
    }
    if (result && result.errorCount === 0) return { program: estreeToBabel(result.program), dialect: 'oxc', problems: [] };
  }
  return parseWithBabelHere(text, file);
}

/** Babel's tree, for a module oxc gave none (or a faulty one) for, where Babel may parse it. */
export function parseWithBabelHere(text: string, file: string): ParsedModule {
  // A parse thread's deep stack (parse-pool.ts) would let Babel recurse for seconds through a
  // hostile text before its RangeError (20 s for 50,000 unclosed parentheses): the main thread,
  // on its own stack, parses such a module instead (parse-worker.ts replies without facts).
  if (oxc && !isMainThread && text.length > OXC_MAX_CHARS.mainThread) throw new ParseOnMainThread();
  return parseWithBabel(text, file);
}
