/**
 * An EDIFACT partner (eurotrade: ORDERS D96A out, separators + : ? ' and UNOC from its profile)
 * gets its own format: a small ORDERS outbound mapping written here, enveloped with UNB/UNH
 * references from the issuer, then read back through the EDIFACT reader and the base ORDERS
 * inbound mapping.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { loadConfigOrExplain } from '../../src/cli/context.ts';
import { createReaders } from '../../src/pipeline/inbound/readers.ts';
import { renderOutbound } from '../../src/pipeline/outbound/render.ts';
import type { OutboundConfig } from '../../src/pipeline/outbound/types.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { repoRoot } from './harness.ts';

const ordersOutbound = `format: edifact
message: ORDERS
version: D96A
direction: outbound
document: purchase_order
segments:
  - BGM: [["220"], "=poNumber", "9"]
  - DTM: [["137", { path: poDate, as: date }, "102"]]
  - loop: SG25
    each: lines
    segments:
      - LIN: ["=lineNumber"]
      - PIA: ["5", ["=vendorPartNumber", "SA"]]
      - QTY: [["21", { path: quantity, as: number }, "=unitOfMeasure"]]
  - UNS: ["S"]
`;

const dir = mkdtempSync(path.join(tmpdir(), 'edifact-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outbound to an EDIFACT partner', () => {
  it('renders ORDERS with UNB/UNH references from the issuer, and it reads back to the same PO', async () => {
    cpSync(path.join(repoRoot, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
    mkdirSync(path.join(dir, 'mappings/eurotrade'), { recursive: true });
    writeFileSync(path.join(dir, 'mappings/eurotrade/edifact-ORDERS.outbound.yaml'), ordersOutbound);
    const { config } = loadConfigOrExplain({ EDIGW_PARTNERS_DIR: path.join(repoRoot, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings') });
    const po = { poNumber: 'PO-EU-7', poDate: '2026-11-20', lines: [{ lineNumber: '1', vendorPartNumber: "ART'1+2", quantity: 12.5, unitOfMeasure: 'KGM' }] };
    const issued: string[] = [];
    const r = await renderOutbound({ config: config as unknown as OutboundConfig, validators: createCanonicalValidators() }, 'eurotrade', po, {
      now: new Date('2026-11-20T09:30:00Z'), controlNumbers: async (kind) => { issued.push(kind); return kind === 'unb' ? 41 : 42; },
    });
    expect(issued).toEqual(['unb', 'unh']);
    const text = Buffer.from(r.bytes).toString('latin1');
    const segs = text.trimEnd().split('\n');
    // eurotrade's decimal comma differs from the default: UNA announces it
    expect(segs[0]).toBe("UNA:+,? '");
    expect(segs[1]).toBe("UNB+UNOC:3+EDIGW:ZZZ+4012345000009:14+261120:0930+41'");
    expect(segs[2]).toBe("UNH+42+ORDERS:D:96A:UN'");
    // the release character before separators inside a value
    expect(segs).toContain("PIA+5+ART?'1?+2:SA'");
    expect(segs.at(-2)).toBe(`UNT+${segs.length - 3}+42'`);
    expect(segs.at(-1)).toBe("UNZ+1+41'");
    expect(r).toMatchObject({ format: 'edifact', interchangeControlNumber: '41', transactionControlNumber: '42', mappingFile: 'eurotrade/edifact-ORDERS.outbound.yaml' });

    const back = await translateFile({ config, readers: createReaders(), validators: createCanonicalValidators() }, r.bytes, {});
    expect(back.errors).toEqual([]);
    expect(back.documents[0]?.document).toMatchObject(po);
  });
});
