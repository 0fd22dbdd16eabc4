/**
 * The DeliveryStore contract (src/delivery/store.ts) as a reusable suite: run it against the
 * in-memory store here and against the database store with
 * `deliveryStoreContract('sqlite', async () => ({ store, clock, enqueue, inspect }))`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalEnvelope } from '../../src/canonical/types.ts';
import type { DeliveryError, DeliveryJob, DeliveryStore } from '../../src/delivery/store.ts';
import { shipNoticeEnvelope } from './envelopes.ts';

export interface StoreUnderTest {
  store: DeliveryStore;
  /** the clock the store's leases are judged by */
  clock: { now(): Date; advance(ms: number): void };
  enqueue(envelope: CanonicalEnvelope): Promise<DeliveryJob>;
  inspect(jobId: string): Promise<{ state: 'pending' | 'delivered' | 'failed'; attempts: number; lastError?: DeliveryError }>;
  close?(): Promise<void>;
}

export function deliveryStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`DeliveryStore contract: ${name}`, () => {
    let t: StoreUnderTest | undefined;
    afterEach(async () => { await t?.close?.(); t = undefined; });
    const setup = async () => { t = await make(); return t; };
    const ids = (jobs: DeliveryJob[]) => jobs.map((j) => j.documentId);
    const later = (s: StoreUnderTest, ms: number) => new Date(s.clock.now().getTime() + ms);

    it('returns due jobs oldest first, at most limitPerPartner per partner, in each partner\'s order', async () => {
      const s = await setup();
      for (const [p, n] of [['A', 1], ['B', 1], ['A', 2], ['A', 3], ['B', 2]] as const) await s.enqueue(shipNoticeEnvelope(p, n));
      expect(ids(await s.store.due(s.clock.now(), 2))).toEqual(['doc_A_00001', 'doc_B_00001', 'doc_A_00002', 'doc_B_00002']);
    });

    it('a leased job is not due and holds back its partner\'s later jobs only', async () => {
      const s = await setup();
      const a1 = await s.enqueue(shipNoticeEnvelope('A', 1));
      await s.enqueue(shipNoticeEnvelope('A', 2));
      await s.enqueue(shipNoticeEnvelope('B', 1));
      expect(await s.store.lease(a1.id, later(s, 60_000))).toBe(true);
      expect(ids(await s.store.due(s.clock.now(), 10))).toEqual(['doc_B_00001']);
    });

    it('a lease is exclusive until it runs out', async () => {
      const s = await setup();
      const a1 = await s.enqueue(shipNoticeEnvelope('A', 1));
      expect(await s.store.lease(a1.id, later(s, 1000))).toBe(true);
      expect(await s.store.lease(a1.id, later(s, 1000))).toBe(false);
      s.clock.advance(1001);
      expect(ids(await s.store.due(s.clock.now(), 1))).toEqual(['doc_A_00001']);
      expect(await s.store.lease(a1.id, later(s, 1000))).toBe(true);
    });

    it('retryLater counts the attempt, makes the job due at the given time, and holds back its successors', async () => {
      const s = await setup();
      const a1 = await s.enqueue(shipNoticeEnvelope('A', 1));
      await s.enqueue(shipNoticeEnvelope('A', 2));
      await s.store.lease(a1.id, later(s, 60_000));
      await s.store.retryLater(a1.id, later(s, 5000), { code: 'erp_server_error', message: 'ERP answered 500', status: 500 });
      expect(await s.store.due(s.clock.now(), 10)).toEqual([]);
      s.clock.advance(5000);
      const due = await s.store.due(s.clock.now(), 10);
      expect(ids(due)).toEqual(['doc_A_00001', 'doc_A_00002']);
      expect(due[0]!.attempts).toBe(1);
      expect(await s.inspect(a1.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'erp_server_error', status: 500 } });
    });

    it('retryLater with countAttempt false does not use up an attempt', async () => {
      const s = await setup();
      const a1 = await s.enqueue(shipNoticeEnvelope('A', 1));
      await s.store.lease(a1.id, later(s, 60_000));
      await s.store.retryLater(a1.id, s.clock.now(), { code: 'erp_throttled', message: '429', status: 429 }, { countAttempt: false });
      expect((await s.store.due(s.clock.now(), 1))[0]!.attempts).toBe(0);
    });

    it('a delivered job is gone and the partner\'s next job is due; it cannot be leased again', async () => {
      const s = await setup();
      const a1 = await s.enqueue(shipNoticeEnvelope('A', 1));
      await s.enqueue(shipNoticeEnvelope('A', 2));
      await s.store.lease(a1.id, later(s, 60_000));
      await s.store.delivered(a1.id, { status: 201, body: '{"status":"accepted"}' });
      expect(ids(await s.store.due(s.clock.now(), 10))).toEqual(['doc_A_00002']);
      expect(await s.store.lease(a1.id, later(s, 60_000))).toBe(false);
      expect((await s.inspect(a1.id)).state).toBe('delivered');
    });

    it('a failed job goes to the exception queue with the ERP answer and does not block the next', async () => {
      const s = await setup();
      const a1 = await s.enqueue(shipNoticeEnvelope('A', 1));
      await s.enqueue(shipNoticeEnvelope('A', 2));
      await s.store.lease(a1.id, later(s, 60_000));
      await s.store.failed(a1.id, { code: 'erp_rejected', message: 'ERP rejected the document (422)', status: 422, body: '{"error":"bad"}' });
      expect(ids(await s.store.due(s.clock.now(), 10))).toEqual(['doc_A_00002']);
      expect(await s.inspect(a1.id)).toMatchObject({ state: 'failed', lastError: { status: 422, body: '{"error":"bad"}' } });
    });
  });
}
