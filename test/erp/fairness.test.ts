/**
 * Fairness: partner A floods 2,000 documents at once, partner B trickles 20 while A's flood is
 * being delivered. B's documents must go out within B's share (two partners: one A document at
 * most ahead of each B document), not behind A's backlog: the runner passes an ordered queue's turn
 * on (the next job of a partner goes behind the other partners' heads already due). Asserted on
 * positions in the order the ERP received documents, never on time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { shipNoticeEnvelope } from './envelopes.ts';
import { type Harness, harness } from './harness.ts';

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

/** how many of A's documents the ERP accepted between B's enqueue and B's delivery */
function aheadOfB(enqueuedAt: Map<string, number>): number[] {
  const accepted = erp.accepted();
  return [...enqueuedAt].map(([key, before]) => {
    const at = accepted.findIndex((p) => p.idempotencyKey === key);
    expect(at).toBeGreaterThanOrEqual(0);
    return accepted.slice(before, at).filter((p) => p.partnerId === 'A').length;
  });
}

describe('fairness across partners', () => {
  it('one ERP slot: each trickled B document waits for at most one of A\'s 2,000', async () => {
    const d = h.dispatcher({ maxConcurrency: 1 });
    for (let i = 0; i < 2000; i++) await h.enqueue(shipNoticeEnvelope('A', i));
    const bEnqueuedAt = new Map<string, number>();
    let tick = 0;
    while (await h.hasPending()) {
      if (tick % 50 === 7 && bEnqueuedAt.size < 20) {
        bEnqueuedAt.set((await h.enqueue(shipNoticeEnvelope('B', bEnqueuedAt.size))).documentId, erp.accepted().length);
      }
      h.clock.advance(1);                        // time passes during the round (the ERP round trip)
      await d.tick();
      tick++;
    }
    expect(bEnqueuedAt.size).toBe(20);
    const ahead = aheadOfB(bEnqueuedAt);
    expect(Math.max(...ahead)).toBeLessThanOrEqual(1);
    // all 20 B documents were delivered while A still had most of its flood queued
    const accepted = erp.accepted();
    const lastB = accepted.map((p) => p.partnerId).lastIndexOf('B');
    expect(accepted.slice(lastB).filter((p) => p.partnerId === 'A').length).toBeGreaterThan(900);
  });

  it('running runner (start/stop), 4 ERP slots: B is never queued behind A\'s backlog', async () => {
    const d = h.dispatcher({ maxConcurrency: 4 });
    for (let i = 0; i < 2000; i++) await h.enqueue(shipNoticeEnvelope('A', i));
    const bEnqueuedAt = new Map<string, number>();
    d.start();
    try {
      for (let k = 0; k < 20; k++) {
        while (erp.accepted().length < (k + 1) * 40) await new Promise((r) => setTimeout(r, 1));
        bEnqueuedAt.set((await h.enqueue(shipNoticeEnvelope('B', k))).documentId, erp.accepted().length);
      }
      while (await h.hasPending()) await new Promise((r) => setTimeout(r, 5));
    } finally {
      await d.stop();
    }
    const ahead = aheadOfB(bEnqueuedAt);
    // one A document may be in flight when B arrives and one more may start before the loop
    // sees B; a FIFO queue would put up to 1,960 ahead
    expect(Math.max(...ahead)).toBeLessThanOrEqual(2);
  });
});
