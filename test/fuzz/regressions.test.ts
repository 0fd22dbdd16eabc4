/**
 * Every crash or stall `npm run fuzz` found, as a hand-made reproduction (built from fixtures/ or
 * written out here, never a saved fuzz input: those may hold ../shared/conformance content).
 * Each goes through its fuzz target (typed outcome, time within the target's ratio to a linear
 * scan of the same bytes) and, where the fix has a visible effect, through the public API.
 * Owner in each title: who fixed it (fuzz, lin = X12/EDIFACT, config = partner/mapping YAML,
 * hostile12 = EDIFACT group findings, hand-made cases for the X12/EDIFACT/YAML fixes).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { compileMappings } from '../../src/config/mapping-files.ts';
import { parseCsv, MAX_FINDINGS } from '../../src/formats/csv/reader.ts';
import { createEdifactGrammarRegistry, parseEdifact } from '../../src/formats/edifact/index.ts';
import { parseObjectPath } from '../../src/mapping/object-path.ts';
import { createMappingCompiler } from '../../src/pipeline/inbound/compile-mapping.ts';
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';
import { createCsvFormatReader } from '../../src/formats/csv/format-reader.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
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

/** the replay's time against its target's budget (ratio x a linear scan of the same bytes, measured beside it) */
const withinBudget = (r: { ms: number; budgetMs: number; untyped?: string }) => {
  expect(r.untyped).toBeUndefined();
  expect(r.ms, `${r.ms.toFixed(0)} ms, budget ${r.budgetMs.toFixed(0)} ms`).toBeLessThanOrEqual(r.budgetMs);
};

describe('fuzz regressions: X12 (lin)', () => {
  it("a run of '~' inside a set (fuzz x12-3e0e5b52cc18: 16,393 of them) is read in linear time, its findings capped", async () => {
    // 100,000 empty segments after BSN: each tag-only segment used to search on to the next '*' (quadratic)
    const ship = fixture('acme/856-ship-notice/input.edi').toString('latin1');
    const input = bytes(ship.replace('BSN*00*SHP-7002*20240408*1010*0001~\n', `BSN*00*SHP-7002*20240408*1010*0001~\n${'~'.repeat(100_000)}`));
    const r = createX12FormatReader().splitX12(input);
    expect(r.units).toHaveLength(1);
    const e = r.units[0]!.errors[0]!;
    // SE01 counts the set's 23 segments; the reader counted 100,000 more
    expect(e.code).toBe('x12_segment_count_mismatch');
    expect(e.message).toMatch(/^SE01 says 23 segments, counted 100023 \(and \d+ more finding\(s\)\)$/);
    const findings = (e.detail as { findings: Array<{ error: string }> }).findings;
    expect(findings.length).toBeLessThanOrEqual(102);
    expect(findings.at(-1)!.error).toBe('x12_too_many_errors');
    withinBudget(await replay('x12', input));
  });
});

