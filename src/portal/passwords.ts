/**
 * Portal passwords: scrypt from node:crypto (memory-hard; RFC 7914), run on libuv's thread pool so
 * a login never holds the event loop. Stored as `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url), so
 * the parameters can be raised later and old hashes still verify. N = 2^15, r = 8, p = 1: 32 MiB
 * of memory per hash (128·N·r bytes); the measured time is in the decisions notes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
/** 128·N·r plus headroom: node's default maxmem (32 MiB) is exactly too small for these parameters */
const maxmem = (N: number, r: number) => 128 * N * r + 16 * 1024 * 1024;

const scrypt = (password: string, salt: Buffer, keyLength: number, opts: ScryptOptions) => new Promise<Buffer>((resolve, reject) => {
  scryptCb(password.normalize('NFC'), salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key)));
});

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: maxmem(SCRYPT.N, SCRYPT.r) });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** false for a wrong password or a stored value that is not a hash of ours */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n); const R = Number(r); const P = Number(p);
  if (![N, R, P].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: P, maxmem: maxmem(N, R) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** a hash of nothing in particular: an unknown e-mail costs a login as much time as a known one */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(randomBytes(16).toString('hex')));

/** what a new password must be: undefined when it is acceptable, else why not */
export function passwordProblem(password: unknown, email: string): string | undefined {
  if (typeof password !== 'string') return 'the password must be text';
  if ([...password].length < 12) return 'the password must be at least 12 characters long';
  if (password.length > 256) return 'the password must be at most 256 characters long';
  if (password.toLowerCase() === email.toLowerCase()) return 'the password must not be the e-mail address';
  return undefined;
}
