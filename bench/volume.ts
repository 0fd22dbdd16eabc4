/**
 * Volume (issue 11): the gateway full and busy, measured from outside. The gateway runs as its own
 * process (`node --import tsx src/main.ts`, as `npm start`), the load generator here; the baseline
 * is bench/_bare-intake.ts, hono + one fsync per request, loaded by the same generator in the same
 * run. Figures:
 * - HTTP intake req/s and p99 (2 KB canonical JSON, 32 clients, each 202 after the commit) on a
 *   fresh database and on one holding 1M stored messages, documents and interchanges (filled
 *   through SQL, test/support/fill-history.ts), beside the bare baseline;
 * - /healthz and /metrics latency at 1M, beside the same calls on the fresh database;
 * - the ERP pull feed's documents/s (lease 500 + ack over HTTP) at 1M, beside the bare feed;
 * - end to end, one X12 850 interchange of 1 and 20 MB (200 MB in the full run) over HTTP until
 *   its last purchase order is feed-ready: MB per server CPU-second and the server's peak RSS;
 * - the same for one streamed 200 MB and one 1 GB interchange of 100-line POs (32 MB --quick),
 *   with the peak RSS before the post, after the 202 and in all (bench/large-interchange.ts);
 * - PostgreSQL with one and two nodes beside one SQLite node (bench/volume-postgres.ts);
 * - /healthz p99 while the 20 MB interchange is processed, beside the same gateway idle.
 * Each row's notes carry the machine's load average when it was measured (a shared machine).
 * BENCH_VOLUME_PARTS=intake,e2e,large,postgres (default all) runs only those parts, to keep a run bounded.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../src/db/open-sqlite.ts';
import { base850, buyerYaml } from '../test/support/buyer.ts';
import { fillHistory } from '../test/support/fill-history.ts';
import { restcoYaml } from '../test/support/gateway-fixture.ts';
import { spawnGateway, type GatewayProcess } from '../test/support/gateway-process.ts';
import type { BenchArea, BenchRow } from './lib.ts';
import { largeInterchangeRows } from './large-interchange.ts';
import { processUsage } from './process-usage.ts';
import { runPostgresVolume } from './volume-postgres.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLIENTS = 32;
const KEYS = { RESTCO_API_KEY: 'restco-volume-key', BUYERCO_API_KEY: 'buyerco-volume-key' };
const ADMIN = 'admin-volume-token';
const ERP = 'erp-volume-token';

/** a canonical JSON invoice of about 2 KB */
const invoice = (n: number) => JSON.stringify({
  type: 'invoice',
  document: {
    invoiceNumber: `INV-${n}`, invoiceDate: '2026-11-20', poNumber: `PO-${n}`, currency: 'USD', totalAmount: 2469,
    lines: Array.from({ length: 10 }, (_, i) => ({ lineNumber: String(i + 1), buyerPartNumber: `BP-${i}-${n}`, vendorPartNumber: `VP-${i}`, description: 'Widget, blue, 10 mm', quantityInvoiced: 10, unitOfMeasure: 'EA', unitPrice: 24.69, amount: 246.9 })),
  },
});

/** one X12 4010 interchange of purchase orders, about `bytes` long */
function interchange850(bytes: number): { body: string; sets: number } {
  const head = 'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000001*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261120*1030*1*X*004010~\n';
  const parts: string[] = [head];
  let size = head.length;
  let sets = 0;
  while (size < bytes) {
    sets++;
    const st = String(sets).padStart(4, '0');
    const set = `ST*850*${st}~\nBEG*00*SA*PO-${sets}**20261120~\nPO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100~\nPO1*2*6*EA*7.25**BP*WID-200*VP*AC-W200~\nCTT*2~\nSE*6*${st}~\n`;
    parts.push(set);
    size += set.length;
  }
  parts.push(`GE*${sets}*1~\nIEA*1*000000001~\n`);
  return { body: parts.join(''), sets };
}

interface Load { perSecond: number; p50: number; p99: number }

/** `count` POSTs from CLIENTS concurrent clients; each must be answered `ok` */
async function load(url: string, headers: Record<string, string>, bodies: string[], ok: number): Promise<Load> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const s = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      const text = await res.text();
      if (res.status !== ok) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
      ms.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: bodies.length / seconds, ...percentiles(ms) };
}

function percentiles(ms: number[]): { p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)] ?? 0, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0 };
}

/** sequential GETs, latency percentiles */
async function latency(url: string, n: number, headers: Record<string, string> = {}): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    ms.push(performance.now() - s);
  }
  return percentiles(ms);
}

/** pulls the whole feed, `limit` at a time, acknowledging each batch; documents/s */
async function drainFeed(lease: () => Promise<Array<{ id: string | number }>>, ack: (ids: Array<string | number>) => Promise<void>): Promise<{ perSecond: number; documents: number }> {
  let documents = 0;
  const t0 = performance.now();
  for (;;) {
    const docs = await lease();
    if (docs.length === 0) break;
    await ack(docs.map((d) => d.id));
    documents += docs.length;
  }
  return { perSecond: documents / ((performance.now() - t0) / 1000), documents };
}

