import { describe, expect, it } from 'vitest';
import { ack, asn, invoice, poEnvelope } from './fixtures.test-support.ts';
import { correlationKeys } from './keys.ts';

describe('correlation keys', () => {
  it('a PO and its 855 carry the PO number', () => {
    expect(correlationKeys(poEnvelope)).toEqual({ poNumbers: ['PO-1001'] });
    expect(correlationKeys(ack([], ' PO-1001 '))).toEqual({ poNumbers: ['PO-1001'] });
  });
  it('a ship notice carries its shipment id and every PO it ships against, once each', () => {
    const doc = asn('SH-77', [
      { poNumber: 'PO-1', lines: [] }, { poNumber: 'PO-2', lines: [] }, { poNumber: 'PO-1', lines: [] },
    ]);
    expect(correlationKeys(doc)).toEqual({ poNumbers: ['PO-1', 'PO-2'], shipmentId: 'SH-77' });
  });
  it('an invoice carries its number and its PO when it names one', () => {
    expect(correlationKeys(invoice('INV-5', []))).toEqual({ poNumbers: ['PO-1001'], invoiceNumber: 'INV-5' });
    expect(correlationKeys(invoice('INV-6', [], null))).toEqual({ poNumbers: [], invoiceNumber: 'INV-6' });
  });
});
