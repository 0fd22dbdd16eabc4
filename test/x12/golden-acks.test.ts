/**
 * Golden acknowledgements: for each fixture under fixtures/x12, the 997 (4010 and 5010) or 999
 * (5010) we send back, compared with the expected ST..SE text under fixtures/x12/acks, written by
 * hand from the 997/999 standards (AK3/AK4 positions and codes counted in the input).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build997 } from '../../src/formats/x12/ack-997.ts';
import { build999 } from '../../src/formats/x12/ack-999.ts';
import { parseX12 } from '../../src/formats/x12/reader.ts';
import type { GroupEndItem } from '../../src/formats/x12/types.ts';
import { writeTransaction } from '../../src/formats/x12/writer.ts';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/x12');
const acks = readdirSync(resolve(dir, 'acks')).filter((f) => f.endsWith('.edi'));

describe('golden 997/999 for the X12 fixtures', () => {
  it('has expected acks for every fixture', () => {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.edi'))) {
      const base = f.replace(/\.edi$/, '');
      expect(acks.some((a) => a.startsWith(`${base}.`)), base).toBe(true);
    }
  });
  for (const ack of acks) {
    it(ack, () => {
      const [, base, kind] = /^(.*)\.(997|999)\.edi$/.exec(ack) ?? [];
      const input = resolve(dir, `${base}.edi`);
      expect(existsSync(input)).toBe(true);
      const group = parseX12(readFileSync(input)).find((i): i is GroupEndItem => i.kind === 'group_end')!;
      const tree = kind === '997' ? build997(group) : build999(group);
      const d = parseX12(readFileSync(input))[0]!;
      const delimiters = d.kind === 'interchange_start' ? d.interchange.delimiters : { element: '*', component: '>', segment: '~' };
      expect(writeTransaction({ tree }, { ...delimiters, lineBreak: '\n' }).text).toBe(readFileSync(resolve(dir, 'acks', ack), 'utf8'));
    });
  }
});
