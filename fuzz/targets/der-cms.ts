/**
 * DER/CMS: raw BER/DER blobs through the der-reader (a full walk of the tree) and the CMS parse
 * paths the receiver runs: content type, decrypt (enveloped), inflate (compressed), verify
 * (signed, attached and detached), and certificate issuer/serial.
 */
import { cmsContentType, decompress } from '../../src/transports/as2/cms-compressed.ts';
import { decryptEnveloped } from '../../src/transports/as2/cms-enveloped.ts';
import { verifyDetached, verifySignedData } from '../../src/transports/as2/cms-signed.ts';
import { children, readTlv, type Tlv } from '../../src/transports/as2/der-reader.ts';
import { issuerAndSerial, type PreparedIdentity } from '../../src/transports/as2/identity.ts';
import { headerValue, parseContentType, parseEntity, splitMultipart, decodeTransferEncoding } from '../../src/transports/as2/mime.ts';
import { OID } from '../../src/transports/as2/oids.ts';
import type { FuzzTarget, Seed } from '../types.ts';
import { as2Fixture } from './as2-keys.ts';
import { isTypedError } from './common.ts';

let identity: PreparedIdentity | undefined;
let certs: string[] = [];
const CONTENT = new TextEncoder().encode('Content-Type: application/edi-x12\r\n\r\nISA*00~');

function walk(buf: Uint8Array, t: Tlv, depth: number): void {
  if (!t.constructed || depth > 64) return;
  for (const c of children(buf, t)) walk(buf, c, depth + 1);
}

function pemToDer(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  return out;
}

/** the detached signature's DER from the second part of a multipart/signed */
function signatureDer(part: Uint8Array): Uint8Array {
  const p = parseEntity(part);
  return decodeTransferEncoding(p.body, headerValue(p.headers, 'Content-Transfer-Encoding'));
}

export const target: FuzzTarget = {
  name: 'der-cms',
  description: 'src/transports/as2/der-reader.ts walk, cms-compressed/enveloped/signed parse paths, identity.ts issuerAndSerial',
  dialect: { delimiters: ['\x30', '\x31', '\x04', '\x06', '\x02', '\xa0', '\x80', '\x00'], segmentEnds: ['\x00'], nesting: [['\x30\x80', '\x00\x00'], ['\x24\x80', '\x00\x00'], ['\xa0\x80', '\x00\x00']] },
  ratio: 5000,
  floorMs: 100,
  isTyped: isTypedError,
  async setup(src) {
    const fx = await as2Fixture();
    identity = fx.identity;
    certs = [fx.certPem];
    const seeds: Seed[] = [{ name: 'own-certificate', bytes: fx.identity.certificateDer }];
    for (const m of fx.messages) {
      if (m.cms) seeds.push({ name: `${m.name}:cms`, bytes: m.cms });
      const e = parseEntity(m.entity);
      const ct = parseContentType(headerValue(e.headers, 'Content-Type'));
      if (ct.type === 'multipart/signed' && ct.params.boundary) {
        const sig = splitMultipart(e.body, ct.params.boundary)[1];
        if (sig) seeds.push({ name: `${m.name}:signature`, bytes: signatureDer(sig) });
      }
    }
    for (const f of src.files) {
      if (/\.(cer|pem)$/.test(f.path)) {
        const text = Buffer.from(f.bytes).toString('latin1');
        const ders = text.includes('-----BEGIN') ? pemToDer(text) : [f.bytes];
        ders.forEach((d, i) => seeds.push({ name: `${f.rel}#${i}`, bytes: d }));
      }
    }
    return seeds;
  },
  run(bytes) {
    walk(bytes, readTlv(bytes, 0), 0);
    if (bytes[0] === 0x30 && bytes.length > 4 && bytes[4] === 0x30) issuerAndSerial(bytes);
    const kind = cmsContentType(bytes);
    if (kind === OID.envelopedData) decryptEnveloped(bytes, identity!);
    else if (kind === OID.compressedData) decompress(bytes, 1 << 20);
    else if (kind === OID.signedData) {
      try { verifySignedData(bytes, certs); } catch (e) { if (!isTypedError(e)) throw e; }
      verifyDetached(bytes, certs, CONTENT);
    }
  },
};
