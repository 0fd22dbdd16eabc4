import { describe, expect, it } from 'vitest';
import { isLoopUse, type LoopUse, type SegmentUse } from '../../grammar.ts';
import { createEdifactGrammarRegistry, defaultEdifactGrammars } from './index.ts';
import { groupCorrespondence } from './relabel.ts';

type Use = SegmentUse | LoopUse;
function walk(uses: Use[], visit: (u: Use, parent: string) => void, parent = 'root'): void {
  for (const u of uses) { visit(u, parent); if (isLoopUse(u)) walk(u.children, visit, u.loop); }
}

describe('EDIFACT grammars as data', () => {
  const grammars = defaultEdifactGrammars();

  it('holds ORDERS, ORDRSP, DESADV, INVOIC, APERAK, RECADV, INVRPT, IFTSTA in every shipped directory (D93A has no APERAK or RECADV), INSDES from D99B, and CONTRL', () => {
    const dirs = ['D93A', 'D96A', 'D96B', 'D97A', 'D97B', 'D99B', 'D00A', 'D00B', 'D01B', 'D03B', 'D07A', 'D10A', 'D16A', 'D18A'];
    const want = dirs.flatMap((v) => ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC', 'INVRPT', 'IFTSTA', ...(v === 'D93A' ? [] : ['APERAK', 'RECADV']),
      ...(['D93A', 'D96A', 'D96B', 'D97A', 'D97B'].includes(v) ? [] : ['INSDES'])].map((m) => `${m} ${v}`));
    expect(grammars.map((g) => `${g.message} ${g.version}`).sort()).toEqual([...want, 'CONTRL 22', 'CONTRL 41', 'CONTRL D3'].sort());
  });

  for (const g of grammars) {
    it(`${g.message} ${g.version}: UNH first, UNT last, every group starts with a mandatory single trigger, group ids unique`, () => {
      expect((g.children[0] as SegmentUse).segment).toBe('UNH');
      expect((g.children[g.children.length - 1] as SegmentUse).segment).toBe('UNT');
      const ids: string[] = [];
      walk(g.children, (u) => {
        if (!isLoopUse(u)) return;
        ids.push(u.loop);
        const t = u.children[0] as SegmentUse;
        expect(isLoopUse(t), u.loop).toBe(false);
        expect([t.required, t.max ?? 1], u.loop).toEqual([true, 1]);
      });
      expect(new Set(ids).size).toBe(ids.length);
      // groups are numbered in table order: SG1, SG2, ... without gaps except where the table has none
      const nums = ids.map((x) => Number(x.slice(2)));
      expect(nums).toEqual([...nums].sort((a, b) => a - b));
    });
  }

  it('places the groups mappings rely on (checked against the D96A tables)', () => {
    const find = (message: string, loop: string): LoopUse | undefined => {
      let hit: LoopUse | undefined;
      walk(grammars.find((g) => g.message === message && g.version === 'D96A')!.children, (u) => { if (isLoopUse(u) && u.loop === loop) hit = u; });
      return hit;
    };
    const trig = (m: string, l: string): string | undefined => (find(m, l)?.children[0] as SegmentUse | undefined)?.segment;
    expect([trig('ORDERS', 'SG2'), trig('ORDERS', 'SG25'), trig('ORDERS', 'SG28'), trig('ORDERS', 'SG29'), trig('ORDERS', 'SG35')]).toEqual(['NAD', 'LIN', 'PRI', 'RFF', 'NAD']);
    expect([trig('INVOIC', 'SG25'), trig('INVOIC', 'SG26'), trig('INVOIC', 'SG28'), trig('INVOIC', 'SG48'), trig('INVOIC', 'SG50')]).toEqual(['LIN', 'MOA', 'PRI', 'MOA', 'TAX']);
    expect([trig('DESADV', 'SG10'), trig('DESADV', 'SG11'), trig('DESADV', 'SG15')]).toEqual(['CPS', 'PAC', 'LIN']);
    expect(find('ORDERS', 'SG25')?.max).toBe(200000);
  });

  it('numbers groups as each directory does (checked by hand against the UNTDID segment tables)', () => {
    const trigOf = (message: string, version: string, loop: string): string | undefined => {
      let hit: LoopUse | undefined;
      walk(grammars.find((g) => g.message === message && g.version === version)!.children, (u) => { if (isLoopUse(u) && u.loop === loop) hit = u; });
      return hit ? (hit.children[0] as SegmentUse).segment : undefined;
    };
    // ORDERS D.01B 4.3.1: SG28 LIN (C 200000), SG32 PRI; INVOIC D.01B and D.03B: SG26 LIN (C 9999999), SG16 ALC;
    // ORDRSP D.01B: SG26 LIN; DESADV D.01B: SG10 CPS, SG11 PAC, SG17 LIN; APERAK D.96A: SG3 ERC
    expect([trigOf('ORDERS', 'D01B', 'SG28'), trigOf('ORDERS', 'D01B', 'SG32'), trigOf('ORDERS', 'D01B', 'SG9')]).toEqual(['LIN', 'PRI', 'MOA']);
    expect([trigOf('INVOIC', 'D01B', 'SG26'), trigOf('INVOIC', 'D03B', 'SG26'), trigOf('INVOIC', 'D03B', 'SG16')]).toEqual(['LIN', 'LIN', 'ALC']);
    expect([trigOf('ORDRSP', 'D01B', 'SG26'), trigOf('DESADV', 'D01B', 'SG10'), trigOf('DESADV', 'D01B', 'SG11'), trigOf('DESADV', 'D01B', 'SG17')]).toEqual(['LIN', 'CPS', 'PAC', 'LIN']);
    expect(trigOf('APERAK', 'D96A', 'SG3')).toBe('ERC');
  });

  it('has the element lengths of each directory (issue 14: D01B 7008 an..256, 4440 an..512, 4441 an..17; D96A 35, 70, 3)', () => {
    const comp = (version: string, tag: string, el: number, c: number): string => {
      const d = grammars.find((g) => g.version === version)!.segments[tag]!.elements[el]!.components![c]!;
      return `${d.id} ${d.type}..${d.max}`;
    };
    expect([comp('D96A', 'IMD', 2, 3), comp('D96A', 'FTX', 3, 0), comp('D96A', 'FTX', 2, 0)]).toEqual(['7008 an..35', '4440 an..70', '4441 an..3']);
    expect([comp('D01B', 'IMD', 2, 3), comp('D01B', 'FTX', 3, 0), comp('D01B', 'FTX', 2, 0)]).toEqual(['7008 an..256', '4440 an..512', '4441 an..17']);
    expect(grammars.find((g) => g.version === 'D01B')!.segments.GIR).toBeDefined();
  });

  it('defines NAD so that C080/3036 is element 4, component 1 (as in NAD[3035=ST]/C080/3036)', () => {
    for (const g of grammars.filter((x) => x.message !== 'CONTRL')) {
      const nad = g.segments.NAD!;
      expect(nad.elements.map((e) => e.id).slice(0, 6)).toEqual(['3035', 'C082', 'C058', 'C080', 'C059', '3164']);
      expect(nad.elements[3]!.components![0]!.id).toBe('3036');
    }
  });
});

