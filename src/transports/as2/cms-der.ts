/** Small asn1js helpers shared by the CMS code: parse a ContentInfo, read (constructed) OCTET STRINGs. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { GatewayError } from '../../core/errors.ts';

export function toBytes(buf: ArrayBuffer | Uint8Array): Uint8Array {
  return buf instanceof Uint8Array ? buf : new Uint8Array(buf);
}

export function fromBer(der: Uint8Array, what: string): asn1js.AsnType {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1) throw new GatewayError('as2_cms_invalid', `${what} is not valid BER/DER: ${asn1.result.error}`, { found: `${der.length} bytes` });
  return asn1.result;
}

export function parseContentInfo(der: Uint8Array, what: string): pkijs.ContentInfo {
  try {
    return new pkijs.ContentInfo({ schema: fromBer(der, what) });
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    throw new GatewayError('as2_cms_invalid', `${what} is not a CMS ContentInfo: ${(e as Error).message}`);
  }
}

/** Value of an OCTET STRING, primitive or constructed (BER chunks from streaming encoders). */
export function octets(value: asn1js.OctetString | asn1js.BaseBlock | undefined): Uint8Array {
  if (!value) return new Uint8Array(0);
  const v = value as asn1js.OctetString;
  if (v.idBlock.isConstructed) {
    const chunks = (v.valueBlock as unknown as { value: asn1js.BaseBlock[] }).value ?? [];
    return Buffer.concat(chunks.map((c) => octets(c)));
  }
  return new Uint8Array(v.valueBlock.valueHexView);
}

export function encodeContentInfo(contentType: string, content: asn1js.BaseBlock): Uint8Array {
  const ci = new pkijs.ContentInfo({ contentType, content });
  return new Uint8Array(ci.toSchema().toBER(false));
}

/** Certificate from PEM (or DER) text. */
export function parseCertificatePem(pem: string): pkijs.Certificate {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  if (der.length === 0) throw new GatewayError('as2_certificate_invalid', 'certificate PEM holds no data');
  try {
    return new pkijs.Certificate({ schema: fromBer(der, 'certificate') });
  } catch (e) {
    throw new GatewayError('as2_certificate_invalid', `not an X.509 certificate: ${(e as Error).message}`);
  }
}

export function certificateDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema().toBER(false));
}

export function subjectText(cert: pkijs.Certificate): string {
  const names: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST' };
  return cert.subject.typesAndValues
    .map((tv) => `${names[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`)
    .join(', ');
}
