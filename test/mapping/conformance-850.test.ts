/**
 * The base 850 mapping over the real public 850 4010 samples in ../shared/conformance, read by
 * the X12 reader. Expected values checked by hand against the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { parseTransactions } from '../../src/formats/x12/index.ts';
import { GRAMMAR_850_004010 } from '../../src/formats/x12/grammars/850-004010.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { baseSource, memoryOptions, repoRoot } from './helpers.ts';

const dir = path.resolve(repoRoot, '../shared/conformance/x12');
const mapping = compileMapping(baseSource('_base/x12-004010-850.inbound.yaml'), memoryOptions({}, () => GRAMMAR_850_004010));
const validators = createCanonicalValidators();

async function map(file: string) {
  const sets = parseTransactions(readFileSync(path.join(dir, file))).filter((t) => t.transaction.id === '850' || t.tree.message === '850');
  return Promise.all(sets.map(async (t) => {
    const out = await mapping.toCanonical(t.tree);
    return { ...out, violations: validators.validateDocument('purchase_order', out.value) };
  }));
}

describe.skipIf(!existsSync(dir))('base 850 mapping on public 850 4010 samples', () => {
  it('nodex12 850 4010 VICS (tilde): ship-to, six lines with vendor item numbers', async () => {
    const [po] = await map('nodex12_850_4010vics_tilde_lf.edi');
    expect(po?.problems).toEqual([]);
    expect(po?.violations).toEqual([]);
    const v = po?.value as Record<string, any>;
    expect(v).toMatchObject({
      poNumber: '08292233294', poDate: '2010-11-27', purpose: 'original', requestedDeliveryDate: '2010-12-14',
      shipTo: { id: '0003947268292', idQualifier: '9', name: 'XYZ RETAIL', address: { lines: ['31875 SOLON RD'], city: 'SOLON', region: 'OH', postalCode: '44139' } },
      totals: { lineCount: 6 },
    });
    expect(v.lines).toHaveLength(6);
    expect(v.lines[0]).toEqual({ lineNumber: '1', quantity: 120, unitOfMeasure: 'EA', unitPrice: 9.25, vendorPartNumber: 'AB3542', itemIds: { buyerCatalogNumber: '065322-117' }, description: 'SMALL WIDGET' });
    expect(v.lines[5]).toEqual({ lineNumber: '6', quantity: 696, unitOfMeasure: 'EA', unitPrice: 9.55, vendorPartNumber: 'DX1875', itemIds: { buyerCatalogNumber: '067504-118' }, description: 'ORANGE WIDGET' });
  });

  it('the same PO with newline terminators maps to the same document', async () => {
    const [a] = await map('nodex12_850_4010vics_tilde_lf.edi');
    const [b] = await map('nodex12_850_4010vics_newline_terminator.edi');
    expect(b?.value).toEqual(a?.value);
  });

  it('nodex12 Petco 850: empty PO101, KI unit passes through, seller from N1*VN, CTT01 with leading zeros', async () => {
    const [po] = await map('nodex12_850_4010_petco_newline_terminator.edi');
    expect(po?.problems).toEqual([]);
    expect(po?.violations).toEqual([]);
    expect(po?.value).toMatchObject({
      poNumber: '----------', poDate: '2016-04-26', purpose: 'original',
      seller: { name: '----- ------ --------- ---', idQualifier: 'ZZ', id: '-----', address: { city: 'HUNTINGTON BEACH', region: 'CA', postalCode: '92647' } },
      shipTo: { name: 'PETCO - CORPORATE', id: '100' },
      lines: [{ quantity: 1, unitOfMeasure: 'KI', unitPrice: 225, vendorPartNumber: 'UNKNOWN' }],
      totals: { lineCount: 1 },
    });
  });

  it('two interchanges in one file give two purchase orders', async () => {
    const pos = await map('nodex12_850_4010vics_two_isa.edi');
    expect(pos).toHaveLength(2);
    for (const po of pos) {
      expect(po.problems).toEqual([]);
      expect(po.violations).toEqual([]);
    }
  });
});
