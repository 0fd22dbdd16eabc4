/**
 * XML into translation units. cXML: the request (OrderRequest, ConfirmationRequest,
 * ShipNoticeRequest, InvoiceDetailRequest) names the message; payloadID is the control reference,
 * deploymentMode="test" flags a test document, Header/From's first credential is the sender.
 * Other cXML documents (PunchOut, Response, ProfileRequest...) are read and reported as unsupported.
 * Generic XML: one unit whose message is the root element's name (or ctx.metadata.message).
 * The unit's input is the whole parsed tree, so mapping paths start at the root (cXML/Request/...).
 */
import { GatewayError } from '../../core/errors.ts';
import { parseXml, readCxml, type CxmlEnvelope, type XmlDocument } from './index.ts';
import type { FormatReader, SplitResult, TranslationUnit } from '../../pipeline/inbound/units.ts';

export const CXML_MAPPED_REQUESTS = ['OrderRequest', 'ConfirmationRequest', 'ShipNoticeRequest', 'InvoiceDetailRequest'] as const;

export function createXmlFormatReader(): FormatReader<TranslationUnit[]> {
  return {
    format: 'xml',
    async split(bytes, ctx): Promise<SplitResult<TranslationUnit[]>> {
      let doc: XmlDocument;
      try {
        doc = parseXml(bytes);
      } catch (e) {
        return { units: [], errors: [e instanceof GatewayError ? e : new GatewayError('xml_unreadable', `the XML document cannot be read: ${String(e)}`)] };
      }
      if (doc.root.toLowerCase() !== 'cxml') {
        return { units: [{ position: 0, format: 'xml', message: ctx.metadata.message ?? doc.root, envelope: {}, input: doc.tree, errors: [] }], errors: [] };
      }
      let env: CxmlEnvelope;
      try {
        env = readCxml(doc);
      } catch (e) {
        return { units: [], errors: [e instanceof GatewayError ? e : new GatewayError('cxml_unreadable', String(e))] };
      }
      return { units: [cxmlUnit(doc, env)], errors: [] };
    },
  };
}

function cxmlUnit(doc: XmlDocument, env: CxmlEnvelope): TranslationUnit {
  const from = env.from[0];
  const to = env.to[0];
  const unit: TranslationUnit = {
    position: 0,
    format: 'xml',
    message: env.documentType ?? env.kind,
    ...(env.version ? { version: env.version } : {}),
    envelope: {
      ...(from ? { sender: { qualifier: from.domain, id: from.identity } } : {}),
      ...(to ? { receiver: { qualifier: to.domain, id: to.identity } } : {}),
      interchangeControlNumber: env.payloadId,
      test: env.deploymentMode === 'test',
    },
    input: doc.tree,
    errors: [],
  };
  if (!env.documentType || !(CXML_MAPPED_REQUESTS as readonly string[]).includes(env.documentType) || env.kind !== 'request') {
    const what = env.documentType ? `${env.kind} ${env.documentType}` : `${env.kind} without a body`;
    unit.errors.push(new GatewayError('cxml_unsupported_document',
      `cXML ${what} (payloadID ${env.payloadId}) was read, but this gateway maps only ${CXML_MAPPED_REQUESTS.join(', ')}`,
      { interchangeControlNumber: env.payloadId, path: `/${doc.root}${env.documentType ? `/${env.kind === 'request' ? 'Request' : env.kind === 'message' ? 'Message' : 'Response'}/${env.documentType}` : ''}`, found: env.documentType ?? env.kind, expected: CXML_MAPPED_REQUESTS.join(', ') }));
  }
  return unit;
}
