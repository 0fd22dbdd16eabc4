/**
 * `edigw translate --format ndjson` (issue 19): one canonical document per line, a large file's
 * documents written as they are translated with progress on stderr (documents, MB read, MB/s),
 * in bounded memory: the command's peak RSS (VmHWM of the child, sampled until it exits) on a file
 * past the 8 MiB streaming threshold exceeds its peak on a one-set file by less than GROWTH_BOUND_MB,
 * the heap's slack (measured +65 MB at 9 MB here; test/cli/translate-large.test.ts +79 at 48 MB, +81 at
 * 200 MB), where a file held whole costs some 30 times its size (issue 19: a 20 MB 850 took 643 MB).
 * The default output stays the indented JSON array (a small file's is checked against the same
 * documents as NDJSON).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemWriter, progressLine } from '../../src/cli/translate-output.ts';
import { base850 } from '../support/buyer.ts';
import { interchange850 } from '../support/x12-850-stream.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** just past the 8 MiB above which translate streams (cmd-translate.ts STREAM_FILE_BYTES) */
const MB = Number(process.env.EDIGW_TEST_NDJSON_MB ?? 9);
const GROWTH_BOUND_MB = 112;
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-ndjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Doc = { type: string; source: { transactionControlNumber: string }; document: { poNumber: string; lines: Array<Record<string, unknown>> } };

beforeAll(() => {
  mkdirSync(path.join(dir, 'partners'));
  mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
  writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
});

describe('NDJSON output', () => {
  it('writes one value per line; json writes the same items as JSON.stringify(items, null, 2)', () => {
    const lines: string[] = [];
    const nd = itemWriter('ndjson', (l) => lines.push(l));
    nd.add({ a: 1 }); nd.add({ b: [2, 3] }); nd.end();
    expect(lines).toEqual(['{"a":1}', '{"b":[2,3]}']);
    const arr: string[] = [];
    const js = itemWriter('json', (l) => arr.push(l));
    js.add({ a: 1 }); js.add({ b: [2, 3] }); js.end();
    expect(arr.join('\n')).toBe(JSON.stringify([{ a: 1 }, { b: [2, 3] }], null, 2));
    const none: string[] = [];
    const empty = itemWriter('json', (l) => none.push(l));
    empty.end();
    expect(none).toEqual(['[]']);
  });

  it('says progress with the rate: 40 MiB in 2 s is 20.0 MB/s', () => {
    expect(progressLine('big.x12', { documents: 1234, errors: 0, read: 40 * 1048576, total: 128 * 1048576, startedMs: 1000, nowMs: 3000 }))
      .toBe('big.x12: 1,234 documents, 0 errors, 40 of 128 MB read (20.0 MB/s)');
  });

  it('a small file: --format ndjson gives the documents of the default JSON array, one per line', async () => {
    const small = path.join(dir, 'small.x12');
    let text = '';
    for await (const c of interchange850(3000, 5).chunks()) text += Buffer.from(c).toString('latin1');
    writeFileSync(small, text, 'latin1');
    const json = await translate(small, path.join(dir, 'small.json'), []);
    const nd = await translate(small, path.join(dir, 'small.ndjson'), ['--format', 'ndjson']);
    expect(json.code, json.stderr).toBe(0);
    expect(nd.code, nd.stderr).toBe(0);
    const docs = JSON.parse(readFileSync(path.join(dir, 'small.json'), 'utf8')) as Doc[];
    const lines = readFileSync(path.join(dir, 'small.ndjson'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(docs);
    expect(docs.map((d) => d.document.poNumber)).toEqual(docs.map((_, i) => `PO-${i + 1}`));
    const bad = await translate(small, path.join(dir, 'bad.out'), ['--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be json or ndjson, got "xml"/);
  }, 60_000);

  it(`a ${MB} MB file: streamed as NDJSON in bounded memory, progress on stderr`, async () => {
    const ic = interchange850(MB * 1048576, 100);
    const input = path.join(dir, 'big.x12');
    const file = createWriteStream(input);
    for await (const c of ic.chunks()) if (!file.write(c)) await new Promise<void>((r) => file.once('drain', () => r()));
    await new Promise<void>((r) => file.end(() => r()));
    const one = path.join(dir, 'one.x12');
    let text = '';
    for await (const c of interchange850(2000, 100).chunks()) text += Buffer.from(c).toString('latin1');
    writeFileSync(one, text, 'latin1');
    const baseline = await translate(one, path.join(dir, 'one.ndjson'), ['--format', 'ndjson']);
    expect(baseline.code, baseline.stderr).toBe(0);

    const output = path.join(dir, 'big.ndjson');
    const { code, stderr, peakMb } = await translate(input, output, ['--format', 'ndjson']);
    console.log(`edigw translate --format ndjson: ${(ic.bytes / 1048576).toFixed(1)} MB, ${ic.sets} POs, peak RSS ${peakMb} MB (one set: ${baseline.peakMb} MB)`);
    expect(code, stderr).toBe(0);
    expect(peakMb - baseline.peakMb).toBeLessThan(GROWTH_BOUND_MB);
    expect(stderr).toMatch(new RegExp(`big\\.x12: ${ic.sets.toLocaleString('en-US')} documents, 0 errors, ${Math.round(ic.bytes / 1048576)} MB in [\\d.]+ s \\([\\d.]+ MB/s\\)`));

    let count = 0;
    let last: Doc | undefined;
    for await (const line of createInterface({ input: createReadStream(output, 'utf8'), crlfDelay: Infinity })) {
      const doc = JSON.parse(line) as Doc;
      count++;
      // by hand: set n is PO-n (ST02 n in 9 digits), its line i orders i+1 EA of WID-i
      expect(doc.document.poNumber).toBe(`PO-${count}`);
      last = doc;
    }
    expect(count).toBe(ic.sets);
    expect(last!.source.transactionControlNumber).toBe(String(ic.sets).padStart(9, '0'));
    expect(last!.document.lines[99]).toEqual({ lineNumber: '100', quantity: 101, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100' });
  }, 240_000);
});

/** `edigw translate <input> ...args` with stdout to `output`, sampling the child's VmHWM until it exits */
async function translate(input: string, output: string, args: string[]): Promise<{ code: number | null; stderr: string; peakMb: number }> {
  const out = createWriteStream(output);
  await new Promise((r) => out.once('open', r));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'translate', input, ...args], {
    cwd: repo, env: { ...process.env, EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings') },
    stdio: ['ignore', out, 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let peakKb = 0;
  const sample = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch { /* exited */ }
  }, 20);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(sample);
  await new Promise((r) => out.close(r));
  return { code, stderr, peakMb: Math.round(peakKb / 1024) };
}
