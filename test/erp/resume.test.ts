/**
 * A running job runner with the erp.push task (start/stop, real clock and timers, short cool-down)
 * rides out an ERP outage by itself: the circuit opens, nothing is parked, and when the ERP is
 * back every document is delivered exactly once, each partner in order. Asserts on outcomes and
 * order, not on time.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { startErpServer, type TestErpServer } from '../support/erp-server.ts';
import { shipNoticeEnvelope } from './envelopes.ts';
import { type Harness, harness } from './harness.ts';

let erp: TestErpServer;
let h: Harness;
beforeEach(async () => {
  erp = await startErpServer({ token: 'erp-secret' });
  h = await harness(erp, { clock: systemClock, timeoutMs: 1000 });
});
afterEach(async () => {
  await h.close();
  await erp.close();
});

const until = async (cond: () => boolean | Promise<boolean>, what: string, limit = 20_000) => {
  for (let i = 0; i < limit / 5 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
  if (!(await cond())) throw new Error(`gave up waiting for ${what}`);
};

it('a running runner opens the circuit while the ERP is down and resumes by itself when it is back', async () => {
  const logger = createMemoryLogger();
  const d = h.dispatcher({
    logger, throttleFor: () => ({ ratePerSecond: 1000, burst: 20 }), maxConcurrency: 4, maxAttempts: 3,
    backoff: { baseMs: 20, capMs: 100 }, breaker: { failureThreshold: 3, coolDownMs: 50 },
  });
  await erp.down();
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push((await h.enqueue(shipNoticeEnvelope(['A', 'B', 'C'][i % 3]!, i), 3)).documentId);
  d.start();
  try {
    await until(() => logger.entries.some((e) => e.msg === 'erp circuit open'), 'the circuit to open');
    // several cool-downs pass with failed probes; none of them may park a document
    await until(() => logger.entries.filter((e) => e.msg === 'erp circuit open').length >= 4, 'failed probes');
    expect(await h.exceptions()).toEqual([]);
    await erp.up();
    await until(async () => !(await h.hasPending()), 'delivery to finish');
  } finally {
    await d.stop();
  }
  expect(d.circuit().state()).toBe('closed');
  expect(await h.exceptions()).toEqual([]);
  expect(erp.received.filter((p) => p.status === 201)).toHaveLength(30);
  expect(erp.received).toHaveLength(30);           // nothing posted twice
  for (const p of ['A', 'B', 'C']) {
    expect(erp.accepted().filter((r) => r.partnerId === p).map((r) => r.idempotencyKey)).toEqual(ids.filter((id) => id.startsWith(`doc_${p}_`)));
  }
});
