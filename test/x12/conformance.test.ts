/**
 * Every X12 file of ../shared/conformance/x12 and ../shared/conformance/malformed (X12 ones are
 * recognised by content starting with ISA) with its expected outcome. Counts of interchanges,
 * groups and sets come from PROVENANCE.tsv ("ISA=n GS=n ST=n"), written independently of this code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createX12Reader, parseX12 } from '../../src/formats/x12/reader.ts';
import type { TransactionItem, X12Item } from '../../src/formats/x12/types.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const root = resolve(repoRoot, '../shared/conformance');
const present = existsSync(resolve(root, 'PROVENANCE.tsv'));

function provenance(): Map<string, string> {
  const rows = readFileSync(resolve(root, 'PROVENANCE.tsv'), 'utf8').split('\n').slice(1);
  return new Map(rows.filter((r) => r.trim()).map((r) => { const c = r.split('\t'); return [c[0] ?? '', c[5] ?? '']; }));
}

function x12Files(dir: string): string[] {
  return readdirSync(resolve(root, dir)).filter((f) => /^(\xef\xbb\xbf)?\s*ISA/.test(readFileSync(resolve(root, dir, f)).subarray(0, 64).toString('latin1'))).map((f) => `${dir}/${f}`);
}

const all = (items: X12Item[]): Array<{ level: string; code: string; error: string; segment?: string; elementPosition?: number }> => items.flatMap((i) => ('errors' in i ? i.errors : []));
const sets = (items: X12Item[]): TransactionItem[] => items.filter((i): i is TransactionItem => i.kind === 'transaction');

/** Supported sets in x12/ that are expected to be rejected, and why. */
const EXPECTED_REJECTED: Record<string, string> = {
  'x12/staedi_997_5010_repetitions_and_components.edi': 'AK302/AK304 carry repetitions of text in numeric/ID elements (a separator test file)',
};

/** malformed/: the findings each file must produce (level:code@segment), hand-derived from PROVENANCE notes. */
const MALFORMED: Record<string, string[]> = {
  'malformed/staedi_x12_997_invalid_codes.edi': ['element:5@AK1', 'element:6@AK4'],
  'malformed/staedi_x12_997_bad_date_bad_ge02.edi': ['interchange:024@GS', 'group:4@GE', 'element:5@AK1'],
  'malformed/staedi_x12_999_invalid_structure.edi': ['transaction:4@SE', 'segment:2@IK5', 'element:3@AK2', 'element:5@AK1'],
  'malformed/staedi_x12_997_empty_body.edi': ['segment:3@AK1', 'segment:3@AK9'],
  'malformed/staedi_x12_bin01_non_numeric_length.edi': ['element:6@BIN'],
};

describe.skipIf(!present)('X12 conformance files', () => {
  const notes = present ? provenance() : new Map<string, string>();
  const files = present ? [...x12Files('x12'), ...x12Files('malformed')] : [];

  it('finds the X12 files', () => {
    expect(files.length).toBeGreaterThanOrEqual(28);
  });

  for (const file of files) {
    it(file, () => {
      const bytes = readFileSync(resolve(root, file));
      const items = parseX12(bytes);
      const note = notes.get(file) ?? '';
      const counts = /ISA=(\d+) GS=(\d+) ST=(\d+)/.exec(note);
      expect(counts, `PROVENANCE has counts for ${file}`).not.toBeNull();
      expect(items.filter((i) => i.kind === 'interchange_start').length).toBe(Number(counts?.[1]));
      expect(items.filter((i) => i.kind === 'group_start').length).toBe(Number(counts?.[2]));
      expect(sets(items).length).toBe(Number(counts?.[3]));
      // the set ids named in the notes, e.g. "(810x2, 850x1)"
      const ids = [...note.matchAll(/(\w{3})x(\d+)/g)].flatMap((m) => Array.from({ length: Number(m[2]) }, () => m[1]));
      expect(sets(items).map((t) => t.transaction.id).sort()).toEqual(ids.sort());
      // streaming in 7-byte chunks gives the same result
      const r = createX12Reader();
      const streamed: X12Item[] = [];
      for (let i = 0; i < bytes.length; i += 7) streamed.push(...r.push(bytes.subarray(i, i + 7)));
      streamed.push(...r.end());
      expect(JSON.stringify(streamed)).toBe(JSON.stringify(items));

      const errors = all(items);
      if (file.startsWith('x12/')) {
        expect(items.some((i) => i.kind === 'garbage')).toBe(false);
        const envelope = errors.filter((e) => e.level === 'interchange' || e.level === 'group').map((e) => e.error).sort();
        const expected = [...(note.includes('missing GE') ? ['x12_ge_missing'] : []), ...(note.includes('missing IEA') ? ['x12_iea_missing'] : [])].sort();
        expect(envelope).toEqual(expected);
        for (const t of sets(items)) {
          expect(t.segmentCount).toBeGreaterThan(1);
          if (!t.supported) { expect(t.accepted, `${t.transaction.id} unsupported but enveloped`).toBe(true); continue; }
          if (EXPECTED_REJECTED[file]) expect(t.accepted).toBe(false);
          else expect(t.errors, `${file} ${t.transaction.id} ${t.transaction.controlNumber}`).toEqual([]);
        }
      } else {
        const found = new Set(errors.map((e) => `${e.level}:${e.code}@${e.segment ?? ''}`));
        for (const want of MALFORMED[file] ?? ['unlisted']) expect([...found]).toContain(want);
        expect(sets(items).every((t) => !t.accepted) || errors.some((e) => e.level === 'group' || e.level === 'interchange')).toBe(true);
      }
    });
  }
});