describe('fuzz regressions: EDIFACT (lin, hostile12)', () => {
  const grammars = createEdifactGrammarRegistry();
  const DESADV = fixture('edifact/desadv-d96a.edi').toString('latin1');
  const [head, unz] = [DESADV.slice(0, DESADV.indexOf('UNZ+')), DESADV.slice(DESADV.indexOf('UNZ+'))];
  const ref = /UNZ\+\d+\+([^']*)'/.exec(unz)![1]!;

  it('16,119 segments outside any message (fuzz edifact-c9eacaa97ad1) are listed up to 100, the rest counted', async () => {
    const input = bytes(`${head}${"FTX+AAI+++stray'".repeat(16_119)}${unz}`);
    const [ic] = parseEdifact(input, { grammars });
    const stray = ic!.errors.filter((e) => e.code === 'edifact_segment_outside_message');
    expect(stray).toHaveLength(100);
    expect(ic!.errors.filter((e) => e.code === 'edifact_too_many_errors').map((e) => e.message))
      .toEqual([`interchange ${ref} has 16119 segments outside any message (UNH..UNT); 16019 more are not listed`]);
    withinBudget(await replay('edifact', input));
  });

  it('2,777 UNG after a message, then 2,777 UNE (fuzz edifact-250475b9ddc5, long pass 08:25): group findings listed up to 100, the rest counted', async () => {
    // each UNG: groups mixed with messages (the message before is outside groups), and the group it
    // closes has no UNE (all but the first); the first UNE closes the last group: count 1 for 0
    // messages, reference '1' for '' (UNG+X+Y+Z has no group reference); the other UNE close nothing.
    // 2,777 + 2,776 + 2 = 5,555 group findings: they were 5,555 errors (800 KB: 0.7 s, now 0.03 s)
    const n = 2777;
    const input = bytes(`${head}${"UNG+X+Y+Z'".repeat(n)}${"UNE+1+1'".repeat(n)}${unz}`);
    const [ic] = parseEdifact(input, { grammars });
    const listed = ic!.errors.filter((e) => ['edifact_groups_and_messages_mixed', 'edifact_group_trailer_missing', 'edifact_group_count_mismatch', 'edifact_group_reference_mismatch'].includes(e.code));
    expect(listed).toHaveLength(100);
    expect(ic!.errors.filter((e) => e.code === 'edifact_too_many_errors').map((e) => e.message))
      .toEqual([`interchange ${ref} has 5555 group findings (UNG..UNE); 5455 more are not listed`]);
    withinBudget(await replay('edifact', input));
  });
});

describe('fuzz regressions: partner and mapping YAML (config, hostile12)', () => {
  const compile = createMappingCompiler(grammarFor);
  const withDir = <T>(f: (dir: string) => T): T => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fuzz-reg-'));
    try { mkdirSync(path.join(dir, 'partners')); mkdirSync(path.join(dir, 'mappings', 'fuzz'), { recursive: true }); return f(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
  const partnerProblems = (text: string) => withDir((dir) => {
    writeFileSync(path.join(dir, 'partners', 'acme.yaml'), text);
    const r = loadGatewayConfig({ partnersDir: path.join(dir, 'partners'), mappingsDir: path.join(dir, 'mappings', 'fuzz'), env: {}, compile });
    return r.problems.map((p) => `${path.relative(dir, p.file)}:${p.line}:${p.col} ${p.rule}`);
  });
  const mappingProblems = (name: string, text: string) => withDir((dir) => {
    const f = path.join(dir, 'mappings', 'fuzz', name);
    writeFileSync(f, text);
    return compileMappings([f], path.join(dir, 'mappings'), compile).problems.map((p) => `${path.relative(dir, p.file)}:${p.line}:${p.col} ${p.rule}`);
  });

  // The long pass's slow partner-yaml (1,564 B, 1.45 s) and mapping-yaml (73,857 B, 4.6 s) inputs were not
  // saved (fuzz/crashes/ came later); their shapes are rebuilt from the fix (c3162b5): a small input that
  // is slow is an alias expansion, a large one a map of many keys (yaml's uniqueKeys was quadratic).
  it('partner: a small alias bomb (shape of the slow partner-yaml finding) stops at the alias limit', async () => {
    // x0 holds 10 scalars, each x(i) 10 aliases of x(i-1): x9 would expand to 10^10 nodes
    let text = 'id: acme\nname: ACME\nstatus: production\nidentifiers: {}\nx0: &x0 [a,a,a,a,a,a,a,a,a,a]\n';
    for (let i = 1; i <= 9; i++) text += `x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]\n`;
    // line 6 "x1: &x1 [*x0, ...": the first alias is column 10
    expect(partnerProblems(text)).toEqual(['partners/acme.yaml:6:10 yaml_alias_limit']);
    withinBudget(await replay('partner-yaml', bytes(text), { id: 'acme' }));
  });

  it('partner: 1,156 levels of block nesting (fuzz partner-yaml-99caf5e5fc4e) is refused before the parser recurses', async () => {
    // line 6 holds "- - - ...": the 65th "-" (column 1 + 2 x 64 = 129) is past 64 levels
    const text = `id: acme\nname: ACME\nstatus: production\nidentifiers: {}\nnotes:\n${'- '.repeat(1156)}x\n`;
    expect(partnerProblems(text)).toEqual(['partners/acme.yaml:6:129 yaml_too_deep']);
    withinBudget(await replay('partner-yaml', bytes(text), { id: 'acme' }));
  });

  it('partner: 80,000 stray commas in a flow map (short pass 08:50, 73,628 commas: 1.1 s) list 20 errors and count the rest', async () => {
    // "name: { a: 1," : the first comma (column 13) separates; every later one is an error, the
    // first at column 14, the 20th at column 33; the count starts at the 21st, column 34
    const text = `id: acme\nname: { a: 1${','.repeat(80_000)} }\nstatus: production\nidentifiers: {}\n`;
    const problems = partnerProblems(text);
    expect(problems).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `partners/acme.yaml:2:${14 + i} yaml_syntax`),
      'partners/acme.yaml:2:34 yaml_too_many_errors',
    ]);
    // commas 2..80,000 are errors: 79,999, of which 20 are listed
    expect(withDir((dir) => {
      writeFileSync(path.join(dir, 'partners', 'acme.yaml'), text);
      return loadGatewayConfig({ partnersDir: path.join(dir, 'partners'), mappingsDir: path.join(dir, 'mappings', 'fuzz'), env: {}, compile }).problems.at(-1)!.message;
    })).toBe('79979 more YAML error(s) from here on are not listed (79999 in all)');
    withinBudget(await replay('partner-yaml', bytes(text), { id: 'acme' }));
  });

  const HEAD = 'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\nfields:\n';
  it('mapping: 4,000 keys in one map (shape of the slow mapping-yaml finding: duplicate keys were found quadratically)', async () => {
    // key k(i) is on line 7 + i, column 3
    const keys = Array.from({ length: 4000 }, (_, i) => `  k${i}: x`);
    const many = `${HEAD}${keys.join('\n')}\n`;
    const problems = mappingProblems('x12-004010-850.inbound.yaml', many);
    expect(problems).toHaveLength(4000);
    expect(problems[0]).toBe('mappings/fuzz/x12-004010-850.inbound.yaml:7:3 unknown_field');
    expect(problems[3999]).toBe('mappings/fuzz/x12-004010-850.inbound.yaml:4006:3 unknown_field');
    // the last key repeating the 18th is found at its second occurrence
    const dup = `${HEAD}${[...keys.slice(0, 3999), '  k17: y'].join('\n')}\n`;
    expect(mappingProblems('x12-004010-850.inbound.yaml', dup)).toEqual(['mappings/fuzz/x12-004010-850.inbound.yaml:4006:3 yaml_duplicate_key']);
    withinBudget(await replay('mapping-yaml', bytes(dup), { file: 'x12-004010-850.inbound.yaml' }));
    withinBudget(await replay('mapping-yaml', bytes(many), { file: 'x12-004010-850.inbound.yaml' }));
  });

  it('mapping: 70,000 tabs inside a path predicate (long pass 09:02, mapping-yaml-b17350377c32: 73,857 B in 5 s, the slow input of both passes) is read in one pass', async () => {
    // the shipped cXML invoice mapping with the tabs where the mutation put them: [@rol<tabs>e=remitTo]
    const base = readFileSync(path.join(repoRoot, 'mappings/_base/xml-InvoiceDetailRequest.inbound.yaml'), 'utf8');
    expect(base).toContain('[@role=remitTo]');
    const text = base.replace('[@role=remitTo]', `[@rol${'\t'.repeat(70_000)}e=remitTo]`);
    // a predicate may name any key: the file compiles (its remitTo simply never matches)
    expect(mappingProblems('xml-InvoiceDetailRequest.inbound.yaml', text)).toEqual([]);
    const parsed = parseObjectPath(`Contact[@rol${'\t'.repeat(70_000)}e=remitTo]`, '/');
    expect(typeof parsed === 'string' ? parsed : parsed.steps[0]!.preds).toEqual([{ key: `@rol${'\t'.repeat(70_000)}e`, values: ['remitTo'], negate: false }]);
    // beside the same length of letters (no blanks to split): the old regex took ~5 s for the tabs, ~1 ms for the letters
    const [tabsMs, lettersMs] = [
      await bestMs(() => parseObjectPath(`Contact[@rol${'\t'.repeat(70_000)}e=remitTo]`, '/')),
      await bestMs(() => parseObjectPath(`Contact[@rol${'x'.repeat(70_000)}e=remitTo]`, '/')),
    ];
    expect(tabsMs, `tabs ${tabsMs.toFixed(1)} ms, letters ${lettersMs.toFixed(1)} ms`).toBeLessThan(20 * lettersMs + 5);
    withinBudget(await replay('mapping-yaml', bytes(text), { file: 'xml-InvoiceDetailRequest.inbound.yaml' }));
  });

  it('mapping: 3,484 nested [ (fuzz mapping-yaml-4dc9a330604f, a RangeError before) is refused at the 65th', async () => {
    // line 6 "fields: " is 8 columns: the 65th "[" is column 73
    const text = `format: x12\nmessage: "850"\nversion: "004010"\ndirection: outbound\ndocument: purchase_order\nfields: ${'['.repeat(3484)}\n`;
    expect(mappingProblems('x12-004010-850.outbound.yaml', text)).toEqual(['mappings/fuzz/x12-004010-850.outbound.yaml:6:73 yaml_too_deep']);
    withinBudget(await replay('mapping-yaml', bytes(text), { file: 'x12-004010-850.outbound.yaml' }));
  });
});

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
