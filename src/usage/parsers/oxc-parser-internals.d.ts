// oxc-parser ships these inner modules of its raw transfer without type declarations (oxc-raw.ts).
declare module 'oxc-parser/src-js/raw-transfer/common' {
  export function parseSyncRawImpl<T>(
    filename: string, sourceText: string, options: object,
    convert: (buffer: unknown, sourceText: string, sourceStartPos: number, sourceByteLen: number, options: object) => T,
  ): T;
  export function returnBufferToCache(buffer: unknown): void;
}
declare module 'oxc-parser/src-js/generated/deserialize/ts' {
  export function deserialize(buffer: unknown, sourceText: string, sourceStartPos: number, sourceByteLen: number): unknown;
}
