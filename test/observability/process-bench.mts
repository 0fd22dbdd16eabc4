/**
 * What tracing costs on one interchange (issue 19): a real gateway (main-thread processing, SQLite
 * in a temp folder) takes X12 850 interchanges of SETS purchase orders over HTTP with ?wait=true,
 * so each answer comes after the whole processing; prints the median and mean ms per interchange
 * and the process's CPU ms per interchange (after the warm-up; the HTTP client is in the process too). Modes: `off` (no OTEL_* set), `on` (an OTLP/HTTP receiver in
 * this process, always_on sampler). Run it from a checkout before the tracing change too (same
 * command, interleaved) to compare: `node --import tsx test/observability/process-bench.mts off [runs] [sets]`.
 */
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture } from '../support/gateway-fixture.ts';

const mode = process.argv[2] ?? 'off';
const runs = Number(process.argv[3] ?? 12);
const sets = Number(process.argv[4] ?? 200);
const WARMUP = 3;

function interchange(icn: number): string {
  const isa13 = String(icn).padStart(9, '0');
  let body = `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261208*0130*U*00401*${isa13}*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261208*0130*${icn}*X*004010~\n`;
  for (let i = 1; i <= sets; i++) {
    const st = String(i).padStart(4, '0');
    body += [`ST*850*${st}`, `BEG*00*SA*PO-${icn}-${i}**20261208`, `PO1*1*${i}*EA*1.25**BP*WID-${i}`, 'CTT*1', `SE*5*${st}`].join('~\n') + '~\n';
  }
  return `${body}GE*${sets}*${icn}~\nIEA*1*${isa13}~\n`;
}

const receiver = mode === 'on' ? await (await import('./otlp-receiver.ts')).startOtlpReceiver() : undefined;
const f = await startGatewayFixture({
  partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, maxBodyBytes: 64 * 1024 * 1024,
  env: { BUYERCO_API_KEY: 'bench-key', ...(receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'always_on' } : {}) },
});
const times: number[] = [];
let cpu0 = process.cpuUsage();
for (let i = 0; i < WARMUP + runs; i++) {
  if (i === WARMUP) cpu0 = process.cpuUsage();
  const body = interchange(1000 + i);
  const t0 = performance.now();
  const r = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'bench-key', headers: { 'content-type': 'application/edi-x12' }, body });
  const answer = await r.json() as { status: string };
  if (r.status !== 200 || answer.status !== 'processed') throw new Error(`interchange ${i}: ${r.status} ${JSON.stringify(answer).slice(0, 300)}`);
  if (i >= WARMUP) times.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
await f.close();
await receiver?.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(JSON.stringify({ mode, sets, runs, medianMs: Math.round(median * 10) / 10, meanMs: Math.round(mean * 10) / 10, cpuMsPerInterchange: Math.round((cpu.user + cpu.system) / runs / 100) / 10, ...(receiver ? { spansReceived: receiver.spans.length } : {}) }));
