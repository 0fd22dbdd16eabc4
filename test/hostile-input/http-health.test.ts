/**
 * Issue 12, "Prove it": each hostile input of the issue goes through the real HTTP server while a
 * second client probes /healthz back to back. For each, the test prints the probe latency during
 * the case (p50/p99/max) beside the idle latency measured in this same test, and asserts only:
 * - the message got its precise typed answer (HTTP status, error code, where) and is stored: its
 *   raw bytes are fetchable unchanged;
 * - /healthz answered every probe (no timeout, no reset connection), at least once while the case
 *   was in flight, and its slowest answer stayed under idle p99 + 2 s (the old code held the
 *   event loop 28.6 s for the first case; a bound this loose cannot flake on a loaded 2-core box).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachOutbound, baseMappings, type OutboundFixture } from '../outbound/harness.ts';
import { restcoYaml, startGatewayFixture, tokens } from '../support/gateway-fixture.ts';
import { describeLatency, idleLatencies, latencyStats, startProbeLoop, type LatencyStats } from '../support/health-probe.ts';

const acme = `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
http:
  apiKeyEnv: ACME_API_KEY
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
outbound: { channel: pickup }
rules: { priceTolerancePercent: 0, quantityTolerancePercent: 0, onViolation: hold }
`;
const euro = `id: euro
name: Euro Parts
status: production
identifiers:
  edifact: { id: "5412345000013", qualifier: "14" }
http:
  apiKeyEnv: EURO_API_KEY
`;
/**
 * the slowest probe may exceed idle p99 by this much: one transaction set is read in one go, and
 * 1 MB of '~' in one set (a million empty segments) holds the event loop 0.35-0.9 s here
 */
const BOUND_MS = 2000;
const KEYS = { ACME_API_KEY: 'acme-key-abcdef', EURO_API_KEY: 'euro-key-abcdef' };

const ISA = 'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*BUYERCO        *261120*1030*U*00401*000000901*0*P*>~\nGS*SH*ACMESUPPLY*BUYERCO*20261120*1030*901*X*004010~\n';
const shipmentId = (k: number) => `SHP-${String(k).padStart(5, '0')}`;

/** ship notice k against PO-77001: 2 EA of line 1, 1 CA of line 2, 0.1 KG of line 3 (as test/spine/correlate-one-po) */
function asnSegments(k: number, sn1 = 'SN1*1*2*EA', poNumber = 'PO-77001'): string[] {
  const st = String(k).padStart(4, '0');
  const segs = [`ST*856*${st}`, `BSN*00*${shipmentId(k)}*20261120*1010*0001`, 'HL*1**S', 'HL*2*1*O', `PRF*${poNumber}***20261101`,
    'HL*3*2*I', 'LIN*1*IN*WID-100', sn1, 'HL*4*2*I', 'LIN*2*IN*GAD-200', 'SN1*2*1*CA', 'HL*5*2*I', 'LIN*3*IN*BLT-300', 'SN1*3*0.1*KG', 'CTT*5'];
  return [...segs, `SE*${segs.length + 1}*${st}`];
}
const interchange = (sets: string[][], trailer = 'IEA*1*000000901~\n') =>
  `${ISA}${sets.map((s) => s.join('~\n') + '~\n').join('')}GE*${sets.length}*901~\n${trailer}`;

const po = {
  poNumber: 'PO-77001', poDate: '2026-11-01', currency: 'USD',
  lines: [
    { lineNumber: '1', buyerPartNumber: 'WID-100', quantity: 5981, unitOfMeasure: 'EA', unitPrice: 1.25 },
    { lineNumber: '2', buyerPartNumber: 'GAD-200', quantity: 3000, unitOfMeasure: 'CA', unitPrice: 48 },
    { lineNumber: '3', buyerPartNumber: 'BLT-300', quantity: 300, unitOfMeasure: 'KG', unitPrice: 3 },
  ],
};

const DESADV = ["UNB+UNOA:3+5412345000013:14+4012345000009:14+261125:0700+DSP0001'", "UNH+1+DESADV:D:96A:UN'", "BGM+351+DN-55001+9'",
  "DTM+137:20261125:102'", "RFF+ON:PO-4711'", "NAD+SU+5412345000013::9'", "LIN+1++4000862141404:EN'", "QTY+12:250:PCE'", "CNT+2:1'", "UNT+9+1'"];

interface Answer { status: number; body: { messageId: string; status: string; errors: Array<{ code: string; message: string; detail?: Record<string, unknown>; unit?: number }>; documents: unknown[] } }

