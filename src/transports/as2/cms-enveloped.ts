/**
 * CMS EnvelopedData (RFC 5652) with key transport: AES-128/192/256-CBC and 3DES-CBC content
 * encryption, RSAES-PKCS1-v1_5 or RSAES-OAEP key transport (see rsa-key-transport.ts); and
 * AuthEnvelopedData (RFC 5083) with AES-128/256-GCM (RFC 5084): the same recipients, the GCM tag
 * in `mac`, authenticated attributes (if any) as additional data.
 */
import { createCipheriv, createDecipheriv, randomBytes, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { GatewayError } from '../../core/errors.ts';
import { CIPHERS, DIGEST_OID_BY_NAME, DIGEST_OIDS, OID, cipherByOid, isAuthenticatedCipher, type ContentCipher } from './oids.ts';
import { integer, octetString, oid as oidDer, seq, setOf, tlv } from './der-writer.ts';
import { encodeContentInfo, parseCertificatePem } from './cms-der.ts';
import { children, content, expectTag, octetValue, oidValue, raw, readContentInfo, type Tlv } from './der-reader.ts';
import { prepareIdentity, type IdentityInput } from './identity.ts';
import { unwrapContentKey, wrapContentKey, type KeyTransport, type OaepHash } from './rsa-key-transport.ts';

export type DecryptionIdentity = IdentityInput;

export interface DecryptResult {
  content: Uint8Array;
  cipher: ContentCipher;
  keyTransport: KeyTransport;
}

export const nodeCipher: Record<ContentCipher, string> = {
  'aes128-cbc': 'aes-128-cbc', 'aes192-cbc': 'aes-192-cbc', 'aes256-cbc': 'aes-256-cbc', 'des-ede3-cbc': 'des-ede3-cbc',
  'aes128-gcm': 'aes-128-gcm', 'aes256-gcm': 'aes-256-gcm',
};

/** the GCM tag length we write (RFC 5084 aes-ICVlen; openssl writes 16 too) */
const GCM_TAG_LENGTH = 16;

export interface KeyTransRecipient { issuerDer?: Uint8Array; serialNumber?: Uint8Array; keyEncryptionOid: string; oaepHashOid?: string; encryptedKey: Uint8Array }

export function readRecipients(der: Uint8Array, set: Tlv): KeyTransRecipient[] {
  const out: KeyTransRecipient[] = [];
  for (const ri of children(der, set)) {
    if (ri.tag !== 0x30) continue; // kari [1], kekri [2], pwri [3], ori [4]: not key transport
    const [, rid, alg, key] = children(der, ri);
    if (!rid || !alg || !key) throw new GatewayError('as2_decryption_failed', 'KeyTransRecipientInfo is incomplete');
    const algFields = children(der, expectTag(alg, 0x30, 'keyEncryptionAlgorithm'));
    const keyEncryptionOid = oidValue(der, algFields[0] as Tlv);
    let oaepHashOid: string | undefined;
    if (keyEncryptionOid === OID.rsaesOaep && algFields[1]?.tag === 0x30) {
      const hash = children(der, algFields[1]).find((t) => t.tag === 0xa0);
      const hashAlg = hash ? children(der, hash)[0] : undefined;
      if (hashAlg) oaepHashOid = oidValue(der, children(der, hashAlg)[0] as Tlv);
    }
    const recipient: KeyTransRecipient = { keyEncryptionOid, encryptedKey: octetValue(der, expectTag(key, 0x04, 'encryptedKey')), ...(oaepHashOid ? { oaepHashOid } : {}) };
    if (rid.tag === 0x30) {
      const [issuer, serial] = children(der, rid);
      if (issuer && serial) { recipient.issuerDer = raw(der, issuer); recipient.serialNumber = content(der, serial); }
    }
    out.push(recipient);
  }
  return out;
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Decrypts enveloped-data addressed to `identity`. Errors are `as2_decryption_failed` with the reason. */
export function decryptEnveloped(der: Uint8Array, identity: DecryptionIdentity): DecryptResult {
  let ci: ReturnType<typeof readContentInfo>;
  let recipients: KeyTransRecipient[];
  let cipherOid: string;
  let iv: Uint8Array;
  let encrypted: Uint8Array;
  /** AuthEnvelopedData: the GCM tag, its length and the additional data (DER of authAttrs as SET OF) */
  let gcm: { tag: Uint8Array; tagLength: number; aad?: Uint8Array } | undefined;
  try {
    ci = readContentInfo(der, 'encrypted body');
    const authenticated = ci.contentType === OID.authEnvelopedData;
    if (ci.contentType !== OID.envelopedData && !authenticated) throw new GatewayError('as2_decryption_failed', `body is CMS ${ci.contentType}, expected enveloped-data or authEnveloped-data`, { expected: OID.envelopedData, found: ci.contentType });
    const f = children(der, expectTag(ci.content, 0x30, authenticated ? 'AuthEnvelopedData' : 'EnvelopedData'));
    const k = f[1]?.tag === 0xa0 ? 2 : 1; // optional originatorInfo
    recipients = readRecipients(der, expectTag(f[k], 0x31, 'recipientInfos'));
    const eci = children(der, expectTag(f[k + 1], 0x30, 'encryptedContentInfo'));
    const alg = children(der, expectTag(eci[1], 0x30, 'contentEncryptionAlgorithm'));
    cipherOid = oidValue(der, alg[0] as Tlv);
    if (authenticated) {
      // GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 }
      const params = children(der, expectTag(alg[1], 0x30, 'GCMParameters'));
      iv = content(der, expectTag(params[0], 0x04, 'GCM nonce'));
      const icv = params[1] ? content(der, expectTag(params[1], 0x02, 'GCM ICV length')) : Uint8Array.from([12]);
      const tagLength = icv[icv.length - 1] ?? 12;
      let i = k + 2;
      let aad: Uint8Array | undefined;
      if (f[i]?.tag === 0xa1) { aad = new Uint8Array(raw(der, f[i] as Tlv)); aad[0] = 0x31; i++; }
      gcm = { tag: octetValue(der, expectTag(f[i], 0x04, 'AuthEnvelopedData mac')), tagLength, ...(aad ? { aad } : {}) };
    } else {
      iv = alg[1]?.tag === 0x04 ? content(der, alg[1]) : new Uint8Array(0);
    }
    const enc = eci[2];
    if (!enc || (enc.tag !== 0x80 && enc.tag !== 0xa0)) throw new GatewayError('as2_decryption_failed', 'enveloped-data has no encrypted content');
    encrypted = octetValue(der, enc);
  } catch (e) {
    if (e instanceof GatewayError && e.code === 'as2_decryption_failed') throw e;
    throw new GatewayError('as2_decryption_failed', `enveloped-data cannot be parsed: ${(e as Error).message}`);
  }
  const cipher = cipherByOid(cipherOid);
  if (!cipher) throw new GatewayError('as2_decryption_failed', `unsupported content encryption algorithm ${cipherOid}`, { found: cipherOid, expected: 'aes128/192/256-cbc, aes128/256-gcm or des-ede3-cbc' });
  if (isAuthenticatedCipher(cipher) !== (gcm !== undefined)) {
    throw new GatewayError('as2_decryption_failed', `${cipher} in ${gcm ? 'authEnveloped-data' : 'enveloped-data'}: AES-GCM belongs in authEnveloped-data (RFC 5083), CBC ciphers in enveloped-data`, { found: cipher });
  }
  const prepared = prepareIdentity(identity);
  const mine = recipients.filter((r) => r.issuerDer === undefined || (sameBytes(r.issuerDer, prepared.issuerDer) && sameBytes(r.serialNumber, prepared.serialNumber)));
  if (mine.length === 0) {
    throw new GatewayError('as2_decryption_failed', `message is not encrypted for our certificate (${recipients.length} key-transport recipient(s), none with our issuer and serial number)`, { expected: Buffer.from(prepared.serialNumber).toString('hex') });
  }
  const { keyLength, ivLength } = CIPHERS[cipher];
  if (iv.length !== ivLength) throw new GatewayError('as2_decryption_failed', `content encryption IV has ${iv.length} bytes, expected ${ivLength}`, { expected: String(ivLength), found: String(iv.length) });
  let lastError = 'no recipient';
  for (const r of mine) {
    const keyTransport: KeyTransport | undefined = r.keyEncryptionOid === OID.rsaEncryption ? 'rsaes-pkcs1-v1_5' : r.keyEncryptionOid === OID.rsaesOaep ? 'rsaes-oaep' : undefined;
    if (!keyTransport) { lastError = `unsupported key transport algorithm ${r.keyEncryptionOid}`; continue; }
    const oaepHash: OaepHash | undefined = r.oaepHashOid ? DIGEST_OIDS[r.oaepHashOid] : 'sha1';
    if (!oaepHash) { lastError = `unsupported RSAES-OAEP hash ${r.oaepHashOid}`; continue; }
    try {
      const cek = unwrapContentKey(prepared.privateKey, r.encryptedKey, keyTransport, keyLength, oaepHash);
      if (gcm) {
        const decipher = createDecipheriv(nodeCipher[cipher] as 'aes-128-gcm', cek, iv, { authTagLength: gcm.tagLength });
        decipher.setAuthTag(gcm.tag);
        if (gcm.aad) decipher.setAAD(gcm.aad);
        // final() throws when the tag does not match: altered content, or not our key
        const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
        return { content: new Uint8Array(plain), cipher, keyTransport };
      }
      const decipher = createDecipheriv(nodeCipher[cipher], cek, iv);
      const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
      return { content: new Uint8Array(plain), cipher, keyTransport };
    } catch {
      lastError = gcm ? 'content key could not be unwrapped with our private key, or the GCM tag does not match (content altered)' : 'content key or content could not be decrypted with our private key';
    }
  }
  throw new GatewayError('as2_decryption_failed', `decryption failed: ${lastError}`);
}

/**
 * The content key of the first key-transport recipient that is us (issuer and serial number, or no
 * rid): for a streamed decryption (stream-unpack.ts), which cannot try each recipient over the
 * whole content. A PKCS#1 v1.5 padding error yields a random key (implicit rejection): the content
 * then fails to decrypt, as with a wrong key.
 */
export function contentKeyFor(recipients: KeyTransRecipient[], identity: DecryptionIdentity, cipher: ContentCipher): { cek: Uint8Array; keyTransport: KeyTransport } {
  const prepared = prepareIdentity(identity);
  const r = recipients.find((x) => x.issuerDer === undefined || (sameBytes(x.issuerDer, prepared.issuerDer) && sameBytes(x.serialNumber, prepared.serialNumber)));
  if (!r) throw new GatewayError('as2_decryption_failed', `message is not encrypted for our certificate (${recipients.length} key-transport recipient(s), none with our issuer and serial number)`, { expected: Buffer.from(prepared.serialNumber).toString('hex') });
  const keyTransport: KeyTransport | undefined = r.keyEncryptionOid === OID.rsaEncryption ? 'rsaes-pkcs1-v1_5' : r.keyEncryptionOid === OID.rsaesOaep ? 'rsaes-oaep' : undefined;
  if (!keyTransport) throw new GatewayError('as2_decryption_failed', `unsupported key transport algorithm ${r.keyEncryptionOid}`, { found: r.keyEncryptionOid });
  const oaepHash: OaepHash | undefined = r.oaepHashOid ? DIGEST_OIDS[r.oaepHashOid] : 'sha1';
  if (!oaepHash) throw new GatewayError('as2_decryption_failed', `unsupported RSAES-OAEP hash ${r.oaepHashOid}`, { found: r.oaepHashOid });
  try {
    return { cek: unwrapContentKey(prepared.privateKey, r.encryptedKey, keyTransport, CIPHERS[cipher].keyLength, oaepHash), keyTransport };
  } catch (e) {
    throw new GatewayError('as2_decryption_failed', `decryption failed: content key could not be unwrapped with our private key (${(e as Error).message})`);
  }
}

export interface EncryptOptions {
  cipher: ContentCipher;
  keyTransport: KeyTransport;
  /** OAEP hash (and MGF1 hash); default sha256 */
  oaepHash?: OaepHash;
}

/**
 * Encrypts `content` for the recipient certificate: CMS enveloped-data, or authEnveloped-data
 * for AES-GCM (DER).
 */
export function encryptEnveloped(content: Uint8Array, recipientCertificatePem: string, opts: EncryptOptions): Uint8Array {
  const cert = parseCertificatePem(recipientCertificatePem);
  const { keyLength, ivLength, oid } = CIPHERS[opts.cipher];
  const cek = randomBytes(keyLength);
  const iv = randomBytes(ivLength);
  if (isAuthenticatedCipher(opts.cipher)) {
    const c = createCipheriv(nodeCipher[opts.cipher] as 'aes-128-gcm', cek, iv, { authTagLength: GCM_TAG_LENGTH });
    const encrypted = Buffer.concat([c.update(content), c.final()]);
    const recipient = new Uint8Array(new pkijs.RecipientInfo({ variant: 1, value: keyTransRecipient(cert, recipientCertificatePem, cek, opts) }).toSchema().toBER(false));
    // AuthEnvelopedData ::= SEQUENCE { version 0, recipientInfos, authEncryptedContentInfo, mac } (no authAttrs)
    const aed = seq(
      integer(0),
      setOf(recipient),
      seq(oidDer(OID.data), seq(oidDer(oid), seq(octetString(iv), integer(GCM_TAG_LENGTH))), tlv(0x80, encrypted)),
      octetString(c.getAuthTag()),
    );
    return seq(oidDer(OID.authEnvelopedData), tlv(0xa0, aed));
  }
  const c = createCipheriv(nodeCipher[opts.cipher], cek, iv);
  const encrypted = Buffer.concat([c.update(content), c.final()]);
  const ktri = keyTransRecipient(cert, recipientCertificatePem, cek, opts);
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

/** The KeyTransRecipientInfo wrapping `cek` for the certificate (issuer and serial number). */
function keyTransRecipient(cert: pkijs.Certificate, certificatePem: string, cek: Buffer, opts: EncryptOptions): pkijs.KeyTransRecipientInfo {
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
  return new pkijs.KeyTransRecipientInfo({
    version: 0,
    rid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    keyEncryptionAlgorithm,
    encryptedKey: new asn1js.OctetString({ valueHex: wrapContentKey(new X509Certificate(certificatePem).publicKey, cek, opts.keyTransport, oaepHash) }),
  });
}
