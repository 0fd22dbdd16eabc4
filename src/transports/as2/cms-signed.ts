/**
 * CMS SignedData (RFC 5652) for AS2: detached signatures over the exact MIME part bytes.
 * Parsing with pkijs/asn1js, RSA with node:crypto (OpenSSL). Only the partner's configured
 * certificates are trusted; certificates embedded in the message are ignored for trust.
 */
import { constants, createHash, sign as signCb, verify as verifyCb, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { GatewayError } from '../../core/errors.ts';
import { DIGEST_OID_BY_NAME, DIGEST_OIDS, ECDSA_SIGNATURE_OIDS, OID, RSA_SIGNATURE_OIDS, type MicAlgorithm } from './oids.ts';
import { children, content, expectTag, octetValue, oidValue, raw, readContentInfo, readTlv, type Tlv } from './der-reader.ts';
import { algorithm, integer, octetString, oid, seq, setOf, tlv, utcTime } from './der-writer.ts';
import { prepareIdentity, publicKeyOf, type IdentityInput, type TrustedKey } from './identity.ts';
import { canonicalizeCrlf, canonicalizeHeaderLines } from './mime.ts';

const signAsync = promisify(signCb);

export type SigningIdentity = IdentityInput;

export interface SignedDataResult {
  /** the digest algorithm the signer used: the MIC algorithm of a signed message */
  digest: MicAlgorithm;
  /** index into the trusted certificates of the one that verified */
  certificateIndex: number;
  /** encapsulated content when the signature was not detached */
  content?: Uint8Array;
}

/**
 * How we sign with an RSA key: PKCS#1 v1.5 (default; every AS2 product reads it) or RSASSA-PSS
 * (RFC 4055: MGF1 over the same digest, salt as long as the digest). An EC key always signs ECDSA
 * (ecdsa-with-SHA*, RFC 5758): the key decides, the scheme is for RSA keys only.
 */
export type SignatureScheme = 'rsa-pkcs1-v1_5' | 'rsassa-pss';

const ECDSA_OID_BY_DIGEST: Record<MicAlgorithm, string> = {
  sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2', sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4',
};
const DIGEST_LENGTH: Record<MicAlgorithm, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** the SignerInfo signatureAlgorithm and node:crypto's key options for our key and scheme */
function signatureFor(key: KeyObject, digest: MicAlgorithm, scheme: SignatureScheme): { algorithm: Uint8Array; key: KeyObject | { key: KeyObject; padding: number; saltLength: number } } {
  const type = key.asymmetricKeyType;
  if (type === 'ec') return { algorithm: seq(oid(ECDSA_OID_BY_DIGEST[digest])), key }; // RFC 5758 3.2: parameters absent
  if (type !== 'rsa') throw new GatewayError('as2_config_invalid', `our AS2 private key is ${type ?? 'of an unknown type'}: AS2 signatures need an RSA or EC (P-256/P-384) key`, { found: type ?? 'unknown', expected: 'rsa or ec' });
  if (scheme !== 'rsassa-pss') return { algorithm: algorithm(OID.rsaEncryption), key };
  const hash = algorithm(DIGEST_OID_BY_NAME[digest]);
  const saltLength = DIGEST_LENGTH[digest];
  // RSASSA-PSS-params: hashAlgorithm [0], maskGenAlgorithm [1] MGF1(hash), saltLength [2]; trailerField default
  return {
    algorithm: seq(oid(OID.rsassaPss), seq(tlv(0xa0, hash), tlv(0xa1, seq(oid(OID.mgf1), hash)), tlv(0xa2, integer(saltLength)))),
    key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
  };
}

/** Creates a detached CMS SignedData over `content` (signed attributes; RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA, see SignatureScheme). */
export async function signDetached(content: Uint8Array, identity: SigningIdentity, digest: MicAlgorithm, signingTime: Date, scheme: SignatureScheme = 'rsa-pkcs1-v1_5'): Promise<Uint8Array> {
  const prepared = prepareIdentity(identity);
  const digestAlgorithm = algorithm(DIGEST_OID_BY_NAME[digest]);
  const attributes = [
    seq(oid(OID.contentType), setOf(oid(OID.data))),
    seq(oid(OID.signingTime), setOf(utcTime(signingTime))),
    seq(oid(OID.messageDigest), setOf(octetString(createHash(digest).update(content).digest()))),
  ];
  const signedAttrs = setOf(...attributes);
  const how = signatureFor(prepared.privateKey, digest, scheme);
  const signature = await signAsync(digest, signedAttrs, how.key);
  const signerInfo = seq(
    integer(1),
    seq(prepared.issuerDer, tlv(0x02, prepared.serialNumber)),
    digestAlgorithm,
    tlv(0xa0, signedAttrs.subarray(signedAttrs.length - attrsContentLength(signedAttrs))),
    how.algorithm,
    octetString(signature),
  );
  const signedData = seq(integer(1), setOf(digestAlgorithm), seq(oid(OID.data)), tlv(0xa0, Buffer.concat([prepared.certificateDer, ...prepared.chainDer])), setOf(signerInfo));
  return seq(oid(OID.signedData), tlv(0xa0, signedData));
}

/** content length of a DER element (its bytes after the header) */
function attrsContentLength(der: Uint8Array): number {
  const t = readTlv(der, 0);
  return t.contentEnd - t.contentStart;
}

interface SignerInfoView {
  digestOid: string;
  signatureOid: string;
  /** RSASSA-PSS (RFC 4055): the salt length of its parameters (MGF1 over the same digest) */
  pssSaltLength?: number;
  /** DER of the signed attributes re-tagged as SET OF (what the signature covers) */
  signedAttrs?: Uint8Array;
  messageDigest?: Uint8Array;
  signature: Uint8Array;
}

function readSignerInfo(der: Uint8Array, t: Tlv): SignerInfoView {
  const f = children(der, expectTag(t, 0x30, 'SignerInfo'));
  let i = 2; // version, sid
  const digestOid = oidValue(der, children(der, expectTag(f[i++], 0x30, 'SignerInfo digestAlgorithm'))[0] as Tlv);
  let signedAttrs: Uint8Array | undefined;
  let messageDigest: Uint8Array | undefined;
  if (f[i]?.tag === 0xa0) {
    const attrsTlv = f[i++] as Tlv;
    signedAttrs = new Uint8Array(raw(der, attrsTlv));
    signedAttrs[0] = 0x31;
    for (const attr of children(der, attrsTlv)) {
      const [type, values] = children(der, expectTag(attr, 0x30, 'signed attribute'));
      if (type && oidValue(der, type) === OID.messageDigest && values) {
        const v = children(der, expectTag(values, 0x31, 'messageDigest values'))[0];
        if (v) messageDigest = content(der, expectTag(v, 0x04, 'messageDigest value'));
      }
    }
  }
  const [algOid, algParams] = children(der, expectTag(f[i++], 0x30, 'SignerInfo signatureAlgorithm'));
  const signatureOid = oidValue(der, algOid as Tlv);
  const pssSaltLength = signatureOid === OID.rsassaPss ? pssParams(der, digestOid, algParams) : undefined;
  const signature = octetValue(der, expectTag(f[i], 0x04, 'SignerInfo signature'));
  return { digestOid, signatureOid, ...(pssSaltLength !== undefined ? { pssSaltLength } : {}), ...(signedAttrs ? { signedAttrs } : {}), ...(messageDigest ? { messageDigest } : {}), signature };
}

/**
 * RSASSA-PSS-params (RFC 4055 3.1): hashAlgorithm [0], maskGenAlgorithm [1] (MGF1 and its hash),
 * saltLength [2] (default 20). OpenSSL verifies with MGF1 over the signature's digest, so the
 * hashes must be the signer's digest; returns the salt length.
 */
function pssParams(der: Uint8Array, digestOid: string, params: Tlv | undefined): number {
  let hashOid = '1.3.14.3.2.26';
  let mgfHashOid = '1.3.14.3.2.26';
  let salt = 20;
  if (params && params.tag === 0x30) {
    for (const p of children(der, params)) {
      const inner = children(der, p)[0];
      if (!inner) continue;
      if (p.tag === 0xa0) hashOid = oidValue(der, children(der, expectTag(inner, 0x30, 'PSS hashAlgorithm'))[0] as Tlv);
      else if (p.tag === 0xa1) {
        const [, mgfParams] = children(der, expectTag(inner, 0x30, 'PSS maskGenAlgorithm'));
        if (mgfParams) mgfHashOid = oidValue(der, children(der, expectTag(mgfParams, 0x30, 'MGF1 hash'))[0] as Tlv);
      } else if (p.tag === 0xa2) salt = Number(BigInt(`0x${Buffer.from(content(der, expectTag(inner, 0x02, 'PSS saltLength'))).toString('hex') || '0'}`));
    }
  }
  if (hashOid !== digestOid || mgfHashOid !== digestOid) {
    throw new GatewayError('as2_signature_algorithm_unsupported', `RSASSA-PSS with hash ${hashOid} and MGF1 hash ${mgfHashOid} for digest ${digestOid}: the three must be the same`, { found: `${hashOid}/${mgfHashOid}`, expected: digestOid });
  }
  return salt;
}

/** RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA (DER signature) by the signer's algorithm; a key of another type does not verify */
function verifySig(digest: MicAlgorithm, data: Uint8Array, key: KeyObject, si: SignerInfoView): boolean {
  const ecdsa = si.signatureOid in ECDSA_SIGNATURE_OIDS;
  if (ecdsa !== (key.asymmetricKeyType === 'ec')) return false;
  try {
    if (si.pssSaltLength !== undefined) return verifyCb(digest, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: si.pssSaltLength }, si.signature);
    return verifyCb(digest, data, key, si.signature);
  } catch {
    return false;
  }
}

