/**
 * 846 inventory files (issue 16): a generated 846 interchange of 50 MB holding 200,000 LIN items
 * (5 MB / 20,000 quick), in transaction sets of 10,000 items (the 846 LIN loop's max use), read by the
 * X12 reader (loop tree + element validation) and mapped through the shipped base mapping
 * (mappings/_base/x12-004010-846.inbound.yaml) to inventory_advice documents, then validated against
 * the canonical schema; beside the X12 reader alone on the same bytes in the same run.
 * Rows: MB/s and peak RSS of each, items/s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createCanonicalValidators } from '../src/canonical/validate.ts';
import { readX12 } from '../src/formats/x12/reader.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { grammarFor } from '../src/pipeline/inbound/grammars.ts';
import type { BenchArea, BenchRow } from './lib.ts';
import { withPeakRss } from './lib.ts';

const ITEMS_PER_SET = 10000;
const mappingsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../mappings');

/** One 846 set of `items` LIN loops: ids, description, lot expiry, on-hand and available quantities. */
function inventorySet(cn: string, first: number, items: number): string {
  const lines: string[] = [`ST*846*${cn}`, `BIA*00*DD*INV-${cn}*20261207*0600`, 'DTM*405*20261207*0600', 'N1*WH*NORTHWIND DC 3*9*0614141000012', 'N3*4500 LOGISTICS PKWY', 'N4*COLUMBUS*OH*43215*US'];
  for (let i = first; i < first + items; i++) {
    lines.push(`LIN*${i - first + 1}*VP*AC-${i}*UP*0${String(12345678900 + (i % 99)).padStart(11, '0')}*SK*SKU-${i}`,
      `PID*F****INDUSTRIAL FASTENER ASSORTMENT ${i % 500}, ZINC PLATED STEEL, 250 PIECES PER BOX`,
      'DTM*036*20270630', `REF*LT*LOT-${i % 9973}`, `REF*WS*WH3-ZONE-${i % 17}`, `REF*ZZ*AISLE ${i % 41} BIN ${i % 97}-${i % 13}`, `QTY*17*${(i * 7) % 1000}*EA`, `QTY*33*${(i * 5) % 1000}*EA`, `QTY*02*${(i * 3) % 500}*EA`);
  }
  lines.push(`CTT*${items}`);
  lines.push(`SE*${lines.length + 1}*${cn}`);
  return lines.join('~\n') + '~\n';
}

/** The 846 interchange as ~64 KB latin1 buffers: `items` items in sets of 10,000, one group. */
export function generate846(items: number): Buffer[] {
  const out: Buffer[] = [];
  let pending = 'ISA*00*          *00*          *ZZ*NORTHWIND3PL   *ZZ*BUYERCO        *261207*0600*U*00401*000000951*0*P*>~\n'
    + 'GS*IB*NORTHWIND3PL*BUYERCO*20261207*0600*951*X*004010~\n';
  let sets = 0;
  for (let first = 1; first <= items; first += ITEMS_PER_SET) {
    sets++;
    pending += inventorySet(String(sets).padStart(4, '0'), first, Math.min(ITEMS_PER_SET, items - first + 1));
    while (pending.length >= 65536) { out.push(Buffer.from(pending.slice(0, 65536), 'latin1')); pending = pending.slice(65536); }
  }
  pending += `GE*${sets}*951~\nIEA*1*000000951~\n`;
  out.push(Buffer.from(pending, 'latin1'));
  return out;
}

interface Measure { mb: number; seconds: number; sets: number; items: number }

const mapping = compileMapping(
  { file: '_base/x12-004010-846.inbound.yaml', text: readFileSync(path.join(mappingsRoot, '_base/x12-004010-846.inbound.yaml'), 'utf8') },
  { load: (file) => ({ file, text: readFileSync(path.join(mappingsRoot, file), 'utf8') }), grammar: (f, m, v) => grammarFor(f, m, v) },
);
const validators = createCanonicalValidators();

/** read only (stage 'read'), or read and map each set (stage 'map'), or also validate the document (stage 'validate') */
async function pass(chunks: Buffer[], stage: 'read' | 'map' | 'validate'): Promise<Measure> {
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  let sets = 0; let items = 0;
  const start = performance.now();
  for await (const item of readX12(Readable.from(chunks, { objectMode: true }) as AsyncIterable<Buffer>, {})) {
    if (item.kind !== 'transaction') continue;
    if (!item.accepted) throw new Error(`bench input: set ${item.transaction.controlNumber} rejected: ${JSON.stringify(item.errors[0])}`);
    sets++;
    if (stage === 'read') continue;
    const { value, problems } = await mapping.toCanonical(item.tree);
    if (problems.length > 0) throw new Error(`bench input: ${problems[0]!.message}`);
    const doc = value as { items: unknown[] };
    items += doc.items.length;
    if (stage === 'validate') {
      const v = validators.validateDocument('inventory_advice', doc);
      if (v.length > 0) throw new Error(`bench input: ${v[0]!.message}`);
    }
  }
  return { mb: bytes / 1048576, seconds: (performance.now() - start) / 1000, sets, items };
}

const mbps = (m: Measure): number => Math.round((m.mb / m.seconds) * 10) / 10;
const median = (ms: Measure[]): Measure => [...ms].sort((a, b) => mbps(a) - mbps(b))[Math.floor(ms.length / 2)] as Measure;

export const run: BenchArea = async (opts) => {
  const items = opts.quick ? 20000 : 200000;
  const chunks = generate846(items);
  const mb = chunks.reduce((n, c) => n + c.length, 0) / 1048576;
  const runs = opts.quick ? 1 : 3;
  // warm-up of each pass (JIT), then alternate them so machine load hits both alike
  await pass(chunks, 'read'); await pass(chunks, 'map');
  const reads: Measure[] = []; const maps: Measure[] = []; const valids: Measure[] = [];
  let readRss = 0; let mapRss = 0; let validRss = 0;
  for (let i = 0; i < runs; i++) {
    const r = await withPeakRss(() => pass(chunks, 'read')); reads.push(r.result); readRss = Math.max(readRss, r.peakRssMb);
    const m = await withPeakRss(() => pass(chunks, 'map')); maps.push(m.result); mapRss = Math.max(mapRss, m.peakRssMb);
    const v = await withPeakRss(() => pass(chunks, 'validate')); valids.push(v.result); validRss = Math.max(validRss, v.peakRssMb);
  }
  const read = median(reads); const map = median(maps); const valid = median(valids);
  if (map.items !== items) throw new Error(`mapped ${map.items} items, generated ${items}`);
  const size = `${mb.toFixed(1)} MB, ${items.toLocaleString('en-US')} items in ${map.sets} sets`;
  const baseline = { name: 'X12 reader alone, same bytes (loop tree + validation)', value: mbps(read), unit: 'MB/s' };
  const rows: BenchRow[] = [
    { area: 'inventory', name: `846 ${size}: read and mapped to inventory_advice, MB/s`, value: mbps(map), unit: 'MB/s', peakRssMb: mapRss, baseline,
      notes: `${Math.round(map.items / map.seconds).toLocaleString('en-US')} items/s; reader alone peak RSS ${readRss} MB; median of ${runs} alternating runs after a warm-up; input held in memory (${mb.toFixed(0)} MB)` },
    { area: 'inventory', name: `846 ${size}: read, mapped and validated against the canonical schema, MB/s`, value: mbps(valid), unit: 'MB/s', peakRssMb: validRss, baseline,
      notes: `${Math.round(valid.items / valid.seconds).toLocaleString('en-US')} items/s` },
  ];
  return rows;
};
