/**
 * `edigw translate` on a large X12 file (issue 11: 100 MB took 2.2 GB): the file is read in
 * slices and each document printed as it is translated, so the command's peak RSS (VmHWM of the
 * child process, sampled until it exits) grows by less than the file's size over its peak on a
 * one-set file (about 176 MB, most of it tsx and the compiled mappings), and the output is the
 * same JSON array a small file gets, with every purchase order in it, and progress on stderr.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { base850 } from '../support/buyer.ts';
import { interchange850 } from '../support/x12-850-stream.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MB = Number(process.env.EDIGW_TEST_TRANSLATE_MB ?? 128);
/** the most the command's peak RSS may exceed its peak on a one-set file (measured: 48 MB +79, 200 MB +81) */
const GROWTH_BOUND_MB = 112;
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-translate-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edigw translate on a large file', () => {
  it(`translates ${MB} MB of purchase orders in bounded memory, printing them as they come`, async () => {
    mkdirSync(path.join(dir, 'partners'));
    mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
    writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
    const ic = interchange850(MB * 1048576, 100);
    const input = path.join(dir, 'big.x12');
    const file = createWriteStream(input);
    for await (const c of ic.chunks()) if (!file.write(c)) await new Promise<void>((r) => file.once('drain', () => r()));
    await new Promise<void>((r) => file.end(() => r()));

    const small = path.join(dir, 'small.x12');
    let smallText = '';
    for await (const c of interchange850(2000, 100).chunks()) smallText += Buffer.from(c).toString('latin1');
    writeFileSync(small, smallText, 'latin1');
    const baseline = await translate(small, path.join(dir, 'small.json'));
    expect(baseline.code, baseline.stderr).toBe(0);

    const output = path.join(dir, 'out.json');
    const { code, stderr, peakMb } = await translate(input, output);
    console.log(`edigw translate: ${(ic.bytes / 1048576).toFixed(0)} MB, ${ic.sets} POs, peak RSS ${peakMb} MB (one set: ${baseline.peakMb} MB)`);
    expect(code, stderr).toBe(0);
    expect(peakMb - baseline.peakMb).toBeLessThan(Math.min(GROWTH_BOUND_MB, MB));
    expect(stderr).toMatch(new RegExp(`big\\.x12: ${ic.sets.toLocaleString('en-US')} documents, 0 errors`));

    // the output (larger than one JS string can hold) read back line by line, one array element at a time
    type Doc = { type: string; source: { transactionControlNumber: string }; document: { poNumber: string; lines: Array<Record<string, unknown>> } };
    const lines = createInterface({ input: createReadStream(output, 'utf8'), crlfDelay: Infinity });
    const seen: Array<string> = [];
    let count = 0;
    let first: Doc | undefined;
    let last: Doc | undefined;
    let element: string[] = [];
    for await (const line of lines) {
      seen.push(line);
      if (seen.length > 2) seen.shift();
      if (line === '  {') element = ['{'];
      else if (line === '  },' || line === '  }') {
        const doc = JSON.parse(element.join('\n') + '\n}') as Doc;
        count++;
        first ??= doc;
        last = doc;
        expect(doc.type).toBe('purchase_order');
        element = [];
      } else if (element.length > 0) element.push(line.slice(2));
      else expect(line === '[' || line === ']', `outside an element: ${line.slice(0, 80)}`).toBe(true);
    }
    expect(seen).toEqual(['  }', ']']);
    expect(count).toBe(ic.sets);
    // by hand: set n is PO-n, ST02 n in 9 digits; line i orders i+1 EA of WID-i (vendor AC-Wi) at 12.50
    expect(first!.document.poNumber).toBe('PO-1');
    expect(first!.document.lines[0]).toEqual({ lineNumber: '1', quantity: 2, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-1', vendorPartNumber: 'AC-W1' });
    expect(last!.document.poNumber).toBe(`PO-${ic.sets}`);
    expect(last!.source.transactionControlNumber).toBe(String(ic.sets).padStart(9, '0'));
    expect(last!.document.lines[99]).toEqual({ lineNumber: '100', quantity: 101, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: 'WID-100', vendorPartNumber: 'AC-W100' });
    // a small file's output is JSON.stringify(documents, null, 2): the large one's is the same shape
    const smallDocs = JSON.parse(readFileSync(path.join(dir, 'small.json'), 'utf8')) as Doc[];
    expect(readFileSync(path.join(dir, 'small.json'), 'utf8')).toBe(JSON.stringify(smallDocs, null, 2) + '\n');
  }, 300_000);
});

/** runs `edigw translate <input>` with stdout to `output`, sampling the child's VmHWM until it exits */
async function translate(input: string, output: string): Promise<{ code: number | null; stderr: string; peakMb: number }> {
  const out = createWriteStream(output);
  await new Promise((r) => out.once('open', r));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'translate', input], {
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