function signerDigest(si: SignerInfoView): MicAlgorithm {
  const digest = DIGEST_OIDS[si.digestOid];
  if (!digest) throw new GatewayError('as2_signature_algorithm_unsupported', `unsupported digest algorithm ${si.digestOid}`, { found: si.digestOid, expected: 'sha1, sha256, sha384, sha512' });
  if (si.signatureOid !== OID.rsaEncryption && si.signatureOid !== OID.rsassaPss && !RSA_SIGNATURE_OIDS[si.signatureOid] && !(si.signatureOid in ECDSA_SIGNATURE_OIDS)) {
    throw new GatewayError('as2_signature_algorithm_unsupported', `unsupported signature algorithm ${si.signatureOid}`, { found: si.signatureOid, expected: 'rsaEncryption, sha*WithRSAEncryption, RSASSA-PSS or ecdsa-with-SHA*' });
  }
  return digest;
}

/**
 * Verifies a CMS SignedData (detached: pass the signed bytes) against the trusted certificates
 * (1-2 during rotation). Throws `as2_signature_invalid` when no trusted key verifies, or
 * `as2_integrity_check_failed` when the content digest does not match.
 */
export function verifySignedData(der: Uint8Array, trustedCertificatesPem: TrustedKey[], detachedContent?: Uint8Array): SignedDataResult {
  return verifyOver(der, trustedCertificatesPem, detachedContent);
}

