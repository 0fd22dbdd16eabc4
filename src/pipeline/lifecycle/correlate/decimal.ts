/**
 * Exact decimal arithmetic for money and quantities in the lifecycle rules. Canonical numbers are
 * JSON numbers parsed exactly from the partner's text, so their shortest decimal form
 * (`String(n)`) is the partner's value; converting that to a scaled bigint compares 19.99 with
 * 19.99 exactly and sums 0.1 + 0.2 to 0.3, with no float drift. This is finer than cents: a
 * sub-cent unit-price difference (0.125 vs 0.12) is visible, and tolerance decides whether it matters.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

const ZERO: Decimal = { units: 0n, scale: 0 };

export function dec(n: number): Decimal {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(n));
  if (!m) throw new RangeError(`not a decimal: ${n}`);
  const [, sign, int = '0', frac = '', exp = '0'] = m;
  let digits = int + frac;
  let scale = frac.length - Number(exp);
  if (scale < 0) { digits += '0'.repeat(-scale); scale = 0; }
  const units = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return { units, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sum(values: Decimal[]): Decimal {
  return values.reduce(add, ZERO);
}

export function max(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) >= 0 ? a : b;
}

/** `base * percent / 100`, exact */
export function percentOf(base: Decimal, percent: number): Decimal {
  const p = dec(percent);
  return { units: base.units * p.units, scale: base.scale + p.scale + 2 };
}

/** true when |found - expected| is more than `percent`% of |expected| */
export function beyondTolerance(expected: Decimal, found: Decimal, percent: number): boolean {
  const diff = sub(found, expected);
  const abs = (d: Decimal): Decimal => ({ units: d.units < 0n ? -d.units : d.units, scale: d.scale });
  return cmp(abs(diff), abs(percentOf(expected, percent))) > 0;
}

export function format(d: Decimal): string {
  const negative = d.units < 0n;
  let digits = (negative ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, '0');
    digits = trimFraction(`${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`);
  }
  return (negative ? '-' : '') + digits;
}

/** drops trailing zeros of the fraction, and the point when nothing is left: one scan from the end (`/\.?0+$/` backtracks quadratically on long runs of zeros) */
function trimFraction(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x30) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x2e) end--;
  return text.slice(0, end);
}

export const zero = (): Decimal => ZERO;

/** the inverse of `format` (how running totals are stored as text): `-12.5` → { units: -125n, scale: 1 } */
export function parseDecimal(text: string): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a stored decimal: ${JSON.stringify(text)}`);
  const [, sign, int = '0', frac = ''] = m;
  return { units: BigInt(int + frac) * (sign === '-' ? -1n : 1n), scale: frac.length };
}

export const negate = (d: Decimal): Decimal => ({ units: -d.units, scale: d.scale });
