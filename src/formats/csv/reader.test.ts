import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv, readCsv, type CsvDocument, type CsvProfile } from './reader.ts';

const sample = fs.readFileSync(path.resolve(import.meta.dirname, '../../../test/csv/orders-semicolon-latin1.csv'));
const profile: CsvProfile = { delimiter: ';', encoding: 'latin1', groupBy: 'PO-Nummer', columns: ['Artikel', 'Menge'] };
async function* chunks(b: Buffer, size: number): AsyncGenerator<Uint8Array> { for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size); }
async function collect(it: AsyncIterable<CsvDocument>): Promise<CsvDocument[]> { const out = []; for await (const d of it) out.push(d); return out; }

describe('CSV reader', () => {
  it('groups rows into documents by the key column, with partner delimiter, quotes and encoding', () => {
    const docs = parseCsv(sample, profile);
    expect(docs.map((d) => [d.key, d.firstRow, d.lastRow, d.rows.length, d.errors.length])).toEqual([['PO-1001', 2, 3, 2, 0], ['PO-1002', 4, 4, 1, 0]]);
    expect(docs[0]!.rows[0]).toEqual({ 'PO-Nummer': 'PO-1001', Datum: '2026-11-20', Position: '1', Artikel: 'ART-100', Bezeichnung: 'Schraube "M6" verzinkt', Menge: '250', Einheit: 'PCE', Preis: '0,12' });
    expect(docs[1]!.rows[0]!.Bezeichnung).toBe('Dübel; 8 mm\r\nfür Beton');
  });

  it('streams the same documents from small chunks (multi-byte and quoted line breaks split across chunks)', async () => {
    for (const size of [1, 7, 64]) expect(await collect(readCsv(chunks(sample, size), profile))).toEqual(parseCsv(sample, profile));
    const utf8 = Buffer.from(`\uFEFFpo,item\nA,Grüße\nA,Ω\nB,x\n`, 'utf8');
    const docs = await collect(readCsv(chunks(utf8, 1), { groupBy: 'po' }));
    expect(docs.map((d) => [d.key, d.rows.map((r) => r.item)])).toEqual([['A', ['Grüße', 'Ω']], ['B', ['x']]]);
  });

  it('reads columns by position when the partner sends no header', () => {
    const docs = parseCsv('4711|1|ABC|5\n4711|2|DEF|7\n4712|1|XYZ|1\n', { header: false, delimiter: '|', columns: ['po', 'line', 'sku'], groupBy: 'po' });
    expect(docs.map((d) => d.key)).toEqual(['4711', '4712']);
    expect(docs[0]!.rows[1]).toEqual({ po: '4711', line: '2', sku: 'DEF', col4: '7' });
    expect(docs[0]!.firstRow).toBe(1);
  });

  it('names row and column for a wrong field count, an unterminated quote and a blank key', () => {
    const docs = parseCsv('po,sku,qty\nA,X,1\nA,Y\n,Z,3\nB,"open,4\n', { groupBy: 'po' });
    const errs = docs.flatMap((d) => d.errors.map((e) => [e.code, e.detail.row, e.detail.column]));
    expect(errs).toEqual([['csv_field_count', 3, 3], ['csv_missing_group_key', 4, 1], ['csv_unterminated_quote', 5, 2], ['csv_field_count', 5, 3]]);
  });

  it('refuses a header without the configured columns', () => {
    expect(() => parseCsv('order,sku\n1,A\n', { groupBy: 'po' })).toThrowError(expect.objectContaining({ code: 'csv_missing_column', detail: expect.objectContaining({ row: 1, expected: 'po' }) }));
  });

  it('reports a document whose rows are not contiguous, or merges them with grouping "any"', () => {
    const text = 'po,sku\nA,1\nB,2\nA,3\n';
    const c = parseCsv(text, { groupBy: 'po' });
    expect(c.map((d) => [d.key, d.errors.map((e) => [e.code, e.detail.row])])).toEqual([['A', []], ['B', []], ['A', [['csv_group_not_contiguous', 4]]]]);
    const any = parseCsv(text, { groupBy: 'po', grouping: 'any' });
    expect(any.map((d) => [d.key, d.rows.map((r) => r.sku), d.firstRow, d.lastRow])).toEqual([['A', ['1', '3'], 2, 4], ['B', ['2'], 3, 3]]);
  });

  it('streams a large file with back-pressure, document by document', async () => {
    const lines = ['po,line,sku,qty'];
    for (let i = 0; i < 60000; i++) lines.push(`PO${Math.floor(i / 3)},${i % 3},SKU${i},1`);
    const big = Buffer.from(lines.join('\n') + '\n');
    let n = 0; let rows = 0;
    for await (const d of readCsv(chunks(big, 65536), { groupBy: 'po' })) { n++; rows += d.rows.length; if (d.errors.length) throw d.errors[0]; }
    expect([n, rows]).toEqual([20000, 60000]);
  });
});
