/**
 * ERP pushes still pending in the old delivery_jobs table (a gateway version before jobs) become
 * erp.push jobs at start, oldest first, so each partner's order holds; a second start moves nothing
 * again; the ERP then receives each document once, in order.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { moveLegacyErpPushes } from '../../src/delivery/erp-push.ts';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { shipNoticeEnvelope } from './envelopes.ts';
import { type Harness, harness, keysOf } from './harness.ts';

let erp: TestErpServer;
let h: Harness;
beforeEach(async () => {
  erp = await startErpServer({ token: 'erp-secret' });
  h = await harness(erp);
});
afterEach(async () => {
  await h.close();
  await erp.close();
});

it('moves pending delivery_jobs pushes onto erp.push jobs once, in their order, and they are delivered once', async () => {
  const at = h.clock.now().toISOString();
  const order = [['A', 1], ['B', 1], ['A', 2], ['A', 3]] as const;
  for (const [p, n] of order) {
    const envelope = shipNoticeEnvelope(p, n);
    // stored as the old version did: the document, then its delivery_jobs row (no push job)
    await h.store.upsertDocument({ id: envelope.id, messageId: `msg_${envelope.id}`, partnerId: p, type: envelope.type, direction: 'inbound', businessKey: null, correlationId: null, envelope, status: 'ready', test: false, at });
    await h.store.enqueueDelivery({ id: `job_old_${p}_${n}`, documentId: envelope.id, partnerId: p, target: 'erp', at });
  }
  // an old row already delivered stays as it was
  await h.store.enqueueDelivery({ id: 'job_old_done', documentId: 'doc_Z_00001', partnerId: 'Z', target: 'erp', at });
  await h.store.updateDelivery('job_old_done', { status: 'delivered' }, at);

  expect(await moveLegacyErpPushes(h.store, at)).toBe(4);
  expect(await moveLegacyErpPushes(h.store, at)).toBe(0);
  const ids = order.map(([p, n]) => shipNoticeEnvelope(p, n).id);
  const jobs = await Promise.all(ids.map((id) => h.job(id)));
  expect(jobs.map((j) => [j.queue, j.state])).toEqual([['erp:A', 'waiting'], ['erp:B', 'waiting'], ['erp:A', 'waiting'], ['erp:A', 'waiting']]);
  expect(jobs.map((j) => j.id)).toEqual([...jobs.map((j) => j.id)].sort((a, b) => a - b));
  const old = await h.store.getDeliveryJob('job_old_A_1');
  expect(old).toMatchObject({ status: 'delivered' });
  expect(JSON.parse(old!.lastError!)).toEqual({ movedToJob: jobs[0]!.id });

  await h.drain(h.dispatcher());
  expect(keysOf(erp.accepted().filter((p) => p.partnerId === 'A'))).toEqual([ids[0], ids[2], ids[3]]);
  expect(keysOf(erp.accepted().filter((p) => p.partnerId === 'B'))).toEqual([ids[1]]);
  expect(erp.received).toHaveLength(4);
});