async function counts(gw: GatewayProcess): Promise<Record<string, number>> {
  const res = await fetch(`${gw.url}/api/v1/status`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await res.json()) as { counts: Record<string, number> }).counts;
}

async function until(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function spawnBare(file: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '_bare-intake.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) };
}

function gatewayEnv(dir: string, db: string): Record<string, string> {
  return {
    EDIGW_DATABASE_URL: db, EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: ADMIN, EDIGW_ERP_TOKEN: ERP, EDIGW_LOG_LEVEL: 'info', EDIGW_MAX_BODY_BYTES: String(300 * 1024 * 1024), ...KEYS,
  };
}

const jsonPost = { 'content-type': 'application/json', 'x-api-key': KEYS.RESTCO_API_KEY };
const erpFeed = (gw: GatewayProcess) => drainFeed(
  async () => ((await (await fetch(`${gw.url}/api/v1/erp/documents?limit=500`, { headers: { authorization: `Bearer ${ERP}` } })).json()) as { documents: Array<{ id: string }> }).documents,
  async (ids) => { await (await fetch(`${gw.url}/api/v1/erp/documents/ack`, { method: 'POST', headers: { authorization: `Bearer ${ERP}`, 'content-type': 'application/json' }, body: JSON.stringify({ ids }) })).arrayBuffer(); },
);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const loadavg = () => `load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
const parts = new Set((process.env.BENCH_VOLUME_PARTS ?? 'intake,e2e,large,postgres').split(','));

export const run: BenchArea = async ({ quick }) => {
  const count = quick ? 1_000 : 5_000;
  const history = quick ? 100_000 : 1_000_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-volume-'));
  mkdirSync(path.join(dir, 'partners'));
  mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'restco.yaml'), restcoYaml);
  writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), buyerYaml);
  writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
  const rows: BenchRow[] = [];
  const bodies = (from: number) => Array.from({ length: count }, (_, i) => invoice(from + i));
  const gateways: GatewayProcess[] = [];
  const startGw = async (db: string) => { const g = await spawnGateway(gatewayEnv(dir, db), { startTimeoutMs: 180_000 }); gateways.push(g); return g; };
  try {
    if (parts.has('intake')) {
    // the baseline: the same generator against hono + one fsync per request, and its feed
    const bare = await spawnBare(path.join(dir, 'bare.db'));
    const bareIntake = await load(`${bare.url}/in`, { 'content-type': 'application/json' }, bodies(0), 202);
    const bareFeed = await drainFeed(
      async () => ((await (await fetch(`${bare.url}/feed?limit=500`)).json()) as { documents: Array<{ id: number }> }).documents,
      async (ids) => { await (await fetch(`${bare.url}/ack`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) })).arrayBuffer(); },
    );
    await bare.stop();
    const bareNote = `bare: p50 ${ms(bareIntake.p50)}, p99 ${ms(bareIntake.p99)}`;

    // a fresh database
    const fresh = await startGw(path.join(dir, 'fresh.db'));
    const freshIntake = await load(`${fresh.url}/api/v1/inbound`, jsonPost, bodies(0), 202);
    rows.push({
      area: 'volume', name: `HTTP intake, fresh database: ${count} canonical JSON invoices (2 KB), ${CLIENTS} clients, 202 after the commit`, value: freshIntake.perSecond, unit: 'req/s',
      baseline: { name: 'hono + one fsync per request (SQLite)', value: bareIntake.perSecond, unit: 'req/s' },
      notes: `gateway: p50 ${ms(freshIntake.p50)}, p99 ${ms(freshIntake.p99)}; ${bareNote}; ${loadavg()}`,
    });
    await until('the fresh gateway to process its intake', 600_000, async () => (await counts(fresh)).messages_pending === 0);
    const freshHealth = await latency(`${fresh.url}/healthz`, 200);
    const freshMetrics = await latency(`${fresh.url}/metrics`, 100);
    await fresh.kill('SIGTERM');

    // a database holding `history` stored messages, documents and interchanges
    const full = path.join(dir, 'full.db');
    openSqlite(full).close(); // the schema, migrated as the gateway would
    const f0 = performance.now();
    fillHistory(full, history);
    const fillSeconds = (performance.now() - f0) / 1000;
    const gw = await startGw(full);
    const fullIntake = await load(`${gw.url}/api/v1/inbound`, jsonPost, bodies(10_000_000), 202);
    rows.push({
      area: 'volume', name: `HTTP intake, ${history.toLocaleString('en-US')} stored messages and documents: the same ${count} invoices`, value: fullIntake.perSecond, unit: 'req/s',
      baseline: { name: 'hono + one fsync per request (SQLite)', value: bareIntake.perSecond, unit: 'req/s' },
      notes: `gateway: p50 ${ms(fullIntake.p50)}, p99 ${ms(fullIntake.p99)}; ${(fullIntake.perSecond / freshIntake.perSecond).toFixed(2)}x the fresh database; history filled through SQL in ${fillSeconds.toFixed(0)} s; ${loadavg()}`,
    });
    await until('the full gateway to process its intake', 600_000, async () => (await counts(gw)).messages_pending === 0);
    const health = await latency(`${gw.url}/healthz`, 200);
    const healthStaff = await latency(`${gw.url}/api/v1/status`, 200, { authorization: `Bearer ${ADMIN}` });
    const metrics = await latency(`${gw.url}/metrics`, 100);
    rows.push({
      area: 'volume', name: `/healthz p99 at ${history.toLocaleString('en-US')} (no token)`, value: health.p99, unit: 'ms',
      baseline: { name: '/healthz p99 on the fresh database', value: freshHealth.p99, unit: 'ms' },
      notes: `p50 ${ms(health.p50)}; /api/v1/status with the admin token (counts, pollers) p50 ${ms(healthStaff.p50)}, p99 ${ms(healthStaff.p99)}; ${loadavg()}`,
    });
    rows.push({
      area: 'volume', name: `/metrics p99 at ${history.toLocaleString('en-US')}`, value: metrics.p99, unit: 'ms',
      baseline: { name: '/metrics p99 on the fresh database', value: freshMetrics.p99, unit: 'ms' }, notes: `p50 ${ms(metrics.p50)}; ${loadavg()}`,
    });
    const feed = await erpFeed(gw);
    rows.push({
      area: 'volume', name: `ERP pull feed at ${history.toLocaleString('en-US')}: lease 500 + ack over HTTP, ${feed.documents} documents, no throttle`, value: feed.perSecond, unit: 'docs/s',
      baseline: { name: 'bare hono feed, UPDATE … RETURNING 500 + ack', value: bareFeed.perSecond, unit: 'docs/s' }, notes: loadavg(),
    });
    await gw.kill('SIGTERM');
    }

    // end to end: one X12 interchange, a gateway process of its own per size (so its peak RSS is this message's)
    for (const mb of parts.has('e2e') ? (quick ? [1, 20] : [1, 20, 200]) : []) {
      const { body, sets } = interchange850(mb * 1024 * 1024);
      const bytes = Buffer.byteLength(body);
      const e2e = await startGw(path.join(dir, `e2e-${mb}.db`));
      const idleHealth = await latency(`${e2e.url}/healthz`, 100);
      const before = processUsage(e2e.child.pid!);
      const t0 = performance.now();
      const res = await fetch(`${e2e.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/edi-x12', 'x-api-key': KEYS.BUYERCO_API_KEY }, body });
      if (res.status !== 202) throw new Error(`the ${mb} MB interchange was answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      // meanwhile a client keeps asking /healthz (one request at a time): the event loop must keep answering
      const busy: number[] = [];
      let processing = true;
      const prober = (async () => {
        while (processing) {
          const s = performance.now();
          const r = await fetch(`${e2e.url}/healthz`);
          await r.arrayBuffer();
          busy.push(performance.now() - s);
          await new Promise((r2) => setTimeout(r2, 20));
        }
      })();
      await until(`${sets} purchase orders of the ${mb} MB interchange`, 1_800_000, async () => ((await counts(e2e)).documents_ready ?? 0) >= sets);
      processing = false;
      await prober;
      const seconds = (performance.now() - t0) / 1000;
      const after = processUsage(e2e.child.pid!);
      const cpu = after.cpuSeconds - before.cpuSeconds;
      rows.push({
        area: 'volume', name: `end to end, one ${mb} MB X12 850 interchange (${sets.toLocaleString('en-US')} POs) over HTTP to feed-ready`, value: bytes / 1048576 / cpu, unit: 'MB per server CPU-second',
        peakRssMb: after.peakRssMb,
        notes: `${(bytes / 1048576 / seconds).toFixed(2)} MB/s wall, ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} CPU-s; the goal is 20 MB/s per core; ${loadavg()}`,
      });
      if (mb >= 20) {
        const p = percentiles(busy);
        rows.push({
          area: 'volume', name: `/healthz p99 while the ${mb} MB interchange is processed (${busy.length} requests, one at a time)`, value: p.p99, unit: 'ms',
          baseline: { name: '/healthz p99 on the same gateway idle', value: idleHealth.p99, unit: 'ms' },
          notes: `p50 ${ms(p.p50)}, max ${ms(Math.max(...busy))}; ${loadavg()}`,
        });
      }
      await e2e.kill('SIGTERM');
    }
    // streamed large interchanges (bench/large-interchange.ts): 200 MB and 1 GB, each in a gateway of its own
    if (parts.has('large')) rows.push(...await largeInterchangeRows(quick ? [32] : [200, 1024]));
    if (parts.has('postgres')) rows.push(...await runPostgresVolume(quick));
  } finally {
    for (const g of gateways) await g.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
