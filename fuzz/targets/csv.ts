/** CSV: the codec with each partner profile shape (semicolon/windows-1252, comma/utf-8, headerless), then the reader. */
import { parseCsv, type CsvProfile } from '../../src/formats/csv/index.ts';
import { createCsvFormatReader } from '../../src/formats/csv/format-reader.ts';
import type { FuzzTarget } from '../types.ts';
import { assertTyped, pick } from './common.ts';

const reader = createCsvFormatReader();
const PROFILES: Array<{ codec: CsvProfile; reader: Record<string, unknown> }> = [
  { codec: { delimiter: ';', quoteChar: '"', encoding: 'windows-1252', header: true, groupBy: 'PO Number' },
    reader: { delimiter: ';', quote: '"', encoding: 'windows-1252', header: true, groupBy: 'PO Number' } },
  { codec: { header: true }, reader: { header: true, skipRows: 1 } },
  { codec: { header: false, columns: ['a', 'b', 'c'], groupBy: 'a' }, reader: { header: false, columns: { a: 0, b: 1, c: 2 }, groupBy: 0 } },
];

export const target: FuzzTarget = {
  name: 'csv',
  description: 'parseCsv (src/formats/csv) and the pipeline csv reader, three profile shapes',
  dialect: { delimiters: [';', ',', '"', '\n', '\r', '\t', '|'], segmentEnds: ['\n'], nesting: [['"', '"'], ['""', '']] },
  ratio: 5000,
  floorMs: 100,
  async setup(src) {
    const seeds = pick(src, (_b, rel) => rel.endsWith('.csv'));
    return seeds.flatMap((s) => PROFILES.map((_, i) => ({ ...s, meta: { profile: String(i) } })));
  },
  async run(bytes, meta) {
    const p = PROFILES[Number(meta.profile ?? 0)]!;
    for (const doc of parseCsv(bytes, p.codec)) assertTyped(doc.errors.map((e) => e), 'document');
    const r = await reader.split(bytes, { formatOptions: p.reader, metadata: { message: 'ship_notice' } });
    assertTyped(r.errors, 'split');
    for (const u of r.units) assertTyped(u.errors, 'unit');
  },
};