let o: OutboundFixture;
let idle: LatencyStats;
beforeAll(async () => {
  const f = await startGatewayFixture({ partners: { acme, euro, restco: restcoYaml }, mappings: baseMappings(), env: KEYS, maxBodyBytes: 16 * 1048576 });
  o = await attachOutbound(f, {});
  idle = latencyStats(await idleLatencies(f.gw.url, 40));
  console.log(`[idle] /healthz ${describeLatency(idle)}`);
}, 120_000);
afterAll(async () => { await o?.close(); });

/**
 * posts body (?wait=true: the answer is the outcome) while a second client probes /healthz;
 * prints the probe latency during the case beside idle and checks the probe bounds
 */
async function hostile(name: string, body: string, opts: { key: string; contentType: string }): Promise<Answer> {
  const loop = startProbeLoop(o.f.gw.url);
  const t0 = performance.now();
  const res = await o.f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: opts.key, headers: { 'content-type': opts.contentType }, body });
  const answer = { status: res.status, body: await res.json() as Answer['body'] };
  const seconds = (performance.now() - t0) / 1000;
  const { samples, failures } = await loop.stop();
  const during = latencyStats(samples.map((s) => s.ms));
  console.log(`[${name}] ${(body.length / 1024).toFixed(0)} KB answered ${answer.status} in ${seconds.toFixed(2)} s; /healthz during: ${describeLatency(during)}; idle: p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms, max ${idle.max.toFixed(1)} ms`);
  expect(failures).toEqual([]);
  expect(samples.every((s) => s.status === 200)).toBe(true);
  expect(samples.length).toBeGreaterThanOrEqual(1);
  expect(during.max).toBeLessThan(idle.p99 + BOUND_MS);
  // stored: the raw bytes come back unchanged
  const raw = await o.f.fetch(`/api/v1/messages/${answer.body.messageId}/raw`, { token: tokens.operator });
  expect(raw.status).toBe(200);
  expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(body, 'latin1'))).toBe(true);
  return answer;
}

type Err = Answer['body']['errors'][number];
const x12From = { key: KEYS.ACME_API_KEY, contentType: 'application/edi-x12' };
/** a one-set interchange with its own control numbers (a reused one would be a duplicate interchange) */
const single = (icn: number, set: string[], trailer?: string) => {
  const n = String(icn).padStart(9, '0');
  return interchange([set], trailer ?? `IEA*1*${n}~\n`).replace('*000000901*0*P*', `*${n}*0*P*`);
};

