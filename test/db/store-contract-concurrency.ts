/**
 * The part of the Store contract that several gateway nodes sharing one database rely on: two
 * stores (two connection pools, as two processes would have) racing for the same rows.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.ts';
import type { StoreHarness } from './store-contract.ts';
import { at, doc, message, T0 } from './store-contract.ts';

export function concurrencyContract(harness: () => StoreHarness): void {
  describe('two nodes on one database', () => {
    it('leasing the feed concurrently never hands out a document twice and keeps each partner’s order', async () => {
      const h = harness();
      const a = h.store;
      const b = await h.peer();
      const partners = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
      const ids: string[] = [];
      for (let i = 0; i < 250; i++) {
        const id = `d${String(i).padStart(3, '0')}`;
        ids.push(id);
        await a.upsertDocument(doc(id, { partnerId: partners[i % partners.length]! }));
      }
      const handedOut: Array<{ id: string; partnerId: string; seq: number }> = [];
      // documents handed out and not yet acked, per partner: a partner never has two batches out at once
      const outstanding = new Map<string, number>();
      const overlaps: string[] = [];
      // three consumers per node, all leasing at once until the feed is empty; each "processes" a
      // batch for a moment (as an ERP would) and stops counting it as out just before acking it
      const consumer = async (store: Store, name: string) => {
        for (let idle = 0; idle < 3;) {
          const rows = await store.leaseFeed({ now: T0, leaseUntil: at(60), limit: 7, test: false });
          if (rows.length === 0) { idle++; await new Promise((r) => setTimeout(r, 5)); continue; }
          idle = 0;
          const mine = new Set(rows.map((r) => r.partnerId));
          for (const p of mine) {
            if (outstanding.has(p)) overlaps.push(`${name} got ${p} while batch ${outstanding.get(p)} was out`);
            outstanding.set(p, rows[0]!.seq);
          }
          for (const r of rows) handedOut.push({ id: r.id, partnerId: r.partnerId, seq: r.seq });
          await new Promise((r) => setTimeout(r, 3));
          for (const p of mine) outstanding.delete(p);
          await store.ackFeed(rows.map((r) => r.id), T0);
        }
      };
      await Promise.all([a, a, a, b, b, b].map((store, i) => consumer(store, `consumer ${i}`)));
      expect(handedOut.map((d) => d.id).sort()).toEqual(ids);
      expect(overlaps).toEqual([]);
      for (const p of partners) {
        const seqs = handedOut.filter((d) => d.partnerId === p).map((d) => d.seq);
        expect(seqs, `order for ${p}`).toEqual([...seqs].sort((x, y) => x - y));
      }
    });

    it('1,000 concurrent control numbers from two nodes are 1..1000, none issued twice', async () => {
      const h = harness();
      const b = await h.peer();
      const calls = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? h.store : b).nextControlNumber('acme', 'isa', 999_999_999, T0));
      const issued = await Promise.all(calls);
      expect(new Set(issued).size).toBe(1000);
      expect([...issued].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      expect(await b.nextControlNumber('acme', 'isa', 999_999_999, T0)).toBe(1001);
    });

    it('only one node wins a delivery lease', async () => {
      const h = harness();
      const b = await h.peer();
      for (let i = 0; i < 40; i++) {
        await h.store.upsertDocument(doc(`d${i}`));
        await h.store.enqueueDelivery({ id: `j${i}`, documentId: `d${i}`, partnerId: 'acme', target: 'erp', at: T0 });
      }
      const wins = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
        const [x, y] = await Promise.all([h.store.leaseDelivery(`j${i}`, at(2), T0), b.leaseDelivery(`j${i}`, at(2), T0)]);
        return Number(x) + Number(y);
      }));
      expect(wins).toEqual(Array.from({ length: 40 }, () => 1));
    });

    it('the same document produced on two nodes at once is created once; the other sees it unchanged', async () => {
      const h = harness();
      const b = await h.peer();
      const outcomes = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
        const rs = await Promise.all([h.store.upsertDocument(doc(`d${i}`)), b.upsertDocument(doc(`d${i}`))]);
        return rs.map((r) => r.outcome).sort();
      }));
      expect(outcomes).toEqual(Array.from({ length: 20 }, () => ['created', 'unchanged']));
    });

    it('concurrent message inserts from both nodes are all stored', async () => {
      const h = harness();
      const b = await h.peer();
      await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? h.store : b).insertMessage(message(`m${i}`))));
      expect((await b.counts()).messages).toBe(300);
      expect((await h.store.getMessage('m299'))?.id).toBe('m299');
    });
  });
}
