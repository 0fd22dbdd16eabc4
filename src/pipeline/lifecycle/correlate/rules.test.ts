import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../core/errors.ts';
import { ack, asn, invoice, none, po, poEnvelope, ship, strict } from './fixtures.test-support.ts';
import { evaluateLifecycle } from './rules.ts';

const withPo = { ...none, purchaseOrder: poEnvelope };

describe('855 against the PO', () => {
  it('passes an ack that confirms quantity, price and date (line numbers with leading zeros match)', () => {
    const r = evaluateLifecycle({
      document: ack([
        { lineNumber: '001', status: 'accepted', quantity: 100, unitOfMeasure: 'EA', unitPrice: 2.5, scheduledDeliveryDate: '2026-04-01' },
        { lineNumber: '002', status: 'accepted', quantity: 10, unitOfMeasure: 'CA', unitPrice: 19.99 },
      ]),
      related: withPo, tolerances: strict,
    });
    expect(r).toEqual({ outcome: 'pass', warnings: [], violations: [] });
  });

  it('flags a changed quantity and holds', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '1', status: 'changed', quantity: 80 }]), related: withPo, tolerances: strict });
    expect(r.outcome).toBe('hold');
    expect(r.violations).toEqual([expect.objectContaining({ code: 'ack_changed_quantity', lineNumber: '1', expected: '100', found: '80' })]);
  });

  it('a change of unit of measure is a changed quantity, and says so', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '2', quantity: 120, unitOfMeasure: 'EA' }]), related: withPo, tolerances: strict });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'ack_changed_quantity', expected: '10 CA', found: '120 EA' })]);
  });

  it('flags a changed price, exactly (no tolerance on acknowledgements)', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '2', unitPrice: 20.0 }]), related: withPo, tolerances: { ...strict, priceTolerancePercent: 5 } });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'ack_changed_price', lineNumber: '2', expected: '19.99', found: '20' })]);
  });

  it('flags a changed delivery date', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '1', scheduledDeliveryDate: '2026-04-08' }]), related: withPo, tolerances: strict });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'ack_changed_date', expected: '2026-04-01', found: '2026-04-08' })]);
  });

  it('matches lines without a number by buyer part number, then vendor part number', () => {
    const ok = evaluateLifecycle({ document: ack([{ buyerPartNumber: 'bp-200 ', quantity: 10 }, { vendorPartNumber: 'VP-A1', quantity: 100 }]), related: withPo, tolerances: strict });
    expect(ok.violations).toEqual([]);
    const changed = evaluateLifecycle({ document: ack([{ vendorPartNumber: 'VP-B2', quantity: 9 }]), related: withPo, tolerances: strict });
    expect(changed.violations).toEqual([expect.objectContaining({ code: 'ack_changed_quantity', lineNumber: '2', expected: '10', found: '9' })]);
  });

  it('an acknowledged line the PO does not have is a violation', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '9', buyerPartNumber: 'BP-999', quantity: 1 }]), related: withPo, tolerances: strict });
    expect(r.violations.map((v) => v.code)).toEqual(['ack_unknown_line']);
  });

  it('an ack for an unknown PO is a warning, never a hold', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '1', quantity: 1 }], 'PO-404'), related: none, tolerances: strict });
    expect(r.outcome).toBe('pass');
    expect(r.warnings.map((w) => w.code)).toEqual(['ack_unknown_po']);
    expect(r.violations).toEqual([]);
  });

  it('with onViolation warn, a violation passes and is carried as a warning', () => {
    const r = evaluateLifecycle({ document: ack([{ lineNumber: '1', quantity: 80 }]), related: withPo, tolerances: { ...strict, onViolation: 'warn' } });
    expect(r.outcome).toBe('pass');
    expect(r.warnings).toEqual([{ code: 'ack_changed_quantity', message: expect.stringContaining('from 100 to 80') }]);
    expect(r.violations).toHaveLength(1);
  });
});