describe('hostile input through the real HTTP server, /healthz probed meanwhile', () => {
  it("SN1 with 100,000 nines and an 'x': SN102 is not a decimal number (AK403 6), the value cut in the answer", async () => {
    const a = await hostile('SN1 + 100,000 nines + x', single(902, asnSegments(9001, `SN1*1*${'9'.repeat(100_000)}x*EA`, 'PO-99001')), x12From);
    expect(a.status).toBe(422);
    expect(a.body.status).toBe('failed');
    expect(a.body.errors).toHaveLength(1);
    const e = a.body.errors[0]!;
    // SN1-02 is data element 382 (Number of Units Shipped), type R 1/10: the 'x' is an invalid character (AK403 code 6)
    expect(e).toMatchObject({ stage: 'split', code: 'x12_invalid_character', unit: 0 });
    expect(e.message).toBe(`SN102: '${'9'.repeat(40)}...9999999x' (100001 characters) is not a decimal number (and 1 more finding(s))`);
    // the element error (AK403 6) and the set's own verdict: AK502 5, one or more segments in error
    expect((e.detail as { findings: Array<{ error: string; code: string }> }).findings.map((x) => [x.error, x.code])).toEqual([['x12_invalid_character', '6'], ['x12_segments_in_error', '5']]);
    expect(e.detail).toMatchObject({ segment: 'SN1', elementPosition: 2, elementReference: '382', expected: 'R', found: '9'.repeat(99), interchangeControlNumber: '000000902' });
  });

  it('40,000 spaces and a character, no final segment terminator: IEA02 does not match ISA13 (TA1 001)', async () => {
    const a = await hostile('IEA + 40,000 spaces + x, unterminated', single(903, asnSegments(9002, undefined, 'PO-99002'), `IEA*1*000000903${' '.repeat(40_000)}x`), x12From);
    expect(a.status).toBe(422);
    expect(a.body.status).toBe('failed');
    expect(a.body.errors).toHaveLength(1);
    const e = a.body.errors[0]!;
    expect(e.code).toBe('x12_interchange_control_number_mismatch');
    expect(e.message).toBe(`IEA02 '000000903${' '.repeat(31)}...       x' (40010 characters) does not match ISA13 '000000903'`);
    // AK404-style copy: at most 99 characters of the bad value
    expect(e.detail).toMatchObject({ segment: 'IEA', elementPosition: 2, expected: '000000903', found: `000000903${' '.repeat(90)}`, standardCode: '001' });
    // the set before the bad trailer was read and released as it streamed (the pipeline's X12 design): the answer says so
    expect(a.body.documents).toEqual([expect.objectContaining({ type: 'ship_notice', document: expect.objectContaining({ shipmentId: 'SHP-09002' }) })]);
  });

  it("1 MB of '~' inside a ship notice: the set is rejected, its first 100 findings listed and the rest counted", async () => {
    const set = asnSegments(9003, undefined, 'PO-99003');
    set.splice(8, 0, '~'.repeat(1 << 20));
    const a = await hostile("1 MB of '~'", single(904, set), x12From);
    expect(a.status).toBe(422);
    expect(a.body.status).toBe('failed');
    expect(a.body.errors).toHaveLength(1);
    const e = a.body.errors[0]!;
    // 16 segments ST..SE, plus 2^20 empty ones from the run and one more where the run meets the next "~\n"
    expect(e).toMatchObject({ stage: 'split', code: 'x12_segment_count_mismatch', unit: 0 });
    expect(e.message).toBe('SE01 says 16 segments, counted 1048593 (and 101 more finding(s))');
    const findings = (e.detail as { findings: Array<{ error: string }> }).findings;
    expect(findings).toHaveLength(102);
    expect(findings.at(-1)!.error).toBe('x12_too_many_errors');
  });

  it('3,000 ship notices against one PO in one interchange: processed, over-shipment held exactly from notice 2,991', async () => {
    const sent = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify({ partnerId: 'acme', type: 'purchase_order', document: po }) });
    expect(sent.status).toBe(202);
    await o.outbound.idle();
    const a = await hostile('3,000 ASNs, one PO', interchange(Array.from({ length: 3000 }, (_, i) => asnSegments(i + 1))), x12From);
    expect(a.status).toBe(200);
    expect(a.body.status).toBe('processed');
    const msg = await (await o.f.fetch(`/api/v1/messages/${a.body.messageId}`, { token: tokens.operator })).json() as { documents: Array<{ id: string; status: string; businessKey: string }>; exceptions: Array<{ code: string; documentId: string; message: string }> };
    expect(msg.documents).toHaveLength(3000);
    // line 1 orders 5,981 and every notice ships 2 (worked out in test/spine/correlate-one-po.test.ts)
    expect(msg.documents.filter((d) => d.status === 'held').map((d) => d.businessKey).sort()).toEqual(Array.from({ length: 10 }, (_, i) => shipmentId(2991 + i)));
    expect(msg.exceptions.map((x) => x.code)).toEqual(Array(10).fill('asn_over_shipped'));
  });

  it('EDIFACT with 20,000 stray segments after UNT: the first 100 listed by byte offset, the rest counted', async () => {
    const body = [...DESADV, "FTX+AAI+++stray'".repeat(20_000), "UNZ+1+DSP0001'"].join('\n');
    const a = await hostile('EDIFACT, 20,000 stray segments', body, { key: KEYS.EURO_API_KEY, contentType: 'application/edifact' });
    expect(a.status).toBe(422);
    expect(a.body.status).toBe('failed');
    const first = body.indexOf('FTX+AAI');
    const stray = a.body.errors.filter((e) => e.code === 'edifact_segment_outside_message');
    expect(stray).toHaveLength(100);
    // each stray segment is 16 bytes: FTX+AAI+++stray'
    expect(stray.map((e) => e.message)).toEqual(Array.from({ length: 100 }, (_, i) => `segment FTX at byte ${first + 16 * i} is outside any message (UNH..UNT)`));
    expect(stray[0]!.detail).toMatchObject({ interchangeControlNumber: 'DSP0001', standardCode: '33', segment: 'FTX', offsetBytes: first });
    const counted = a.body.errors.filter((e) => e.code === 'edifact_too_many_errors');
    expect(counted.map((e) => e.message)).toEqual(['interchange DSP0001 has 20000 segments outside any message (UNH..UNT); 19900 more are not listed']);
  });

  it('JSON nested 100,000 levels deep: refused as too deep, not parsed by recursion', async () => {
    for (const [what, body] of [['arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`], ['objects', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`]] as const) {
      const a = await hostile(`JSON, 100,000 nested ${what}`, body, { key: o.f.keys.RESTCO_API_KEY!, contentType: 'application/json' });
      expect(a.status).toBe(422);
      expect(a.body.status).toBe('failed');
      expect(a.body.errors.map((e: Err) => [e.code, e.message])).toEqual([['json_too_deep', 'JSON nesting deeper than 64 levels is refused']]);
    }
  });
});
