/**
 * Control number arithmetic (pure; the DB-backed store persists the current values).
 * ISA13: 9 digits, zero-padded. GS06: 1-9 digits. ST02: 4-9 characters, zero-padded to 4.
 * After `max` the sequence rolls over to 1 (0 is never issued).
 */
export const ISA13_MAX = 999_999_999;
export const GS06_MAX = 999_999_999;
export const ST02_MAX = 999_999_999;

export function nextControlNumber(current: number | string, max: number = ISA13_MAX): number {
  const n = typeof current === 'string' ? Number.parseInt(current, 10) : current;
  if (!Number.isFinite(n) || n < 0 || n >= max) return 1;
  return Math.floor(n) + 1;
}

export function formatIsa13(n: number): string {
  return String(n).padStart(9, '0');
}

export function formatGs06(n: number): string {
  return String(n);
}

export function formatSt02(n: number): string {
  return String(n).padStart(4, '0');
}
