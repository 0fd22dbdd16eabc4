/**
 * Differential test of the EDIFACT directories we ship (from the UNTDID files) against a second
 * transcription of the same directories, the BizTalk Server EDIFACT schemas (MIT;
 * test/edifact/biztalk-directories.json, made by scripts/edifact-biztalk-snapshot.ts): every
 * message table (segment order, M/C, repeats, group nesting and numbers; BizTalk names groups
 * RFFLoop1.. and they are numbered here in table order), and per segment every element and
 * component position: id and M/C, class and maximum length where BizTalk states a length (it
 * types coded elements by their code list, without a length). D16A and D18A have no second
 * source (BizTalk stops at D10B; the `edifact` npm package's tables are one hand-made mix of
 * directories, LOC without C517): they are listed as not compared.
 */
import { describe, expect, it } from 'vitest';
import { EDIFACT_VERSIONS } from '../../src/formats/edifact/index.ts';
import { compareDirectories } from './directory-diff.ts';

describe('EDIFACT directories against a second source (BizTalk EDIFACT schemas)', () => {
  const results = compareDirectories();

  it('compares every shipped directory BizTalk has, and lists the differences', () => {
    const lines = results.map((r) => `${r.directory}: ${r.messages} message tables, ${r.segments} segments, ${r.positions} element/component positions (id, M/C), ${r.lengths} lengths; ${r.differences.length} difference(s)${r.differences.map((d) => `\n  ${d}`).join('')}`);
    const notCompared = EDIFACT_VERSIONS.filter((v) => !results.some((r) => r.directory === v));
    console.log(`${lines.join('\n')}\nnot compared (no second source): ${notCompared.join(', ')}`);
    expect(results.map((r) => r.directory)).toEqual(['D93A', 'D96A', 'D96B', 'D97A', 'D97B', 'D99B', 'D00A', 'D00B', 'D01B', 'D03B', 'D07A', 'D10A']);
    expect(notCompared).toEqual(['D16A', 'D18A']);
  });

  for (const r of results) {
    it(`${r.directory}: the message tables and segment definitions agree`, () => {
      // ORDERS ORDRSP DESADV INVOIC INVRPT IFTSTA everywhere; APERAK RECADV from D96A; INSDES from D99B
      expect(r.messages).toBe(r.directory === 'D93A' ? 6 : ['D96A', 'D96B', 'D97A', 'D97B'].includes(r.directory) ? 8 : 9);
      expect(r.segments).toBeGreaterThan(40);
      expect(r.lengths).toBeGreaterThan(150);
      expect(r.differences).toEqual([]);
    });
  }
});
