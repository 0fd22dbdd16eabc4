/**
 * Volume on PostgreSQL (issue 11): the same work on one gateway node on SQLite, one node on
 * PostgreSQL and two nodes sharing one PostgreSQL database, in the same run. Each gateway is its own
 * process (`node --import tsx src/main.ts`, as `npm start`, processing threads at their default);
 * PostgreSQL is a throwaway local server with fsync on (test/support/postgres.ts). The work: X12 850
 * interchanges of `POS` purchase orders each, posted over HTTP by 8 clients (spread over the nodes),
 * until every purchase order is feed-ready; figure: purchase orders (documents) processed per second,
 * from the first POST to the last document ready, and the gateways' CPU-seconds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base850, buyerYaml } from '../test/support/buyer.ts';
import { spawnGateway, type GatewayProcess } from '../test/support/gateway-process.ts';
import { postgresAvailability, startTestPostgres } from '../test/support/postgres.ts';
import type { BenchRow } from './lib.ts';
import { processUsage } from './process-usage.ts';

const loadavg = () => `load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;

const KEY = 'buyerco-volume-pg-key';
const ADMIN = 'admin-volume-pg-token';
const POS = 200;
const CLIENTS = 8;

/** interchange number `n` of POS purchase orders (distinct control numbers, so none is a duplicate) */
function interchange(n: number): string {
  const icn = String(n).padStart(9, '0');
  const parts = [`ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${icn}*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261120*1030*${n}*X*004010~\n`];
  for (let s = 1; s <= POS; s++) {
    const st = String(s).padStart(4, '0');
    parts.push(`ST*850*${st}~\nBEG*00*SA*PO-${n}-${s}**20261120~\nPO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100~\nPO1*2*6*EA*7.25**BP*WID-200*VP*AC-W200~\nCTT*2~\nSE*6*${st}~\n`);
  }
  parts.push(`GE*${POS}*${n}~\nIEA*1*${icn}~\n`);
  return parts.join('');
}

async function ready(gw: GatewayProcess): Promise<number> {
  const res = await fetch(`${gw.url}/api/v1/status`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await res.json()) as { counts: Record<string, number> }).counts.documents_ready ?? 0;
}

/** posts `interchanges` interchanges spread over the nodes, waits until all their POs are ready */
async function drive(nodes: GatewayProcess[], interchanges: number, first: number): Promise<{ perSecond: number; cpu: number; refused: number }> {
  const before = nodes.map((g) => processUsage(g.child.pid!).cpuSeconds);
  let refused = 0;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    const gw = nodes[c % nodes.length]!;
    while (next < interchanges) {
      const body = interchange(first + next++);
      // a 503 store_unavailable (SQLite locked by a processing thread's batch past busy_timeout) is retried
      // after its Retry-After, as a sender would; the refusals are counted in the row's notes
      for (;;) {
        const res = await fetch(`${gw.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/edi-x12', 'x-api-key': KEY }, body });
        if (res.status === 202) break;
        const text = await res.text();
        if (res.status !== 503) throw new Error(`answered ${res.status}: ${text.slice(0, 300)}`);
        refused++;
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      }
    }
  }));
  const total = interchanges * POS;
  const end = Date.now() + 1_800_000;
  while ((await ready(nodes[0]!)) < total) {
    if (Date.now() > end) throw new Error(`timed out: fewer than ${total} documents ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = nodes.reduce((s, g, i) => s + processUsage(g.child.pid!).cpuSeconds - before[i]!, 0);
  return { perSecond: total / seconds, cpu, refused };
}

export async function runPostgresVolume(quick: boolean): Promise<BenchRow[]> {
  const availability = postgresAvailability();
  if (!availability.ok) return [{ area: 'volume', name: 'PostgreSQL nodes: PostgreSQL not available', value: 0, unit: 'docs/s', notes: availability.reason }];
  const interchanges = quick ? 20 : 100;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-volume-pg-'));
  mkdirSync(path.join(dir, 'partners'));
  mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), buyerYaml);
  writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
  const env = (db: string, blobs: string) => ({
    EDIGW_DATABASE_URL: db, EDIGW_BLOB_DIR: blobs, EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: ADMIN, EDIGW_ERP_TOKEN: 'erp-volume-pg-token', EDIGW_LOG_LEVEL: 'info', BUYERCO_API_KEY: KEY,
  });
  const pg = await startTestPostgres({ fsync: true });
  const gateways: GatewayProcess[] = [];
  const start = async (db: string) => { const g = await spawnGateway(env(db, path.join(dir, 'blobs'))); gateways.push(g); return g; };
  const stop = async (nodes: GatewayProcess[]) => { for (const g of nodes) await g.kill('SIGTERM'); };
  const work = `${interchanges} X12 850 interchanges of ${POS} POs over HTTP, ${CLIENTS} clients, to feed-ready`;
  try {
    const sqlite = await start(path.join(dir, 'one.db'));
    const s = await drive([sqlite], interchanges, 1);
    const sLoad = loadavg();
    await stop([sqlite]);

    const one = await start(await pg.createDatabase('edigw_vol1'));
    const p1 = await drive([one], interchanges, 1);
    const p1Load = loadavg();
    await stop([one]);

    const db2 = await pg.createDatabase('edigw_vol2');
    const a = await start(db2);
    const b = await start(db2);
    const p2 = await drive([a, b], interchanges, 1);
    const p2Load = loadavg();
    await stop([a, b]);
    const cpu = (r: { cpu: number; refused: number }) => `${r.cpu.toFixed(1)} gateway CPU-s${r.refused ? `, ${r.refused} posts answered 503 and retried` : ''}`;
    return [
      { area: 'volume', name: `PostgreSQL, one node: ${work}`, value: p1.perSecond, unit: 'docs/s',
        baseline: { name: 'one node on SQLite, the same work', value: s.perSecond, unit: 'docs/s' }, notes: `${cpu(p1)}, ${p1Load}; SQLite ${cpu(s)}, ${sLoad}` },
      { area: 'volume', name: `PostgreSQL, two nodes on one database: ${work}`, value: p2.perSecond, unit: 'docs/s',
        baseline: { name: 'one PostgreSQL node, the same work', value: p1.perSecond, unit: 'docs/s' }, notes: `${cpu(p2)} over both nodes, ${p2Load}; the goal is 1.8x one node` },
    ];
  } finally {
    for (const g of gateways) await g.kill('SIGKILL');
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
