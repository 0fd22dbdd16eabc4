/** pkijs/asn1js glue used when building CMS and reading certificates. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { GatewayError } from '../../core/errors.ts';

export function encodeContentInfo(contentType: string, content: asn1js.BaseBlock): Uint8Array {
  const ci = new pkijs.ContentInfo({ contentType, content });
  return new Uint8Array(ci.toSchema().toBER(false));
}

/** Certificate from PEM text. */
export function parseCertificatePem(pem: string): pkijs.Certificate {
  // only the first certificate block: lines around it (openssl pkcs12's Bag Attributes, a key) are not base64
  const block = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!block) throw new GatewayError('as2_certificate_invalid', 'no "-----BEGIN CERTIFICATE-----" block in the certificate PEM');
  const b64 = block[1]!.replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  if (der.length === 0) throw new GatewayError('as2_certificate_invalid', 'certificate PEM holds no data');
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1) throw new GatewayError('as2_certificate_invalid', `certificate is not valid DER: ${asn1.result.error}`);
  try {
    return new pkijs.Certificate({ schema: asn1.result });
  } catch (e) {
    throw new GatewayError('as2_certificate_invalid', `not an X.509 certificate: ${(e as Error).message}`);
  }
}

export function certificateDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema().toBER(false));
}
