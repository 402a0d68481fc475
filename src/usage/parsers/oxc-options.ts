import { sourceLanguage } from './source-language.js';

/** What oxc is told about a module, read off its name as babel.ts reads Babel's plugins off it. */
export type OxcOptions = { lang: 'ts' | 'tsx' | 'jsx' | 'js'; sourceType: 'unambiguous'; astType: 'ts'; preserveParens: false; showSemanticErrors: true };

/**
 * TS-shaped nodes for JS as well, no parentheses nodes (Babel's default), and oxc's semantic check,
 * so that a module Babel would report an error in (a name declared twice) is reported by Babel.
 */
export function oxcOptions(file: string): OxcOptions {
  const { typescript, jsx } = sourceLanguage(file);
  const lang = typescript ? (jsx ? 'tsx' : 'ts') : jsx ? 'jsx' : 'js';
  return { lang, sourceType: 'unambiguous', astType: 'ts', preserveParens: false, showSemanticErrors: true };
}

/** oxc's answer for one module: its program (ESTree, before estree-to-babel.ts) and how many syntax errors it found. */
export type OxcResult = { program: unknown; errorCount: number };
export type OxcParse = (text: string, file: string) => OxcResult;
