/**
 * Outbound decimal mark: the mapping writes numbers with '.', and a partner whose UNA announces ','
 * gets ',' in numeric data elements. Which elements are numeric comes from the message grammar's
 * segment directory (class `n`, e.g. 6060 Quantity, 5118 Price, 5004 Monetary amount); text
 * elements (an) keep their '.' (a street "Industriestr. 9", an article "ET-5.5"). Pure, no I/O.
 */
import type { ElementDef, SegmentDef } from '../grammar.ts';
import type { Element } from '../wire.ts';

/** a decimal number as the mapping writes it: digits, '.', digits (ISO 9735: a digit on each side of the mark) */
const DOT_DECIMAL = /^(-?\d+)\.(\d+)$/;

function markValue(value: string, def: ElementDef | undefined, mark: string): string {
  if (def?.type !== 'n') return value;
  const m = DOT_DECIMAL.exec(value);
  return m ? `${m[1]}${mark}${m[2]}` : value;
}

function markElement(e: Element, def: ElementDef | undefined, mark: string): Element {
  if (typeof e === 'string') {
    // a composite written as one value holds its first component
    return markValue(e, def?.components ? def.components[0] : def, mark);
  }
  if (!def?.components) return e.length === 1 ? [markValue(e[0]!, def, mark)] : e;
  return e.map((v, i) => markValue(v, def.components![i], mark));
}

/**
 * The segment's elements (and repetitions) with `mark` as decimal mark in its numeric elements.
 * Returns the input unchanged when the mark is '.' or the segment is not in the directory.
 */
export function applyDecimalMark(
  seg: { tag: string; elements: Element[]; repeats?: Record<number, Element[]> },
  defs: Readonly<Record<string, SegmentDef>> | undefined,
  mark: string,
): { elements: Element[]; repeats?: Record<number, Element[]> } {
  const def = defs?.[seg.tag];
  if (mark === '.' || !def) return seg.repeats ? { elements: seg.elements, repeats: seg.repeats } : { elements: seg.elements };
  const elements = seg.elements.map((e, i) => markElement(e, def.elements[i], mark));
  if (!seg.repeats) return { elements };
  const repeats: Record<number, Element[]> = {};
  for (const [k, list] of Object.entries(seg.repeats)) repeats[Number(k)] = list.map((e) => markElement(e, def.elements[Number(k)], mark));
  return { elements, repeats };
}
