/**
 * The real gateway (`src/main.ts` as a child process, as `npm start` runs it) on PostgreSQL:
 * EDIGW_DATABASE_URL=postgres://... An X12 850 goes in over HTTP and out through the ERP feed;
 * then two gateway processes share one database: a burst of posts spread over both, and the ERP
 * reading the feed through both nodes gets every document exactly once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { base850, buyerYaml } from '../support/buyer.ts';

const availability = postgresAvailability();
if (!availability.ok) console.warn(availability.reason);

/** one interchange, one group, one 850 with PO number PO-<n> and ISA13 = n */
const purchaseOrder = (n: number) => {
  const cn = String(n).padStart(9, '0');
  return [
    `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>`,
    `GS*PO*BUYERCO*GATEWAY*20261120*1030*${n}*X*004010`,
    'ST*850*0001', `BEG*00*SA*PO-${n}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042',
    'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*6*0001',
    `GE*1*${n}`, `IEA*1*${cn}`,
  ].join('~\n') + '~\n';
};

interface FeedDoc { id: string; type: string; partnerId: string; source: { messageId: string; interchangeControlNumber: string }; document: { poNumber: string } }

describe.skipIf(!availability.ok)('the gateway on PostgreSQL', () => {
  let server: TestPostgres;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-pg-gw-'));
  const running: GatewayProcess[] = [];
  const tokens = { admin: 'admin-pg-token-0123456789', erp: 'erp-pg-token-0123456789' };
  const apiKey = 'buyerco-pg-key-0123456789';
  const envFor = (databaseUrl: string) => ({
    EDIGW_DATABASE_URL: databaseUrl,
    EDIGW_PARTNERS_DIR: path.join(dir, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: tokens.admin,
    EDIGW_ERP_TOKEN: tokens.erp,
    BUYERCO_API_KEY: apiKey,
    EDIGW_LOG_LEVEL: 'info',
  });
  const start = async (databaseUrl: string) => {
    const gw = await spawnGateway(envFor(databaseUrl));
    running.push(gw);
    return gw;
  };
  const post = (gw: GatewayProcess, n: number, wait = false) => fetch(`${gw.url}/api/v1/inbound${wait ? '?wait=true' : ''}`, {
    method: 'POST', headers: { 'content-type': 'application/edi-x12', 'x-api-key': apiKey }, body: purchaseOrder(n),
  });
  const erp = { authorization: `Bearer ${tokens.erp}` };
  const readFeed = async (gw: GatewayProcess) => {
    const res = await fetch(`${gw.url}/api/v1/erp/documents?limit=50`, { headers: erp });
    expect(res.status).toBe(200);
    return await res.json() as { documents: FeedDoc[]; throttled?: number };
  };
  const ack = async (gw: GatewayProcess, ids: string[]) => {
    const res = await fetch(`${gw.url}/api/v1/erp/documents/ack`, { method: 'POST', headers: { ...erp, 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
    expect(res.status).toBe(200);
  };
  const query = async <R extends pg.QueryResultRow>(url: string, text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { return (await c.query<R>(text)).rows; } finally { await c.end(); }
  };

  beforeAll(async () => {
    server = await startTestPostgres();
    mkdirSync(path.join(dir, 'partners'));
    mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
    writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), buyerYaml);
    writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
  });
  afterAll(async () => {
    for (const gw of running) await gw.kill('SIGTERM');
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes an X12 850 over HTTP, stores it in PostgreSQL, hands it to the ERP feed once and takes the ack', async () => {
    const url = await server.createDatabase('gw_single');
    const gw = await start(url);
    const res = await post(gw, 501, true);
    expect(res.status).toBe(200);
    const { messageId } = await res.json() as { messageId: string };

    const page = await readFeed(gw);
    expect(page.documents).toHaveLength(1);
    expect(page.documents[0]).toMatchObject({
      type: 'purchase_order', partnerId: 'buyerco',
      source: { messageId, interchangeControlNumber: '000000501' },
      document: { poNumber: 'PO-501', lines: [{ lineNumber: '1', quantity: 24, unitOfMeasure: 'EA', unitPrice: 12.5 }] },
    });
    await ack(gw, [page.documents[0]!.id]);
    expect((await readFeed(gw)).documents).toEqual([]);

    // it really is PostgreSQL holding it: the raw bytes, the document delivered, our 997 with ISA13 1
    const [msg] = await query<{ raw: Buffer; status: string }>(url, `SELECT raw, status FROM messages WHERE id = '${messageId}'`);
    expect(msg?.status).toBe('processed');
    expect(msg?.raw.toString('latin1')).toBe(purchaseOrder(501));
    expect(await query(url, `SELECT status FROM documents WHERE message_id = '${messageId}'`)).toEqual([{ status: 'delivered' }]);
    const acks = await query<{ raw: Buffer }>(url, `SELECT raw FROM messages WHERE related_message_id = '${messageId}'`);
    expect(acks).toHaveLength(1);
    expect(acks[0]!.raw.toString('latin1').split('*')[13]).toBe('000000001');
    await gw.kill('SIGTERM');
  });

  it('two gateway nodes on one database: a burst posted over both, read through both, gives every document exactly once', async () => {
    const url = await server.createDatabase('gw_two_nodes');
    const [a, b] = await Promise.all([start(url), start(url)]);
    const nodes = [a!, b!];
    const total = 200;
    let next = 1;
    const sender = async () => {
      while (next <= total) {
        const n = next++;
        const res = await post(nodes[n % 2]!, n);
        expect(res.status).toBe(202);
      }
    };
    await Promise.all(Array.from({ length: 12 }, sender));

    // wait until both nodes have processed what they took in
    for (let i = 0; i < 600; i++) {
      const [{ n }] = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM messages WHERE status = 'received' AND direction = 'inbound'`) as [{ n: number }];
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const seen = new Map<string, number>();
    const reader = async (gw: GatewayProcess) => {
      for (let empty = 0; empty < 3;) {
        const page = await readFeed(gw);
        if (page.documents.length === 0) {
          if (!page.throttled) empty++;
          await new Promise((r) => setTimeout(r, page.throttled ? 200 : 20));
          continue;
        }
        empty = 0;
        for (const d of page.documents) seen.set(d.document.poNumber, (seen.get(d.document.poNumber) ?? 0) + 1);
        await ack(gw, page.documents.map((d) => d.id));
      }
    };
    await Promise.all([reader(a!), reader(b!), reader(a!), reader(b!)]);
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect([...seen.keys()].sort()).toEqual(Array.from({ length: total }, (_, i) => `PO-${i + 1}`).sort());

    // the 997s issued by both nodes drew their ISA13 from one sequence: 200 different numbers, 1..200
    const acks = await query<{ id: string; raw: Buffer }>(url, `SELECT id, raw FROM messages WHERE direction = 'outbound' AND related_message_id IS NOT NULL`);
    const isa13 = acks.map((r) => Number(r.raw.toString('latin1').split('*')[13]));
    expect(isa13.sort((x, y) => x - y)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    // each 997 committed with its ack.send job, and the two nodes' runners ran each job once
    // (BuyerCo collects its acks: the job stores it for pickup and is done)
    for (let i = 0; i < 100; i++) {
      const [{ n }] = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM jobs WHERE kind = 'ack.send' AND state <> 'done'`) as [{ n: number }];
      if (n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const jobs = await query<{ key: string; state: string; attempts: number; queue: string }>(url, `SELECT key, state, attempts, queue FROM jobs WHERE kind = 'ack.send'`);
    expect(jobs.map((j) => j.key).sort()).toEqual(acks.map((a) => `ack.send:${a.id}`).sort());
    expect(jobs.every((j) => j.state === 'done' && j.attempts === 1 && j.queue === 'send:buyerco')).toBe(true);
    const sent = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'ack_sent' GROUP BY subject`);
    expect(sent).toHaveLength(total);
    expect(sent.every((s) => s.n === 1)).toBe(true);
  });
});
