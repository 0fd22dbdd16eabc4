/**
 * Reads one configuration file as text, or says precisely why it cannot be used: not a regular
 * file, unreadable, too large, or not UTF-8. Never throws. (The text then goes through the
 * guarded YAML parse, which refuses control characters, deep nesting and bad aliases.)
 */
import { readFileSync, statSync } from 'node:fs';
import { problem } from './problems.ts';
import { bytePosition, firstInvalidUtf8 } from './text-checks.ts';
import type { YamlLimits } from './yaml-limits.ts';
import type { ConfigProblem } from './types.ts';

export type ReadResult = { text: string; problems?: undefined } | { text?: undefined; problems: ConfigProblem[] };

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

export function readConfigFile(file: string, limits: Pick<YamlLimits, 'maxBytes'>): ReadResult {
  const refuse = (p: Parameters<typeof problem>[0]): ReadResult => ({ problems: [problem(p)] });
  let bytes: Buffer;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return refuse({ file, rule: 'file_readable', message: `cannot read ${file} (EISDIR)` });
    if (!st.isFile()) return refuse({ file, rule: 'file_readable', message: `cannot read ${file} (not a regular file)` });
    // checked before reading so a huge file costs no memory; the read below checks again (it may grow)
    if (st.size > limits.maxBytes) return tooLarge(file, st.size, limits.maxBytes);
    bytes = readFileSync(file);
  } catch (e) {
    return refuse({ file, rule: 'file_readable', message: `cannot read ${file} (${errno(e)})` });
  }
  if (bytes.length > limits.maxBytes) return tooLarge(file, bytes.length, limits.maxBytes);
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    return refuse({
      file, ...bytePosition(bytes, bad), rule: 'file_not_utf8',
      message: `byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad} is not UTF-8`,
      hint: bytes[0] === 0xff || bytes[0] === 0xfe ? 'the file looks like UTF-16: save it as UTF-8' : 'configuration files are UTF-8 text; is this a binary file?',
    });
  }
  // a BOM is allowed (YAML allows it); the parser skips it
  return { text: bytes.toString('utf8') };
}

function tooLarge(file: string, size: number, max: number): ReadResult {
  return {
    problems: [problem({
      file, rule: 'file_too_large', message: `${size} bytes is more than the ${max} bytes a configuration file may have`,
      hint: 'split the file, or check it is the file you meant',
    })],
  };
}