describe('856 against the open PO quantity', () => {
  it('passes a ship notice within the open quantity', () => {
    const first = ship('SH-1', '1', 60);
    expect(evaluateLifecycle({ document: first, related: withPo, tolerances: strict }).outcome).toBe('pass');
    const second = ship('SH-2', '1', 40);
    expect(evaluateLifecycle({ document: second, related: { ...withPo, shipNotices: [first] }, tolerances: strict }).violations).toEqual([]);
  });

  it('flags shipping more than ordered minus shipped before', () => {
    const r = evaluateLifecycle({ document: ship('SH-2', '1', 41), related: { ...withPo, shipNotices: [ship('SH-1', '1', 60)] }, tolerances: strict });
    expect(r.outcome).toBe('hold');
    expect(r.violations).toEqual([expect.objectContaining({ code: 'asn_over_shipped', lineNumber: '1', expected: '40', found: '41' })]);
  });

  it('allows over-shipment up to the quantity tolerance (% of ordered)', () => {
    const related = { ...withPo, shipNotices: [ship('SH-1', '1', 60)] };
    const tolerances = { ...strict, quantityTolerancePercent: 5 };
    expect(evaluateLifecycle({ document: ship('SH-2', '1', 45), related, tolerances }).violations).toEqual([]);
    expect(evaluateLifecycle({ document: ship('SH-2', '1', 46), related, tolerances }).violations.map((v) => v.code)).toEqual(['asn_over_shipped']);
  });

  it('does not count a re-sent ship notice (same shipment id) twice, nor the document itself', () => {
    const resend = ship('SH-1', '1', 60);
    const r = evaluateLifecycle({ document: resend, related: { ...withPo, shipNotices: [ship('SH-1', '1', 60), resend] }, tolerances: strict });
    expect(r.violations).toEqual([]);
  });

  it('sums several lines (lots) of the same PO line in one ship notice', () => {
    const doc = asn('SH-3', [{ poNumber: 'PO-1001', lines: [{ lineNumber: '1', lotNumber: 'L1', quantityShipped: 30 }, { buyerPartNumber: 'BP-100', lotNumber: 'L2', quantityShipped: 30 }] }]);
    const r = evaluateLifecycle({ document: doc, related: { ...withPo, shipNotices: [ship('SH-1', '1', 50)] }, tolerances: strict });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'asn_over_shipped', expected: '50', found: '60' })]);
  });

  it('compares quantities exactly: 0.1 shipped before + 0.2 now is exactly 0.3 ordered', () => {
    const decimalPo = { ...poEnvelope, document: { ...po, lines: [{ lineNumber: '1', quantity: 0.3, unitOfMeasure: 'KG' }] } };
    const r = evaluateLifecycle({ document: ship('SH-2', '1', 0.2), related: { ...none, purchaseOrder: decimalPo, shipNotices: [ship('SH-1', '1', 0.1)] }, tolerances: strict });
    expect(r.violations).toEqual([]);
  });

  it('a shipped line the PO does not have is a violation', () => {
    const r = evaluateLifecycle({ document: asn('SH-4', [{ poNumber: 'PO-1001', lines: [{ vendorPartNumber: 'VP-ZZ', quantityShipped: 1 }] }]), related: withPo, tolerances: strict });
    expect(r.violations.map((v) => v.code)).toEqual(['asn_unknown_line']);
  });

  it('an order on an unknown PO is a warning; the known order on the same ship notice is still checked', () => {
    const doc = asn('SH-5', [
      { poNumber: 'PO-404', lines: [{ lineNumber: '1', quantityShipped: 5 }] },
      { poNumber: 'PO-1001', lines: [{ lineNumber: '3', quantityShipped: 6 }] },
    ]);
    const r = evaluateLifecycle({ document: doc, related: withPo, tolerances: strict });
    expect(r.warnings.map((w) => w.code)).toEqual(['asn_unknown_po']);
    expect(r.violations).toEqual([expect.objectContaining({ code: 'asn_over_shipped', lineNumber: '3', expected: '5', found: '6' })]);
  });
});

