import { fixedClock } from '../../src/core/clock.ts';
import { createMemoryDeliveryStore } from '../../src/delivery/memory-store.ts';
import { deliveryStoreContract } from './store-contract.ts';

deliveryStoreContract('in-memory', async () => {
  const clock = fixedClock('2026-03-02T10:00:00.000Z');
  const store = createMemoryDeliveryStore({ clock });
  return {
    store, clock,
    enqueue: async (envelope) => store.enqueue(envelope),
    inspect: async (jobId) => {
      const j = store.get(jobId)!;
      return { state: j.state, attempts: j.attempts, ...(j.lastError ? { lastError: j.lastError } : {}) };
    },
  };
});
