/**
 * Delimiters of one interchange, taken from its ISA header:
 * element separator = the character right after "ISA"; component separator = ISA16;
 * repetition separator = ISA11 when ISA12 >= 00402 and ISA11 is not a letter or digit
 * (before 00402, ISA11 is the standards identifier 'U'); segment terminator = the
 * character(s) after ISA16 (a multi-byte UTF-8 character such as U+2026 is kept whole,
 * as its latin1 bytes). CR/LF after a terminator are layout, not data.
 */
export interface X12Delimiters {
  element: string;
  component: string;
  /** undefined when the interchange has no repetition separator */
  repetition?: string;
  /** one character, or the latin1 bytes of one multi-byte UTF-8 character */
  segment: string;
  /** text written after each terminator by the writer ('\n', '\r\n' or '') */
  lineBreak?: string;
}

export const DEFAULT_DELIMITERS_4010: X12Delimiters = { element: '*', component: '>', segment: '~', lineBreak: '\n' };
export const DEFAULT_DELIMITERS_5010: X12Delimiters = { element: '*', component: ':', repetition: '^', segment: '~', lineBreak: '\n' };

function isAlnum(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

/** ISA11 is a repetition separator for version >= 00402 when it is not alphanumeric. */
export function repetitionFromIsa(isa11: string, isa12: string): string | undefined {
  if (isa11.length !== 1 || isAlnum(isa11) || isa11 === ' ') return undefined;
  const v = Number.parseInt(isa12, 10);
  if (!Number.isFinite(v) || v < 402) return undefined;
  return isa11;
}

/** Length in bytes of a UTF-8 sequence starting with this lead byte (1 when not a lead byte). */
export function utf8SequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** Delimiters must be distinct, non-alphanumeric, and not a space. */
export function delimiterProblems(d: X12Delimiters): string[] {
  const problems: string[] = [];
  const all = [d.element, d.component, d.segment, ...(d.repetition ? [d.repetition] : [])];
  if (new Set(all).size !== all.length) problems.push('delimiters are not distinct');
  for (const c of all) if (c.length === 1 && (isAlnum(c) || c === ' ')) problems.push(`delimiter '${c}' is a letter, digit or space`);
  return problems;
}
