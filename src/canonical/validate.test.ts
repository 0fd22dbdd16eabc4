import { describe, expect, it } from 'vitest';
import { generateTypes } from './gen-types.ts';
import { readFileSync } from 'node:fs';
import { createCanonicalValidators } from './validate.ts';

const v = createCanonicalValidators();
const po = {
  poNumber: 'PO-1001',
  poDate: '2026-11-02',
  purpose: 'original',
  currency: 'USD',
  lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantity: 12, unitOfMeasure: 'EA', unitPrice: 3.25 }],
};

describe('canonical validators', () => {
  it('accepts a well-formed purchase order', () => {
    expect(v.validateDocument('purchase_order', po)).toEqual([]);
  });

  it('names the JSON pointer of a missing required field', () => {
    const { poDate: _, ...noDate } = po;
    expect(v.validateDocument('purchase_order', noDate)).toEqual([
      { pointer: '/poDate', rule: 'required', message: '/poDate is required' },
    ]);
  });

  it('refuses a field the canonical model does not have, with its pointer', () => {
    const bad = { ...po, lines: [{ ...po.lines[0], qty: 3 }] };
    expect(v.validateDocument('purchase_order', bad)).toEqual([
      { pointer: '/lines/0/qty', rule: 'additionalProperties', message: '/lines/0/qty is not a field of the canonical model' },
    ]);
  });

  it('refuses dates not in YYYY-MM-DD and says so', () => {
    const errs = v.validateDocument('purchase_order', { ...po, poDate: '20261102' });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ pointer: '/poDate', rule: 'pattern', message: '/poDate must match YYYY-MM-DD' });
  });

  it('lists allowed values for an enum', () => {
    const errs = v.validateDocument('purchase_order_ack', { poNumber: 'P', status: 'ok' });
    expect(errs[0]?.message).toBe('/status must be one of "accepted", "accepted_with_changes", "rejected"');
  });

  it('validates the document inside an envelope by its type', () => {
    const env = {
      id: 'doc_1', type: 'invoice', version: 1, partnerId: 'acme', direction: 'inbound',
      receivedAt: '2026-11-02T10:00:00.000Z', correlationId: 'PO-1', source: { format: 'x12' },
      document: { invoiceNumber: 'INV-1', invoiceDate: '2026-11-02', lines: [], totalAmount: 'ten' },
    };
    const errs = v.validateEnvelope(env);
    expect(errs.map((e) => e.pointer)).toContain('/document/totalAmount');
    expect(v.validateEnvelope({ ...env, document: { ...env.document, totalAmount: 10 } })).toEqual([]);
  });

  it('types.ts is generated from the current schemas', () => {
    const onDisk = readFileSync(new URL('./types.ts', import.meta.url), 'utf8');
    expect(onDisk).toBe(generateTypes());
  });
});
