/**
 * The durable outbox for asynchronous MDNs we send: a real SQLite store, a real HTTP receipt
 * endpoint on 127.0.0.1 that refuses posts on demand, and a restart (store closed and opened
 * again, a new outbox) between a refused post and the next attempt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createIdGenerator } from '../../src/core/ids.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import type { StoredMdn } from '../../src/transports/as2/mdn-store.ts';
import { createMdnOutbox, MDN_OUTBOX_TARGET, type MdnOutbox } from '../../src/transports/as2/mdn-outbox.ts';

/** the partner's Receipt-Delivery-Option endpoint: refuses while `refuse` > 0 (503 busy), records what it accepted */
const accepted: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];
let refused = 0;
let refuse = 0;
const receiptServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (refuse > 0) { refuse--; refused++; res.writeHead(503).end('busy, try later'); return; }
    accepted.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200).end('ok');
  });
});
let receiptUrl = '';
beforeAll(async () => {
  await new Promise<void>((r) => receiptServer.listen(0, '127.0.0.1', r));
  receiptUrl = `http://127.0.0.1:${(receiptServer.address() as AddressInfo).port}/mdn`;
});
afterAll(async () => { await new Promise<void>((r) => receiptServer.close(() => r())); });

let dir: string;
let store: Store;
const outboxes: MdnOutbox[] = [];
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mdn-outbox-'));
  store = await openStore(path.join(dir, 'gateway.db'));
  accepted.length = 0;
  refused = 0;
  refuse = 0;
});
afterEach(async () => {
  for (const o of outboxes.splice(0)) await o.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function outbox(s: Store, attempts = 3): MdnOutbox {
  const o = createMdnOutbox({
    store: s, clock: systemClock, ids: createIdGenerator(), logger: silentLogger, sweepMs: 0,
    partnerIdFor: (from) => (from === 'ACME-AS2' ? 'acme' : undefined),
    fetch: (url, init) => fetch(url, { ...init, body: new Uint8Array(init.body) }),
    retry: { attempts, initialDelayMs: 30, maxDelayMs: 60 },
  });
  outboxes.push(o);
  return o;
}

const mdn = (n: number): StoredMdn => ({
  messageId: `<mdn-${n}@edigw>`, originalMessageId: `<msg-${n}@acme.example>`, as2From: 'ACME-AS2',
  headers: [['AS2-From', 'EDIGW'], ['AS2-To', 'ACME-AS2'], ['Content-Type', 'multipart/report; report-type=disposition-notification; boundary="b1"']],
  body: Buffer.from(`--b1\r\n\r\nThe AS2 message <msg-${n}@acme.example> was received.\r\n--b1--\r\n`), disposition: 'automatic-action/MDN-sent-automatically; processed',
  receiptUrl, ingestedMessageId: `msg_inbound_${n}`,
});

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('asynchronous MDN outbox', () => {
  it('records the post before trying it, retries after refusals and posts the MDN bytes and headers unchanged', async () => {
    refuse = 2;
    const o = outbox(store);
    const queued = await o.send(receiptUrl, mdn(1));
    expect(queued).toMatchObject({ delivered: false, queuedAs: 'job_mdn_acme_1' });
    await until('the MDN to arrive', () => accepted.length === 1);
    expect(refused).toBe(2);
    expect(accepted[0]!.body.equals(Buffer.from(mdn(1).body))).toBe(true);
    expect(accepted[0]!.headers['as2-to']).toBe('ACME-AS2');
    expect(accepted[0]!.headers['content-type']).toContain('disposition-notification');
    await until('the job to be settled', async () => (await store.getDeliveryJob('job_mdn_acme_1'))?.status === 'delivered');
    const job = (await store.getDeliveryJob('job_mdn_acme_1'))!;
    expect(job).toMatchObject({ target: MDN_OUTBOX_TARGET, partnerId: 'acme', attempts: 3 });
    expect(JSON.parse(job.lastError!)).toMatchObject({ as2MessageId: '<msg-1@acme.example>', as2From: 'ACME-AS2', url: receiptUrl, lastAnswer: 'HTTP 200 ok' });
    expect(await store.listExceptions({})).toEqual([]);
  });

  it('gives up after the configured attempts: job failed, exception in the queue naming partner, Message-ID and the last answer', async () => {
    refuse = 100;
    const o = outbox(store, 3);
    await o.send(receiptUrl, mdn(2));
    await until('the job to fail', async () => (await store.getDeliveryJob('job_mdn_acme_1'))?.status === 'failed');
    expect(refused).toBe(3);
    const [exc, ...more] = await store.listExceptions({ status: 'open' });
    expect(more).toEqual([]);
    expect(exc).toMatchObject({ stage: 'ack', code: 'as2_async_mdn_undeliverable', partnerId: 'acme' });
    expect(exc!.message).toContain('<msg-2@acme.example>');
    expect(exc!.message).toContain('HTTP 503 busy, try later');
    expect(JSON.parse(exc!.detail)).toMatchObject({
      partnerId: 'acme', as2MessageId: '<msg-2@acme.example>', ingestedMessageId: 'msg_inbound_2', url: receiptUrl, attempts: 3, lastAnswer: 'HTTP 503 busy, try later',
    });
    // the exception sits on the stored MDN (an outbound message holding the exact bytes to post)
    const stored = (await store.getMessage(exc!.messageId))!;
    expect(stored).toMatchObject({ direction: 'outbound', transport: 'as2-mdn', partnerId: 'acme' });
    expect(Buffer.from(stored.raw).equals(Buffer.from(mdn(2).body))).toBe(true);
    expect(accepted).toEqual([]);

    // the partner is back: replaying the exception posts the MDN again, with fresh attempts
    refuse = 0;
    expect(await o.replay(exc!.messageId, 'operator-ann')).toEqual({ delivered: true, partnerId: 'acme', answer: 'HTTP 200 ok' });
    expect(accepted.length).toBe(1);
    expect(await store.getDeliveryJob('job_mdn_acme_1')).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(await store.getException(exc!.id)).toMatchObject({ status: 'replayed', resolvedBy: 'operator-ann' });
    // a message that is not a stored MDN is not this outbox's to replay
    expect(await o.replay('msg_inbound_2', 'operator-ann')).toBeUndefined();
  });

  it('names a connection failure as the last answer', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/mdn`;
    await new Promise<void>((r) => closed.close(() => r()));
    const o = outbox(store, 2);
    await o.send(deadUrl, { ...mdn(3), receiptUrl: deadUrl });
    await until('the job to fail', async () => (await store.getDeliveryJob('job_mdn_acme_1'))?.status === 'failed');
    const [exc] = await store.listExceptions({});
    expect(JSON.parse(exc!.detail).lastAnswer).toMatch(/ECONNREFUSED/);
  });

  it('resumes a pending post after a restart, with the attempts already made counted', async () => {
    refuse = 1;
    const first = outbox(store, 4);
    await first.send(receiptUrl, mdn(4));
    await until('the first refusal to be recorded', async () => (await store.getDeliveryJob('job_mdn_acme_1'))?.attempts === 1);
    await first.stop(); // the process ends before the retry
    await store.close();
    expect(accepted).toEqual([]);

    store = await openStore(path.join(dir, 'gateway.db'));
    const second = outbox(store, 4);
    expect(await second.resume()).toBe(1);
    await until('the MDN to arrive', () => accepted.length === 1);
    expect(accepted[0]!.body.toString()).toContain('<msg-4@acme.example>');
    await until('the job to be settled', async () => (await store.getDeliveryJob('job_mdn_acme_1'))?.status === 'delivered');
    expect((await store.getDeliveryJob('job_mdn_acme_1'))!.attempts).toBe(2);
    // nothing pending any more: a later start finds nothing to resume
    expect(await outbox(store).resume()).toBe(0);
  });

  it('resume finds every pending post of every partner, older ones behind settled ones too', async () => {
    refuse = 100;
    const first = outbox(store, 50);
    await first.send(receiptUrl, mdn(5));
    await first.send(receiptUrl, mdn(6));
    await first.send(receiptUrl, { ...mdn(7), as2From: 'OTHER-AS2' });
    await until('three refusals', () => refused >= 3);
    await first.stop();
    // a post delivered later than the pending ones (newest number) does not hide them
    refuse = 0;
    await store.updateDelivery('job_mdn_acme_2', { status: 'delivered' }, new Date().toISOString());
    await store.close();

    store = await openStore(path.join(dir, 'gateway.db'));
    const second = outbox(store, 50);
    expect(await second.resume()).toBe(2); // acme #1 and the unknown sender's #1
    await until('both MDNs to arrive', () => accepted.length === 2);
    expect(accepted.map((a) => a.body.toString().match(/<msg-\d@/)![0]).sort()).toEqual(['<msg-5@', '<msg-7@']);
    expect((await store.getDeliveryJob('job_mdn_as2:OTHER-AS2_1'))?.partnerId).toBe('as2:OTHER-AS2');
  });

  it('the same MDN asked for again while its post is pending is posted once', async () => {
    refuse = 1;
    const o = outbox(store, 5);
    const a = await o.send(receiptUrl, mdn(8));
    const b = await o.send(receiptUrl, mdn(8));
    expect(b.queuedAs).toBe(a.queuedAs);
    await until('the MDN to arrive', () => accepted.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(accepted.length).toBe(1);
    expect(await store.getDeliveryJob('job_mdn_acme_2')).toBeUndefined();
  });
});
