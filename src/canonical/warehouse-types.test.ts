import { describe, expect, it } from 'vitest';
import { createCanonicalValidators } from './validate.ts';
import { documentTypes, envelopeSchema } from './schemas.ts';
import { businessKeys } from '../pipeline/inbound/stages/business-keys.ts';
import { partnerProfileSchema } from '../config/partner-schema.ts';

const v = createCanonicalValidators();

const receipt = {
  receiptNumber: 'RCV-5001', receiptDate: '2026-12-04', poNumber: 'PO-1001', asnNumber: 'SH-77',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'BP-1', vendorPartNumber: 'VP-1', quantityReceived: 10, quantityShort: 2, unitOfMeasure: 'EA', lotNumber: 'L42', expirationDate: '2027-06-30' },
    { lineNumber: '2', buyerPartNumber: 'BP-2', quantityReceived: 4.5, quantityDamaged: 0.5, unitOfMeasure: 'KGM' },
  ],
};
const status = {
  shipmentId: 'SH-77', proNumber: '123456789', billOfLading: 'BOL-9', poNumbers: ['PO-1001'], carrier: { scac: 'ABFS' },
  milestones: [
    { event: 'delivered', statusCode: 'D1', reasonCode: 'NS', occurredAt: '2026-12-05T14:32:00-05:00',
      location: { city: 'Columbus', region: 'OH', country: 'US' }, proofOfDelivery: { signedBy: 'J SMITH' } },
  ],
};

describe('warehouse and carrier document types', () => {
  it('each new type is in the envelope, with its schema', () => {
    const envTypes = (envelopeSchema.properties as { type: { enum: string[] } }).type.enum;
    expect(envTypes).toEqual([...documentTypes]);
    const thens = (envelopeSchema.allOf as Array<{ if: { properties: { type: { const: string } } } }>).map((a) => a.if.properties.type.const);
    expect(thens).toEqual([...documentTypes]);
  });

  it('accepts a receipt with short and damaged quantities, lot and expiry', () => {
    expect(v.validateDocument('receipt', receipt)).toEqual([]);
    expect(businessKeys('receipt', receipt)).toEqual({ businessKey: 'RCV-5001', correlationId: 'PO-1001' });
  });

  it('a receipt line needs its quantity received', () => {
    const { quantityReceived: _, ...noQty } = receipt.lines[0]!;
    expect(v.validateDocument('receipt', { ...receipt, lines: [noQty] })).toEqual([
      { pointer: '/lines/0/quantityReceived', rule: 'required', message: '/lines/0/quantityReceived is required' },
    ]);
  });

  it('a milestone timestamp must carry its time zone offset', () => {
    expect(v.validateDocument('shipment_status', status)).toEqual([]);
    const local = { ...status, milestones: [{ ...status.milestones[0]!, occurredAt: '2026-12-05T14:32:00' }] };
    const errs = v.validateDocument('shipment_status', local);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ pointer: '/milestones/0/occurredAt', rule: 'pattern' });
    expect(errs[0]!.message).toContain('time zone offset');
    expect(v.validateDocument('shipment_status', { ...status, milestones: [{ ...status.milestones[0]!, occurredAt: '2026-12-05T19:32:00Z' }] })).toEqual([]);
  });

  it('shipment status key: shipment id and the milestone, so a re-sent event keeps its key and the next one has its own', () => {
    expect(businessKeys('shipment_status', status)).toEqual({ businessKey: 'SH-77/D1@2026-12-05T14:32:00-05:00', correlationId: 'PO-1001' });
    const next = { ...status, poNumbers: [], asnNumber: 'ASN-1', milestones: [{ statusCode: 'X1', occurredAt: '2026-12-05T09:00:00-05:00' }] };
    expect(businessKeys('shipment_status', next)).toEqual({ businessKey: 'SH-77/X1@2026-12-05T09:00:00-05:00', correlationId: 'ASN-1' });
  });

  it('warehouse order, shipment, stock transfer and inventory advice validate and key by their numbers', () => {
    const order = { orderNumber: 'WO-1', poNumber: 'PO-1001', lines: [{ lineNumber: '1', vendorPartNumber: 'VP-1', quantityOrdered: 12, unitOfMeasure: 'CA' }] };
    const shipment = { orderNumber: 'WO-1', shipmentId: 'S-9', shipDate: '2026-12-03', lines: [{ quantityShipped: 10, quantityOrdered: 12, sscc: '000123450000000017' }] };
    const transfer = { transferNumber: 'T-3', shipDate: '2026-12-01', lines: [{ quantityShipped: 100, unitOfMeasure: 'EA' }] };
    const advice = { adviceNumber: 'INV-20261207', adviceDate: '2026-12-07', kind: 'adjustment', items: [{ vendorPartNumber: 'VP-1', adjustments: [{ reasonCode: '07', quantity: -3, unitOfMeasure: 'EA' }] }] };
    expect(v.validateDocument('warehouse_order', order)).toEqual([]);
    expect(v.validateDocument('warehouse_shipment', shipment)).toEqual([]);
    expect(v.validateDocument('stock_transfer', transfer)).toEqual([]);
    expect(v.validateDocument('inventory_advice', advice)).toEqual([]);
    expect(businessKeys('warehouse_order', order)).toEqual({ businessKey: 'WO-1', correlationId: 'PO-1001' });
    expect(businessKeys('warehouse_shipment', shipment)).toEqual({ businessKey: 'S-9', correlationId: 'WO-1' });
    expect(businessKeys('stock_transfer', transfer)).toEqual({ businessKey: 'T-3', correlationId: 'T-3' });
    expect(businessKeys('inventory_advice', advice)).toEqual({ businessKey: 'INV-20261207', correlationId: null });
  });

  it('a partner profile may exchange the new types', () => {
    const docs = (partnerProfileSchema as { properties: { documents: { properties: Record<'inbound' | 'outbound', { items: { properties: { type: { enum: string[] } } } }> } } }).properties.documents.properties;
    expect(docs.inbound.items.properties.type.enum).toEqual([...documentTypes]);
    expect(docs.outbound.items.properties.type.enum).toEqual([...documentTypes]);
  });
});
