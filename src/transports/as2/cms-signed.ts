/**
 * CMS SignedData (RFC 5652) for AS2: detached signatures over the exact MIME part bytes.
 * Parsing with pkijs/asn1js, RSA with node:crypto (OpenSSL). Only the partner's configured
 * certificates are trusted; certificates embedded in the message are ignored for trust.
 */
import { createHash, createPublicKey, sign as signCb, verify as verifySig, X509Certificate, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { GatewayError } from '../../core/errors.ts';
import { DIGEST_OID_BY_NAME, DIGEST_OIDS, OID, RSA_SIGNATURE_OIDS, type MicAlgorithm } from './oids.ts';
import { encodeContentInfo, octets, parseCertificatePem, parseContentInfo } from './cms-der.ts';
import { canonicalizeCrlf } from './mime.ts';

const signAsync = promisify(signCb);

export interface SigningIdentity {
  privateKeyPem: string;
  certificatePem: string;
}

export interface SignedDataResult {
  /** the digest algorithm the signer used: the MIC algorithm of a signed message */
  digest: MicAlgorithm;
  /** index into the trusted certificates of the one that verified */
  certificateIndex: number;
  /** encapsulated content when the signature was not detached */
  content?: Uint8Array;
}

/** Creates a detached CMS SignedData over `content` (RSA PKCS#1 v1.5 signature, signed attributes). */
export async function signDetached(content: Uint8Array, identity: SigningIdentity, digest: MicAlgorithm, signingTime: Date): Promise<Uint8Array> {
  const cert = parseCertificatePem(identity.certificatePem);
  const digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID_BY_NAME[digest], algorithmParams: new asn1js.Null() });
  const messageDigest = createHash(digest).update(content).digest();
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: messageDigest })] }),
  ];
  const toBeSigned = new Uint8Array(new asn1js.Set({ value: attributes.map((a) => a.toSchema()) }).toBER(false));
  const signature = await signAsync(digest, toBeSigned, identity.privateKeyPem);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm,
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [digestAlgorithm],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [cert],
    signerInfos: [signerInfo],
  });
  return encodeContentInfo(OID.signedData, signedData.toSchema(true));
}

export function publicKeysFromPem(certificatesPem: string[]): KeyObject[] {
  return certificatesPem.map((pem) => {
    try {
      return new X509Certificate(pem).publicKey;
    } catch (e) {
      try { return createPublicKey(pem); } catch { /* fall through */ }
      throw new GatewayError('as2_certificate_invalid', `partner certificate cannot be read: ${(e as Error).message}`);
    }
  });
}

function signerDigest(si: pkijs.SignerInfo): MicAlgorithm {
  const oid = si.digestAlgorithm.algorithmId;
  const digest = DIGEST_OIDS[oid];
  if (!digest) throw new GatewayError('as2_signature_algorithm_unsupported', `unsupported digest algorithm ${oid}`, { found: oid, expected: 'sha1, sha256, sha384, sha512' });
  const sigOid = si.signatureAlgorithm.algorithmId;
  if (sigOid !== OID.rsaEncryption && !RSA_SIGNATURE_OIDS[sigOid]) {
    throw new GatewayError('as2_signature_algorithm_unsupported', `unsupported signature algorithm ${sigOid}`, { found: sigOid, expected: 'rsaEncryption or sha*WithRSAEncryption' });
  }
  return digest;
}

/**
 * Verifies a CMS SignedData (detached: pass the signed bytes) against the trusted certificates
 * (1-2 during rotation). Throws `as2_signature_invalid` when no trusted key verifies, or the
 * content digest does not match.
 */
export function verifySignedData(der: Uint8Array, trustedCertificatesPem: string[], detachedContent?: Uint8Array): SignedDataResult {
  const ci = parseContentInfo(der, 'signature');
  if (ci.contentType !== OID.signedData) throw new GatewayError('as2_cms_invalid', `signature is CMS ${ci.contentType}, expected signed-data`, { expected: OID.signedData, found: ci.contentType });
  let sd: pkijs.SignedData;
  try { sd = new pkijs.SignedData({ schema: ci.content }); } catch (e) {
    throw new GatewayError('as2_cms_invalid', `signed-data cannot be parsed: ${(e as Error).message}`);
  }
  const eContent = sd.encapContentInfo.eContent ? octets(sd.encapContentInfo.eContent) : undefined;
  const content = detachedContent ?? eContent;
  if (!content) throw new GatewayError('as2_cms_invalid', 'signed-data has neither encapsulated nor detached content');
  const keys = publicKeysFromPem(trustedCertificatesPem);
  if (sd.signerInfos.length === 0) throw new GatewayError('as2_signature_invalid', 'signed-data has no signer');
  let digestMismatch = false;
  for (const si of sd.signerInfos) {
    const digest = signerDigest(si);
    let toBeVerified = content;
    if (si.signedAttrs) {
      const md = si.signedAttrs.attributes.find((a) => a.type === OID.messageDigest);
      const expected = md ? octets(md.values[0] as asn1js.OctetString) : undefined;
      const actual = createHash(digest).update(content).digest();
      if (!expected || !actual.equals(expected)) { digestMismatch = true; continue; }
      toBeVerified = new Uint8Array(si.signedAttrs.encodedValue);
    }
    const signature = octets(si.signature);
    for (let i = 0; i < keys.length; i++) {
      if (verifySig(digest, toBeVerified, keys[i] as KeyObject, signature)) return { digest, certificateIndex: i, ...(detachedContent ? {} : { content }) };
    }
  }
  if (digestMismatch) throw new GatewayError('as2_integrity_check_failed', 'content digest does not match the signed message-digest attribute: the signed content was altered');
  throw new GatewayError('as2_signature_invalid', `signature does not verify with the partner's ${keys.length} certificate(s)`, { found: 'signature by an unknown or different key' });
}

/**
 * Verifies a detached signature over the exact bytes; when that fails and the bytes hold bare
 * LFs, tries once more over their CRLF canonical form (RFC 5751 3.1.1), since some hops rewrite
 * line endings of text parts. Returns the bytes that verified (the MIC is computed over them).
 */
export function verifyDetached(der: Uint8Array, trustedCertificatesPem: string[], content: Uint8Array): SignedDataResult & { signedBytes: Uint8Array; canonicalized: boolean } {
  try {
    return { ...verifySignedData(der, trustedCertificatesPem, content), signedBytes: content, canonicalized: false };
  } catch (e) {
    const retriable = e instanceof GatewayError && (e.code === 'as2_signature_invalid' || e.code === 'as2_integrity_check_failed');
    const canonical = retriable ? canonicalizeCrlf(content) : undefined;
    if (!canonical) throw e;
    try {
      return { ...verifySignedData(der, trustedCertificatesPem, canonical), signedBytes: canonical, canonicalized: true };
    } catch {
      throw e;
    }
  }
}
