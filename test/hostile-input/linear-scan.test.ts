/**
 * Partner bytes are read in linear time (issue 12): every reader and the validators under it is
 * fed runs of one character class (digits, letters, spaces, CR/LF, each format's delimiters,
 * '.', '-', '+', release characters, quotes, '<' ...), placed where the validators look at them
 * (a decimal element, a text element, a segment of their own, a field, an attribute, text), with
 * and without a final odd character, terminated or running to the end of the input.
 *
 * Time is never compared with a clock: each input is read and, in the same test, scanned by a
 * loop summing its char codes; the read may cost at most RATIO times that scan. A linear reader
 * stays at a fixed ratio at every size; a quadratic one grows tenfold with every tenfold size.
 * Sizes go 10^4, 10^5, 10^6 so that a quadratic case fails on a small input instead of holding
 * the test for hours on the large one (the DECIMAL regex took 28 s on 10^5 nines).
 *
 * LINEAR_SCAN_VERBOSE=1 prints every ratio.
 */
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/core/errors.ts';
import { parseCsv, type CsvProfile } from '../../src/formats/csv/index.ts';
import { parseEdifact } from '../../src/formats/edifact/index.ts';
import { parseXml } from '../../src/formats/xml/index.ts';
import { createX12FormatReader } from '../../src/formats/x12/format-reader.ts';

/**
 * A read may cost this many plain scans of its input. Linear readers measured up to ~700 here (a
 * run of '~' is a million empty segments, each an object and a finding counted); the quadratic
 * ones this test was written against measured 27,000 (empty segments) to 190,000 (DECIMAL) at 10^5.
 */
const RATIO = 5000;
/** the scan is repeated up to this many characters, so a small read's fixed costs (JIT, setup) are not taken for per-character cost */
const SCAN_FLOOR = 100_000;
const SIZES = [10_000, 100_000, 1_000_000];
const verbose = process.env.LINEAR_SCAN_VERBOSE === '1';

/** one character (or a short pattern) repeated; `odd`: a last character that breaks the class */
const CLASSES: Record<string, string> = {
  digits: '9', letters: 'A', lower: 'z', spaces: ' ', tabs: '\t', cr: '\r', lf: '\n', crlf: '\r\n', nul: '\0', high: '\xe9', nbsp: '\xa0',
  star: '*', tilde: '~', colon: ':', caret: '^', gt: '>', pipe: '|', plus: '+', apos: "'", question: '?', dot: '.', minus: '-',
  comma: ',', semicolon: ';', quote: '"', lt: '<', amp: '&', slash: '/', equals: '=', brackets: '[]',
  'digit-dot': '9.', 'minus-digit': '-9', 'e-digit': 'E9', 'release-apos': "?'", 'quote-pair': '""', 'lt-a': '<a',
};
const oddFor = (cls: string): string => (/^[A-Za-z]/.test(cls) ? '9' : 'x');

function scan(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
  return sum;
}

/** ms of fn: the least of `minRuns` to `maxRuns` runs, repeated until `minTotal` ms have passed */
function best(fn: () => void, minTotal: number, minRuns: number, maxRuns: number): number {
  let least = Number.POSITIVE_INFINITY;
  let total = 0;
  for (let r = 0; r < maxRuns && (r < minRuns || total < minTotal); r++) {
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    total += ms;
    if (ms < least) least = ms;
  }
  return least;
}

interface Reader { name: string; read(text: string): void; templates: Record<string, (run: string) => string> }

/** a typed refusal is an answer; anything else is a crash and fails the test */
function typed(fn: () => void): void {
  try { fn(); } catch (e) { if (!isGatewayError(e)) throw e; }
}

const ISA = 'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        *240404*1600*U*00401*000000301*0*P*>~\nGS*SH*ACMESUPPLY*BUYERCO*20240404*1600*301*X*004010~\n';
const X12_HEAD = `${ISA}ST*856*0001~\nBSN*00*SHP-7001*20240404*1600~\nHL*1**S~\nHL*2*1*O~\nPRF*PO-45001~\nHL*3*2*I~\nLIN*1*BP*WID-100~\n`;
const X12_TAIL = 'CTT*1~\nSE*9*0001~\nGE*1*301~\nIEA*1*000000301~\n';
const x12 = createX12FormatReader();

const UNB = "UNA:+.? 'UNB+UNOC:3+SENDER:14+RECEIVER:14+261120:0930+ORD0001'UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO-4711+9'DTM+137:20261120:102'";
const EDI_TAIL = "NAD+BY+4012345000009::9'LIN+1++4000862141404:EN'UNS+S'CNT+2:1'UNT+9+1'UNZ+1+ORD0001'";

const CSV_PROFILES: CsvProfile[] = [{ header: true, groupBy: 'po' }, { delimiter: ';', header: false, columns: ['po', 'qty', 'item'] }];

