/**
 * An event survives kill -9. The real gateway process (`node --import tsx src/main.ts`, SQLite)
 * takes RestCo's invoices; each stored document commits with its events in one transaction. The
 * subscriber is a real HTTP receiver checking signatures.
 *
 * 1. Killed between the commit and the publish: the receiver's listener is closed (connection
 *    refused), so nothing can reach it before the kill, whatever the timing; the test sees in the
 *    database that the events are committed and the subscriber's position is behind them, kills
 *    the process, opens the receiver and starts the gateway again: each event arrives once, in order.
 * 2. Killed while a delivery is in flight (the receiver took it and never answered): after the
 *    restart the same event comes again with the same webhook-id (at least once), so a consumer
 *    that de-duplicates by id has each event once.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restcoYaml } from '../support/gateway-fixture.ts';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const KEY = 'restco-events-kill9-key';
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-events-kill9-'));
const db = path.join(dir, 'gateway.db');
let rx: Receiver;
let env: Record<string, string>;
let gw: GatewayProcess | undefined;

const read = <T>(sql: string): T[] => {
  const r = new Database(db, { readonly: true });
  try { return r.prepare(sql).all() as T[]; } finally { r.close(); }
};
const until = async (cond: () => boolean, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const post = async (n: number) => {
  const res = await fetch(`${gw!.url}/api/v1/inbound`, {
    method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: `INV-E${n}`, invoiceDate: '2026-12-07', totalAmount: n, lines: [{ quantityInvoiced: 1, unitPrice: n }] } }),
  });
  expect(res.status).toBe(202);
};

beforeAll(async () => {
  rx = await startReceiver(SECRET);
  mkdirSync(path.join(dir, 'partners'), { recursive: true });
  mkdirSync(path.join(dir, 'mappings'), { recursive: true });
  mkdirSync(path.join(dir, 'subscribers'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'restco.yaml'), restcoYaml);
  writeFileSync(path.join(dir, 'subscribers', 'wms.yaml'), `events: ['*']\nsink:\n  type: webhook\n  url: ${rx.url}\n  secretEnv: WMS_WEBHOOK_SECRET\n  timeoutMs: 60000\n`);
  env = {
    EDIGW_DATABASE_URL: db, EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: 'admin-events-kill9-token', EDIGW_ERP_TOKEN: 'erp-events-kill9-token', RESTCO_API_KEY: KEY,
    WMS_WEBHOOK_SECRET: SECRET, EDIGW_LOG_LEVEL: 'info',
  };
}, 60_000);

afterAll(async () => {
  await gw?.kill('SIGKILL');
  await rx?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 and business events', () => {
  it('between the commit and the publish: after the restart each event is delivered once, in order', async () => {
    await rx.down();
    gw = await spawnGateway(env);
    for (const n of [1, 2, 3]) await post(n);
    // committed, not published: 6 events (released + matched per invoice), the subscriber's position behind them, the publish tried and refused
    await until(() => read<{ n: number }>('SELECT count(*) AS n FROM events')[0]!.n === 6
      && read<{ attempts: number }>(`SELECT attempts FROM jobs WHERE kind = 'events.publish' AND last_error LIKE '%ECONNREFUSED%'`).length > 0, 'the first publish to be refused');
    const events = read<{ seq: number; id: string; type: string }>('SELECT seq, id, type FROM events ORDER BY seq');
    expect(read<{ seq: number }>(`SELECT seq FROM event_positions WHERE subscriber = 'wms'`)[0]!.seq).toBeLessThan(events[0]!.seq);
    expect(rx.received).toHaveLength(0);
    await gw.kill('SIGKILL');
    gw = undefined;

    await rx.up();
    gw = await spawnGateway(env);
    await until(() => rx.deliveredIds().length >= 6, 'the deliveries after the restart');
    await new Promise((r) => setTimeout(r, 500)); // a late second delivery would show here
    expect(rx.deliveredIds()).toEqual(events.map((e) => e.id));
    expect(rx.received.every((r) => r.signatureValid)).toBe(true);
    expect(rx.received.map((r) => r.event.type)).toEqual(['document.released', 'invoice.matched', 'document.released', 'invoice.matched', 'document.released', 'invoice.matched']);
    // the gateway stays up for the next case (a start costs seconds on a loaded machine)
  }, 120_000);

  it('killed while a delivery is in flight: the event comes again with the same webhook-id, once delivered', async () => {
    rx.received.length = 0;
    let hang = true;
    rx.answer = () => (hang ? 'hang' : 204);
    gw ??= await spawnGateway(env);
    await post(4);
    await until(() => rx.received.length === 1, 'the delivery to reach the receiver');
    const first = rx.received[0]!.event.id;
    await gw.kill('SIGKILL');
    gw = undefined;

    hang = false;
    gw = await spawnGateway(env);
    await until(() => rx.deliveredIds().length >= 2, 'the deliveries after the restart');
    await new Promise((r) => setTimeout(r, 500));
    // the one in flight is sent again under its id; de-duplicated by id, each event is there once
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([first, first, rx.received[2]!.event.id]);
    expect(rx.deliveredIds()).toEqual([first, rx.received[2]!.event.id]);
    await gw.kill('SIGKILL');
    gw = undefined;
  }, 120_000);
});
