import { describe, expect, it } from 'vitest';
import { isLoopUse, type LoopUse, type SegmentUse } from '../../grammar.ts';
import { defaultEdifactGrammars } from './index.ts';

type Use = SegmentUse | LoopUse;
function walk(uses: Use[], visit: (u: Use, parent: string) => void, parent = 'root'): void {
  for (const u of uses) { visit(u, parent); if (isLoopUse(u)) walk(u.children, visit, u.loop); }
}

describe('EDIFACT grammars as data', () => {
  const grammars = defaultEdifactGrammars();

  it('holds ORDERS, ORDRSP, DESADV and INVOIC in D96A and D01B', () => {
    expect(grammars.map((g) => `${g.message} ${g.version}`).sort()).toEqual([
      'DESADV D01B', 'DESADV D96A', 'INVOIC D01B', 'INVOIC D96A', 'ORDERS D01B', 'ORDERS D96A', 'ORDRSP D01B', 'ORDRSP D96A']);
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

  it('defines NAD so that C080/3036 is element 4, component 1 (as in NAD[3035=ST]/C080/3036)', () => {
    for (const g of grammars) {
      const nad = g.segments.NAD!;
      expect(nad.elements.map((e) => e.id).slice(0, 6)).toEqual(['3035', 'C082', 'C058', 'C080', 'C059', '3164']);
      expect(nad.elements[3]!.components![0]!.id).toBe('3036');
    }
  });
});