/**
 * Verifies a detached signature whose content was hashed as it streamed by (stream-unpack.ts):
 * `digestOf(alg)` is the content's digest, undefined for an algorithm not computed. Signed
 * attributes are required (every AS2 product writes them): without them the signature is over the
 * whole content, which is gone.
 */
export function verifySignedDigest(der: Uint8Array, trustedCertificatesPem: TrustedKey[], digestOf: (alg: MicAlgorithm) => Uint8Array | undefined): SignedDataResult {
  return verifyOver(der, trustedCertificatesPem, { digestOf });
}

function verifyOver(der: Uint8Array, trustedCertificatesPem: TrustedKey[], detached: Uint8Array | { digestOf: (alg: MicAlgorithm) => Uint8Array | undefined } | undefined): SignedDataResult {
  const streamed = detached !== undefined && !(detached instanceof Uint8Array) ? detached : undefined;
  const detachedContent = detached instanceof Uint8Array ? detached : undefined;
  const ci = readContentInfo(der, 'signature');
  if (ci.contentType !== OID.signedData) throw new GatewayError('as2_cms_invalid', `signature is CMS ${ci.contentType}, expected signed-data`, { expected: OID.signedData, found: ci.contentType });
  const fields = children(der, expectTag(ci.content, 0x30, 'SignedData'));
  const encap = children(der, expectTag(fields[2], 0x30, 'SignedData encapContentInfo'));
  const eContentTlv = encap[1] ? children(der, expectTag(encap[1], 0xa0, 'eContent'))[0] : undefined;
  const eContent = eContentTlv ? octetValue(der, eContentTlv) : undefined;
  const content = detachedContent ?? eContent ?? (streamed ? new Uint8Array(0) : undefined);
  if (!content) throw new GatewayError('as2_cms_invalid', 'signed-data has neither encapsulated nor detached content');
  const signerInfosTlv = fields[fields.length - 1];
  const signerInfos = children(der, expectTag(signerInfosTlv, 0x31, 'SignedData signerInfos')).map((t) => readSignerInfo(der, t));
  const keys = trustedCertificatesPem.map(publicKeyOf);
  if (signerInfos.length === 0) throw new GatewayError('as2_signature_invalid', 'signed-data has no signer');
  let digestMismatch = false;
  for (const si of signerInfos) {
    const digest = signerDigest(si);
    let toBeVerified = content;
    if (streamed && !si.signedAttrs) throw new GatewayError('as2_signature_algorithm_unsupported', 'a streamed message (larger than the in-memory threshold) must be signed with signed attributes', { expected: 'signed attributes (messageDigest)', found: 'none' });
    if (si.signedAttrs) {
      const computed = streamed ? streamed.digestOf(digest) : createHash(digest).update(content).digest();
      if (!computed) throw new GatewayError('as2_integrity_check_failed', `the signature's digest ${digest} is not the micalg the message announced: the streamed content was not hashed with it`, { found: digest });
      const actual = Buffer.from(computed.buffer, computed.byteOffset, computed.byteLength);
      if (!si.messageDigest || !actual.equals(si.messageDigest)) { digestMismatch = true; continue; }
      toBeVerified = si.signedAttrs;
    }
    for (let i = 0; i < keys.length; i++) {
      if (verifySig(digest, toBeVerified, keys[i] as KeyObject, si)) return { digest, certificateIndex: i, ...(detached ? {} : { content }) };
    }
  }
  if (digestMismatch) throw new GatewayError('as2_integrity_check_failed', 'content digest does not match the signed message-digest attribute: the signed content was altered');
  throw new GatewayError('as2_signature_invalid', `signature does not verify with the partner's ${keys.length} certificate(s)`, { found: 'signature by an unknown or different key' });
}

