/**
 * Every crash or stall `npm run fuzz` found, as a hand-made reproduction (built from fixtures/ or
 * written out here, never a saved fuzz input: those may hold ../shared/conformance content).
 * Each goes through its fuzz target (typed outcome, time within the target's ratio to a linear
 * scan of the same bytes) and, where the fix has a visible effect, through the public API.
 * Owner in each title: who fixed it (fuzz, lin = X12/EDIFACT, config = partner/mapping YAML).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv, MAX_FINDINGS } from '../../src/formats/csv/reader.ts';
import { createCsvFormatReader } from '../../src/pipeline/formats/csv-reader.ts';
import { translateFile } from '../../src/pipeline/translate-file.ts';
import { repoDeps } from '../../fuzz/targets/repo-config.ts';
import { replay, repoRoot, teardownTargets } from './replay.ts';

const fixture = (rel: string) => readFileSync(path.join(repoRoot, 'fixtures', rel));
const bytes = (s: string) => Buffer.from(s, 'latin1');

/** best of three, in milliseconds */
async function bestMs(f: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

afterAll(() => teardownTargets());

describe('fuzz regressions: CSV (fuzz)', () => {
  const SMALLPARTS = { delimiter: ';', quote: '"', encoding: 'windows-1252', header: true, groupBy: 'PO Number' };

  it('a header of 32,000 distinct names is checked for duplicates in one pass (was quadratic: 16,000 names 0.5 s)', async () => {
    const header = Array.from({ length: 32_000 }, (_, i) => `c${i}`).join(';');
    const input = bytes(`${header}\n1\n`);
    const r = await replay('csv', input, { profile: '0' });
    expect(r.untyped).toBeUndefined();
    // profile 0 groups by "PO Number", which this header lacks: refused, and said so
    expect(() => parseCsv(input, { delimiter: ';', groupBy: 'PO Number' })).toThrow(/lacks column\(s\) PO Number/);
    expect(r.ms, `${r.ms.toFixed(0)} ms, budget ${r.budgetMs.toFixed(0)} ms`).toBeLessThanOrEqual(r.budgetMs);
    // a duplicate at the very end is still found
    expect(() => parseCsv(`${header};c17\n1\n`, { delimiter: ';' })).toThrow("header (row 1) names column 'c17' twice");
  });

  it('a file of short broken rows keeps the first findings and counts the rest (was 10.6 s for 800 KB)', async () => {
    // record 1 header, record 2 a good row, records 3..100,002 one field each where the header has 2
    const rows = 100_000;
    const broken = bytes(`PO Number;Qty\nPO1;1\n${'PO1\n'.repeat(rows)}`);
    const good = bytes(`PO Number;Qty\nPO1;1\n${'PO1;1\n'.repeat(rows)}`);
    const reader = createCsvFormatReader();
    const split = (b: Uint8Array) => reader.split(b, { formatOptions: SMALLPARTS, metadata: { message: 'ship_notice' } });

    const r = await split(broken);
    expect(r.units).toHaveLength(1);
    const e = r.units[0]!.errors[0]!;
    expect(e.code).toBe('csv_field_count');
    expect(e.message).toBe(`row 3 has 1 fields, the header has 2 (and ${rows - 1} more finding(s), the first ${MAX_FINDINGS} listed)`);
    expect((e.detail as { findings: unknown[] }).findings).toHaveLength(MAX_FINDINGS);
    expect(r.units[0]!.input).toHaveLength(rows + 1);

    const [brokenMs, goodMs] = [await bestMs(() => split(broken)), await bestMs(() => split(good))];
    console.log(`csv: ${rows} broken rows ${brokenMs.toFixed(0)} ms, as many good rows ${goodMs.toFixed(0)} ms`);
    // each finding was an Error with a stack (~25 us); now a broken row costs about what a good one does
    expect(brokenMs).toBeLessThan(4 * goodMs);
    const t = await replay('csv', broken, { profile: '0' });
    expect(t.untyped).toBeUndefined();
    expect(t.ms).toBeLessThanOrEqual(t.budgetMs);
  });
});

describe('fuzz regressions: mapping runner (fuzz)', () => {
  it('a JSONata expression that partner data breaks is a mapping problem on its field, not an untyped rejection', async () => {
    // $number("abc") in totalAmount's expr: JSONata rejects with a plain object { code: "D3030", ... }
    const xml = fixture('cxml/invoice-detail/input.xml').toString('utf8')
      .replace('<DueAmount><Money currency="EUR">162.08</Money>', '<DueAmount><Money currency="EUR">abc</Money>');
    expect(xml).toContain('>abc</Money>');
    const r = await translateFile(repoDeps(repoRoot), Buffer.from(xml), {});
    expect(r.documents).toHaveLength(0);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.code).toBe('mapping_failed');
    const problems = (r.errors[0]!.detail as { problems: Array<{ rule: string; field: string; message: string; file: string }> }).problems;
    expect(problems).toEqual([expect.objectContaining({ rule: 'invalid_value', field: 'totalAmount', file: '_base/xml-InvoiceDetailRequest.inbound.yaml' })]);
    expect(problems[0]!.message).toMatch(/^totalAmount: expression failed \(JSONata D3030: Unable to cast value to a number: "abc"/);
    expect((await replay('translate', Buffer.from(xml))).untyped).toBeUndefined();
  });
});