describe('group renaming between directories (a D96A mapping reading a D01B or D03B message)', () => {
  const g = (m: string, v: string) => createEdifactGrammarRegistry().find(m, v)!;
  it('matches groups by trigger and place; a group D96A lacks keeps a name no D96A mapping uses', () => {
    const orders = groupCorrespondence(g('ORDERS', 'D01B'), g('ORDERS', 'D96A'));
    // D01B 4.3.1 vs D96A 4.3.1: LIN SG28 -> SG25, PRI SG32 -> SG28, TDT SG10 -> SG9, PAT's new MOA group SG9 -> none
    expect([orders.get('SG28'), orders.get('SG32'), orders.get('SG10'), orders.get('SG9'), orders.get('SG2')]).toEqual(['SG25', 'SG28', 'SG9', 'SG9@D01B', 'SG2']);
    const invoic = groupCorrespondence(g('INVOIC', 'D03B'), g('INVOIC', 'D96A'));
    // D03B: PYT group SG8 takes PAT's place; header ALC SG16 -> SG15 with MOA SG20 -> SG19; summary ALC SG53 -> SG51
    expect([invoic.get('SG8'), invoic.get('SG16'), invoic.get('SG20'), invoic.get('SG26'), invoic.get('SG53')]).toEqual(['SG8', 'SG15', 'SG19', 'SG25', 'SG51']);
  });
});

describe('CONTRL as a message', () => {
  it('reads an inbound CONTRL with its table and checks its elements (UCI 0083 missing, UCS 0096 not numeric)', async () => {
    const { parseEdifact } = await import('../reader.ts');
    const ok = "UNB+UNOA:3+R+S+260101:1200+9'UNH+1+CONTRL:D:3:UN'UCI+77+S:ZZZ+R:ZZZ+4'UCM+9+INVOIC:D:96A:UN+4'UCS+4'UCD+39+1'UNT+6+1'UNZ+1+9'";
    const m = parseEdifact(ok)[0]!.messages[0]!;
    expect([m.grammarVersion, m.errors]).toEqual(['D3', []]);
    expect(m.tree.root.children.map((c) => ('loop' in c ? c.loop : c.tag))).toEqual(['UNH', 'UCI', 'SG1', 'UNT']);
    const bad = "UNB+UNOA:3+R+S+260101:1200+9'UNH+1+CONTRL:4:1:UN'UCI+77+S:ZZZ+R:ZZZ'UCM+9+INVOIC:D:96A:UN+4'UCS+X4'UNT+5+1'UNZ+1+9'";
    expect(parseEdifact(bad)[0]!.messages[0]!.errors.map((e) => [e.code, e.detail.segment, e.detail.elementId])).toEqual([
      ['edifact_mandatory_element_missing', 'UCI', '0083'], ['edifact_invalid_numeric', 'UCS', '0096']]);
  });
});
