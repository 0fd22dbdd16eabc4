import { describe, expect, it } from 'vitest';
import { latestGauges } from './scrape.ts';

/** an overdue monitor whose recomputations finish when the test says (its cache answers at once) */
function monitor() {
  let value: Record<string, number> = { overdue_invoices: 1 };
  let fresh = false;
  let finish: (() => void) | undefined;
  return {
    gauges: async () => {
      if (fresh) return { ...value };
      await new Promise<void>((r) => { finish = r; });
      fresh = true;
      return { ...value };
    },
    /** the cache ages out with a new report waiting to be computed */
    age(next: Record<string, number>) { fresh = false; value = next; },
    finish: () => finish?.(),
  };
}

describe('/metrics overdue gauges', () => {
  it('waits for the first computation, then never waits for a recomputation', async () => {
    const m = monitor();
    const first = latestGauges(m);
    setTimeout(() => m.finish(), 5);
    expect(await first).toEqual({ overdue_invoices: 1 });
    expect(await latestGauges(m)).toEqual({ overdue_invoices: 1 }); // cached: answered at once

    m.age({ overdue_invoices: 7 });
    // the recomputation has not finished: the previous scrape's values, without waiting for it
    expect(await latestGauges(m)).toEqual({ overdue_invoices: 1 });
    m.finish();
    await new Promise((r) => setImmediate(r));
    expect(await latestGauges(m)).toEqual({ overdue_invoices: 7 });
  });

  it('keeps the previous values when a recomputation fails', async () => {
    let fail = false;
    const m = { gauges: async () => { if (fail) throw new Error('store unavailable'); return { overdue_po_acks: 2 }; } };
    expect(await latestGauges(m)).toEqual({ overdue_po_acks: 2 });
    fail = true;
    expect(await latestGauges(m)).toEqual({ overdue_po_acks: 2 });
  });
});
