import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unpadPkcs1v15, unwrapContentKey, wrapContentKey } from './rsa-key-transport.ts';

const fallback = new Uint8Array(16).fill(0xee);

/** EME-PKCS1-v1_5 block by hand (RFC 8017 7.2.1): 00 02 PS(nonzero, >= 8) 00 M */
function block(k: number, m: Uint8Array, tweak?: (em: Uint8Array) => void): Uint8Array {
  const em = new Uint8Array(k);
  em[1] = 2;
  for (let i = 2; i < k - m.length - 1; i++) em[i] = 1 + (i % 250);
  em.set(m, k - m.length);
  tweak?.(em);
  return em;
}

describe('unpadPkcs1v15 (implicit rejection)', () => {
  const m = new Uint8Array(16).map((_, i) => i + 1);
  it('returns the message of a well-formed block', () => {
    expect(Buffer.from(unpadPkcs1v15(block(256, m), 16, fallback)).equals(Buffer.from(m))).toBe(true);
  });
  it.each([
    ['first byte not 00', (em: Uint8Array) => { em[0] = 1; }],
    ['block type not 02', (em: Uint8Array) => { em[1] = 1; }],
    ['no 00 separator before the message', (em: Uint8Array) => { em[256 - 17] = 7; }],
    ['a 00 inside the padding (message longer than the key)', (em: Uint8Array) => { em[100] = 0; }],
  ])('returns the fallback when %s', (_n, tweak) => {
    expect(Buffer.from(unpadPkcs1v15(block(256, m, tweak), 16, fallback)).equals(Buffer.from(fallback))).toBe(true);
  });
  it('returns the fallback when the padding string is shorter than 8 bytes', () => {
    expect(Buffer.from(unpadPkcs1v15(block(24, m), 16, fallback)).equals(Buffer.from(fallback))).toBe(true);
  });
});

describe('unwrapContentKey with real RSA-2048', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  it('unwraps a PKCS#1 v1.5 wrapped key on Node 20 (no RSA_PKCS1_PADDING private decrypt)', () => {
    const cek = randomBytes(32);
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
    expect(Buffer.from(unwrapContentKey(privateKey, wrapped, 'rsaes-pkcs1-v1_5', 32)).equals(cek)).toBe(true);
  });
  it('a PKCS#1 v1.5 key of the wrong length yields a random key, not an error', () => {
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, randomBytes(16));
    const out = unwrapContentKey(privateKey, wrapped, 'rsaes-pkcs1-v1_5', 32);
    expect(out.length).toBe(32);
  });
  it('round-trips OAEP with SHA-256', () => {
    const cek = randomBytes(16);
    expect(Buffer.from(unwrapContentKey(privateKey, wrapContentKey(publicKey, cek, 'rsaes-oaep', 'sha256'), 'rsaes-oaep', 16, 'sha256')).equals(cek)).toBe(true);
  });
});
