/**
 * oxc's parser through raw transfer: Rust parses into a buffer the JavaScript side reads the AST
 * from, without the JSON step of oxc's default API, which measured no faster than Babel
 * (PARSER.md). Only these two inner modules of oxc-parser are imported, not its index: the index
 * loads its deserializers with a computed `require`, which ncc cannot follow into the bundle.
 *
 * Importing this module throws where raw transfer cannot run (Node < 22, a 32-bit or big-endian
 * machine) or where oxc's native binding for the platform is not there: parsers/index.ts imports
 * it inside a try and falls back to Babel.
 */
import { parseSyncRawImpl, returnBufferToCache } from 'oxc-parser/src-js/raw-transfer/common';
import { deserialize } from 'oxc-parser/src-js/generated/deserialize/ts';
import { oxcOptions, type OxcResult } from './oxc-options.js';

type RawData = { program: unknown; errors: unknown[] };
type RawBuffer = unknown;

export function parseWithOxcRaw(text: string, file: string): OxcResult {
  return parseSyncRawImpl(file, text, oxcOptions(file), (buffer: RawBuffer, sourceText: string, sourceStartPos: number, sourceByteLen: number) => {
    const data = deserialize(buffer, sourceText, sourceStartPos, sourceByteLen) as RawData;
    returnBufferToCache(buffer);
    return { program: data.program, errorCount: data.errors.length };
  });
}
