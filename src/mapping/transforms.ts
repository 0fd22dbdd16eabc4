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

/** quantity: exact decimal text -> JSON number, refused when negative (a count of goods is never below zero) */
function toQuantity(v: unknown): number {
  const n = toNumber(v);
  if (n < 0) fail(`"${str(v).trim()}" is a negative quantity (expected zero or more)`);
  return n;
}

/**
 * X12 time codes (data element 623) as IANA zones (offset by the date: ET is -05:00 or -04:00) or
 * fixed offsets (ES is -05:00, ED -04:00). LT (local time) and the numeric ISO codes 01-24 are not
 * read: LT has no offset without the place's zone, and a guessed offset would be silently wrong.
 */
const X12_TIME_ZONES: Record<string, string> = {
  ET: 'America/New_York', CT: 'America/Chicago', MT: 'America/Denver', PT: 'America/Los_Angeles', AT: 'America/Anchorage',
  HT: 'America/Adak', NT: 'America/St_Johns', TT: 'America/Halifax',
  ES: '-05:00', ED: '-04:00', CS: '-06:00', CD: '-05:00', MS: '-07:00', MD: '-06:00', PS: '-08:00', PD: '-07:00', AS: '-09:00', AD: '-08:00',
  HS: '-10:00', HD: '-09:00', NS: '-03:30', ND: '-02:30', TS: '-04:00', TD: '-03:00', UT: 'Z', GM: 'Z',
};

/** the offset (+hh:mm, Z) of an IANA zone at a wall-clock time there */
function zoneOffset(zone: string, y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const offsetAt = (utc: number): number => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(utc)).map((x) => [x.type, x.value]));
    return (Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - utc) / 60000;
  };
  let off = offsetAt(wall);
  off = offsetAt(wall - off * 60000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** the ISO time with offset of a wall-clock time in a zone: an IANA name (Europe/Berlin), ±hh:mm or Z */
function atZone(date: string, hms: string, zone: string): string {
  if (zone === 'Z' || /^[+-]\d{2}:\d{2}$/.test(zone)) return `${date}T${hms}${zone}`;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi, sec] = hms.split(':').map(Number) as [number, number, number];
  try {
    return `${date}T${hms}${zoneOffset(zone, y, mo, d, h, mi, sec)}`;
  } catch {
    return fail(`"${zone}" is not a time zone (expected an IANA name such as America/Chicago, or ±hh:mm)`);
  }
}

/**
 * x12-datetime: "CCYYMMDD HHMM[SS] CODE" (date, time, X12 623 time code: ET, CS, UT...) -> YYYY-MM-DDThh:mm:ss±hh:mm.
 * The third token may instead be an IANA zone (a partner mapping's expression can supply the zone of
 * a carrier that sends LT, local time).
 */
function x12DateTime(v: unknown): string {
  const s = str(v).trim();
  const m = /^(\d{8})\s+(\d{4}(?:\d{2})?)\d*\s*(\S+)?$/.exec(s);
  if (!m) return fail(`"${s}" is not a date, time and time code (expected CCYYMMDD HHMM[SS] and an X12 time code such as ET)`);
  const date = toIsoDate(m[1]);
  const time = toIsoTime(m[2]);
  const hms = time.length === 5 ? `${time}:00` : time;
  const code = m[3];
  if (!code) return fail(`"${s}" has no time code: the time's offset is unknown`);
  if (code.includes('/')) return atZone(date, hms, code);
  const zone = X12_TIME_ZONES[code];
  if (!zone) return fail(`time code ${code} is not read (${code === 'LT' ? 'local time has no offset without the place\'s zone' : 'expected ET, CT, MT, PT, ES/ED, CS/CD, MS/MD, PS/PD, UT, GM or another X12 623 zone code'})`);
  return atZone(date, hms, zone);
}

/**
 * edifact-datetime: "VALUE FORMAT [ZONE]" (DTM C507 2380 and 2379; 203 CCYYMMDDHHMM, 204 with
 * seconds, 303/304 with a zone ZZZ: +hh, +hhmm or Z) -> YYYY-MM-DDThh:mm:ss±hh:mm. A 203/204 time
 * has no zone of its own: it is refused unless ZONE (IANA name or ±hh:mm, from a partner mapping) says it.
 */
function edifactDateTime(v: unknown): string {
  const s = str(v).trim();
  const m = /^(\d{8})(\d{4})(\d{2})?([+-]\d{2}(?::?\d{2})?|Z)?\s+(203|204|303|304)(?:\s+(\S+))?$/.exec(s);
  if (!m) return fail(`"${s}" is not an EDIFACT date and time with its format (expected e.g. 202612051430 203, 202612051430+01 303)`);
  const [, d8, hm, sec, zzz, fmt, zone] = m;
  if ((fmt === '203' || fmt === '303') && sec) return fail(`"${s}": format ${fmt} has no seconds`);
  if ((fmt === '204' || fmt === '304') && !sec) return fail(`"${s}": format ${fmt} needs seconds`);
  const date = toIsoDate(d8);
  const hms = `${hm!.slice(0, 2)}:${hm!.slice(2)}:${sec ?? '00'}`;
  toIsoTime(hms.replace(/:/g, ''));
  if (fmt === '303' || fmt === '304') {
    if (!zzz) return fail(`"${s}": format ${fmt} carries a time zone, none was found`);
    if (zzz === 'Z') return `${date}T${hms}Z`;
    const z = zzz.replace(':', '');
    return `${date}T${hms}${z.slice(0, 3)}:${z.slice(3) || '00'}`;
  }
  if (zzz) return fail(`"${s}": format ${fmt} has no time zone`);
  if (!zone) return fail(`"${s}": format ${fmt} (local time) has no time zone; a partner mapping can name the place's zone`);
  return atZone(date, hms, zone);
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
      quantity: toQuantity,
      'x12-datetime': x12DateTime,
      'edifact-datetime': edifactDateTime,
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
