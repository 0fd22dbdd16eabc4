/**
 * Write batches on one SQLite connection. The pipeline stores each document with its own small
 * transaction; one commit per document wrote every page it touched (the row, each index, the
 * counters) to the WAL again: 36,000 purchase orders of one 5 MB interchange spent 38 % of the
 * gateway's time committing (issue 11). `batch(fn)` runs fn's writes in one transaction: the units
 * of one time slice (10 ms of work) commit together.
 *
 * Messages processed side by side share the open transaction; it commits when the last batch
 * ends, so a batch never commits another message's half-written unit, and each unit's writes stay
 * atomic (they nest as savepoints). What a batch holds is pipeline progress, recomputed from the
 * stored message after a crash, so it commits with synchronous=NORMAL. A commit someone is told
 * about (`durably`: a received message before its 202, a control number, an ERP ack) does not wait
 * for the batch: it commits the batch so far, runs alone with synchronous=FULL, and reopens the batch.
 *
 * Both take the write lock when they begin (BEGIN IMMEDIATE), waiting up to the busy timeout for
 * another connection (a processing thread's) to commit. A deferred transaction that read first would
 * fail at its first write, without waiting, whenever the other connection had committed meanwhile.
 */
import type Database from 'better-sqlite3';

export interface SqliteBatching {
  /** runs fn in a transaction committed with synchronous=FULL (fsync before it returns) */
  durably<T>(fn: () => T): T;
  /** runs fn's writes (async) in the shared batch transaction; commits when the last open batch ends */
  batch<T>(fn: () => Promise<T>): Promise<T>;
}

export function createSqliteBatching(raw: Database.Database): SqliteBatching {
  let holders = 0;

  const commit = () => {
    try {
      raw.exec('COMMIT');
    } catch (e) {
      // a failed COMMIT (disk full, I/O error) leaves the transaction open: end it, the work is redone from the message
      if (raw.inTransaction) raw.exec('ROLLBACK');
      throw e;
    }
  };

  const durably = <T>(fn: () => T): T => {
    const batchOpen = holders > 0 && raw.inTransaction;
    if (batchOpen) commit();
    try {
      raw.pragma('synchronous = FULL');
      try {
        return raw.transaction(fn).immediate();
      } finally {
        raw.pragma('synchronous = NORMAL');
      }
    } finally {
      if (batchOpen) raw.exec('BEGIN IMMEDIATE');
    }
  };

  const batch = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (holders++ === 0) raw.exec('BEGIN IMMEDIATE');
    try {
      return await fn();
    } finally {
      if (--holders === 0 && raw.inTransaction) commit();
    }
  };

  return { durably, batch };
}
