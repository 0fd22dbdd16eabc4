/**
 * CMS EnvelopedData (RFC 5652) with key transport: AES-128/192/256-CBC and 3DES-CBC content
 * encryption, RSAES-PKCS1-v1_5 or RSAES-OAEP key transport (see rsa-key-transport.ts).
 */
import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { GatewayError } from '../../core/errors.ts';
import { CIPHERS, DIGEST_OID_BY_NAME, DIGEST_OIDS, OID, cipherByOid, type ContentCipher } from './oids.ts';
import { encodeContentInfo, octets, parseCertificatePem, parseContentInfo } from './cms-der.ts';
import { unwrapContentKey, wrapContentKey, type KeyTransport, type OaepHash } from './rsa-key-transport.ts';

export interface DecryptionIdentity {
  privateKeyPem: string;
  certificatePem: string;
}

export interface DecryptResult {
  content: Uint8Array;
  cipher: ContentCipher;
  keyTransport: KeyTransport;
}

const nodeCipher: Record<ContentCipher, string> = {
  'aes128-cbc': 'aes-128-cbc', 'aes192-cbc': 'aes-192-cbc', 'aes256-cbc': 'aes-256-cbc', 'des-ede3-cbc': 'des-ede3-cbc',
};

function sameRecipient(rid: unknown, cert: pkijs.Certificate): boolean {
  if (!(rid instanceof pkijs.IssuerAndSerialNumber)) return true; // subjectKeyIdentifier: try it
  return rid.issuer.isEqual(cert.issuer) && Buffer.from(rid.serialNumber.valueBlock.valueHexView).equals(Buffer.from(cert.serialNumber.valueBlock.valueHexView));
}

function oaepHashOf(alg: pkijs.AlgorithmIdentifier): OaepHash {
  if (!alg.algorithmParams || !(alg.algorithmParams instanceof asn1js.Sequence)) return 'sha1';
  const params = new pkijs.RSAESOAEPParams({ schema: alg.algorithmParams });
  const hash = DIGEST_OIDS[params.hashAlgorithm.algorithmId];
  if (!hash) throw new GatewayError('as2_decryption_failed', `unsupported RSAES-OAEP hash ${params.hashAlgorithm.algorithmId}`, { found: params.hashAlgorithm.algorithmId });
  return hash;
}

/** Decrypts enveloped-data addressed to `identity`. Errors are `as2_decryption_failed` with the reason. */
export function decryptEnveloped(der: Uint8Array, identity: DecryptionIdentity): DecryptResult {
  const ci = parseContentInfo(der, 'encrypted body');
  if (ci.contentType !== OID.envelopedData) throw new GatewayError('as2_decryption_failed', `body is CMS ${ci.contentType}, expected enveloped-data`, { expected: OID.envelopedData, found: ci.contentType });
  let ed: pkijs.EnvelopedData;
  try { ed = new pkijs.EnvelopedData({ schema: ci.content }); } catch (e) {
    throw new GatewayError('as2_decryption_failed', `enveloped-data cannot be parsed: ${(e as Error).message}`);
  }
  const eci = ed.encryptedContentInfo;
  const cipher = cipherByOid(eci.contentEncryptionAlgorithm.algorithmId);
  if (!cipher) throw new GatewayError('as2_decryption_failed', `unsupported content encryption algorithm ${eci.contentEncryptionAlgorithm.algorithmId}`, { found: eci.contentEncryptionAlgorithm.algorithmId, expected: 'aes128/192/256-cbc or des-ede3-cbc' });
  const cert = parseCertificatePem(identity.certificatePem);
  const ktris = ed.recipientInfos.filter((r) => r.variant === 1).map((r) => r.value as pkijs.KeyTransRecipientInfo);
  const mine = ktris.filter((k) => sameRecipient(k.rid, cert));
  if (mine.length === 0) {
    throw new GatewayError('as2_decryption_failed', `message is not encrypted for our certificate (${ktris.length} key-transport recipient(s), none with our issuer and serial number)`, { expected: new X509Certificate(identity.certificatePem).serialNumber });
  }
  const privateKey = createPrivateKey(identity.privateKeyPem);
  const iv = octets(eci.contentEncryptionAlgorithm.algorithmParams as asn1js.OctetString);
  const { keyLength, ivLength } = CIPHERS[cipher];
  if (iv.length !== ivLength) throw new GatewayError('as2_decryption_failed', `content encryption IV has ${iv.length} bytes, expected ${ivLength}`, { expected: String(ivLength), found: String(iv.length) });
  const encrypted = octets(eci.encryptedContent);
  let lastError = 'no recipient';
  for (const ktri of mine) {
    const alg = ktri.keyEncryptionAlgorithm.algorithmId;
    const keyTransport: KeyTransport | undefined = alg === OID.rsaEncryption ? 'rsaes-pkcs1-v1_5' : alg === OID.rsaesOaep ? 'rsaes-oaep' : undefined;
    if (!keyTransport) { lastError = `unsupported key transport algorithm ${alg}`; continue; }
    try {
      const cek = unwrapContentKey(privateKey, octets(ktri.encryptedKey), keyTransport, keyLength, keyTransport === 'rsaes-oaep' ? oaepHashOf(ktri.keyEncryptionAlgorithm) : 'sha1');
      const decipher = createDecipheriv(nodeCipher[cipher], cek, iv);
      const content = Buffer.concat([decipher.update(encrypted), decipher.final()]);
      return { content: new Uint8Array(content), cipher, keyTransport };
    } catch (e) {
      lastError = e instanceof GatewayError ? e.message : 'content key or content could not be decrypted with our private key';
    }
  }
  throw new GatewayError('as2_decryption_failed', `decryption failed: ${lastError}`);
}

