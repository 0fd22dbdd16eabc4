import { describe, expect, it } from 'vitest';
import { lookupTransform, transformsFor, TransformFailure } from './transforms.ts';

const x12In = transformsFor({ format: 'x12', direction: 'inbound' });
const edifactIn = transformsFor({ format: 'edifact', direction: 'inbound' });
const x12Out = transformsFor({ format: 'x12', direction: 'outbound' });
const jsonOut = transformsFor({ format: 'json', direction: 'outbound' });
const t = (table: typeof x12In, name: string, dir: 'inbound' | 'outbound' = 'inbound') => {
  const f = lookupTransform(name, table, dir);
  if (!f) throw new Error(name);
  return f;
};
const fails = (f: () => unknown, msg: string) => {
  expect(f).toThrow(TransformFailure);
  expect(f).toThrow(msg);
};

describe('inbound transforms', () => {
  it('date: CCYYMMDD, YYMMDD (pivot 50), EDIFACT 203, ISO', () => {
    const d = t(x12In, 'date');
    expect(d('20261120')).toBe('2026-11-20');
    expect(d('261120')).toBe('2026-11-20');
    expect(d('991231')).toBe('1999-12-31');
    expect(d('202611201530')).toBe('2026-11-20');
    expect(d('2024-02-29')).toBe('2024-02-29');
    fails(() => d('20230229'), '"20230229" is not a valid date');
    fails(() => d('20261320'), '"20261320" is not a valid date');
    fails(() => d('11/20/2026'), '"11/20/2026" is not a date (expected CCYYMMDD, YYMMDD or YYYY-MM-DD)');
  });
  it('date-mdy and date-dmy for CSV files', () => {
    expect(t(x12In, 'date-mdy')('3/7/2026')).toBe('2026-03-07');
    expect(t(x12In, 'date-dmy')('07.03.2026')).toBe('2026-03-07');
  });
  it('time: HHMM, HHMMSS, HHMMSSdd', () => {
    const f = t(x12In, 'time');
    expect(f('0930')).toBe('09:30');
    expect(f('093015')).toBe('09:30:15');
    expect(f('09301550')).toBe('09:30:15');
    fails(() => f('2460'), '"2460" is not a time (expected HHMM or HHMMSS)');
  });
  it('number keeps the exact decimal; integer; impliedN', () => {
    expect(t(x12In, 'number')('12.50')).toBe(12.5);
    expect(t(x12In, 'number')('-.5')).toBe(-0.5);
    expect(t(x12In, 'number')('7.')).toBe(7);
    fails(() => t(x12In, 'number')('1,5'), '"1,5" is not a number');
    fails(() => t(x12In, 'number')('1e3'), '"1e3" is not a number');
    expect(t(x12In, 'integer')('42')).toBe(42);
    fails(() => t(x12In, 'integer')('4.2'), '"4.2" is not an integer');
    expect(t(x12In, 'implied2')('1250')).toBe(12.5);
    expect(t(x12In, 'implied2')('5')).toBe(0.05);
    expect(t(x12In, 'implied2')('-12345')).toBe(-123.45);
    expect(t(x12In, 'implied0')('17')).toBe(17);
    fails(() => t(x12In, 'implied2')('12.50'), '"12.50" is not an implied-decimal number (N2)');
  });
  it('uom: X12 355 codes to UN/ECE Rec 20; other codes and EDIFACT (already Rec 20) pass through', () => {
    expect(t(x12In, 'uom')('CA')).toBe('CS');
    expect(t(x12In, 'uom')('LB')).toBe('LBR');
    expect(t(x12In, 'uom')('EA')).toBe('EA');
    expect(t(x12In, 'uom')('ZZ')).toBe('ZZ');
    expect(t(edifactIn, 'uom')('PCE')).toBe('PCE');
    expect(t(edifactIn, 'uom')('CA')).toBe('CA');
  });
  it('currency, upper, lower, trim', () => {
    expect(t(x12In, 'currency')('usd')).toBe('USD');
    fails(() => t(x12In, 'currency')('US'), '"US" is not an ISO 4217 currency code');
    expect(t(x12In, 'upper')('ab')).toBe('AB');
    expect(t(x12In, 'lower')('AB')).toBe('ab');
    expect(t(x12In, 'trim')('  a ')).toBe('a');
  });
  it('unknown names are undefined', () => {
    expect(lookupTransform('nope', x12In, 'inbound')).toBeUndefined();
  });
});

describe('outbound transforms', () => {
  it('date -> CCYYMMDD for X12, date6, time4; ISO stays ISO for JSON', () => {
    expect(t(x12Out, 'date', 'outbound')('2026-11-20')).toBe('20261120');
    expect(t(x12Out, 'date6', 'outbound')('2026-11-20')).toBe('261120');
    expect(t(x12Out, 'time4', 'outbound')('09:30:15')).toBe('0930');
    expect(t(jsonOut, 'date', 'outbound')('2026-11-20')).toBe('2026-11-20');
  });
  it('number -> decimal text without exponent; impliedN -> integer text; uom Rec 20 -> X12', () => {
    expect(t(x12Out, 'number', 'outbound')(12.5)).toBe('12.5');
    expect(t(x12Out, 'number', 'outbound')(1e-7)).toBe('0.0000001');
    expect(t(x12Out, 'implied2', 'outbound')(12.5)).toBe('1250');
    expect(t(x12Out, 'uom', 'outbound')('CS')).toBe('CA');
    expect(t(x12Out, 'uom', 'outbound')('EA')).toBe('EA');
    expect(t(jsonOut, 'number', 'outbound')('3.5')).toBe(3.5);
  });
});
