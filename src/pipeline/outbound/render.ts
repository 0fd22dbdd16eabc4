/**
 * Outbound render: a canonical purchase order for a partner -> the partner's wire document.
 * Validates the canonical document first (nothing is rendered from an invalid one), picks the
 * partner's outbound mapping (X12 850 for X12 partners by `documents.outbound`, else the partner's
 * own format), maps canonical -> wire tree and envelopes it with control numbers issued by the
 * caller (the store in the gateway, a fixed number in `edigw render`). cXML (xml OrderRequest): the
 * mapping renders the OrderRequest element and envelope-cxml.ts wraps it (payloadID is the
 * interchange control number). No I/O of its own.
 */
import type { CanonicalValidators, SchemaViolation } from '../../canonical/validate.ts';
import { GatewayError } from '../../core/errors.ts';
import { businessKeys } from '../inbound/stages/business-keys.ts';
import type { WireTree } from '../../formats/wire.ts';
import type { XmlTree } from '../../formats/xml/cxml-write.ts';
import { envelopeCxml, withDocumentReference } from './envelope-cxml.ts';
import { DEFAULT_OUR_EDIFACT, envelopeEdifact, type OurEdifactId } from './envelope-edifact.ts';
import { envelopeX12, type OurX12Id, type X12EnvelopeResult } from './envelope.ts';
import type { OutboundConfig, OutboundPartner } from './types.ts';

export type IssueControlNumber = (kind: 'isa' | 'gs' | 'st' | 'unb' | 'unh', max: number) => Promise<number>;

export interface RenderOptions {
  controlNumbers: IssueControlNumber;
  now: Date;
  ourId?: OurX12Id;
  ourEdifactId?: OurEdifactId;
  /** cXML: the unique part of the payloadID (`<time>.<unique>@<domain>`); the gateway passes the message id. Default: the PO number */
  cxmlUnique?: string;
  /** cXML: the payloadID of the order's most recent OrderRequest, referred to by a change or cancel */
  cxmlPreviousPayloadId?: string;
}

/** what the ERP sends partners: purchase orders to suppliers, shipping orders (940) and stock transfers (943) to warehouses */
export const OUTBOUND_TYPES = ['purchase_order', 'warehouse_order', 'stock_transfer'] as const;
export type OutboundType = (typeof OUTBOUND_TYPES)[number];
export const isOutboundType = (t: unknown): t is OutboundType => (OUTBOUND_TYPES as readonly unknown[]).includes(t);

/** the X12 set of each outbound type where the profile declares none */
const X12_SET: Record<OutboundType, string> = { purchase_order: '850', warehouse_order: '940', stock_transfer: '943' };

export interface RenderedOutbound {
  partnerId: string;
  type: OutboundType;
  /** the number the document goes by: the PO number, a warehouse order's orderNumber, a transfer's transferNumber */
  poNumber: string;
  /** the order it belongs to (stages/business-keys.ts): a PO's number, a warehouse order's poNumber else orderNumber */
  correlationId: string;
  format: string;
  message: string;
  version?: string;
  mappingFile: string;
  bytes: Uint8Array;
  contentType: string;
  /** the canonical document as validated (an envelope's `document`) */
  document: Record<string, unknown>;
  interchangeControlNumber?: string;
  groupControlNumber?: string;
  transactionControlNumber?: string;
}

export const DEFAULT_OUR_X12: OurX12Id = { qualifier: 'ZZ', id: 'EDIGW' };

/**
 * Our X12 sender toward a partner: the first of its profile's `us.x12` (the id its interchanges
 * address, so our 850 and our 997 to it come from the same ISA05/06), else the gateway's own
 * (EDIGW_X12_ID), else ZZ/EDIGW.
 */
export function ourX12Toward(partner: OutboundPartner, gatewayId: OurX12Id | undefined): OurX12Id {
  return partner.us?.x12?.[0] ?? gatewayId ?? DEFAULT_OUR_X12;
}

