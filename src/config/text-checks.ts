/**
 * Checks on a configuration file's bytes before they are decoded: UTF-8 (a UTF-16 file or a
 * binary saved under a .yaml name). A linear scan that reports the first offending byte as
 * line:col. (Characters YAML does not allow are checked on the text, in src/mapping/yaml-guard.ts.)
 */
import { isUtf8 } from 'node:buffer';
import type { Position } from './yaml-locate.ts';

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [len, min, max] = b < 0x80 ? [1, 0, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf]
      : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf]
        : b === 0xf0 ? [4, 0x90, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (len === 0) return i;
    // the second byte has the narrowed range (overlongs, surrogates, > U+10FFFF); the rest 80..BF
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/** Line and column (1-based, in characters) of a byte offset of UTF-8 text valid up to there. */
export function bytePosition(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) { line++; lineStart = i + 1; }
  const col = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8').length + 1;
  return { line, col };
}
