import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createX12Reader, parseTransactions, parseX12, readX12 } from './reader.ts';
import type { X12Item } from './types.ts';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/x12');
const fixture = (name: string): Buffer => readFileSync(resolve(fixtures, name));

/** Everything a consumer sees, without object identity. */
function summary(items: X12Item[]): unknown {
  return items.map((i) => (i.kind === 'transaction' ? { kind: i.kind, tree: i.tree, errors: i.errors } : { kind: i.kind, errors: 'errors' in i ? i.errors : [] }));
}

function readInChunks(bytes: Uint8Array, cuts: number[]): X12Item[] {
  const r = createX12Reader();
  const out: X12Item[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) { out.push(...r.push(bytes.subarray(prev, c))); prev = c; }
  out.push(...r.end());
  return out;
}

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000001*0*P*>';

describe('readX12 streaming', () => {
  it('gives the same items for every 2-chunk split of an 850', () => {
    const bytes = fixture('850-004010.edi');
    const whole = summary(parseX12(bytes));
    for (let cut = 1; cut < bytes.length; cut++) expect(summary(readInChunks(bytes, [cut]))).toEqual(whole);
  });

  it('handles chunks that end exactly on a segment terminator (node-x12 corrupts here)', () => {
    const bytes = fixture('850-004010.edi');
    const text = bytes.toString('latin1');
    const cuts: number[] = [];
    for (let i = text.indexOf('~'); i >= 0; i = text.indexOf('~', i + 1)) cuts.push(i + 1); // chunk ends right after '~'
    const items = readInChunks(bytes, cuts);
    expect(summary(items)).toEqual(summary(parseX12(bytes)));
    const t = items.find((i) => i.kind === 'transaction');
    expect(t?.kind === 'transaction' && t.segmentCount).toBe(24);
    // and with the cut between '~' and '\n'
    const cutsBefore = cuts.map((c) => c - 1);
    expect(summary(readInChunks(bytes, cutsBefore))).toEqual(summary(parseX12(bytes)));
  });

  it('reads 1-byte chunks of an 856 from an async iterable', async () => {
    const bytes = fixture('856-004010.edi');
    async function* oneByte(): AsyncGenerator<Uint8Array> { for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1); }
    const items: X12Item[] = [];
    for await (const it of readX12(oneByte())) items.push(it);
    expect(summary(items)).toEqual(summary(parseX12(bytes)));
    expect(items.map((i) => i.kind)).toEqual(['interchange_start', 'group_start', 'transaction', 'group_end', 'interchange_end']);
  });

  it('splits elements, components and repetitions with the ISA delimiters', () => {
    const text = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*P*:~GS*PO*SENDER*RECEIVER*20240101*1200*1*X*005010~ST*850*0001~BEG*00*SA*P1**20240101~REF*ZZ*A:B*X^Y~SE*4*0001~GE*1*1~IEA*1*000000001~';
    const [t] = parseTransactions(text, { validateElements: false });
    const ref = t?.tree.root.children[2];
    expect(ref).toMatchObject({ tag: 'REF', elements: ['ZZ', ['A', 'B'], 'X'], repeats: { 2: ['X', 'Y'] }, position: 3 });
    expect(t?.interchange.delimiters).toEqual({ element: '*', component: ':', repetition: '^', segment: '~' });
  });

  it('treats ISA11 as the standards id (no repetition separator) before 00402', () => {
    const items = parseX12(`${ISA}~IEA*0*000000001~`);
    const start = items[0];
    expect(start?.kind === 'interchange_start' && start.interchange.delimiters.repetition).toBeUndefined();
  });

  it('skips a BOM, blank lines and CRLF layout', () => {
    const body = `\ufeff\r\n\r\n${ISA}~\r\nGS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010~\r\n\r\nST*850*0001~\r\nBEG*00*SA*P1**20240101~\r\nPO1*1*1*EA*1**BP*X~\r\nSE*4*0001~\r\nGE*1*1~\r\nIEA*1*000000001~\r\n`;
    const items = parseX12(Buffer.from(body, 'utf8'));
    expect(items.flatMap((i) => ('errors' in i ? i.errors : []))).toEqual([]);
    expect(parseTransactions(Buffer.from(body, 'utf8'))[0]?.accepted).toBe(true);
  });

  it('reads a newline used as segment terminator', () => {
    const body = `${ISA}\nGS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010\nST*850*0001\nBEG*00*SA*P1**20240101\nPO1*1*1*EA*1**BP*X\nSE*4*0001\nGE*1*1\nIEA*1*000000001\n`;
    const [t] = parseTransactions(body);
    expect(t?.interchange.delimiters.segment).toBe('\n');
    expect(t?.accepted).toBe(true);
    expect(t?.segmentCount).toBe(4);
  });

  it('reads a multi-byte UTF-8 terminator split across chunks, and UTF-8 element text', () => {
    const body = `${ISA}\u2026GS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010\u2026ST*850*0001\u2026BEG*00*SA*P1**20240101\u2026N1*ST*Müller GmbH\u2026PO1*1*1*EA*1**BP*X\u2026SE*5*0001\u2026GE*1*1\u2026IEA*1*000000001\u2026`;
    const bytes = Buffer.from(body, 'utf8');
    const at = bytes.indexOf(Buffer.from('\u2026', 'utf8'), 200) + 1; // cut inside the 3-byte terminator
    const items = readInChunks(bytes, [at]);
    const t = items.find((i) => i.kind === 'transaction');
    expect(t?.kind === 'transaction' && t.errors).toEqual([]);
    const n1 = t?.kind === 'transaction' ? t.tree.root.children.find((n) => 'loop' in n && n.loop === 'N1') : undefined;
    expect(n1).toMatchObject({ children: [{ tag: 'N1', elements: ['ST', 'Müller GmbH'] }] });
  });

  it('removes line breaks inside segments of an 80-column wrapped file', () => {
    const flat = `${ISA}~GS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO-WRAPPED-123**20240101~PO1*1*1*EA*1**BP*X~SE*4*0001~GE*1*1~IEA*1*000000001~`;
    const wrapped = flat.replace(/(.{80})/g, '$1\n');
    const [t] = parseTransactions(wrapped);
    expect(t?.accepted).toBe(true);
    expect(t?.tree.root.children[1]).toMatchObject({ tag: 'BEG', elements: ['00', 'SA', 'PO-WRAPPED-123', '', '20240101'] });
  });

  it('reads BIN segments by length, payload may hold delimiters and newlines', () => {
    const body = `${ISA}~GS*PO*SENDER*RECEIVER*20240101*1200*1*X*004010~ST*850*0001~BEG*00*SA*P1**20240101~BIN*10*a~b*c\nd>ef~SE*4*0001~GE*1*1~IEA*1*000000001~`;
    const [t] = parseTransactions(body);
    expect(t?.tree.root.children.find((n) => 'tag' in n && n.tag === 'BIN')).toMatchObject({ elements: ['10', 'a~b*c\nd>ef'] });
    expect(t?.segmentCount).toBe(4);
  });

  it('reads several interchanges, groups and sets in one input', () => {
    const one = (icn: string, groups: string): string => `ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*${icn}*0*P*>~${groups}IEA*${(groups.match(/GS\*/g) ?? []).length}*${icn}~`;
    const group = (gcn: string, sets: string[]): string => `GS*PO*SENDER*RECEIVER*20240101*1200*${gcn}*X*004010~${sets.map((s) => `ST*850*${s}~BEG*00*SA*P${s}**20240101~PO1*1*1*EA*1**BP*X~SE*4*${s}~`).join('')}GE*${sets.length}*${gcn}~`;
    const input = one('000000001', group('1', ['0001', '0002']) + group('2', ['0003'])) + one('000000002', group('3', ['0004']));
    const items = parseX12(input);
    expect(items.map((i) => i.kind[0]).join('')).toBe('igttggtgiigtgi');
    const sets = items.filter((i) => i.kind === 'transaction').map((i) => (i.kind === 'transaction' ? `${i.interchange.controlNumber}/${i.group?.controlNumber}/${i.transaction.controlNumber}` : ''));
    expect(sets).toEqual(['000000001/1/0001', '000000001/1/0002', '000000001/2/0003', '000000002/3/0004']);
    expect(items.flatMap((i) => ('errors' in i ? i.errors : []))).toEqual([]);
  });
});
