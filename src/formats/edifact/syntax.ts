/**
 * EDIFACT service characters (UNA), syntax identifiers and their character sets, and the
 * decimal-mark rules of ISO 9735. Pure data and small helpers, no I/O.
 */

export interface EdifactSeparators {
  component: string;
  element: string;
  /** decimal mark announced in UNA (',' or '.'); readers accept both (ISO 9735 v4 5.1) */
  decimal: string;
  release: string;
  /** repetition separator (syntax 4); ' ' (space) in UNA means "not used" (syntax 1-3) */
  repetition: string;
  segment: string;
}

/** ISO 9735 defaults for UNOA/UNOB (and every syntax id when no UNA is present): `:+.? '` */
export const DEFAULT_SEPARATORS: Readonly<EdifactSeparators> = Object.freeze({
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: ' ',
  segment: "'",
});

/** Syntax version 4 default repetition separator. */
export const V4_REPETITION = '*';

/** Parses the 6 characters following 'UNA'. */
export function parseUna(six: string): EdifactSeparators {
  return {
    component: six.charAt(0),
    element: six.charAt(1),
    decimal: six.charAt(2),
    release: six.charAt(3),
    repetition: six.charAt(4),
    segment: six.charAt(5),
  };
}

export function formatUna(s: EdifactSeparators): string {
  return `UNA${s.component}${s.element}${s.decimal}${s.release}${s.repetition}${s.segment}`;
}

export function sameSeparators(a: EdifactSeparators, b: EdifactSeparators): boolean {
  return a.component === b.component && a.element === b.element && a.decimal === b.decimal &&
    a.release === b.release && a.repetition === b.repetition && a.segment === b.segment;
}

/**
 * Syntax identifier (UNB S001 0001) -> character set, as an iconv-lite encoding name.
 * UNOA/UNOB are ISO 646 subsets (7-bit); IATA/IATB (airline syntaxes) are treated as 7-bit too.
 * UNOW and UNOY are read and written as UTF-8. `level` describes the allowed repertoire.
 */
export interface SyntaxCharset {
  encoding: string;
  /** true when only 7-bit characters are allowed (bytes >= 0x80 are reported) */
  sevenBit: boolean;
  /** UNOA: upper case letters only (lower case is reported) */
  upperOnly?: boolean;
  description: string;
}

export const SYNTAX_CHARSETS: Readonly<Record<string, SyntaxCharset>> = Object.freeze({
  UNOA: { encoding: 'ascii', sevenBit: true, upperOnly: true, description: 'ISO 646 level A (upper case)' },
  UNOB: { encoding: 'ascii', sevenBit: true, description: 'ISO 646 level B' },
  UNOC: { encoding: 'iso-8859-1', sevenBit: false, description: 'ISO 8859-1 Latin 1' },
  UNOD: { encoding: 'iso-8859-2', sevenBit: false, description: 'ISO 8859-2 Latin 2' },
  UNOE: { encoding: 'iso-8859-5', sevenBit: false, description: 'ISO 8859-5 Cyrillic' },
  UNOF: { encoding: 'iso-8859-7', sevenBit: false, description: 'ISO 8859-7 Greek' },
  UNOG: { encoding: 'iso-8859-3', sevenBit: false, description: 'ISO 8859-3 Latin 3' },
  UNOH: { encoding: 'iso-8859-4', sevenBit: false, description: 'ISO 8859-4 Latin 4' },
  UNOI: { encoding: 'iso-8859-6', sevenBit: false, description: 'ISO 8859-6 Arabic' },
  UNOJ: { encoding: 'iso-8859-8', sevenBit: false, description: 'ISO 8859-8 Hebrew' },
  UNOK: { encoding: 'iso-8859-9', sevenBit: false, description: 'ISO 8859-9 Latin 5' },
  UNOL: { encoding: 'iso-8859-15', sevenBit: false, description: 'ISO 8859-15 Latin 9' },
  UNOW: { encoding: 'utf-8', sevenBit: false, description: 'ISO 10646-1 UTF-8' },
  UNOY: { encoding: 'utf-8', sevenBit: false, description: 'ISO 10646-1 (read/written as UTF-8)' },
  IATA: { encoding: 'ascii', sevenBit: true, description: 'IATA airline syntax' },
  IATB: { encoding: 'ascii', sevenBit: true, description: 'IATA airline syntax' },
});

export function charsetFor(syntaxId: string): SyntaxCharset | undefined {
  return SYNTAX_CHARSETS[syntaxId.toUpperCase()];
}

/** UNOA repertoire (ISO 9735 annex A): A-Z 0-9 space . , - ( ) / = ' + : ? ! " % & * ; < > */
const UNOA_RE = /^[A-Z0-9 .,\-()/=+:?!"%&*;<>']*$/;
export function isUnoaText(s: string): boolean {
  return UNOA_RE.test(s);
}

/**
 * Normalises an EDIFACT numeric value (type n) to a plain decimal string with '.' as the mark.
 * Accepts '.' or ',' as decimal mark (ISO 9735: both are allowed whatever UNA says), a leading
 * minus sign, and no thousands separators. Returns undefined when the text is not numeric.
 */
export function normalizeEdifactNumber(text: string): string | undefined {
  const m = /^(-?)(\d*)(?:[.,](\d*))?$/.exec(text);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return undefined;
  const intPart = m[2] ?? '';
  const frac = m[3];
  return `${m[1]}${intPart === '' ? '0' : intPart}${frac !== undefined && frac !== '' ? '.' + frac : ''}`;
}

/** Significant length of a numeric value for n..x checks: digits only (sign and mark excluded). */
export function numericLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
