/**
 * X12 reader benchmark: generated 850 and 856 interchanges (5 MB quick, 50 MB full, plus 1 GB
 * streamed from a generator in a child process for flat-memory proof), our streaming reader with
 * the loop tree built and elements validated, beside node-x12's streaming parser (X12Parser as a
 * Transform) on the same bytes in the same run. Rows: MB/s (baseline node-x12), transaction sets/s,
 * peak RSS.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readX12 } from '../src/formats/x12/reader.ts';
import { isSegment, type WireNode } from '../src/formats/wire.ts';
import type { BenchArea, BenchRow } from './lib.ts';
import { withPeakRss } from './lib.ts';

type Kind = '850' | '856';
const CHUNK = 64 * 1024;
const SETS_PER_GROUP = 1000;

function isa(cn: number): string {
  return `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*ACMESUPPLY     *240315*1030*U*00401*${String(cn).padStart(9, '0')}*0*P*>~\n`;
}

function po850(cn: string, seed: number): string {
  const lines: string[] = [`ST*850*${cn}`, `BEG*00*SA*PO-${seed}**20240315`, 'CUR*BY*USD', `REF*DP*${seed % 97}`, 'PER*BD*JANE BUYER*TE*3125550100',
    'DTM*002*20240401', 'N1*ST*BUYERCO DC EAST*92*0042', 'N3*100 WAREHOUSE WAY', 'N4*COLUMBUS*OH*43215*US', 'N1*BT*BUYERCO AP', 'N3*PO BOX 9000', 'N4*CHICAGO*IL*60601*US'];
  for (let i = 1; i <= 12; i++) {
    lines.push(`PO1*${i}*${(seed + i) % 50 + 1}*EA*${(i * 1.25).toFixed(2)}*PE*BP*WID-${seed % 1000}-${i}*VP*AC-${i}*UP*01234567890${i % 10}`,
      `PID*F****LED PANEL ${i} WIDE ANGLE`, 'PO4*12*1*EA');
  }
  lines.push('CTT*12');
  lines.push(`SE*${lines.length + 1}*${cn}`);
  return lines.join('~\n') + '~\n';
}

function asn856(cn: string, seed: number): string {
  const lines: string[] = [`ST*856*${cn}`, `BSN*00*SHP-${seed}*20240404*1600*0001`, 'DTM*011*20240404', 'HL*1**S', 'TD1*CTN25*6****G*41.5*LB',
    'TD5*B*2*UPSN*M*UPS GROUND', `REF*BM*BOL-${seed}`, 'N1*ST*BUYERCO DC EAST*92*0042', 'N3*100 WAREHOUSE WAY', 'N4*COLUMBUS*OH*43215*US', 'HL*2*1*O', `PRF*PO-${seed}***20240315`];
  let id = 2;
  for (let p = 0; p < 6; p++) {
    const pack = ++id;
    lines.push(`HL*${pack}*2*P`, `MAN*GM*0001234567${String(seed % 1e6).padStart(6, '0')}${p}0`);
    for (let i = 0; i < 2; i++) lines.push(`HL*${++id}*${pack}*I`, `LIN*${p * 2 + i + 1}*BP*WID-${i}*VP*AC-${i}*UP*012345678905`, `SN1*${p * 2 + i + 1}*${i + 3}*EA`, 'PID*F****LED PANEL WIDE ANGLE');
  }
  lines.push(`CTT*${id}`);
  lines.push(`SE*${lines.length + 1}*${cn}`);
  return lines.join('~\n') + '~\n';
}

/** Yields ~64 KB latin1 buffers of one interchange (groups of 1000 sets) until `bytes` is reached. */
export function* generateX12(kind: Kind, bytes: number): Generator<Buffer> {
  let written = 0;
  let pending = isa(1);
  let group = 0;
  let set = 0;
  const fid = kind === '850' ? 'PO' : 'SH';
  while (written + pending.length < bytes) {
    group++;
    pending += `GS*${fid}*BUYERCO*ACMESUPPLY*20240315*1030*${group}*X*004010~\n`;
    let n = 0;
    while (n < SETS_PER_GROUP && written + pending.length < bytes) {
      set++; n++;
      const cn = String(set % 1e9).padStart(4, '0');
      pending += kind === '850' ? po850(cn, set) : asn856(cn, set);
      if (pending.length >= CHUNK) { written += pending.length; yield Buffer.from(pending, 'latin1'); pending = ''; }
    }
    pending += `GE*${n}*${group}~\n`;
  }
  pending += `IEA*${group}*000000001~\n`;
  yield Buffer.from(pending, 'latin1');
}

