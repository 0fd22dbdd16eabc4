import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../src/core/clock.ts';
import { createIdGenerator } from '../../src/core/ids.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import { createDbDeliveryStore } from '../../src/delivery/db-store.ts';
import { deliveryStoreContract } from './store-contract.ts';

// The same contract the in-memory reference store passes, against the SQLite-backed store.
deliveryStoreContract('sqlite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-delivery-'));
  const db = createSqliteStore(path.join(dir, 'g.db'));
  const clock = fixedClock('2026-11-23T10:00:00.000Z');
  const ids = createIdGenerator(() => clock.now().getTime());
  const store = createDbDeliveryStore({ store: db, clock, ids, target: 'erp' });
  return {
    store,
    clock,
    async enqueue(envelope) {
      await db.upsertDocument({ id: envelope.id, messageId: `msg_${envelope.id}`, partnerId: envelope.partnerId, type: envelope.type, direction: 'inbound', businessKey: null, correlationId: null, envelope, status: 'ready', test: false, at: clock.now().toISOString() });
      await store.enqueue(envelope);
      const job = (await db.pendingDeliveries('erp', envelope.partnerId, 100_000)).find((j) => j.documentId === envelope.id)!;
      return { id: job.id, documentId: envelope.id, partnerId: envelope.partnerId, attempts: 0, envelope, enqueuedAt: job.createdAt };
    },
    async inspect(jobId) {
      const job = (await db.getDeliveryJob(jobId))!;
      return { state: job.status, attempts: job.attempts, ...(job.lastError ? { lastError: JSON.parse(job.lastError) } : {}) };
    },
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
