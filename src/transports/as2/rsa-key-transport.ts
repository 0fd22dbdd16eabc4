/**
 * RSA key transport for CMS enveloped-data (RFC 3370 / RFC 8017).
 *
 * Node 20 refuses `privateDecrypt` with RSA_PKCS1_PADDING (CVE-2023-46809, Marvin). Most AS2
 * partners still wrap the content key with RSAES-PKCS1-v1_5, so we do the RSA private operation
 * in OpenSSL with RSA_NO_PADDING (blinded, constant-time modexp) and remove the PKCS#1 v1.5
 * padding here without data-dependent branches, with implicit rejection: a malformed block yields
 * a random content key of the expected length (RFC 3218 2.3.2), so a padding error surfaces
 * exactly like a wrong key: the content decryption fails with the same "decryption-failed".
 */
import { constants, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

export type KeyTransport = 'rsaes-pkcs1-v1_5' | 'rsaes-oaep';
export type OaepHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/**
 * Removes EME-PKCS1-v1_5 padding from `em` (k bytes) expecting a `keyLength`-byte message.
 * Returns the message, or `fallback` when the block is malformed, in time independent of where
 * it is malformed.
 */
export function unpadPkcs1v15(em: Uint8Array, keyLength: number, fallback: Uint8Array): Uint8Array {
  const k = em.length;
  const sep = k - keyLength - 1;
  // bad != 0 when malformed; all bytes are visited whatever their values
  let bad = (em[0] ?? 1) | ((em[1] ?? 0) ^ 2);
  bad |= sep < 10 ? 1 : 0;
  for (let i = 2; i < k; i++) {
    const b = em[i] ?? 0;
    const inPadding = ((i - sep) >>> 31) & 1; // 1 when i < sep
    const isSep = i === sep ? 1 : 0;
    const isZero = ((b - 1) >>> 31) & 1; // 1 when b == 0
    bad |= (inPadding & isZero) | (isSep & (isZero ^ 1));
  }
  const mask = ((bad | -bad) >> 31) & 0xff; // 0xff when bad
  const out = new Uint8Array(keyLength);
  for (let i = 0; i < keyLength; i++) {
    out[i] = ((em[k - keyLength + i] ?? 0) & ~mask) | ((fallback[i] ?? 0) & mask);
  }
  return out;
}

/** Unwraps a content-encryption key. For PKCS#1 v1.5 never throws on bad padding (implicit rejection). */
export function unwrapContentKey(privateKey: KeyObject, encryptedKey: Uint8Array, transport: KeyTransport, keyLength: number, oaepHash: OaepHash = 'sha1'): Uint8Array {
  if (transport === 'rsaes-oaep') {
    return new Uint8Array(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, encryptedKey));
  }
  const fallback = randomBytes(keyLength);
  let em: Uint8Array;
  try {
    em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, encryptedKey);
  } catch {
    return fallback; // wrong length / out of range: same outcome as bad padding
  }
  return unpadPkcs1v15(em, keyLength, fallback);
}

export function wrapContentKey(publicKey: KeyObject, cek: Uint8Array, transport: KeyTransport, oaepHash: OaepHash = 'sha256'): Uint8Array {
  if (transport === 'rsaes-oaep') return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, cek);
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
}
