/**
 * Golden fixtures through the real CLI code path (`edigw check`: listFixtureCases + translateFile
 * with the repository's partners/ and mappings/), and round trips canonical -> X12 (outbound base
 * mapping + writeInterchange) -> parseX12 -> inbound base mapping -> the same canonical document.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFixture, listFixtureCases } from '../../src/cli/fixtures.ts';
import { DEFAULT_DELIMITERS_4010, DEFAULT_DELIMITERS_5010, parseX12, writeInterchange } from '../../src/formats/x12/index.ts';
import type { WireTree } from '../../src/formats/wire.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from './gateway-config.ts';
import { invoice, purchaseOrder, purchaseOrderAck, shipNotice } from './roundtrip-documents.ts';

const { config, deps } = loadRepoConfig();
const cases = listFixtureCases(path.join(repoRoot, 'fixtures'));

describe('golden fixtures (as edigw check runs them)', () => {
  it('has a realistic case for every X12 set and version the base mappings read, and negative cases', () => {
    const names = new Set(cases.map((c) => `${c.group}/${c.name}`));
    for (const version of ['004010', '005010']) {
      for (const set of ['850', '855', '856', '810']) {
        expect([...names].some((n) => n.startsWith(`x12-${version}/${set}-`)), `fixtures/x12-${version}/${set}-*`).toBe(true);
      }
    }
    const negative = cases.filter((c) => c.group.startsWith('x12-') && c.expectedErrors).map((c) => c.expectedErrors!.map((e) => e.code)).flat();
    expect(negative).toEqual(expect.arrayContaining(['x12_segment_count_mismatch', 'x12_transaction_count_mismatch', 'x12_group_count_mismatch', 'x12_unsupported_transaction']));
    for (const partner of ['acme', 'globex']) {
      for (const set of ['855', '856', '810']) expect(names.has(`${partner}/${set}-${{ '855': partner === 'acme' ? 'ack' : 'rejected', '856': 'ship-notice', '810': 'invoice' }[set]}`)).toBe(true);
    }
  });

  for (const c of cases) {
    it(`${c.group}/${c.name}`, async () => {
      const partnerId = config.partner(c.group) ? c.group : undefined;
      const got = await translateFile(deps, readFileSync(c.input), { partnerId, ...c.options });
      expect(compareFixture(c, got)).toEqual([]);
    });
  }

  it('acme 856 goes through its own mapping (extends the base), acme 855 through the base', async () => {
    const asn = await translateFile(deps, readFileSync(path.join(repoRoot, 'fixtures/acme/856-ship-notice/input.edi')), {});
    expect(asn.documents[0]?.partnerId).toBe('acme');
    expect(asn.documents[0]?.mappingFile).toBe('acme/x12-856.inbound.yaml');
    const ack = await translateFile(deps, readFileSync(path.join(repoRoot, 'fixtures/acme/855-ack/input.edi')), {});
    expect(ack.documents[0]?.mappingFile).toBe('_base/x12-004010-855.inbound.yaml');
  });
});

const sets = [
  { message: '850', functionalId: 'PO', type: 'purchase_order', document: purchaseOrder },
  { message: '855', functionalId: 'PR', type: 'purchase_order_ack', document: purchaseOrderAck },
  { message: '856', functionalId: 'SH', type: 'ship_notice', document: shipNotice },
  { message: '810', functionalId: 'IN', type: 'invoice', document: invoice },
] as const;

describe('round trip canonical -> X12 -> canonical through the base mappings', () => {
  for (const version of ['004010', '005010']) {
    for (const s of sets) {
      it(`${s.type} through ${s.message} ${version}`, async () => {
        const outbound = config.mappingFor(undefined, { format: 'x12', message: s.message, version, direction: 'outbound' });
        expect(outbound?.file).toBe(`_base/x12-${version}-${s.message}.outbound.yaml`);
        const { value, problems } = await outbound!.fromCanonical(s.document);
        expect(problems).toEqual([]);
        const five = version === '005010';
        const text = writeInterchange({
          delimiters: five ? DEFAULT_DELIMITERS_5010 : DEFAULT_DELIMITERS_4010,
          interchange: { senderQualifier: 'ZZ', senderId: 'ROUNDTRIP', receiverQualifier: 'ZZ', receiverId: 'BUYERCO', date: '240502', time: '1200', controlNumber: 77 },
          groups: [{ group: { functionalId: s.functionalId, senderCode: 'ROUNDTRIP', receiverCode: 'BUYERCO', date: '20240502', time: '1200', controlNumber: 77, version }, transactions: [{ tree: value as WireTree, controlNumber: '0001' }] }],
        });

        const items = parseX12(text);
        const sets = items.filter((i) => i.kind === 'transaction');
        expect(sets).toHaveLength(1);
        expect(sets[0]).toMatchObject({ accepted: true, errors: [], transaction: { id: s.message } });
        for (const i of items) if ('errors' in i) expect(i.errors).toEqual([]);

        const back = await translateFile(deps, Buffer.from(text, 'latin1'), {});
        expect(back.errors).toEqual([]);
        expect(back.documents).toHaveLength(1);
        expect(back.documents[0]).toMatchObject({ type: s.type, partnerId: null, mappingFile: `_base/x12-${version}-${s.message}.inbound.yaml` });
        expect(back.documents[0]!.document).toEqual(s.document);
      });
    }
  }

  it('numbers the 856 hierarchy 1.. with each HL02 naming its parent, and counts HL segments in CTT01', async () => {
    const outbound = config.mappingFor(undefined, { format: 'x12', message: '856', version: '004010', direction: 'outbound' })!;
    const tree = (await outbound.fromCanonical(shipNotice)).value as WireTree;
    const text = writeInterchange({
      delimiters: DEFAULT_DELIMITERS_4010,
      interchange: { senderQualifier: 'ZZ', senderId: 'ROUNDTRIP', receiverQualifier: 'ZZ', receiverId: 'BUYERCO', date: '240502', time: '1200', controlNumber: 78 },
      groups: [{ group: { functionalId: 'SH', senderCode: 'ROUNDTRIP', receiverCode: 'BUYERCO', date: '20240502', time: '1200', controlNumber: 78, version: '004010' }, transactions: [{ tree }] }],
    });
    const hl = text.split('\n').filter((l) => l.startsWith('HL*') || l.startsWith('CTT*'));
    // S; order 1 with its two items; order 2 with its one item
    expect(hl).toEqual(['HL*1**S~', 'HL*2*1*O~', 'HL*3*2*I~', 'HL*4*2*I~', 'HL*5*1*O~', 'HL*6*5*I~', 'CTT*6~']);
  });
});
