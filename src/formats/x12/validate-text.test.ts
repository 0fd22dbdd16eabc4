import { describe, expect, it } from 'vitest';
import type { ElementDef, SegmentDef } from '../grammar.ts';
import type { X12Error } from './errors.ts';
import { X12_GRAMMARS } from './grammars/index.ts';
import { parseTransactions } from './reader.ts';
import { fastDef, validateElements } from './validate-elements.ts';
import { textLooksValid } from './validate-text.ts';

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

/** Values around the edges of an element's rules: valid, too short/long, bad dates, signs, points, exponents. */
function candidates(d: ElementDef): string[] {
  const min = d.min ?? 1; const max = Math.min(d.max ?? 10, 40);
  const common = ['', 'A', 'X'.repeat(min), 'X'.repeat(max), 'X'.repeat(max + 1), '0'.repeat(min), '9'.repeat(max), '9'.repeat(max + 1), ' ', '-'];
  switch (d.type) {
    case 'DT': return [...common, '20240229', '20230229', '20241301', '240315', '991231', '2024031', '20240315', '20240431', '0000000'];
    case 'TM': return [...common, '1030', '2359', '2400', '103', '10300', '103059', '1030599', '10305999', '123456789', '1260'];
    case 'R': return [...common, '1.5', '-1.5', '.5', '5.', '-.5', '1.2.3', '1e5', '1E-2', '--1', '-', '.', '12345678901234567890', '1,5'];
    default:
      if (d.type && d.type[0] === 'N') return [...common, '-12', '12', '1.5', '-', '0012', '12a', '+1', '1'.repeat(max), '-' + '1'.repeat(max)];
      return [...common, 'AB', 'ABC', 'É', 'a~b'];
  }
}

function segmentsWithElements(): SegmentDef[] {
  const seen = new Set<SegmentDef>();
  for (const g of X12_GRAMMARS) for (const def of Object.values(g.segments)) if (def.elements.length > 0) seen.add(def);
  return [...seen];
}

describe('element checks on the segment text (the reader\'s fast path)', () => {
  it('never calls a segment valid that the full element checks would reject', () => {
    const next = random(20261123);
    const defs = segmentsWithElements();
    let checked = 0; let fast = 0;
    for (const def of defs) {
      const f = fastDef(def);
      for (let round = 0; round < 300; round++) {
        const count = Math.floor(next() * (def.elements.length + 3));
        const values: string[] = [];
        for (let i = 0; i < count; i++) {
          const d = def.elements[i];
          const pool = d ? candidates(d) : ['', 'EXTRA'];
          values.push(pool[Math.floor(next() * pool.length)] as string);
        }
        const text = values.join('*');
        const errors: X12Error[] = [];
        validateElements({ tag: def.tag, elements: count === 0 ? [] : values, position: 1 }, def, { segment: def.tag, segmentPosition: 1 }, errors, f);
        const looksValid = textLooksValid(`${def.tag}*${text}~`, def.tag.length + 1, def.tag.length + 1 + text.length, '*', f);
        if (looksValid) {
          expect({ segment: `${def.tag}*${text}`, errors }).toEqual({ segment: `${def.tag}*${text}`, errors: [] });
          fast++;
        }
        checked++;
      }
    }
    // the fast path must actually take the common case, or it is not worth having
    expect(fast).toBeGreaterThan(checked / 20);
  });

  it('finds the same errors in a real purchase order whether or not its segments were split first', () => {
    const po = [
      'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        *240315*1030*U*00401*000000001*0*P*>~',
      'GS*PO*ACMESUPPLY*BUYERCO*20240315*1030*1*X*004010~',
      'ST*850*0001~', 'BEG*00*SA*PO-1**20240231~', 'PO1*1*2.5.1*EA*10.00*PE*BP*WID-1~', 'PO1*2*3*EA*X*PE*BP*WID-2~', 'CTT*2~', 'SE*6*0001~',
      'GE*1*1~', 'IEA*1*000000001~',
    ].join('\n');
    const [lazy] = parseTransactions(po);
    const codes = (lazy?.errors ?? []).filter((e) => e.level === 'element').map((e) => `${e.segment}${e.elementPosition}:${e.code}`);
    // BEG05 2024-02-31 is not a date (8); PO102 '2.5.1' and PO104 'X' are not numbers (6)
    expect(codes).toEqual(['BEG5:8', 'PO12:6', 'PO14:6']);
  });
});