describe('810 three-way match', () => {
  const shipped60 = { ...withPo, shipNotices: [ship('SH-1', '1', 60)] };

  it('passes an invoice at the PO price for what was shipped', () => {
    const r = evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 60, unitPrice: 2.5, amount: 150 }]), related: shipped60, tolerances: strict });
    expect(r).toEqual({ outcome: 'pass', warnings: [], violations: [] });
  });

  it('flags a price beyond the tolerance; at the tolerance exactly it passes', () => {
    const tolerances = { ...strict, priceTolerancePercent: 2 }; // 2.50 * 2% = 0.05
    expect(evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 60, unitPrice: 2.55 }]), related: shipped60, tolerances }).violations).toEqual([]);
    const r = evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 60, unitPrice: 2.56 }]), related: shipped60, tolerances });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'invoice_price_mismatch', lineNumber: '1', expected: '2.5', found: '2.56' })]);
  });

  it('compares money exactly, below the cent: 0.125 against 0.13 at zero tolerance', () => {
    const related = { ...withPo, shipNotices: [ship('SH-1', '3', 5)] };
    expect(evaluateLifecycle({ document: invoice('INV-2', [{ lineNumber: '3', quantityInvoiced: 5, unitPrice: 0.125 }]), related, tolerances: strict }).violations).toEqual([]);
    expect(evaluateLifecycle({ document: invoice('INV-2', [{ lineNumber: '3', quantityInvoiced: 5, unitPrice: 0.13 }]), related, tolerances: strict }).violations.map((v) => v.code)).toEqual(['invoice_price_mismatch']);
  });

  it('flags billing more than was shipped', () => {
    const r = evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 61, unitPrice: 2.5 }]), related: shipped60, tolerances: strict });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'invoice_quantity_mismatch', expected: '60', found: '61' })]);
  });

  it('subtracts what earlier invoices billed, but not a re-sent copy of this invoice', () => {
    const earlier = invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 50 }]);
    const r = evaluateLifecycle({ document: invoice('INV-2', [{ lineNumber: '1', quantityInvoiced: 20 }]), related: { ...shipped60, invoices: [earlier] }, tolerances: strict });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'invoice_quantity_mismatch', expected: '10', found: '20' })]);
    const resend = evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 50 }]), related: { ...shipped60, invoices: [earlier] }, tolerances: strict });
    expect(resend.violations).toEqual([]);
  });

  it('partial billing (less than shipped) is not a mismatch; billing with nothing shipped is', () => {
    expect(evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '1', quantityInvoiced: 30 }]), related: shipped60, tolerances: strict }).violations).toEqual([]);
    const r = evaluateLifecycle({ document: invoice('INV-1', [{ lineNumber: '2', quantityInvoiced: 10 }]), related: shipped60, tolerances: strict });
    expect(r.violations).toEqual([expect.objectContaining({ code: 'invoice_quantity_mismatch', lineNumber: '2', expected: '0', found: '10' })]);
  });

  it('an invoice for an unknown or missing PO is a warning', () => {
    const unknown = evaluateLifecycle({ document: invoice('INV-9', [{ lineNumber: '1', quantityInvoiced: 1 }], 'PO-404'), related: none, tolerances: strict });
    expect(unknown).toMatchObject({ outcome: 'pass', warnings: [{ code: 'invoice_unknown_po' }], violations: [] });
    const missing = evaluateLifecycle({ document: invoice('INV-9', [{ lineNumber: '1', quantityInvoiced: 1 }], null), related: withPo, tolerances: strict });
    expect(missing.warnings).toEqual([{ code: 'invoice_unknown_po', message: '810 INV-9 names no PO number' }]);
  });
});

describe('evaluateLifecycle input', () => {
  it('a purchase order itself passes', () => {
    expect(evaluateLifecycle({ document: poEnvelope, related: none, tolerances: strict }).outcome).toBe('pass');
  });
  it('refuses negative tolerances with a precise error', () => {
    expect(() => evaluateLifecycle({ document: poEnvelope, related: none, tolerances: { ...strict, priceTolerancePercent: -1 } }))
      .toThrow(GatewayError);
  });
});
