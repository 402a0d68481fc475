/** What oxc is told about a module, read off its name as babel.ts reads Babel's plugins off it. */
export type OxcOptions = { lang: 'ts' | 'tsx' | 'jsx' | 'js'; sourceType: 'unambiguous'; astType: 'ts'; preserveParens: false; showSemanticErrors: true };

/** TypeScript by extension, JSX in .js too; TS-shaped nodes for JS as well, and no parentheses nodes (Babel's defaults). */
export function oxcOptions(file: string): OxcOptions {
  const lang = /\.[cm]?ts$/.test(file) ? 'ts' : /\.tsx$/.test(file) ? 'tsx' : /\.(?:jsx|js|mjs|cjs)$/.test(file) ? 'jsx' : 'js';
  return { lang, sourceType: 'unambiguous', astType: 'ts', preserveParens: false, showSemanticErrors: true };
}

/** oxc's answer for one module: its program (ESTree, before estree-to-babel.ts) and how many syntax errors it found. */
export type OxcResult = { program: unknown; errorCount: number };
export type OxcParse = (text: string, file: string) => OxcResult;
