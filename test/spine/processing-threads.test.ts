/**
 * Processing threads (issue 11): with `processingThreads`, the inbound pipeline runs in worker
 * threads with their own database connection, beside the main thread's HTTP intake. What a user
 * relies on: the same results as on the main thread (documents, 997s), configuration reloads
 * reaching the threads, and a message that exhausts a thread's heap failing alone, kept and
 * replayable, while the gateway goes on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture | undefined;
afterEach(async () => { await f?.close(); f = undefined; });

/** an X12 4010 interchange of `sets` purchase orders from `sender`, ISA13 = `icn` */
function interchange(sender: string, icn: number, sets: number): string {
  const isa13 = String(icn).padStart(9, '0');
  let body = `ISA*00*          *00*          *ZZ*${sender.padEnd(15)}*ZZ*GATEWAY        *261120*1030*U*00401*${isa13}*0*P*>~\nGS*PO*${sender}*GATEWAY*20261120*1030*${icn}*X*004010~\n`;
  for (let i = 1; i <= sets; i++) {
    const st = String(i).padStart(4, '0');
    body += [`ST*850*${st}`, `BEG*00*SA*PO-${icn}-${i}**20261120`, `PO1*1*${i}*EA*1.25**BP*WID-${i}`, 'CTT*1', `SE*5*${st}`].join('~\n') + '~\n';
  }
  return `${body}GE*${sets}*${icn}~\nIEA*1*${isa13}~\n`;
}

const post = (key: string, body: string, type = 'application/edi-x12') =>
  f!.fetch('/api/v1/inbound', { method: 'POST', key, headers: { 'content-type': type }, body });

async function message(id: string) {
  return await (await f!.fetch(`/api/v1/messages/${id}`, { token: tokens.operator })).json() as {
    status: string; documents: Array<{ type: string }>; exceptions?: Array<{ code: string; stage: string; message: string }>;
  };
}

describe('processing threads', () => {
  it('process interchanges off the main thread with the same documents and 997s, and pick up a reloaded partner', async () => {
    f = await startGatewayFixture({
      partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
      env: { BUYERCO_API_KEY: 'buyerco-key', SHOPCO_API_KEY: 'shopco-key' }, realClock: true, processingThreads: 2,
    });
    const answers = await Promise.all([post('buyerco-key', interchange('BUYERCO', 11, 40)), post('buyerco-key', interchange('BUYERCO', 12, 60))]);
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    const ids = await Promise.all(answers.map(async (r) => (await r.json() as { messageId: string }).messageId));
    await f.gw.idle();
    const [a, b] = [await message(ids[0]!), await message(ids[1]!)];
    expect(a.status).toBe('processed');
    expect(b.status).toBe('processed');
    expect(a.documents).toHaveLength(40);
    expect(b.documents).toHaveLength(60);
    expect(new Set(a.documents.map((d) => d.type))).toEqual(new Set(['purchase_order']));

    // the ERP feed hands out all 100 purchase orders
    const feed = await (await f.fetch('/api/v1/erp/documents?limit=500', { token: tokens.erp })).json() as { documents: Array<{ document: { poNumber: string } }> };
    expect(feed.documents).toHaveLength(100);
    expect(feed.documents.map((d) => d.document.poNumber)).toContain('PO-12-60');

    // one 997 per interchange, stored by the thread that processed it (its log line names the thread)
    const acks = f.logger.entries.filter((e) => e.msg === 'functional ack stored');
    expect(acks).toHaveLength(2);
    for (const e of acks) expect(typeof e.fields?.thread).toBe('number');

    // a partner added while running: the main thread reloads, then the threads do
    f.writePartner('shopco', buyerYaml.replace('id: buyerco', 'id: shopco').replace('name: BuyerCo', 'name: ShopCo').replace('id: BUYERCO', 'id: SHOPCO').replace('BUYERCO_API_KEY', 'SHOPCO_API_KEY'));
    expect(f.gw.reloadConfig()).toBe(true);
    const res = await post('shopco-key', interchange('SHOPCO', 21, 3));
    expect(res.status).toBe(202);
    const { messageId } = await res.json() as { messageId: string };
    await f.gw.idle();
    const shop = await message(messageId);
    expect(shop.status).toBe('processed');
    expect(shop.documents).toHaveLength(3);
  }, 120_000);

  it('a heap limit too small for a thread to load the pipeline stops the start, naming EDIGW_PROCESSING_HEAP_MB', async () => {
    const start = startGatewayFixture({ partners: { buyerco: buyerYaml }, env: { BUYERCO_API_KEY: 'buyerco-key' }, realClock: true, processingThreads: 1, processingHeapMb: 16 });
    await expect(start).rejects.toMatchObject({ code: 'processing_thread_start_failed', message: expect.stringContaining('heap limit of 16 MB (EDIGW_PROCESSING_HEAP_MB)') });
  }, 60_000);

  it('a message that exhausts a thread\'s heap fails alone with processing_thread_failed; the next message is processed', async () => {
    // 400,000 invoice lines parse into millions of objects: far beyond a 64 MB heap (32 MB no longer always holds the thread's own start: the grammars, the EDIFACT directories)
    // (EDIGW_PROCESSING_HEAP_MB in `edigw serve`)
    f = await startGatewayFixture({
      partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
      env: { BUYERCO_API_KEY: 'buyerco-key' }, realClock: true, processingThreads: 1, processingHeapMb: 64, maxBodyBytes: 64 * 1048576,
    });
    const hostile = JSON.stringify({ type: 'invoice', document: { lines: Array.from({ length: 400_000 }, (_, i) => ({ lineNumber: String(i), n: [i, i, i] })) } });
    const bad = await post('buyerco-key', hostile, 'application/json');
    expect(bad.status).toBe(202);
    const badId = (await bad.json() as { messageId: string }).messageId;
    await f.gw.idle();
    const failed = await message(badId);
    expect(failed.status).toBe('failed');
    expect(failed.exceptions?.map((e) => [e.stage, e.code])).toEqual([['process', 'processing_thread_failed']]);
    expect(failed.exceptions?.[0]?.message).toMatch(/processing thread stopped while processing this message/);
    // the raw bytes are kept
    const raw = await f.fetch(`/api/v1/messages/${badId}/raw`, { token: tokens.operator });
    expect((await raw.arrayBuffer()).byteLength).toBe(Buffer.byteLength(hostile));

    // the gateway goes on: /healthz answers and the next message is processed by the restarted thread
    expect((await f.fetch('/healthz')).status).toBe(200);
    const ok = await post('buyerco-key', interchange('BUYERCO', 31, 2));
    const okId = (await ok.json() as { messageId: string }).messageId;
    await f.gw.idle();
    expect((await message(okId)).status).toBe('processed');
  }, 120_000);
});
