import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createCsvFormatReader } from './format-reader.ts';

const smallparts = { delimiter: ';', quote: '"', encoding: 'windows-1252', header: true, groupBy: 'PO Number' };
const file = iconv.encode('PO Number;Line;Description;Qty\r\nPO-1;1;Washer Ø6;10\r\nPO-1;2;"Bolt; M6";5\r\nPO-2;1;Nut;7\r\n', 'windows-1252');

describe('CSV format reader', () => {
  it('one unit per document group, with the partner options (delimiter, quote, encoding, groupBy)', async () => {
    const r = await createCsvFormatReader().split(file, { partnerId: 'smallparts', formatOptions: smallparts, metadata: { message: 'invoice' } });
    expect(r.errors).toEqual([]);
    expect(r.units.map((u) => [u.position, u.format, u.message, u.envelope.transactionControlNumber])).toEqual([[0, 'csv', 'invoice', 'PO-1'], [1, 'csv', 'invoice', 'PO-2']]);
    expect(r.units[0]!.input).toEqual([
      { 'PO Number': 'PO-1', Line: '1', Description: 'Washer Ø6', Qty: '10' },
      { 'PO Number': 'PO-1', Line: '2', Description: 'Bolt; M6', Qty: '5' },
    ]);
  });

  it('message name from the metadata, else the partner\'s single inbound csv message, else a precise error', async () => {
    const one = createCsvFormatReader({ inboundMessages: () => ['ship_notice'] });
    expect((await one.split(file, { partnerId: 'p', formatOptions: smallparts, metadata: {} })).units[0]!.message).toBe('ship_notice');
    const two = createCsvFormatReader({ inboundMessages: () => ['ship_notice', 'invoice'] });
    const r = await two.split(file, { partnerId: 'p', formatOptions: smallparts, metadata: {} });
    expect(r.units).toEqual([]);
    expect(r.errors[0]!.code).toBe('csv_message_unknown');
    expect(r.errors[0]!.message).toContain('ship_notice, invoice');
  });

  it('header=false: columns by 0-based position; header=true: columns are aliases of header names', async () => {
    const noHeader = await createCsvFormatReader().split(Buffer.from('A1,3\nA1,4\nB2,1\n'), {
      formatOptions: { header: false, columns: { po: 0, qty: 1 }, groupBy: 'po' }, metadata: { message: 'm' },
    });
    expect(noHeader.units.map((u) => u.input)).toEqual([[{ po: 'A1', qty: '3' }, { po: 'A1', qty: '4' }], [{ po: 'B2', qty: '1' }]]);
    const aliased = await createCsvFormatReader().split(Buffer.from('Order No,Amount\nX,1\n'), {
      formatOptions: { columns: { po: 'Order No' }, groupBy: 'po' }, metadata: { message: 'm' },
    });
    expect(aliased.units.map((u) => u.input)).toEqual([[{ 'Order No': 'X', Amount: '1', po: 'X' }]]);
  });

  it('skipRows drops a title block above the header', async () => {
    const r = await createCsvFormatReader().split(Buffer.from('Small Parts Ltd export\n\nPO,Qty\nP1,2\n'), { formatOptions: { skipRows: 2 }, metadata: { message: 'm' } });
    expect(r.units.map((u) => u.input)).toEqual([[{ PO: 'P1', Qty: '2' }]]);
  });

  it('bad rows make their group\'s unit carry the error with row numbers; a missing column refuses the file', async () => {
    const r = await createCsvFormatReader().split(Buffer.from('PO,Qty\nP1,2\nP2,"3\n'), { formatOptions: { groupBy: 'PO' }, metadata: { message: 'm' } });
    expect(r.units[0]!.errors).toEqual([]);
    expect(r.units[1]!.errors[0]!.detail).toMatchObject({ group: 'P2', firstRow: 3 });
    const m = await createCsvFormatReader().split(Buffer.from('Order,Qty\nP1,2\n'), { formatOptions: { groupBy: 'PO' }, metadata: { message: 'm' } });
    expect(m.units).toEqual([]);
    expect(m.errors.map((e) => e.code)).toEqual(['csv_missing_column']);
    const e = await createCsvFormatReader().split(Buffer.from('PO,Qty\n'), { formatOptions: {}, metadata: { message: 'm' } });
    expect(e.errors.map((x) => x.code)).toEqual(['csv_empty']);
  });
});
