/**
 * `edigw events replay --subscriber x --since <date>` re-sends a window of events to a real
 * receiver from the command's own process (the gateway keeps running on the same SQLite file),
 * in order, with the same ids, progress on stderr; `edigw events check` names a typo's file:line.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
let rx: Receiver;
let f: GatewayFixture;

const cli = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (t) => out.push(t), err: (t) => err.push(t), cwd: f.dir,
    env: { EDIGW_DATABASE_URL: path.join(f.dir, 'gateway.db'), EDIGW_PARTNERS_DIR: path.join(f.dir, 'partners'), WMS_WEBHOOK_SECRET: SECRET },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const until = async (cond: () => boolean, what: string) => {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

beforeAll(async () => {
  rx = await startReceiver(SECRET);
  f = await startGatewayFixture({
    realClock: true, env: { WMS_WEBHOOK_SECRET: SECRET },
    files: { 'subscribers/wms.yaml': `events: [document.released, invoice.matched]\nsink:\n  type: webhook\n  url: ${rx.url}\n  secretEnv: WMS_WEBHOOK_SECRET\n` },
  });
}, 30_000);
afterAll(async () => { await f?.close(); await rx?.close(); });

describe('edigw events', () => {
  it('replay re-sends the window in order with the same ids, progress on stderr', async () => {
    for (const n of ['INV-C1', 'INV-C2']) {
      const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: 'restco-key-abcdef', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: n, invoiceDate: '2026-12-07', totalAmount: 1, lines: [{ quantityInvoiced: 1, unitPrice: 1 }] } }) });
      expect(res.status).toBe(202);
    }
    await until(() => rx.deliveredIds().length === 4, 'the four live deliveries');
    const live = rx.deliveredIds();
    const r = await cli('events', 'replay', '--subscriber', 'wms', '--since', '2026-12-01');
    expect(r.code).toBe(0);
    expect(r.out).toBe('replayed 4 event(s) to wms');
    expect(r.err).toMatch(/^replaying to wms: events 1\.\.4 \(since 2026-12-01T00:00:00\.000Z\)\n {2}at event 4 of 4: 4 sent, 0 dead-lettered$/);
    expect(rx.deliveredIds()).toEqual([...live, ...live]);
    expect(rx.received.every((x) => x.signatureValid)).toBe(true);
    // a window after every event: nothing to send
    expect((await cli('events', 'replay', '--subscriber', 'wms', '--since', '2099-01-01')).out).toBe('replayed 0 event(s) to wms');
  });

  it('usage errors exit 2 with a precise message; --help prints the usage', async () => {
    expect((await cli('events', '--help')).out).toMatch(/^Usage: edigw events replay --subscriber <name> --since <date>/);
    expect(await cli('events', 'replay', '--subscriber', 'wms', '--since', 'yesterday')).toMatchObject({ code: 2, err: expect.stringContaining('--since must be a date (2026-12-01) or an ISO-8601 date-time with an offset, got "yesterday"') });
    expect(await cli('events', 'replay', '--subscriber', 'nosuch', '--since', '2026-12-01')).toMatchObject({ code: 2, err: expect.stringContaining('no subscriber "nosuch"') });
    expect(await cli('events', 'replay', '--since', '2026-12-01')).toMatchObject({ code: 2, err: expect.stringContaining('needs --subscriber') });
  });

  it('check prints each problem with file:line:col and exits 2', async () => {
    const file = path.join(f.dir, 'subscribers', 'typo.yaml');
    writeFileSync(file, `events: [document.released]\nsink:\n  type: webhook\n  url: ${rx.url}\n  secretEnv: WMS_WEBHOOK_SECRET\n  timeout: 5\n`);
    const r = await cli('events', 'check');
    expect(r.code).toBe(2);
    expect(r.out).toBe(`${file}:6:3 additionalProperties: unknown key "timeout" in /sink (hint: did you mean "timeoutMs"?)`);
  });
});
