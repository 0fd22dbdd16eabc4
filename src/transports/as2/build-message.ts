/**
 * Builds an outbound AS2 message: payload entity -> [compress] -> [sign] -> [compress] -> [encrypt].
 * Returns the HTTP content headers, body and the MIC we expect back in the MDN.
 */
import { buildEntity, concatBytes, type HeaderList } from './mime.ts';
import { signDetached, type SignatureScheme, type SigningIdentity } from './cms-signed.ts';
import { compress as compressCms } from './cms-compressed.ts';
import { encryptEnveloped } from './cms-enveloped.ts';
import { computeMic, type Mic } from './mic.ts';
import { isAuthenticatedCipher, micAlgorithmLabel, type ContentCipher, type MicAlgorithm } from './oids.ts';
import type { KeyTransport, OaepHash } from './rsa-key-transport.ts';
import { randomBytes } from 'node:crypto';

export interface BuildMessageOptions {
  payload: Uint8Array;
  contentType: string;
  filename?: string;
  identity: SigningIdentity;
  recipientCertificatePem: string;
  sign: boolean;
  encrypt: boolean;
  /** true = before signing (RFC 5402 recommends it when signing) */
  compress: boolean | 'before-signing' | 'after-signing';
  mic: MicAlgorithm;
  /** with an RSA key: PKCS#1 v1.5 (default) or RSASSA-PSS; an EC key signs ECDSA */
  signatureScheme?: SignatureScheme;
  cipher: ContentCipher;
  keyTransport: KeyTransport;
  oaepHash?: OaepHash;
  now: Date;
}

export interface BuiltMessage {
  /** Content-Type (and Content-Transfer-Encoding, Content-Disposition) of the HTTP body */
  headers: HeaderList;
  body: Uint8Array;
  /** MIC the partner's MDN must return */
  mic: Mic;
  /** the bytes the MIC is over (a partner may answer with another algorithm) */
  micBytes: Uint8Array;
  /** the multipart/signed entity as signed (before any compression or encryption after it): kept as evidence */
  signedEntity?: { contentType: string; body: Uint8Array };
}

interface Part { headers: HeaderList; body: Uint8Array }

const raw = (p: Part) => buildEntity(p.headers, p.body);

function compressed(p: Part): Part {
  return {
    headers: [
      ['Content-Type', 'application/pkcs7-mime; smime-type=compressed-data; name=smime.p7z'],
      ['Content-Transfer-Encoding', 'binary'],
      ['Content-Disposition', 'attachment; filename=smime.p7z'],
    ],
    body: compressCms(raw(p)),
  };
}

export async function buildAs2Message(o: BuildMessageOptions): Promise<BuiltMessage> {
  const disposition: HeaderList = o.filename ? [['Content-Disposition', `attachment; filename="${o.filename.replace(/["\\\r\n]/g, '_')}"`]] : [];
  let part: Part = { headers: [['Content-Type', o.contentType], ['Content-Transfer-Encoding', 'binary'], ...disposition], body: o.payload };
  const compressMode = o.compress === true ? 'before-signing' : o.compress;
  if (compressMode === 'before-signing' || (compressMode === 'after-signing' && !o.sign)) part = compressed(part);
  let micBytes: Uint8Array;
  let signedEntity: BuiltMessage['signedEntity'];
  if (o.sign) {
    const signed = raw(part);
    micBytes = signed;
    const signature = await signDetached(signed, o.identity, o.mic, o.now, o.signatureScheme);
    const boundary = `----=_AS2_${randomBytes(12).toString('hex')}`;
    part = {
      headers: [['Content-Type', `multipart/signed; protocol="application/pkcs7-signature"; micalg=${micAlgorithmLabel(o.mic)}; boundary="${boundary}"`]],
      body: concatBytes(
        `--${boundary}\r\n`, signed,
        `\r\n--${boundary}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7s\r\n\r\n`,
        Buffer.from(signature).toString('base64').replace(/.{1,76}/g, '$&\r\n'),
        `--${boundary}--\r\n`,
      ),
    };
    signedEntity = { contentType: part.headers[0]![1], body: part.body };
    if (compressMode === 'after-signing') part = compressed(part);
  } else {
    // RFC 4130 7.3.1: encrypted unsigned -> MIC over the MIME entity; plain -> over the content
    micBytes = o.encrypt ? raw(part) : o.payload;
  }
  if (o.encrypt) {
    part = {
      headers: [
        // RFC 8551 3.2.2: AES-GCM content is authEnveloped-data
        ['Content-Type', `application/pkcs7-mime; smime-type=${isAuthenticatedCipher(o.cipher) ? 'authEnveloped-data' : 'enveloped-data'}; name=smime.p7m`],
        ['Content-Transfer-Encoding', 'binary'],
        ['Content-Disposition', 'attachment; filename=smime.p7m'],
      ],
      body: encryptEnveloped(raw(part), o.recipientCertificatePem, { cipher: o.cipher, keyTransport: o.keyTransport, ...(o.oaepHash ? { oaepHash: o.oaepHash } : {}) }),
    };
  }
  return { headers: part.headers, body: part.body, mic: computeMic(micBytes, o.mic), micBytes, ...(signedEntity ? { signedEntity } : {}) };
}
