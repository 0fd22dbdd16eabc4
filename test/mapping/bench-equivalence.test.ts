import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compiled850, handCoded850, JSONATA_850, make850 } from '../../bench/mapping.ts';
import { wireView } from '../../src/mapping/expr.ts';

describe('bench/mapping compares equal work', () => {
  it('the compiled mapping, the hand-coded TS and the JSONata expression produce the same document', async () => {
    const doc = make850(20);
    const mapped = await compiled850().toCanonical(doc);
    expect(mapped.problems).toEqual([]);
    expect(handCoded850(doc)).toEqual(mapped.value);
    expect(await jsonata(JSONATA_850).evaluate(wireView(doc.root))).toEqual(mapped.value);
    expect((mapped.value as { lines: unknown[] }).lines).toHaveLength(20);
  });
});
