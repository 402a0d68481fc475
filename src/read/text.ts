/** Bytes → text for configuration files: UTF-8 only, no binary, BOM stripped. */
import type { ParseFailure } from './document.js';

const BINARY_SNIFF_BYTES = 8192;

export function decodeText(bytes: Buffer, _file: string): { ok: true; text: string } | { ok: false; error: ParseFailure } {
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  const nul = sniff.indexOf(0);
  if (nul !== -1) {
    const line = countLines(bytes, nul);
    return { ok: false, error: { message: `it looks binary (a NUL byte at line ${line}); configuration files are text.`, line, column: 1 } };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const line = countLines(bytes, offset);
    return { ok: false, error: { message: `it is not valid UTF-8 (first invalid byte at line ${line}); save it as UTF-8.`, line, column: 1 } };
  }
}

function countLines(bytes: Buffer, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    const chunk = bytes.subarray(i, i + length);
    if (chunk.length < length) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk);
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
