/**
 * EDIFACT names in the unmapped report: segments qualified by the first component of their first
 * element (DTM+137, NAD+BY, RFF+ON, QTY+21, MOA+203, PIA+5; COM by C076's 3155; LIN, IMD, BGM
 * unqualified: src/mapping/ignore.ts), elements and components by their directory ids where the
 * id is unique in the segment or composite (NAD+BY/C082/3055, BGM/1225), by position where it
 * repeats (PIA+5/03/01: C212 is PIA's second to sixth element) or the grammar lacks the segment.
 */
import type { SegmentDef } from '../../formats/grammar.ts';

const pos = (i: number): string => String(i + 1).padStart(2, '0');

function unique(defs: Array<{ id: string }> | undefined, i: number): string | undefined {
  const id = defs?.[i]?.id;
  if (id === undefined) return undefined;
  return defs!.filter((d) => d.id === id).length === 1 ? id : undefined;
}

export function edifactElementName(def: SegmentDef | undefined, elem: number, comp: number | undefined): string {
  const e = unique(def?.elements, elem) ?? pos(elem);
  if (comp === undefined) return e;
  const c = unique(def?.elements[elem]?.components, comp) ?? pos(comp);
  return `${e}/${c}`;
}
