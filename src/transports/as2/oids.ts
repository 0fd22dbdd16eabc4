/** Object identifiers and algorithm names used by AS2's CMS (RFC 5652, 5402, 3370, 3565, 8017). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  /** RFC 5083 AuthEnvelopedData (AES-GCM, RFC 5084) */
  authEnvelopedData: '1.2.840.113549.1.9.16.1.23',
  compressedData: '1.2.840.113549.1.9.16.1.9',
  zlib: '1.2.840.113549.1.9.16.3.8',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  rsassaPss: '1.2.840.113549.1.1.10',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  desEde3cbc: '1.2.840.113549.3.7',
  aes128gcm: '2.16.840.1.101.3.4.1.6',
  aes256gcm: '2.16.840.1.101.3.4.1.46',
} as const;

/** AS2 MIC algorithm names (RFC 5751 micalg / RFC 4130 signed-receipt-micalg) */
export type MicAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export const DIGEST_OIDS: Record<string, MicAlgorithm> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export const DIGEST_OID_BY_NAME: Record<MicAlgorithm, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};

/** sha*WithRSAEncryption signature OIDs and the digest they imply */
export const RSA_SIGNATURE_OIDS: Record<string, MicAlgorithm> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

/** ECDSA signature OIDs (RFC 5758; id-ecPublicKey as some signers write it), with the digest they imply when they do */
export const ECDSA_SIGNATURE_OIDS: Record<string, MicAlgorithm | undefined> = {
  '1.2.840.10045.2.1': undefined,
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

export type ContentCipher = 'aes128-cbc' | 'aes192-cbc' | 'aes256-cbc' | 'des-ede3-cbc' | 'aes128-gcm' | 'aes256-gcm';

/** AES-GCM content encryption goes in CMS AuthEnvelopedData (RFC 5083/5084); the others in EnvelopedData */
export const isAuthenticatedCipher = (c: ContentCipher): boolean => c === 'aes128-gcm' || c === 'aes256-gcm';

export const CIPHERS: Record<ContentCipher, { oid: string; keyLength: number; ivLength: number }> = {
  'aes128-cbc': { oid: OID.aes128cbc, keyLength: 16, ivLength: 16 },
  'aes192-cbc': { oid: OID.aes192cbc, keyLength: 24, ivLength: 16 },
  'aes256-cbc': { oid: OID.aes256cbc, keyLength: 32, ivLength: 16 },
  'des-ede3-cbc': { oid: OID.desEde3cbc, keyLength: 24, ivLength: 8 },
  // ivLength: the GCM nonce (RFC 5084: 12 octets recommended)
  'aes128-gcm': { oid: OID.aes128gcm, keyLength: 16, ivLength: 12 },
  'aes256-gcm': { oid: OID.aes256gcm, keyLength: 32, ivLength: 12 },
};

export function cipherByOid(oid: string): ContentCipher | undefined {
  for (const [name, c] of Object.entries(CIPHERS)) if (c.oid === oid) return name as ContentCipher;
  return undefined;
}

/** Parses `sha-256`, `sha256`, `SHA256`, `sha1`, `sha-1` into our algorithm name. */
export function parseMicAlgorithm(name: string): MicAlgorithm | undefined {
  const n = name.trim().toLowerCase().replace(/^"|"$/g, '').replace('-', '');
  return n === 'sha1' || n === 'sha256' || n === 'sha384' || n === 'sha512' ? n : undefined;
}

/** The name written in micalg= and Received-Content-MIC (RFC 5751 style: `sha-256`). */
export function micAlgorithmLabel(alg: MicAlgorithm): string {
  return alg === 'sha1' ? 'sha1' : alg.replace(/^sha/, 'sha-');
}
