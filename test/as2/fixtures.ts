/** Shared inputs for the AS2 tests: an LF-only X12 850 and its MIME entity. */
import { mimeEntity } from './openssl.ts';

/** LF line endings after each segment terminator: must survive byte for byte */
export const X12_850 = [
  'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*EDIGW          *261123*1200*U*00401*000000001*0*P*>~',
  'GS*PO*ACMESUPPLY*EDIGW*20261123*1200*1*X*004010~',
  'ST*850*0001~',
  'BEG*00*SA*PO-1001**20261123~',
  'PO1*1*10*EA*9.5**VP*WIDGET-1~',
  'SE*4*0001~',
  'GE*1*1~',
  'IEA*1*000000001~',
  '',
].join('\n');

export const X12_ENTITY = mimeEntity(['Content-Type: application/edi-x12', 'Content-Disposition: attachment; filename=po850.edi'], X12_850);

export interface PostOptions {
  contentType: string;
  body: Uint8Array;
  messageId: string;
  from?: string;
  to?: string;
  /** signed-receipt-micalg asked; undefined = no signed MDN asked */
  signedMdnMic?: string;
  mdn?: boolean;
  receiptUrl?: string;
  extra?: Record<string, string>;
}

export async function postAs2(url: string, o: PostOptions): Promise<Response> {
  const headers: Record<string, string> = {
    'AS2-Version': '1.2', 'AS2-From': o.from ?? 'ACME-AS2', 'AS2-To': o.to ?? 'EDIGW', 'Message-ID': o.messageId,
    'MIME-Version': '1.0', 'Content-Type': o.contentType, ...(o.extra ?? {}),
  };
  if (o.mdn !== false) headers['Disposition-Notification-To'] = 'as2@acme.example';
  if (o.signedMdnMic) headers['Disposition-Notification-Options'] = `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${o.signedMdnMic}`;
  if (o.receiptUrl) headers['Receipt-Delivery-Option'] = o.receiptUrl;
  return fetch(url, { method: 'POST', headers, body: new Uint8Array(o.body) });
}

/** acme as an AS2 partner (its certificate at partners/certs/acme.pem; sends to it fail at once: port 9) */
export const ACME_AS2_PARTNER = `id: acme
name: ACME over AS2
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
  as2: ACME-AS2
as2:
  url: http://127.0.0.1:9/as2
  certificate: ./certs/acme.pem
`;
