import { describe, expect, it } from 'vitest';
import { add, beyondTolerance, cmp, dec, format, parseDecimal, sum } from './decimal.ts';

describe('exact decimals', () => {
  it('adds without float drift', () => {
    expect(format(add(dec(0.1), dec(0.2)))).toBe('0.3');
    expect(cmp(add(dec(0.1), dec(0.2)), dec(0.3))).toBe(0);
    expect(format(sum([19.99, 19.99, 19.99].map(dec)))).toBe('59.97');
  });
  it('reads exponent forms', () => {
    expect(format(dec(1e-7))).toBe('0.0000001');
    expect(format(dec(1e21))).toBe('1000000000000000000000');
    expect(format(dec(-2.5))).toBe('-2.5');
  });
  it('tolerance is inclusive: 2% of 2.50 is 0.05', () => {
    expect(beyondTolerance(dec(2.5), dec(2.55), 2)).toBe(false);
    expect(beyondTolerance(dec(2.5), dec(2.45), 2)).toBe(false);
    expect(beyondTolerance(dec(2.5), dec(2.5501), 2)).toBe(true);
    expect(beyondTolerance(dec(100), dec(100.5), 0.5)).toBe(false);
    expect(beyondTolerance(dec(100), dec(100.51), 0.5)).toBe(true);
  });
});

describe('format of long fractions (partner-controlled scale)', () => {
  it('trims trailing zeros of 100,000-digit fractions by one scan', () => {
    expect(format(parseDecimal(`2.${'0'.repeat(100_000)}`)!)).toBe('2');
    expect(format(parseDecimal(`1.${'0'.repeat(100_000)}1`)!)).toBe(`1.${'0'.repeat(100_000)}1`);
  });
});