interface Measure { mb: number; seconds: number; sets: number; cpuSeconds: number }

/** every element of every segment of a tree, as a consumer that maps everything would read them */
function touchAllElements(node: WireNode): number {
  if (isSegment(node)) return node.elements.length;
  let n = 0;
  for (const child of node.children) n += touchAllElements(child);
  return n;
}

async function ours(chunks: Iterable<Buffer>, readEveryElement = false, validateElements = true): Promise<Measure> {
  let bytes = 0; let sets = 0; let rejected = 0; let elements = 0;
  const counted = (function* () { for (const c of chunks) { bytes += c.length; yield c; } })();
  const source = Readable.from(counted, { objectMode: true }) as AsyncIterable<Buffer>;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for await (const item of readX12(source, { validateElements })) {
    if (item.kind !== 'transaction') continue;
    sets++;
    if (!item.accepted) rejected++;
    if (readEveryElement) elements += touchAllElements(item.tree.root);
  }
  void elements;
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  if (rejected > 0) throw new Error(`bench input has ${rejected} rejected sets`);
  return { mb: bytes / 1048576, seconds, sets, cpuSeconds: (used.user + used.system) / 1e6 };
}

async function nodeX12(chunks: Iterable<Buffer>): Promise<Measure> {
  const require = createRequire(import.meta.url);
  const { X12Parser } = require('node-x12') as { X12Parser: new () => NodeJS.ReadWriteStream };
  let bytes = 0; let segments = 0; let sets = 0;
  const counted = (function* () { for (const c of chunks) { bytes += c.length; yield c; } })();
  const start = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((res, rej) => {
    const parser = new X12Parser();
    parser.on('data', (seg: { tag: string }) => { segments++; if (seg.tag === 'ST') sets++; });
    parser.on('end', () => res());
    parser.on('error', rej);
    Readable.from(counted).pipe(parser);
  });
  void segments;
  const used = process.cpuUsage(cpu);
  return { mb: bytes / 1048576, seconds: (performance.now() - start) / 1000, sets, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Child process entry: measures one parser on `mb` MB streamed from the generator; prints JSON. */
async function child(kind: Kind, mb: number, which: 'ours' | 'node-x12'): Promise<void> {
  const m = which === 'ours' ? await ours(generateX12(kind, mb * 1048576)) : await nodeX12(generateX12(kind, mb * 1048576));
  process.stdout.write(JSON.stringify({ ...m, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

function runChild(kind: Kind, mb: number, which: 'ours' | 'node-x12'): Promise<Measure & { peakRssMb: number }> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--x12-child', kind, String(mb), which], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res(JSON.parse(out) as Measure & { peakRssMb: number }) : rej(new Error(`x12 bench child exited ${code}`))));
  });
}

const mbps = (m: Measure): number => Math.round((m.mb / m.seconds) * 10) / 10;
/** MB per CPU-second of this process: steadier than wall time on a shared, loaded machine */
const cpuMbps = (m: Measure): number => Math.round((m.mb / m.cpuSeconds) * 10) / 10;
const setsps = (m: Measure): number => Math.round(m.sets / m.seconds);

const median = (ms: Measure[], key: (m: Measure) => number): Measure => [...ms].sort((a, b) => key(a) - key(b))[Math.floor(ms.length / 2)] as Measure;

export const run: BenchArea = async (opts) => {
  const rows: BenchRow[] = [];
  const size = opts.quick ? 5 : 50;
  const runs = 3;
  for (const kind of ['850', '856'] as const) {
    const chunks = [...generateX12(kind, size * 1048576)];
    // warm up both parsers (JIT: our reader reaches its steady speed after about 15 MB) on the same
    // bytes, then alternate them so machine load hits both alike
    for (let i = 0; i < (opts.quick ? 3 : 1); i++) { await nodeX12(chunks); await ours(chunks); await ours(chunks, true); await ours(chunks, false, false); }
    const theirsRuns: Measure[] = []; const mineRuns: Measure[] = [];
    let theirsRss = 0; let mineRss = 0;
    for (let i = 0; i < runs; i++) {
      const t = await withPeakRss(() => nodeX12(chunks)); theirsRuns.push(t.result); theirsRss = Math.max(theirsRss, t.peakRssMb);
      const m = await withPeakRss(() => ours(chunks)); mineRuns.push(m.result); mineRss = Math.max(mineRss, m.peakRssMb);
    }
    const theirs = { result: median(theirsRuns, mbps), peakRssMb: theirsRss };
    const mine = { result: median(mineRuns, mbps), peakRssMb: mineRss };
    const theirsCpu = median(theirsRuns, cpuMbps); const mineCpu = median(mineRuns, cpuMbps);
    rows.push({ area: 'x12', name: `read ${kind} ${size} MB (loop tree + validation), MB/s`, value: mbps(mine.result), unit: 'MB/s', peakRssMb: mine.peakRssMb,
      baseline: { name: 'node-x12 X12Parser stream (segments only)', value: mbps(theirs.result), unit: 'MB/s' },
      notes: `ratio ${(mbps(mine.result) / mbps(theirs.result)).toFixed(1)}x; median of ${runs} alternating runs after a warm-up pass each; node-x12 peak RSS ${theirs.peakRssMb} MB; input held in memory (${size} MB)` });
    rows.push({ area: 'x12', name: `read ${kind} ${size} MB, MB per CPU-second`, value: cpuMbps(mineCpu), unit: 'MB/cpu-s',
      baseline: { name: 'node-x12 X12Parser stream', value: cpuMbps(theirsCpu), unit: 'MB/cpu-s' },
      notes: `ratio ${(cpuMbps(mineCpu) / cpuMbps(theirsCpu)).toFixed(1)}x (process CPU time, includes GC threads)` });
    rows.push({ area: 'x12', name: `read ${kind} ${size} MB, transaction sets/s`, value: setsps(mine.result), unit: 'sets/s',
      baseline: { name: 'node-x12 X12Parser stream (ST segments seen)', value: setsps(theirs.result), unit: 'sets/s' } });
    // the target names the loop tree; element checks are the gateway's own extra work
    const treeRuns: Measure[] = [];
    for (let i = 0; i < runs; i++) treeRuns.push(await ours(chunks, false, false));
    const tree = median(treeRuns, mbps);
    rows.push({ area: 'x12', name: `read ${kind} ${size} MB (loop tree, no element checks), MB/s`, value: mbps(tree), unit: 'MB/s',
      baseline: { name: 'node-x12 X12Parser stream (segments only)', value: mbps(theirs.result), unit: 'MB/s' },
      notes: `ratio ${(mbps(tree) / mbps(theirs.result)).toFixed(1)}x` });
    // elements are split when first read: a consumer reading every element of every segment pays that here
    const everyRuns: Measure[] = [];
    for (let i = 0; i < runs; i++) everyRuns.push(await ours(chunks, true));
    const every = median(everyRuns, mbps);
    rows.push({ area: 'x12', name: `read ${kind} ${size} MB and read every element of every segment, MB/s`, value: mbps(every), unit: 'MB/s',
      baseline: { name: 'node-x12 X12Parser stream (segments only)', value: mbps(theirs.result), unit: 'MB/s' },
      notes: `ratio ${(mbps(every) / mbps(theirs.result)).toFixed(1)}x; the reader splits a segment's elements on first use, so this is the cost when a mapping reads everything` });
    if (!opts.quick) {
      const big = await runChild(kind, 1024, 'ours');
      rows.push({ area: 'x12', name: `read ${kind} 1 GB streamed (child process), MB/s`, value: mbps(big), unit: 'MB/s', peakRssMb: big.peakRssMb,
        notes: `${big.sets} sets, ${cpuMbps(big)} MB per CPU-second; input generated on the fly in the same process (generator time included); peak RSS = getrusage maxRSS of the child` });
    }
  }
  return rows;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--x12-child') {
  await child(process.argv[3] as Kind, Number(process.argv[4]), process.argv[5] as 'ours' | 'node-x12');
}
