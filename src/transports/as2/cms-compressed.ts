/**
 * CMS CompressedData (RFC 3274, used by AS2 per RFC 5402): zlib only. Decompression is capped
 * (decompression-bomb limit): output beyond `maxBytes` stops with `as2_decompressed_too_large`.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import { GatewayError } from '../../core/errors.ts';
import { OID } from './oids.ts';
import { encodeContentInfo, fromBer, octets, parseContentInfo } from './cms-der.ts';

export function decompress(der: Uint8Array, maxBytes: number): Uint8Array {
  const ci = parseContentInfo(der, 'compressed body');
  if (ci.contentType !== OID.compressedData) throw new GatewayError('as2_cms_invalid', `body is CMS ${ci.contentType}, expected compressed-data`, { expected: OID.compressedData, found: ci.contentType });
  // CompressedData ::= SEQUENCE { version, compressionAlgorithm, encapContentInfo }
  const seq = ci.content as asn1js.Sequence;
  const [, algSeq, encap] = (seq.valueBlock?.value ?? []) as asn1js.Sequence[];
  const algOid = (algSeq?.valueBlock.value[0] as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString();
  if (algOid !== OID.zlib) throw new GatewayError('as2_cms_invalid', `unsupported compression algorithm ${algOid ?? '(none)'}`, { expected: OID.zlib, found: algOid ?? '' });
  const eContentTagged = encap?.valueBlock.value[1] as asn1js.Constructed | undefined;
  const eContent = eContentTagged?.valueBlock.value[0] as asn1js.OctetString | undefined;
  if (!eContent) throw new GatewayError('as2_cms_invalid', 'compressed-data has no encapsulated content');
  const input = octets(eContent);
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
  const asn1 = fromBer(der, 'CMS body') as asn1js.Sequence;
  const oid = asn1.valueBlock?.value?.[0] as asn1js.ObjectIdentifier | undefined;
  if (!(oid instanceof asn1js.ObjectIdentifier)) throw new GatewayError('as2_cms_invalid', 'body is not a CMS ContentInfo');
  return oid.valueBlock.toString();
}
