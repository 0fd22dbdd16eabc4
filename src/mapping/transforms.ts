/**
 * Value transforms named by `as:`. Each takes a non-empty value and returns the converted value
 * or throws TransformFailure with a sentence naming what was expected.
 */
import { X12_TO_REC20, REC20_TO_X12 } from './uom-table.ts';

export class TransformFailure extends Error {}
export type Transform = (v: unknown) => unknown;

const fail = (msg: string): never => {
  throw new TransformFailure(msg);
};
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isoDate(y: string, m: string, d: string, raw: string): string {
  const mi = Number(m);
  const di = Number(d);
  const leap = (Number(y) % 4 === 0 && Number(y) % 100 !== 0) || Number(y) % 400 === 0;
  if (mi < 1 || mi > 12 || di < 1 || di > (mi === 2 && !leap ? 28 : (DAYS[mi - 1] ?? 0))) fail(`"${raw}" is not a valid date`);
  return `${y}-${m}-${d}`;
}

/** CCYYMMDD, YYMMDD (00-49 -> 20YY, 50-99 -> 19YY), CCYYMMDDHHMM[SS] (EDIFACT 203/204), YYYY-MM-DD -> YYYY-MM-DD */
export function toIsoDate(v: unknown): string {
  const s = str(v).trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2})?)?$/.exec(s);
  if (m) return isoDate(m[1] ?? '', m[2] ?? '', m[3] ?? '', s);
  m = /^(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoDate(`${Number(m[1]) < 50 ? '20' : '19'}${m[1]}`, m[2] ?? '', m[3] ?? '', s);
  return fail(`"${s}" is not a date (expected CCYYMMDD, YYMMDD or YYYY-MM-DD)`);
}

function dayFirst(v: unknown, monthFirst: boolean): string {
  const s = str(v).trim();
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return fail(`"${s}" is not a date (expected ${monthFirst ? 'MM/DD/YYYY' : 'DD/MM/YYYY'})`);
  const [a, b] = [(m[1] ?? '').padStart(2, '0'), (m[2] ?? '').padStart(2, '0')];
  return isoDate(m[3] ?? '', monthFirst ? a : b, monthFirst ? b : a, s);
}

/** HHMM, HHMMSS, HHMMSSd.. -> HH:MM[:SS] */
function toIsoTime(v: unknown): string {
  const s = str(v).trim();
  const m = /^([01]\d|2[0-3]):?([0-5]\d)(?::?([0-5]\d)(?:[.,]?\d+)?)?$/.exec(s);
  if (!m) return fail(`"${s}" is not a time (expected HHMM or HHMMSS)`);
  return m[3] ? `${m[1]}:${m[2]}:${m[3]}` : `${m[1]}:${m[2]}`;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = typeof v === 'string' ? v : String(v);
  if (DECIMAL.test(s)) return Number(s);
  const t = s.trim();
  if (!DECIMAL.test(t)) fail(`"${t}" is not a number`);
  return Number(t);
}
function toInteger(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const s = str(v).trim();
  if (!/^[+-]?\d+$/.test(s)) fail(`"${s}" is not an integer`);
  return Number(s);
}
/** X12 Nn: the text holds an integer with n implied decimals ('1250' N2 -> 12.5). */
function implied(n: number): Transform {
  return (v) => {
    const s = str(v).trim();
    const m = /^([+-]?)(\d+)$/.exec(s);
    if (!m) return fail(`"${s}" is not an implied-decimal number (N${n})`);
    const digits = (m[2] ?? '').padStart(n + 1, '0');
    return Number(`${m[1]}${digits.slice(0, digits.length - n)}.${digits.slice(digits.length - n) || '0'}`);
  };
}
/** number -> decimal text without exponent or trailing zeros */
function numberText(v: unknown): string {
  const n = toNumber(v);
  if (!Number.isFinite(n)) fail(`"${str(v)}" is not a finite number`);
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/\.?0+$/, '') : s;
}
function impliedOut(n: number): Transform {
  return (v) => {
    const x = toNumber(v);
    const scaled = Math.round(x * 10 ** n);
    return String(scaled);
  };
}
function isoToCompact(v: unknown, short: boolean): string {
  const s = toIsoDate(v).replace(/-/g, '');
  return short ? s.slice(2) : s;
}
function currency(v: unknown): string {
  const s = str(v).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(s)) fail(`"${str(v)}" is not an ISO 4217 currency code`);
  return s;
}

export interface TransformContext {
  format: string;
  direction: 'inbound' | 'outbound';
}

const common: Record<string, Transform> = {
  number: toNumber,
  integer: toInteger,
  currency,
  upper: (v) => str(v).toUpperCase(),
  lower: (v) => str(v).toLowerCase(),
  trim: (v) => str(v).trim(),
  string: (v) => str(v),
  /** SSCC-18 from a GS1 barcode string: a leading application identifier "00" (20 digits) is dropped */
  sscc: (v) => { const t = str(v).trim(); return /^00\d{18}$/.test(t) ? t.slice(2) : t; },
};

/** The transforms a mapping of this format and direction may name. */
export function transformsFor(ctx: TransformContext): Record<string, Transform> {
  const segmentFormat = ctx.format === 'x12' || ctx.format === 'edifact';
  if (ctx.direction === 'inbound') {
    const uomIn: Transform = (v) => {
      const s = str(v).trim().toUpperCase();
      return ctx.format === 'x12' ? (X12_TO_REC20[s] ?? s) : s;
    };
    return {
      ...common,
      date: toIsoDate,
      'date-mdy': (v) => dayFirst(v, true),
      'date-dmy': (v) => dayFirst(v, false),
      time: toIsoTime,
      uom: uomIn,
    };
  }
  const uomOut: Transform = (v) => {
    const s = str(v).trim().toUpperCase();
    return ctx.format === 'x12' ? (REC20_TO_X12[s] ?? s) : s;
  };
  return {
    ...common,
    number: segmentFormat ? numberText : toNumber,
    integer: segmentFormat ? (v) => String(toInteger(v)) : toInteger,
    date: segmentFormat ? (v) => isoToCompact(v, false) : toIsoDate,
    date8: (v) => isoToCompact(v, false),
    date6: (v) => isoToCompact(v, true),
    time4: (v) => toIsoTime(v).replace(/:/g, '').slice(0, 4),
    time6: (v) => toIsoTime(v).replace(/:/g, '').padEnd(6, '0'),
    uom: uomOut,
  };
}

/** Looks a transform up by name, including impliedN (N = 0..9). */
export function lookupTransform(name: string, table: Record<string, Transform>, direction: 'inbound' | 'outbound'): Transform | undefined {
  const m = /^implied(\d)$/.exec(name);
  if (m) return direction === 'inbound' ? implied(Number(m[1])) : impliedOut(Number(m[1]));
  return table[name];
}

export function transformNames(table: Record<string, Transform>): string[] {
  return [...Object.keys(table), 'impliedN'];
}