export interface EncryptOptions {
  cipher: ContentCipher;
  keyTransport: KeyTransport;
  /** OAEP hash (and MGF1 hash); default sha256 */
  oaepHash?: OaepHash;
}

/** Encrypts `content` for the recipient certificate as CMS enveloped-data (DER). */
export function encryptEnveloped(content: Uint8Array, recipientCertificatePem: string, opts: EncryptOptions): Uint8Array {
  const cert = parseCertificatePem(recipientCertificatePem);
  const { keyLength, ivLength, oid } = CIPHERS[opts.cipher];
  const cek = randomBytes(keyLength);
  const iv = randomBytes(ivLength);
  const c = createCipheriv(nodeCipher[opts.cipher], cek, iv);
  const encrypted = Buffer.concat([c.update(content), c.final()]);
  const oaepHash = opts.oaepHash ?? 'sha256';
  const hashAlg = new pkijs.AlgorithmIdentifier({ algorithmId: DIGEST_OID_BY_NAME[oaepHash], algorithmParams: new asn1js.Null() });
  const keyEncryptionAlgorithm = opts.keyTransport === 'rsaes-oaep'
    ? new pkijs.AlgorithmIdentifier({
      algorithmId: OID.rsaesOaep,
      algorithmParams: new pkijs.RSAESOAEPParams({
        hashAlgorithm: hashAlg,
        maskGenAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.mgf1, algorithmParams: hashAlg.toSchema() }),
      }).toSchema(),
    })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() });
  const ktri = new pkijs.KeyTransRecipientInfo({
    version: 0,
    rid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    keyEncryptionAlgorithm,
    encryptedKey: new asn1js.OctetString({ valueHex: wrapContentKey(new X509Certificate(recipientCertificatePem).publicKey, cek, opts.keyTransport, oaepHash) }),
  });
  const ed = new pkijs.EnvelopedData({
    version: 0,
    recipientInfos: [new pkijs.RecipientInfo({ variant: 1, value: ktri })],
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: OID.data,
      contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: new asn1js.OctetString({ valueHex: iv }) }),
      encryptedContent: new asn1js.OctetString({ valueHex: encrypted }),
      disableSplit: true,
    } as ConstructorParameters<typeof pkijs.EncryptedContentInfo>[0]),
  });
  return encodeContentInfo(OID.envelopedData, ed.toSchema());
}
