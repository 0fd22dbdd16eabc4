/**
 * cXML envelope of an outbound request: the mapping renders the request body (OrderRequest); this
 * wraps it in <cXML payloadID timestamp> with Header From/To/Sender from the partner profile's
 * `outbound.cxml` block and Request@deploymentMode (test for a partner in status test). The shared
 * secret is NOT written here: the stored document carries none, the http channel adds it to the
 * Sender credential when it posts (send-http.ts). Pure: time and the unique part come in.
 */
import type { CxmlOutboundProfile } from '../../config/types.ts';
import { GatewayError } from '../../core/errors.ts';
import { cxmlPayloadId, cxmlTimestamp, writeCxmlRequest, type XmlTree } from '../../formats/xml/cxml-write.ts';
import type { OutboundPartner } from './types.ts';

export const DEFAULT_CXML_PAYLOAD_DOMAIN = 'edi-gateway.local';
export const DEFAULT_CXML_USER_AGENT = 'edi-gateway';

export interface CxmlEnvelopeResult { text: string; payloadId: string; timestamp: string }

export function cxmlProfileOf(partner: OutboundPartner): CxmlOutboundProfile {
  const cx = partner.outbound?.cxml;
  if (!cx?.from || !cx.to) {
    throw new GatewayError('cxml_identities_missing', `partner "${partner.id}" receives cXML but its profile has no outbound.cxml with from and to credentials`,
      { partnerId: partner.id, expected: 'outbound: { cxml: { from: { domain, identity }, to: { domain, identity } } }' });
  }
  return cx;
}

export function envelopeCxml(input: {
  partner: OutboundPartner;
  /** the request element(s) the mapping produced, keyed by request name: { OrderRequest: {...} } */
  request: XmlTree;
  now: Date;
  /** unique per document (the gateway passes its message id); default: the PO number */
  unique: string;
}): CxmlEnvelopeResult {
  const cx = cxmlProfileOf(input.partner);
  const safeUnique = input.unique.replace(/[^A-Za-z0-9._-]/g, '_');
  const payloadId = cxmlPayloadId(input.now.getTime(), safeUnique, cx.payloadIdDomain ?? DEFAULT_CXML_PAYLOAD_DOMAIN);
  const timestamp = cxmlTimestamp(input.now);
  const text = writeCxmlRequest({
    payloadId, timestamp,
    ...(cx.version ? { version: cx.version } : {}),
    ...(cx.lang ? { lang: cx.lang } : {}),
    from: [cx.from], to: [cx.to], sender: [cx.sender ?? cx.from],
    userAgent: cx.userAgent ?? DEFAULT_CXML_USER_AGENT,
    deploymentMode: cx.deploymentMode ?? (input.partner.status === 'test' ? 'test' : 'production'),
    request: input.request,
  });
  return { text, payloadId, timestamp };
}

/**
 * A change or cancel (OrderRequestHeader type update/delete) refers to the most recent OrderRequest
 * of the order: `<DocumentReference payloadID="..."/>`, placed where the DTD puts it (after
 * Followup, before Extrinsic*).
 */
export function withDocumentReference(request: XmlTree, payloadId: string): XmlTree {
  const header = request.OrderRequestHeader;
  if (!header || typeof header !== 'object' || Array.isArray(header)) return request;
  const out: XmlTree = {};
  let placed = false;
  for (const [k, v] of Object.entries(header)) {
    if (k === 'Extrinsic' && !placed) { out.DocumentReference = { '@payloadID': payloadId }; placed = true; }
    if (k !== 'DocumentReference') out[k] = v;
  }
  if (!placed) out.DocumentReference = { '@payloadID': payloadId };
  return { ...request, OrderRequestHeader: out };
}