/** Accepts a bare purchase_order document or a canonical envelope holding one. */
export function documentOf(input: unknown): { type: unknown; document: unknown } {
  if (input && typeof input === 'object' && 'document' in input && 'type' in input) {
    const e = input as { type: unknown; document: unknown };
    return { type: e.type, document: e.document };
  }
  return { type: 'purchase_order', document: input };
}

export function validationError(partnerId: string, violations: SchemaViolation[], type: string = 'purchase_order'): GatewayError {
  return new GatewayError('canonical_invalid', `the ${type === 'purchase_order' ? 'purchase order' : 'document'} is not a valid canonical ${type}: ${violations.map((v) => v.message).join('; ')}`,
    { partnerId, violations });
}

export async function renderOutbound(
  deps: { config: OutboundConfig; validators: CanonicalValidators },
  partnerId: string,
  envelopeOrDocument: unknown,
  opts: RenderOptions,
): Promise<RenderedOutbound> {
  const partner = deps.config.partner(partnerId);
  if (!partner) throw new GatewayError('partner_unknown', `no partner "${partnerId}" is configured`, { partnerId });
  const { type, document } = documentOf(envelopeOrDocument);
  if (!isOutboundType(type)) {
    throw new GatewayError('outbound_type_unsupported', `outbound documents must be ${OUTBOUND_TYPES.join(', ')}, got ${JSON.stringify(type)}`, { partnerId, expected: OUTBOUND_TYPES.join(' | '), found: String(type) });
  }
  const violations = deps.validators.validateDocument(type, document);
  if (violations.length > 0) throw validationError(partnerId, violations, type);
  const keys = businessKeys(type, document);
  const po = document as Record<string, unknown> & { poNumber: string };
  const number = keys.businessKey ?? '';
  const ids = { type, poNumber: number, correlationId: keys.correlationId ?? number };

  const exchange = outboundExchange(partner, type);
  if (exchange.format === 'json' && partner.formats?.json?.canonical) {
    // a canonical-JSON partner receives the canonical document itself
    return { partnerId, ...ids, document: po, mappingFile: '(canonical)', format: 'json', message: exchange.message,
      bytes: Buffer.from(JSON.stringify({ type, version: 1, document: po }, null, 2) + '\n', 'utf8'), contentType: 'application/json' };
  }
  const mapping = deps.config.mappingFor(partnerId, { format: exchange.format, message: exchange.message, ...(exchange.version ? { version: exchange.version } : {}), direction: 'outbound' });
  if (!mapping) {
    throw new GatewayError('mapping_missing', `no outbound mapping for ${exchange.format} ${exchange.message}${exchange.version ? ` ${exchange.version}` : ''} for partner "${partnerId}"`,
      { partnerId, expected: `mappings/${partnerId}/${exchange.format}-${exchange.message}.outbound.yaml or a base mapping` });
  }
  const out = await mapping.fromCanonical(po);
  if (out.problems.length > 0) {
    throw new GatewayError('mapping_failed', `the outbound mapping ${mapping.file} could not render ${type === 'purchase_order' ? 'PO' : type} ${number}: ${out.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.rule}: ${p.message}`).join('; ')}`,
      { partnerId, mappingFile: mapping.file, problems: out.problems });
  }
  const base = { partnerId, ...ids, document: po, mappingFile: mapping.file, format: exchange.format, message: exchange.message, ...(exchange.version ? { version: exchange.version } : {}) };

  if (exchange.format === 'x12') {
    const env: X12EnvelopeResult = await envelopeX12({
      partner, tree: out.value as WireTree, version: exchange.version ?? mapping.version ?? '004010', ourId: ourX12Toward(partner, opts.ourId),
      issue: opts.controlNumbers, now: opts.now,
    });
    return { ...base, bytes: Buffer.from(env.text, 'latin1'), contentType: 'application/edi-x12',
      interchangeControlNumber: env.interchangeControlNumber, groupControlNumber: env.groupControlNumber, transactionControlNumber: env.transactionControlNumber };
  }
  if (exchange.format === 'edifact') {
    const env = await envelopeEdifact({
      partner, tree: out.value as WireTree, version: exchange.version ?? mapping.version ?? 'D96A', ourId: partner.us?.edifact?.[0] ?? opts.ourEdifactId ?? DEFAULT_OUR_EDIFACT,
      issue: opts.controlNumbers, now: opts.now,
    });
    return { ...base, bytes: env.bytes, contentType: 'application/edifact', interchangeControlNumber: env.interchangeControlNumber, transactionControlNumber: env.messageReference };
  }
  if (exchange.format === 'xml' && exchange.message === 'OrderRequest') {
    // cXML: the mapping renders the OrderRequest element; the envelope adds DOCTYPE, payloadID, Header
    let env: ReturnType<typeof envelopeCxml>;
    try {
      const request = opts.cxmlPreviousPayloadId && (po.purpose === 'change' || po.purpose === 'cancel')
        ? withDocumentReference(out.value as XmlTree, opts.cxmlPreviousPayloadId) : out.value as XmlTree;
      env = envelopeCxml({ partner, request: { OrderRequest: request }, now: opts.now, unique: opts.cxmlUnique ?? po.poNumber });
    } catch (e) {
      // a value XML cannot carry (a control character), a profile without cXML credentials: refused like a mapping failure (422), nothing stored
      if (!(e instanceof GatewayError)) throw e;
      throw new GatewayError('mapping_failed', `PO ${po.poNumber} cannot be written as cXML for partner "${partnerId}": ${e.message}`,
        { ...e.detail, partnerId, mappingFile: mapping.file, reason: e.code }, { cause: e });
    }
    return { ...base, bytes: Buffer.from(env.text, 'utf8'), contentType: 'text/xml; charset=utf-8', interchangeControlNumber: env.payloadId };
  }
  if (exchange.format === 'json' || exchange.format === 'xml' || exchange.format === 'csv') {
    // object-shaped outputs: JSON is written as is; XML/CSV writers are not part of the outbound path yet
    if (exchange.format !== 'json') {
      throw new GatewayError('outbound_format_unsupported', `rendering ${exchange.format} ${exchange.message} outbound documents is not supported yet (partner "${partnerId}")`, { partnerId, found: `${exchange.format} ${exchange.message}`, expected: 'x12, edifact, json or xml OrderRequest (cXML)' });
    }
    return { ...base, bytes: Buffer.from(JSON.stringify(out.value, null, 2) + '\n', 'utf8'), contentType: 'application/json' };
  }
  throw new GatewayError('outbound_format_unsupported', `rendering ${exchange.format} outbound documents is not supported yet (partner "${partnerId}")`, { partnerId, found: exchange.format, expected: 'x12 or json' });
}

/**
 * The partner's outbound exchange for a document type: declared in `documents.outbound`, else
 * (purchase orders, warehouse orders and transfers to an X12 partner) the X12 set of the type.
 */
export function outboundExchange(partner: OutboundPartner, type: OutboundType = 'purchase_order'): { format: string; message: string; version?: string } {
  const declared = partner.documents?.outbound?.find((d) => d.type === type);
  if (declared) {
    const message = declared.message ?? (declared.format === 'x12' ? X12_SET[type] : declared.format === 'edifact' && type === 'purchase_order' ? 'ORDERS'
      : declared.format === 'xml' && type === 'purchase_order' ? 'OrderRequest' : type);
    return { format: declared.format, message, ...(declared.version ? { version: declared.version } : {}) };
  }
  if (partner.identifiers.x12) return { format: 'x12', message: X12_SET[type], version: '004010' };
  if (partner.formats?.json?.canonical) return { format: 'json', message: type };
  if (partner.identifiers.edifact && type === 'purchase_order') return { format: 'edifact', message: 'ORDERS', version: 'D96A' };
  throw new GatewayError('outbound_exchange_unknown', `partner "${partner.id}" declares no outbound ${type} in documents.outbound and has no ${type === 'purchase_order' ? 'X12 or EDIFACT' : 'X12'} identifiers`,
    { partnerId: partner.id, expected: `documents.outbound: [{ type: ${type}, format: ..., message: ... }]` });
}
