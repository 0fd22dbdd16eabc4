/**
 * Round trip canonical purchase_order -> ORDERS D96A (outbound base mapping + the EDIFACT codec's
 * writer) -> EDIFACT reader -> inbound base mapping -> the same canonical document. The document
 * sets every field both base mappings carry, with values that need release characters and UNOC.
 */
import { describe, expect, it } from 'vitest';
import { writeEdifact } from '../../src/formats/edifact/index.ts';
import type { WireTree } from '../../src/formats/wire.ts';
import { createEdifactFormatReader } from '../../src/formats/edifact/format-reader.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig } from '../golden/gateway-config.ts';

const purchaseOrder = {
  poNumber: 'PO-2026-0042',
  poDate: '2026-11-20',
  purpose: 'change',
  currency: 'EUR',
  paymentTerms: 'Zahlbar in 30 Tagen netto',
  requestedDeliveryDate: '2026-12-03',
  buyer: {
    id: '4099999000001', idQualifier: '9', name: "Gateway Buyer AG + Co. KG",
    address: { lines: ['Postfach 10 11 12', "Tor 'Nord'"], city: 'Hamburg', postalCode: '20095', country: 'DE' },
    contact: { name: 'Jörg Einkäufer', phone: '+49 40 123456', email: 'einkauf@buyer.example' },
  },
  seller: { id: '4012345000009', idQualifier: '9', name: 'EuroTrade GmbH' },
  shipTo: { id: '4099999000018', idQualifier: '9', name: 'Lager Süd', address: { lines: ['Industriestr. 9'], city: 'Augsburg', region: 'BY', postalCode: '86150', country: 'DE' } },
  billTo: { id: '4099999000001', idQualifier: '9', name: 'Gateway Buyer AG Buchhaltung' },
  lines: [
    { lineNumber: '1', gtin: '4006381333931', vendorPartNumber: 'ET-55120', buyerPartNumber: 'M-7780', description: 'Kabelbinder 200 mm: schwarz?', quantity: 120, unitOfMeasure: 'PCE', unitPrice: 2.35 },
    { lineNumber: '2', vendorPartNumber: 'ET-55130', quantity: 12.5, unitOfMeasure: 'MTR', unitPrice: 0.125 },
  ],
  totals: { lineCount: 2, amount: 283.5625 },
};

describe('canonical purchase_order -> EDIFACT ORDERS D96A -> canonical', () => {
  const { config, deps } = loadRepoConfig();
  const outbound = config.mappingFor('eurotrade', { format: 'edifact', message: 'ORDERS', version: 'D96A', direction: 'outbound' }) as unknown as
    { file: string; fromCanonical(doc: unknown): Promise<{ value: unknown; problems: unknown[] }> } | undefined;

  const render = async (): Promise<Uint8Array> => {
    const out = await outbound!.fromCanonical(purchaseOrder);
    expect(out.problems).toEqual([]);
    return writeEdifact({
      header: { syntax: { id: 'UNOC', version: '3' }, sender: { id: '4099999000001', qualifier: '14' }, recipient: { id: '4012345000009', qualifier: '14' }, date: '261120', time: '0930', controlReference: 'GW000001', testIndicator: false },
      messages: [{ header: { reference: '1', type: 'ORDERS', version: 'D', release: '96A', agency: 'UN', association: 'EAN008' }, tree: out.value as WireTree }],
      lineEnding: '\n',
    });
  };

  it('the outbound base mapping resolves for eurotrade (its profile sends ORDERS D96A)', () => {
    expect(outbound?.file).toBe('_base/edifact-d96a-orders.outbound.yaml');
  });

  it('writes the segments a D96A ORDERS carries, with release characters where the data needs them', async () => {
    const text = Buffer.from(await render()).toString('latin1');
    const segs = text.split('\n').filter(Boolean);
    expect(segs).toContain('BGM+220+PO-2026-0042+5\'');                // 1225 = 5 replace (change)
    expect(segs).toContain('DTM+137:20261120:102\'');
    expect(segs).toContain('NAD+BY+4099999000001::9++Gateway Buyer AG ?+ Co. KG+Postfach 10 11 12:Tor ?\'Nord?\'+Hamburg++20095+DE\'');
    expect(segs).toContain('QTY+21:12.5:MTR\'');
    expect(segs).toContain('UNT+27+1\'');
    const split = createEdifactFormatReader().splitEdifact(await render());
    expect(split.errors).toEqual([]);
    expect(split.units.map((u) => u.errors)).toEqual([[]]);
  });

  it('reads back to the same canonical document', async () => {
    const got = await translateFile(deps, await render(), {});
    expect(got.errors).toEqual([]);
    expect(got.documents).toHaveLength(1);
    expect(got.documents[0]!.type).toBe('purchase_order');
    // reading adds what the segments say of line 1 in itemIds (LIN 7143 EN: the EAN; PIA+1 IN: the buyer's item number)
    const [first, ...rest] = purchaseOrder.lines;
    const expected = { ...purchaseOrder, lines: [{ ...first, itemIds: { buyerItemNumber: 'M-7780', ean: '4006381333931' } }, ...rest] };
    expect(got.documents[0]!.document).toEqual(expected);
  });
});