const READERS: Reader[] = [
  {
    name: 'x12',
    // the pipeline's reader (1 MB slices): tokenizer, envelopes, tree, element checks (R, N, DT, TM, AN)
    read: (text) => { const r = x12.streamX12(Buffer.from(text, 'latin1')); for (const u of r.units) void u.errors; },
    templates: {
      'decimal element (SN102)': (run) => `${X12_HEAD}SN1*1*${run}*EA~\n${X12_TAIL}`,
      'numeric element (CTT01)': (run) => `${X12_HEAD}SN1*1*24*EA~\nCTT*${run}~\nSE*9*0001~\nGE*1*301~\nIEA*1*000000301~\n`,
      'text element (LIN03)': (run) => `${X12_HEAD.replace('LIN*1*BP*WID-100', `LIN*1*BP*${run}`)}SN1*1*24*EA~\n${X12_TAIL}`,
      'date element (BSN03)': (run) => `${X12_HEAD.replace('20240404*1600~', `${run}*1600~`)}SN1*1*24*EA~\n${X12_TAIL}`,
      'a segment of its own': (run) => `${X12_HEAD}${run}~\n${X12_TAIL}`,
      'between interchanges': (run) => `${X12_HEAD}SN1*1*24*EA~\n${X12_TAIL}${run}${ISA}`,
      'inside the ISA': (run) => `ISA*00*${run}*00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        *240404*1600*U*00401*000000301*0*P*>~\n`,
      'unterminated: decimal element at the end': (run) => `${X12_HEAD}SN1*1*${run}`,
      'unterminated: last segment': (run) => `${X12_HEAD}SN1*1*24*EA~\n${X12_TAIL}IEA*1*${run}`,
    },
  },
  {
    name: 'edifact',
    read: (text) => typed(() => { for (const ic of parseEdifact(text)) for (const m of ic.messages) void m.errors; }),
    templates: {
      'numeric component (QTY)': (run) => `${UNB}QTY+21:${run}:PCE'${EDI_TAIL}`,
      'text element (FTX)': (run) => `${UNB}FTX+AAI+++${run}'${EDI_TAIL}`,
      'a segment of its own': (run) => `${UNB}${run}'${EDI_TAIL}`,
      'before UNB': (run) => `${run}${UNB}${EDI_TAIL}`,
      'inside the UNA': (run) => `UNA${run}`,
      'unterminated: numeric component at the end': (run) => `${UNB}QTY+21:${run}`,
      'unterminated: after UNZ': (run) => `${UNB}${EDI_TAIL}${run}`,
    },
  },
  {
    name: 'csv',
    read: (text) => typed(() => { for (const p of CSV_PROFILES) for (const d of parseCsv(text, p)) void d.errors; }),
    templates: {
      'a field': (run) => `po,qty,item\nPO-1,${run},W-1\nPO-1,2,W-2\n`,
      'a quoted field': (run) => `po,qty,item\nPO-1,"${run}",W-1\n`,
      'the header': (run) => `po,${run},item\nPO-1,1,W-1\n`,
      'unterminated: last field': (run) => `po,qty,item\nPO-1,1,${run}`,
      'unterminated: open quote': (run) => `po,qty,item\nPO-1,"${run}`,
    },
  },
  {
    name: 'xml',
    read: (text) => typed(() => { void parseXml(text); }),
    templates: {
      'element text': (run) => `<?xml version="1.0"?><Order><Qty>${run}</Qty></Order>`,
      'attribute value': (run) => `<?xml version="1.0"?><Order id="${run}"><Qty>1</Qty></Order>`,
      'element name': (run) => `<?xml version="1.0"?><Order><Q${run}>1</Q${run}></Order>`,
      'DOCTYPE': (run) => `<?xml version="1.0"?><!DOCTYPE Order SYSTEM "${run}"><Order/>`,
      'internal subset': (run) => `<?xml version="1.0"?><!DOCTYPE Order [<!ENTITY ${run}>]><Order/>`,
      'comment': (run) => `<?xml version="1.0"?><Order><!--${run}--></Order>`,
      'unterminated: text at the end': (run) => `<?xml version="1.0"?><Order><Qty>${run}`,
      'unterminated: inside a tag': (run) => `<?xml version="1.0"?><Order ${run}`,
    },
  },
];

describe.each(READERS)('$name reads runs of one character class in linear time', (reader) => {
  it.each(Object.entries(reader.templates))('%s', (_label, template) => {
    reader.read(template('warm-up')); // JIT and lazy loading outside the measurements
    const worst: { ratio: number; what: string } = { ratio: 0, what: '' };
    for (const [cls, unit] of Object.entries(CLASSES)) {
      for (const odd of ['', oddFor(cls)]) {
        for (const size of SIZES) {
          const text = template(unit.repeat(Math.ceil(size / unit.length)) + odd);
          const repeat = Math.ceil(SCAN_FLOOR / text.length);
          const scanMs = best(() => { for (let k = 0; k < repeat; k++) scan(text); }, 5, 5, 50);
          const readMs = best(() => reader.read(text), size < 1_000_000 ? 20 : 0, 1, 3);
          const ratio = readMs / scanMs;
          const what = `${cls}${odd ? ` + '${odd}'` : ''} x ${size}: read ${readMs.toFixed(2)} ms, scan ${scanMs.toFixed(3)} ms, ratio ${ratio.toFixed(0)}`;
          if (verbose) console.log(`${reader.name} / ${_label} / ${what}`);
          if (ratio > worst.ratio) { worst.ratio = ratio; worst.what = what; }
          // fail on the first size that is over: a quadratic case would take hours at 10^6
          expect(ratio, `${reader.name} ${_label}: ${what}`).toBeLessThanOrEqual(RATIO);
        }
      }
    }
    console.log(`${reader.name} / ${_label}: worst ${worst.what}`);
  }, 600_000);
});
