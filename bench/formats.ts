/**
 * Parse throughput of the EDIFACT, CSV and cXML readers beside the library each builds on (or
 * the alternative): the `edifact` npm Reader, papaparse alone, fast-xml-parser alone. Inputs are
 * generated here; quick mode uses ~1 MB inputs, the full run 40 MB EDIFACT, 300 MB streamed CSV
 * and 20 MB cXML. Peak RSS is the process peak while the figure ran (RSS only grows, so later
 * rows include earlier high-water marks; run one area alone for clean memory figures).
 */
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { XMLParser } from 'fast-xml-parser';
import type { BenchArea, BenchRow } from './lib.ts';
import { withPeakRss } from './lib.ts';
import { parseEdifact, readEdifact } from '../src/formats/edifact/index.ts';
import { readCsv } from '../src/formats/csv/index.ts';
import { parseXml, readCxml } from '../src/formats/xml/index.ts';

const MB = 1024 * 1024;

function edifactInput(targetBytes: number): string {
  const parts = ["UNA:+.? 'UNB+UNOC:3+4012345000009:14+5412345000013:14+261120:0930+BENCH1'"];
  let n = 0;
  let size = parts[0]!.length;
  while (size < targetBytes) {
    n++;
    const segs = [`UNH+${n}+ORDERS:D:96A:UN:EAN008'`, `BGM+220+PO${n}+9'`, "DTM+137:20261120:102'", "NAD+BY+4012345000009::9++Müller GmbH+Hauptstr. 5+Köln++50667+DE'", "NAD+SU+5412345000013::9'", "CUX+2:EUR:9'"];
    for (let l = 1; l <= 20; l++) segs.push(`LIN+${l}++40008621${String(l).padStart(5, '0')}:EN'`, `QTY+21:${l * 10}:PCE'`, `PRI+AAA:${l}.25'`);
    segs.push("UNS+S'", "CNT+2:20'");
    segs.push(`UNT+${segs.length + 1}+${n}'`);
    const msg = segs.join('\n') + '\n';
    parts.push(msg);
    size += msg.length;
  }
  parts.push(`UNZ+${n}+BENCH1'`);
  return parts.join('');
}

function csvLine(i: number): string {
  return `PO${Math.floor(i / 5)};2026-11-20;${i % 5};ART-${i};"Schraube ""M${i % 12}"" verzinkt";${i % 100};PCE;0,${i % 100}\n`;
}
async function* csvSource(targetBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  let i = 0;
  yield Buffer.from('po;date;line;sku;desc;qty;uom;price\n');
  while (size < targetBytes) {
    let chunk = '';
    while (chunk.length < 256 * 1024) chunk += csvLine(i++);
    size += chunk.length;
    yield Buffer.from(chunk);
  }
}

function cxmlInput(targetBytes: number): string {
  const head = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.050/cXML.dtd"><cXML payloadID="b@x" timestamp="2026-11-20T09:30:00+01:00"><Header><From><Credential domain="NetworkID"><Identity>AN1</Identity></Credential></From><To><Credential domain="DUNS"><Identity>1</Identity></Credential></To><Sender><Credential domain="NetworkID"><Identity>AN1</Identity><SharedSecret>s</SharedSecret></Credential><UserAgent>bench</UserAgent></Sender></Header><Request deploymentMode="test"><OrderRequest><OrderRequestHeader orderID="PO1" orderDate="2026-11-20" type="new"><Total><Money currency="EUR">1.00</Money></Total></OrderRequestHeader>';
  const items: string[] = [];
  let size = head.length;
  for (let i = 1; size < targetBytes; i++) {
    const item = `<ItemOut quantity="${i % 50}" lineNumber="${i}"><ItemID><SupplierPartID>ART-${i}</SupplierPartID></ItemID><ItemDetail><UnitPrice><Money currency="EUR">${i}.50</Money></UnitPrice><Description xml:lang="de">Schraube M${i % 12} &amp; Scheibe</Description><UnitOfMeasure>EA</UnitOfMeasure></ItemDetail></ItemOut>`;
    items.push(item);
    size += item.length;
  }
  return head + items.join('') + '</OrderRequest></Request></cXML>';
}