/**
 * Verifies a detached signature over the exact bytes; when that fails, over their RFC 5751 3.1.1
 * canonical forms: first with only the MIME header lines made CRLF (mendelson and Sterling write
 * bare-LF header lines and sign them canonicalised, the binary body as it is), then with every
 * bare LF made CRLF (a hop rewrote the line endings of a text part). Returns the bytes that
 * verified: what the sender signed, so the MIC is computed over them.
 */
export function verifyDetached(der: Uint8Array, trustedCertificatesPem: TrustedKey[], content: Uint8Array): SignedDataResult & { signedBytes: Uint8Array; canonicalized: false | 'headers' | 'crlf' } {
  try {
    return { ...verifySignedData(der, trustedCertificatesPem, content), signedBytes: content, canonicalized: false };
  } catch (e) {
    const retriable = e instanceof GatewayError && (e.code === 'as2_signature_invalid' || e.code === 'as2_integrity_check_failed');
    if (!retriable) throw e;
    const forms: Array<['headers' | 'crlf', Uint8Array | undefined]> = [['headers', canonicalizeHeaderLines(content)], ['crlf', canonicalizeCrlf(content)]];
    for (const [how, canonical] of forms) {
      if (!canonical) continue;
      try {
        return { ...verifySignedData(der, trustedCertificatesPem, canonical), signedBytes: canonical, canonicalized: how };
      } catch {
        // the next form, else the first error
      }
    }
    throw e;
  }
}
