/**
 * The part of the Store contract correlation relies on (issue 12): upsertDocument keeps running
 * totals per PO line in the document's own transaction, lineTotals reads them, firstCorrelated
 * finds a PO number's purchase order. Expected totals are the sums of the quantities written in
 * each test, worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { LineTotal } from '../../src/db/store.ts';
import type { StoreHarness } from './store-contract.ts';
import { at, doc } from './store-contract.ts';

type Line = { lineNumber?: string; buyerPartNumber?: string; vendorPartNumber?: string };
const asn = (id: string, shipmentId: string, orders: Array<{ poNumber: string; lines: Array<Line & { quantityShipped: number }> }>, over = {}) =>
  doc(id, { type: 'ship_notice', businessKey: shipmentId, correlationId: orders[0]?.poNumber ?? null, envelope: { id, type: 'ship_notice', document: { shipmentId, shipDate: '2026-11-20', orders } }, ...over });
const invoice = (id: string, invoiceNumber: string, poNumber: string, lines: Array<Line & { quantityInvoiced: number }>) =>
  doc(id, { type: 'invoice', businessKey: invoiceNumber, correlationId: poNumber, envelope: { id, type: 'invoice', document: { invoiceNumber, poNumber, lines } } });
const t = (kind: LineTotal['kind'], lineNumber: string, quantity: string, buyerPart = '', vendorPart = ''): LineTotal => ({ kind, lineNumber, buyerPart, vendorPart, quantity });
const sorted = (rows: LineTotal[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

export function lineTotalsContract(harness: () => StoreHarness): void {
  describe('per-PO-line running totals', () => {
    it('adds each ship notice and invoice per line as named: normalized keys, exact decimals, per PO and per business key', async () => {
      const s = harness().store;
      await s.upsertDocument(asn('a1', 'SH-1', [{ poNumber: 'PO-1', lines: [{ lineNumber: '001', quantityShipped: 0.1 }, { buyerPartNumber: ' bp-7 ', quantityShipped: 4 }] }]));
      await s.upsertDocument(asn('a2', ' sh-2', [{ poNumber: 'po-1 ', lines: [{ lineNumber: '1', quantityShipped: 0.2 }] }, { poNumber: 'PO-2', lines: [{ lineNumber: '1', quantityShipped: 5 }] }]));
      await s.upsertDocument(invoice('i1', 'INV-1', 'PO-1', [{ lineNumber: '1', quantityInvoiced: 0.3 }]));
      // 0.1 + 0.2 is 0.3 exactly (as floats it would be 0.30000000000000004)
      expect(sorted(await s.lineTotals('PO-1'))).toEqual(sorted([t('shipped', '1', '0.3'), t('shipped', '', '4', 'BP-7'), t('invoiced', '1', '0.3')]));
      expect(await s.lineTotals('PO-2')).toEqual([t('shipped', '1', '5')]);
      expect(sorted(await s.lineTotals('PO-1', { kind: 'shipped', key: 'SH-1' }))).toEqual(sorted([t('shipped', '1', '0.1'), t('shipped', '', '4', 'BP-7')]));
      expect(await s.lineTotals('PO-1', { kind: 'shipped', key: 'SH-2' })).toEqual([t('shipped', '1', '0.2')]);
      expect(await s.lineTotals('PO-1', { kind: 'invoiced', key: 'INV-1' })).toEqual([t('invoiced', '1', '0.3')]);
      expect(await s.lineTotals('PO-404')).toEqual([]);
    });

    it('receipts add their good quantities to received, per receipt number; one naming no PO counts against its correlation id (the PO of its ASN)', async () => {
      const s = harness().store;
      const receipt = (id: string, receiptNumber: string, poNumber: string | undefined, correlationId: string, lines: Array<Line & { quantityReceived: number; quantityDamaged?: number }>) =>
        doc(id, { type: 'receipt', businessKey: receiptNumber, correlationId, envelope: { id, type: 'receipt', correlationId, document: { receiptNumber, ...(poNumber ? { poNumber } : {}), lines } } });
      await s.upsertDocument(receipt('r1', 'RCV-1', 'PO-1', 'PO-1', [{ lineNumber: '1', quantityReceived: 8, quantityDamaged: 2 }]));
      await s.upsertDocument(receipt('r2', 'rcv-2', undefined, 'PO-1', [{ lineNumber: '01', quantityReceived: 1.5 }]));
      // 8 + 1.5 good; the 2 damaged are not received goods
      expect(await s.lineTotals('PO-1')).toEqual([t('received', '1', '9.5')]);
      expect(await s.lineTotals('PO-1', { kind: 'received', key: 'RCV-2' })).toEqual([t('received', '1', '1.5')]);
    });

    it('a re-stored document replaces its own contribution: replayed, unchanged or delivered, it is never counted twice', async () => {
      const s = harness().store;
      await s.upsertDocument(asn('a1', 'SH-1', [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: 10 }] }]));
      await s.upsertDocument(asn('a2', 'SH-2', [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: 3 }] }]));
      // the same document again (a replay that changed nothing): 13
      expect((await s.upsertDocument(asn('a1', 'SH-1', [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: 10 }] }]))).outcome).toBe('unchanged');
      expect(await s.lineTotals('PO-1')).toEqual([t('shipped', '1', '13')]);
      // replayed after a mapping fix: a1 ships 7.5 under SH-1B now: 3 + 7.5
      expect((await s.upsertDocument(asn('a1', 'SH-1B', [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: 7.5 }] }], { at: at(1) }))).outcome).toBe('replaced');
      expect(await s.lineTotals('PO-1')).toEqual([t('shipped', '1', '10.5')]);
      expect(await s.lineTotals('PO-1', { kind: 'shipped', key: 'SH-1' })).toEqual([t('shipped', '1', '0')]);
      expect(await s.lineTotals('PO-1', { kind: 'shipped', key: 'SH-1B' })).toEqual([t('shipped', '1', '7.5')]);
      // once delivered, a document is kept as it was, and so are the totals
      await s.ackFeed(['a2'], at(2));
      expect((await s.upsertDocument(asn('a2', 'SH-2', [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: 99 }] }]))).outcome).toBe('kept');
      expect(await s.lineTotals('PO-1')).toEqual([t('shipped', '1', '10.5')]);
    });

    it('counts nothing for other documents or lines without a quantity, and tolerates any envelope', async () => {
      const s = harness().store;
      await s.upsertDocument(doc('po', { correlationId: 'PO-1', envelope: { document: { poNumber: 'PO-1', lines: [{ lineNumber: '1', quantity: 5 }] } } }));
      await s.upsertDocument(doc('odd', { type: 'ship_notice', correlationId: 'PO-1', envelope: { document: { orders: 'none' } } }));
      await s.upsertDocument(asn('a1', 'SH-1', [{ poNumber: ' ', lines: [{ lineNumber: '1', quantityShipped: 1 }] }]));
      await s.upsertDocument(doc('a2', { type: 'ship_notice', envelope: { document: { shipmentId: 'SH-2', orders: [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: '7' }, null] }] } } }));
      expect(await s.lineTotals('PO-1')).toEqual([]);
      expect(await s.lineTotals('')).toEqual([]);
    });

    it('firstCorrelated: the oldest document of a type with the correlation id', async () => {
      const s = harness().store;
      await s.upsertDocument(asn('a0', 'SH-0', [{ poNumber: 'PO-1', lines: [] }]));
      await s.upsertDocument(doc('po-old', { correlationId: 'PO-1' }));
      await s.upsertDocument(doc('po-new', { correlationId: 'PO-1' }));
      await s.upsertDocument(doc('po-other', { correlationId: 'PO-2' }));
      expect((await s.firstCorrelated('PO-1', 'purchase_order'))?.id).toBe('po-old');
      expect((await s.firstCorrelated('PO-1', 'ship_notice'))?.id).toBe('a0');
      expect(await s.firstCorrelated('PO-1', 'invoice')).toBeUndefined();
      expect(await s.firstCorrelated('po-1', 'purchase_order')).toBeUndefined();
    });

    it('two nodes storing ship notices for the same PO lines at once lose no addition, and one document raced by both counts once', async () => {
      const h = harness();
      const a = h.store;
      const b = await h.peer();
      // 2 x 60 ship notices, each 1 of line 1 and 2 of line 2, in interleaved order on each node
      const writes = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? a : b).upsertDocument(
        asn(`n${i}`, `SH-${i}`, [{ poNumber: 'PO-1', lines: i % 3 === 0
          ? [{ lineNumber: '2', quantityShipped: 2 }, { lineNumber: '1', quantityShipped: 1 }]
          : [{ lineNumber: '1', quantityShipped: 1 }, { lineNumber: '2', quantityShipped: 2 }] }])));
      // and one document both nodes produce at once (a message resumed by both)
      const same = () => asn('both', 'SH-B', [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', quantityShipped: 1000 }] }]);
      writes.push(a.upsertDocument(same()), b.upsertDocument(same()));
      const outcomes = (await Promise.all(writes)).slice(-2).map((r) => r.outcome).sort();
      expect(outcomes).toEqual(['created', 'unchanged']);
      expect(sorted(await a.lineTotals('PO-1'))).toEqual(sorted([t('shipped', '1', '1120'), t('shipped', '2', '240')]));
      expect(sorted(await b.lineTotals('PO-1'))).toEqual(sorted([t('shipped', '1', '1120'), t('shipped', '2', '240')]));
    });
  });
}
