import { describe, expect, it } from 'vitest';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import type { Loop, Segment, WireNode } from '../../src/formats/wire.ts';
import { GRAMMAR_850_004010 } from '../../src/formats/x12/grammars/850-004010.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { expectedPO, sample850 } from './fixtures-850.ts';
import { baseSource, memoryOptions } from './helpers.ts';

const grammar = () => GRAMMAR_850_004010;
const opts = memoryOptions({}, grammar);
const inbound = compileMapping(baseSource('_base/x12-004010-850.inbound.yaml'), opts);
const outbound = compileMapping(baseSource('_base/x12-004010-850.outbound.yaml'), opts);

function flat(nodes: WireNode[], out: string[] = []): string[] {
  for (const n of nodes) {
    if ((n as Segment).tag !== undefined) {
      const s = n as Segment;
      out.push([s.tag, ...s.elements.map((e) => (Array.isArray(e) ? e.join(':') : e))].join('*'));
    } else flat((n as Loop).children, out);
  }
  return out;
}

describe('base 850 004010 mapping', () => {
  it('maps a real-looking 850 to the canonical purchase order', async () => {
    const out = await inbound.toCanonical(sample850());
    expect(out.problems).toEqual([]);
    expect(out.value).toEqual(expectedPO);
    expect(createCanonicalValidators().validateDocument('purchase_order', out.value)).toEqual([]);
  });

  it('reports which rules produced values, and finds the rule for a pointer', async () => {
    const out = await inbound.toCanonical(sample850());
    expect(out.usedRules.has('lines.quantity')).toBe(true);
    expect(out.usedRules.has('billTo')).toBe(false);
    expect(inbound.ruleFor('/lines/2/quantity')).toMatchObject({ id: 'lines.quantity', file: '_base/x12-004010-850.inbound.yaml' });
    expect(inbound.ruleFor('/buyer/address/lines/1')?.id).toBe('buyer.address.lines');
    expect(inbound.rules.some((r) => r.id === 'totals.amount')).toBe(true);
  });

  it('renders the canonical PO as an 850 body, positions 1.., trailing empty elements trimmed', async () => {
    const out = await outbound.fromCanonical(expectedPO);
    expect(out.problems).toEqual([]);
    const t = out.value as { standard: string; message: string; version: string; root: Loop };
    expect([t.standard, t.message, t.version, t.root.loop]).toEqual(['x12', '850', '004010', '850']);
    expect(flat(t.root.children)).toEqual([
      'BEG*00*SA*PO-4500012345**20261120',
      'CUR*BY*USD',
      'ITD************NET 30',
      'DTM*002*20261205',
      'N1*BY*ACME RETAIL DC 12*92*0012',
      'N3*1200 INDUSTRIAL PKWY*DOCK 4',
      'N4*COLUMBUS*OH*43215*US',
      'PER*IC*JANE BUYER*TE*6145550100*EM*jane@acme.example',
      'N1*SE*WIDGET SUPPLY CO*92*VEND77',
      'N1*ST*ACME STORE 0457*92*0457',
      'N3*88 MAIN ST',
      'N4*DAYTON*OH*45402*US',
      'PO1*1*24*CA*12.5**BP*ACM-100*VP*WS-9001*UP*012345678905',
      'PID*F****BLUE WIDGET 12PK',
      'PO1*2*10*EA*3.75**BP*ACM-200*VP*WS-9002',
      'PID*F****RED GADGET',
      'PO1*3*2.5*LB*8******UP*4006381333931',
      'CTT*3',
      'AMT*TT*357.5',
    ]);
    const n1s = t.root.children.filter((n) => (n as Loop).loop === 'N1') as Loop[];
    expect(n1s.map((l) => (l.children[0] as Segment).elements[0])).toEqual(['BY', 'SE', 'ST']);
    const positions: number[] = [];
    const walk = (ns: WireNode[]): void => ns.forEach((n) => ((n as Segment).tag ? positions.push((n as Segment).position) : walk((n as Loop).children)));
    walk(t.root.children);
    expect(positions).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });

  it('round-trips canonical -> 850 tree -> canonical to the same document, but for itemIds (inbound only: the outbound PO1 writes BP, VP and UP)', async () => {
    const tree = (await outbound.fromCanonical(expectedPO)).value;
    const back = await inbound.toCanonical(tree);
    expect(back.problems).toEqual([]);
    const withoutItemIds = { ...expectedPO, lines: expectedPO.lines.map(({ itemIds: _i, ...l }: { itemIds?: unknown }) => l) };
    expect(back.value).toEqual(withoutItemIds);
  });
});
