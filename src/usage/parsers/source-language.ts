/**
 * What a module's name says of its syntax, read once for both parsers (Babel's plugins in
 * babel.ts, oxc's `lang` in oxc-options.ts): TypeScript by extension, JSX in .tsx and in every
 * JavaScript extension too (React projects put JSX in .js files).
 */
export function sourceLanguage(file: string): { typescript: boolean; jsx: boolean } {
  return { typescript: /\.(?:[cm]?ts|tsx)$/.test(file), jsx: /\.(?:tsx|jsx|js|mjs|cjs)$/.test(file) };
}
