/**
 * @babel/parser: pure JavaScript, so it runs wherever deploy-guard does (PARSER.md). The parser of
 * every module where oxc cannot run, and of every module oxc reports a syntax error in, so that
 * what a syntax error says does not depend on the parser.
 */
import { parse, type ParserPlugin } from '@babel/parser';
import type { Node } from '@babel/types';
import type { ParsedModule } from './parsed-module.js';
import { sourceLanguage } from './source-language.js';

function pluginsFor(file: string): ParserPlugin[] {
  const { typescript: ts, jsx } = sourceLanguage(file);
  const plugins: ParserPlugin[] = ['importAttributes', 'decorators-legacy', 'explicitResourceManagement', 'decoratorAutoAccessors', 'deferredImportEvaluation', 'sourcePhaseImports', 'deprecatedImportAssert'];
  if (ts) plugins.push('typescript');
  if (jsx) plugins.push('jsx');
  return plugins;
}

/** The babel error's message without the `(line:column)` Babel appends, since the finding has its own. */
function messageOf(error: unknown): string {
  return String((error as Error).message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
}

export function parseWithBabel(text: string, file: string): ParsedModule {
  // Babel's TypeScript plugin throws and catches SyntaxErrors while it looks ahead; without a
  // stack trace each of those is cheap (this was most of the parse time on big repositories).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const ast = parse(text, {
      sourceType: 'unambiguous',
      plugins: pluginsFor(file),
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      // No reader here looks at comments on nodes (suppressions are found in the text), so
      // Babel need not work out which node each comment belongs to.
      attachComment: false,
    });
    const problems = (ast.errors ?? []).slice(0, 1).map((error) => {
      const loc = (error as unknown as { loc?: { line: number; column: number } }).loc;
      return { line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, message: `${file} has a syntax error the parser recovered from: ${messageOf(error)}` };
    });
    return { program: ast.program as Node, dialect: 'babel', problems };
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    return { program: undefined, dialect: 'babel', problems: [{ line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, message: `${file} could not be parsed: ${messageOf(error)}` }] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
