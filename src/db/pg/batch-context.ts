/**
 * Write batches on PostgreSQL. The pipeline stores each document with its own small transaction;
 * on PostgreSQL each was its own COMMIT and WAL flush (20 interchanges of 200 purchase orders: 4,000
 * commits, the backends waiting on WALSync most of the time, and two nodes slower than one because
 * they queued on the same flushes). `batch(fn)` runs fn's reads and writes in one transaction on one
 * connection: the units of one time slice commit together, as on SQLite (sqlite-batch.ts).
 *
 * The methods built on `scoped` find the open batch through AsyncLocalStorage and run in it (a
 * nested `transaction()` is a savepoint, so each unit stays atomic, and reads see the batch's own
 * writes: the line totals of an earlier ship notice of the same interchange). Work that outlives the
 * batch (a timer started inside it) runs on the pool again once the batch has ended. Commits callers
 * are told about (insertMessage before its 202, control numbers, feed leases and acks) are built on
 * the root database and never join a batch. What a batch holds is pipeline progress, recomputed
 * from the stored message if the batch is lost; a deadlock between nodes (40P01) is a store fault
 * the worker retries (store-fault.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { CountDeltas } from '../row-counts.ts';
import type * as schema from './schema.ts';

type Db = NodePgDatabase<typeof schema>;

interface OpenBatch { tx: Db; open: boolean; counts: CountDeltas }

export interface PgBatching {
  /** the database as seen from inside an open batch (its transaction), else the pool */
  scoped: Db;
  batch<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Keeps the row counts a write changed (row-counts.ts), in its transaction `tx`: inside an open
   * batch they join the batch's, written as one delta row per name when it commits; outside, they
   * are written now, in `tx`. Call it last in the write's transaction (a unit that throws before adds none).
   */
  count(tx: Db, deltas: CountDeltas): Promise<void>;
}

/**
 * Appends count changes to row_count_deltas (one row per name), folded into row_counts when read
 * (counts() in pg-store.ts). An INSERT per transaction, never an UPDATE of a shared row: nodes
 * writing at once never wait for each other's counter.
 */
export async function writeCountDeltas(tx: Db, deltas: CountDeltas): Promise<void> {
  const rows = deltas.nonZero();
  if (rows.length === 0) return;
  await tx.execute(sql`INSERT INTO row_count_deltas (name, delta)
    SELECT * FROM unnest(${`{${rows.map(([n]) => JSON.stringify(n)).join(',')}}`}::text[], ${`{${rows.map(([, d]) => d).join(',')}}`}::int[])`);
}

export function createPgBatching(db: Db): PgBatching {
  const current = new AsyncLocalStorage<OpenBatch>();
  const target = () => {
    const b = current.getStore();
    return b?.open ? b.tx : db;
  };
  const scoped = new Proxy(db, {
    get(_root, prop) {
      const t = target();
      const v: unknown = Reflect.get(t, prop, t);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });

  async function batch<T>(fn: () => Promise<T>): Promise<T> {
    if (current.getStore()?.open) return fn();
    type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
    let outcome = { ok: false, error: new Error('batch did not run') } as Outcome;
    const holder: OpenBatch = { tx: db, open: false, counts: new CountDeltas() };
    try {
      await db.transaction(async (tx) => {
        holder.tx = tx as unknown as Db;
        holder.open = true;
        // fn's failure still commits what its finished units wrote (as on SQLite); a failed statement
        // outside a savepoint aborted the transaction, and its COMMIT then rolls back
        try {
          outcome = { ok: true, value: await current.run(holder, fn) };
        } catch (e) {
          outcome = { ok: false, error: e };
        }
        // the batch's count changes, one delta row per name, commit with its writes
        try {
          await writeCountDeltas(tx as unknown as Db, holder.counts);
        } catch (e) {
          // an aborted transaction (fn failed outside a savepoint) rolls back at COMMIT anyway
          if (outcome.ok) throw e;
        }
      });
    } finally {
      holder.open = false;
    }
    const settled = outcome as Outcome;
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  async function count(tx: Db, deltas: CountDeltas): Promise<void> {
    const b = current.getStore();
    if (b?.open) b.counts.addAll(deltas);
    else await writeCountDeltas(tx, deltas);
  }

  return { scoped, batch, count };
}
