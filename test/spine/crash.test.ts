import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { restcoYaml } from '../support/gateway-fixture.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-crash-'));
mkdirSync(path.join(dir, 'partners'));
mkdirSync(path.join(dir, 'mappings'));
writeFileSync(path.join(dir, 'partners', 'restco.yaml'), restcoYaml);
const env = {
  EDIGW_DATABASE_URL: path.join(dir, 'gateway.db'),
  EDIGW_PARTNERS_DIR: path.join(dir, 'partners'),
  EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
  EDIGW_ADMIN_TOKEN: 'admin-crash-token',
  EDIGW_ERP_TOKEN: 'erp-crash-token',
  RESTCO_API_KEY: 'restco-crash-key',
  EDIGW_LOG_LEVEL: 'info',
};
let gw: GatewayProcess | undefined;
afterAll(async () => {
  await gw?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const invoice = (n: number) => JSON.stringify({
  type: 'invoice',
  document: { invoiceNumber: `INV-${n}`, invoiceDate: '2026-11-20', poNumber: `PO-${n}`, totalAmount: n + 0.5, lines: [{ lineNumber: '1', quantityInvoiced: 2, unitPrice: 1.25, amount: 2.5 }] },
});

describe('kill -9 mid-burst', () => {
  it('every message answered 202 yields its document in the ERP feed exactly once after a restart', async () => {
    gw = await spawnGateway(env);
    const url = gw.url;
    const accepted = new Map<string, number>();
    let next = 0;
    let killed = false;
    const total = 600;
    const sender = async () => {
      while (next < total) {
        const n = next++;
        try {
          const res = await fetch(`${url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': env.RESTCO_API_KEY }, body: invoice(n) });
          if (res.status === 202) accepted.set(((await res.json()) as { messageId: string }).messageId, n);
        } catch {
          // the connection died with the server: not acknowledged, the partner would send it again
        }
        if (!killed && accepted.size >= 150) {
          killed = true;
          await gw!.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    expect(killed).toBe(true);
    expect(accepted.size).toBeGreaterThanOrEqual(150);

    gw = await spawnGateway(env);
    const erp = { authorization: `Bearer ${env.EDIGW_ERP_TOKEN}` };
    for (let i = 0; i < 600; i++) {
      const h = await (await fetch(`${gw.url}/api/v1/status`, { headers: { authorization: `Bearer ${env.EDIGW_ADMIN_TOKEN}` } })).json() as { counts: { messages_pending: number } };
      if (h.counts.messages_pending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seen = new Map<string, string[]>();
    for (;;) {
      const page = await (await fetch(`${gw.url}/api/v1/erp/documents?limit=500`, { headers: erp })).json() as { documents: Array<{ id: string; source: { messageId: string }; document: { invoiceNumber: string } }>; throttled?: number };
      if (page.throttled) await new Promise((r) => setTimeout(r, 200)); // the partner's feed throttle (50/s by default)
      if (page.documents.length === 0 && !page.throttled) break;
      for (const d of page.documents) seen.set(d.source.messageId, [...(seen.get(d.source.messageId) ?? []), d.id]);
      const ack = await fetch(`${gw.url}/api/v1/erp/documents/ack`, { method: 'POST', headers: { ...erp, 'content-type': 'application/json' }, body: JSON.stringify({ ids: page.documents.map((d) => d.id) }) });
      expect(ack.status).toBe(200);
    }
    for (const [messageId] of accepted) {
      expect(seen.get(messageId), `message ${messageId}`).toHaveLength(1);
    }
    for (const ids of seen.values()) expect(ids).toHaveLength(1);
  });
});

describe('SIGTERM', () => {
  it('stops taking work, finishes what is in flight, exits 0, and the next start serves what was stored', async () => {
    await gw?.kill('SIGKILL');
    gw = await spawnGateway(env);
    const res = await fetch(`${gw.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': env.RESTCO_API_KEY }, body: invoice(99_999) });
    expect(res.status).toBe(202);
    const { messageId } = await res.json() as { messageId: string };
    expect(await gw.kill('SIGTERM')).toBe(0);
    expect(gw.stderr.some((l) => l.includes('"msg":"gateway stopped"'))).toBe(true);
    gw = await spawnGateway(env);
    let status = '';
    for (let i = 0; i < 100 && status !== 'processed'; i++) {
      status = ((await (await fetch(`${gw.url}/api/v1/messages/${messageId}`, { headers: { authorization: `Bearer ${env.EDIGW_ADMIN_TOKEN}` } })).json()) as { status: string }).status;
      if (status !== 'processed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('processed');
  });
});
