/**
 * A partner whose profile announces a decimal comma (eurotrade: `formats.edifact.decimalMark: ","`)
 * gets its ORDERS with ',' in quantities, prices and amounts, rendered through the shipped base
 * mapping (mappings/_base/edifact-d96a-orders.outbound.yaml). Segments written by hand from that
 * mapping and the D96A directory (QTY C186: 6063:6060:6411; PRI C509: 5125:5118; MOA C516: 5025:5004).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCanonicalValidators } from '../../canonical/validate.ts';
import { loadConfigOrExplain } from '../../cli/context.ts';
import { createReaders } from '../inbound/readers.ts';
import { translateFile } from '../inbound/translate-file.ts';
import { renderOutbound } from './render.ts';
import type { OutboundConfig } from './types.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const env = { EDIGW_PARTNERS_DIR: path.join(repo, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings') };

const po = {
  poNumber: 'PO-EU-12', poDate: '2026-11-20', currency: 'EUR',
  shipTo: { id: '4099999000018', idQualifier: '9', name: 'Lager Sued', address: { lines: ['Industriestr. 9'], city: 'Augsburg', postalCode: '86150', country: 'DE' } },
  lines: [
    { lineNumber: '1', vendorPartNumber: 'ET-5.5', quantity: 12.5, unitOfMeasure: 'PCE', unitPrice: 10.25 },
    { lineNumber: '2', vendorPartNumber: 'ET-6', quantity: 3, unitOfMeasure: 'PCE', unitPrice: 0.125 },
  ],
  totals: { lineCount: 2, amount: 128.5 },
};

describe('outbound EDIFACT with the partner\'s decimal comma', () => {
  const { config } = loadConfigOrExplain(env);
  const deps = { config: config as unknown as OutboundConfig, validators: createCanonicalValidators() };
  const render = () => renderOutbound(deps, 'eurotrade', po, { now: new Date('2026-11-20T09:30:00Z'), controlNumbers: async (kind) => (kind === 'unb' ? 7 : 8) });

  it('eurotrade announces "," (the premise of this test)', () => {
    expect(config.partner('eurotrade')?.formats?.edifact?.decimalMark).toBe(',');
  });

  it('writes "," in QTY, PRI and MOA and says so in UNA; identifiers and text keep their "."', async () => {
    const segs = Buffer.from((await render()).bytes).toString('latin1').trimEnd().split('\n');
    expect(segs[0]).toBe("UNA:+,? '");
    expect(segs).toContain("QTY+21:12,5:PCE'");
    expect(segs).toContain("PRI+AAA:10,25'");
    expect(segs).toContain("QTY+21:3:PCE'");
    expect(segs).toContain("PRI+AAA:0,125'");
    expect(segs).toContain("MOA+79:128,5'");
    expect(segs).toContain("CNT+2:2'");
    expect(segs).toContain("PIA+5+ET-5.5:SA'");
    expect(segs).toContain("NAD+ST+4099999000018::9++Lager Sued+Industriestr. 9+Augsburg++86150+DE'");
  });

  it('reads back through the EDIFACT reader and the inbound base mapping as the same numbers', async () => {
    const back = await translateFile({ config, readers: createReaders(), validators: createCanonicalValidators() }, (await render()).bytes, {});
    expect(back.errors).toEqual([]);
    expect(back.documents[0]?.document).toMatchObject({ lines: [{ quantity: 12.5, unitPrice: 10.25 }, { quantity: 3, unitPrice: 0.125 }], totals: { amount: 128.5 } });
  });
});
