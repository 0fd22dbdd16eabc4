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
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as schema from './schema.ts';

type Db = NodePgDatabase<typeof schema>;

interface OpenBatch { tx: Db; open: boolean }

export interface PgBatching {
  /** the database as seen from inside an open batch (its transaction), else the pool */
  scoped: Db;
  batch<T>(fn: () => Promise<T>): Promise<T>;
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
    const holder: OpenBatch = { tx: db, open: false };
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
      });
    } finally {
      holder.open = false;
    }
    const settled = outcome as Outcome;
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  return { scoped, batch };
}