async function timed(bytes: number, fn: () => Promise<unknown> | unknown, warmUp = false): Promise<{ mbs: number; peakRssMb: number }> {
  if (warmUp) await fn(); // quick mode: small inputs, so let the JIT settle first
  const { result, peakRssMb } = await withPeakRss(async () => { const t = performance.now(); await fn(); return performance.now() - t; });
  return { mbs: Math.round((bytes / MB / (result / 1000)) * 10) / 10, peakRssMb };
}

export const run: BenchArea = async (opts) => {
  const rows: BenchRow[] = [];
  const require = createRequire(import.meta.url);
  const { Reader } = require('edifact') as { Reader: new (c: object) => { parse(s: string): unknown[] } };

  // EDIFACT
  const edi = Buffer.from(edifactInput(opts.quick ? 1 * MB : 40 * MB), 'latin1');
  const theirs = await timed(edi.length, () => new Reader({ autoDetectEncoding: true }).parse(edi.toString('latin1')), opts.quick);
  const flat = await timed(edi.length, () => parseEdifact(edi, { grammars: null }), opts.quick);
  rows.push({ area: 'formats', name: 'EDIFACT parse, envelopes + charset, no grammar (parseEdifact)', value: flat.mbs, unit: 'MB/s', peakRssMb: flat.peakRssMb, baseline: { name: 'edifact npm Reader (segments only)', value: theirs.mbs, unit: 'MB/s' }, notes: `${(edi.length / MB).toFixed(1)} MB ORDERS D96A, 20 lines/message` });
  const full = await timed(edi.length, () => parseEdifact(edi), opts.quick);
  rows.push({ area: 'formats', name: 'EDIFACT parse + D96A grammar tree + element validation', value: full.mbs, unit: 'MB/s', peakRssMb: full.peakRssMb, baseline: { name: 'edifact npm Reader (segments only)', value: theirs.mbs, unit: 'MB/s' } });
  async function* ediChunks(): AsyncGenerator<Uint8Array> { for (let i = 0; i < edi.length; i += 64 * 1024) yield edi.subarray(i, i + 64 * 1024); }
  const streamed = await timed(edi.length, async () => { let n = 0; for await (const it of readEdifact(ediChunks())) if (it.kind === 'message') n++; return n; });
  rows.push({ area: 'formats', name: 'EDIFACT streaming readEdifact (64 KB chunks, grammar)', value: streamed.mbs, unit: 'MB/s', peakRssMb: streamed.peakRssMb, baseline: { name: 'edifact npm Reader (segments only)', value: theirs.mbs, unit: 'MB/s' } });

  // CSV (streamed, never held in memory as a whole)
  const csvBytes = opts.quick ? 1 * MB : 300 * MB;
  let papaBytes = 0;
  const papa = await timed(csvBytes, () => new Promise<void>((resolve, reject) => {
    async function* text(): AsyncGenerator<string> { for await (const c of csvSource(csvBytes)) { papaBytes += c.length; yield Buffer.from(c).toString('utf8'); } }
    (Papa.parse as unknown as (i: Readable, c: object) => void)(Readable.from(text()), { delimiter: ';', step: () => undefined, complete: () => resolve(), error: reject });
  }));
  let docs = 0;
  const ours = await timed(csvBytes, async () => { for await (const d of readCsv(csvSource(csvBytes), { delimiter: ';', groupBy: 'po' })) docs += d.rows.length > 0 ? 1 : 0; });
  rows.push({ area: 'formats', name: 'CSV streaming readCsv, grouped by PO (iconv + papaparse)', value: ours.mbs, unit: 'MB/s', peakRssMb: ours.peakRssMb, baseline: { name: 'papaparse alone (stream, step)', value: papa.mbs, unit: 'MB/s' }, notes: `${(papaBytes / MB).toFixed(0)} MB, ${docs} documents` });

  // cXML
  const xml = Buffer.from(cxmlInput(opts.quick ? 1 * MB : 20 * MB), 'utf8');
  const fxp = await timed(xml.length, () => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false }).parse(xml.toString('utf8')), opts.quick);
  const cx = await timed(xml.length, () => readCxml(parseXml(xml, { arrays: ['ItemOut'] })), opts.quick);
  rows.push({ area: 'formats', name: 'cXML parseXml (limits, XXE guard, validate) + readCxml', value: cx.mbs, unit: 'MB/s', peakRssMb: cx.peakRssMb, baseline: { name: 'fast-xml-parser alone', value: fxp.mbs, unit: 'MB/s' }, notes: `${(xml.length / MB).toFixed(1)} MB OrderRequest` });
  return rows;
};
