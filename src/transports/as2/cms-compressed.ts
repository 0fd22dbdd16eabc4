/**
 * CMS CompressedData (RFC 3274, used by AS2 per RFC 5402): zlib only. Decompression is capped
 * (decompression-bomb limit): output beyond `maxBytes` stops with `as2_decompressed_too_large`.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import { GatewayError } from '../../core/errors.ts';
import { OID } from './oids.ts';
import { encodeContentInfo } from './cms-der.ts';
import { children, expectTag, octetValue, oidValue, readContentInfo, type Tlv } from './der-reader.ts';

export function decompress(der: Uint8Array, maxBytes: number): Uint8Array {
  const ci = readContentInfo(der, 'compressed body');
  if (ci.contentType !== OID.compressedData) throw new GatewayError('as2_cms_invalid', `body is CMS ${ci.contentType}, expected compressed-data`, { expected: OID.compressedData, found: ci.contentType });
  // CompressedData ::= SEQUENCE { version, compressionAlgorithm, encapContentInfo }
  const [, algSeq, encap] = children(der, expectTag(ci.content, 0x30, 'CompressedData'));
  const algOid = oidValue(der, children(der, expectTag(algSeq, 0x30, 'compressionAlgorithm'))[0] as Tlv);
  if (algOid !== OID.zlib) throw new GatewayError('as2_cms_invalid', `unsupported compression algorithm ${algOid}`, { expected: OID.zlib, found: algOid });
  const eContentTagged = children(der, expectTag(encap, 0x30, 'encapContentInfo'))[1];
  const eContent = eContentTagged ? children(der, expectTag(eContentTagged, 0xa0, 'eContent'))[0] : undefined;
  if (!eContent) throw new GatewayError('as2_cms_invalid', 'compressed-data has no encapsulated content');
  const input = octetValue(der, eContent);
  try {
    return new Uint8Array(inflateSync(input, { maxOutputLength: maxBytes }));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|Cannot create a Buffer larger/i.test((e as Error).message)) {
      throw new GatewayError('as2_decompressed_too_large', `decompressed content exceeds the limit of ${maxBytes} bytes`, { expected: `<= ${maxBytes} bytes`, found: `> ${maxBytes} bytes from ${input.length} compressed bytes` });
    }
    throw new GatewayError('as2_decompression_failed', `compressed content is not valid zlib data: ${(e as Error).message}`);
  }
}

export function compress(content: Uint8Array): Uint8Array {
  const compressed = deflateSync(content);
  const body = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 0 }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.zlib })] }),
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: OID.data }),
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: compressed })] }),
        ],
      }),
    ],
  });
  return encodeContentInfo(OID.compressedData, body);
}

/** The CMS content type of a DER blob (to tell enveloped, signed and compressed apart). */
export function cmsContentType(der: Uint8Array): string {
  return readContentInfo(der, 'CMS body').contentType;
}
