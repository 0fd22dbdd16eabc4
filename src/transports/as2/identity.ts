/**
 * Key material parsed once. Parsing a PEM private key costs about as much as an RSA signature,
 * and a certificate through pkijs ten times more, so the receiver prepares its identity and
 * partner keys up front instead of per message.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { GatewayError } from '../../core/errors.ts';
import { certificateDer, parseCertificatePem } from './cms-der.ts';
import { children, content, expectTag, raw, readTlv } from './der-reader.ts';

export interface PemIdentity {
  privateKeyPem: string;
  certificatePem: string;
  /** issuer certificates sent beside ours in every signature (EDIGW_AS2_CHAIN_FILE) */
  chainPem?: string[];
}

export interface PreparedIdentity {
  privateKey: KeyObject;
  certificate: pkijs.Certificate;
  certificatePem: string;
  certificateDer: Uint8Array;
  /** DER of the issuer certificates sent with our signatures */
  chainDer: Uint8Array[];
  /** DER of the certificate's issuer Name and its serial number bytes (to find our RecipientInfo) */
  issuerDer: Uint8Array;
  serialNumber: Uint8Array;
}

/** issuer Name DER and serial INTEGER content of a DER certificate */
export function issuerAndSerial(certDer: Uint8Array): { issuerDer: Uint8Array; serialNumber: Uint8Array } {
  const tbs = children(certDer, readTlv(certDer, 0))[0];
  if (!tbs) throw new GatewayError('as2_certificate_invalid', 'certificate has no tbsCertificate');
  const f = children(certDer, tbs);
  const i = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expectTag(f[i], 0x02, 'certificate serialNumber');
  const issuer = expectTag(f[i + 2], 0x30, 'certificate issuer');
  return { issuerDer: raw(certDer, issuer), serialNumber: content(certDer, serial) };
}

export type IdentityInput = PemIdentity | PreparedIdentity;

export function prepareIdentity(identity: IdentityInput): PreparedIdentity {
  if ('privateKey' in identity) return identity;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(identity.privateKeyPem);
  } catch (e) {
    throw new GatewayError('as2_private_key_invalid', `AS2 private key cannot be read: ${(e as Error).message}`);
  }
  const certificate = parseCertificatePem(identity.certificatePem);
  const der = certificateDer(certificate);
  const chainDer = (identity.chainPem ?? []).map((pem) => certificateDer(parseCertificatePem(pem)));
  return { privateKey, certificate, certificatePem: identity.certificatePem, certificateDer: der, chainDer, ...issuerAndSerial(der) };
}

/** A partner certificate given as PEM or as an already extracted public key. */
export type TrustedKey = string | KeyObject;

export function publicKeyOf(key: TrustedKey): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    return new X509Certificate(key).publicKey;
  } catch (e) {
    throw new GatewayError('as2_certificate_invalid', `partner certificate cannot be read: ${(e as Error).message}`);
  }
}

/** Caches public keys by PEM text for one receiver (bounded: cleared when it grows past `max`). */
export function createPublicKeyCache(max = 512): (pems: string[]) => KeyObject[] {
  const cache = new Map<string, KeyObject>();
  return (pems) => pems.map((pem) => {
    let key = cache.get(pem);
    if (!key) {
      if (cache.size >= max) cache.clear();
      key = publicKeyOf(pem);
      cache.set(pem, key);
    }
    return key;
  });
}
