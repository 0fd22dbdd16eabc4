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
 *
 * A batch is bounded by time under the lock as well as by its slice: before each unit it writes
 * (`write`), a batch that has held the lock MAX_HOLD_MS commits what it has and takes the lock
 * again; and a processing thread's batch (priority side 'yield') commits and steps aside whenever
 * the HTTP thread is waiting for the lock (sqlite-write-priority.ts). A commit between two units is
 * what `durably` does too: every unit's writes stay atomic (savepoints never span an await), and
 * what a crash takes is pipeline progress, redone from the stored message.
 */
import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { CountDeltas } from './row-counts.ts';
import type { WritePriority } from './sqlite-write-priority.ts';

/** the longest a batch holds the write lock before it commits between two units */
export const MAX_HOLD_MS = 25;
/** the longest a processing thread steps aside for the HTTP thread at one time */
const MAX_YIELD_MS = 2000;

export interface SqliteBatchingOptions {
  /** writes a transaction's count changes before its COMMIT */
  applyCounts?: ApplyCounts;
  /**
   * 'raise': this connection is the HTTP thread's (its durable commits raise the flag); 'yield':
   * a processing thread's (its batches step aside while the flag is up)
   */
  priority?: { side: 'raise' | 'yield'; flag: WritePriority };
}

export interface SqliteBatching {
  /** runs fn in a transaction committed with synchronous=FULL (fsync before it returns) */
  durably<T>(fn: () => T): T;
  /** runs fn's writes (async) in the shared batch transaction; commits when the last open batch ends */
  batch<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs fn (synchronous writes) atomically and keeps the row counts it reports (row-counts.ts) in
   * the same transaction: inside an open batch as a savepoint, its counts added to the batch's and
   * written once when the batch commits (a unit that throws adds none); outside a batch as its own
   * transaction with the counts written before its COMMIT.
   */
  write<T>(fn: (counts: CountDeltas) => T): T;
}

/** writes a transaction's count changes ('documents:ready' → +n), before its COMMIT */
export type ApplyCounts = (deltas: CountDeltas) => void;

export function createSqliteBatching(raw: Database.Database, opts: SqliteBatchingOptions = {}): SqliteBatching {
  const applyCounts = opts.applyCounts ?? (() => {});
  const raising = opts.priority?.side === 'raise' ? opts.priority.flag : undefined;
  const yielding = opts.priority?.side === 'yield' ? opts.priority.flag : undefined;
  let holders = 0;
  /** when the open batch took the write lock */
  let lockedAt = 0;
  /** inside durably's own transaction (the batch is committed meanwhile) */
  let alone = false;
  /** the open batch's count changes, written just before it commits */
  const pending = new CountDeltas();
  const batchOpen = () => holders > 0 && !alone && raw.inTransaction;

  const commit = () => {
    try {
      applyCounts(pending);
      pending.clear();
      raw.exec('COMMIT');
    } catch (e) {
      pending.clear();
      // a failed COMMIT (disk full, I/O error) leaves the transaction open: end it, the work is redone from the message
      if (raw.inTransaction) raw.exec('ROLLBACK');
      throw e;
    }
  };

  /** takes the write lock for the batch; a processing thread first lets a waiting HTTP thread in */
  const begin = () => {
    if (yielding?.wanted()) yielding.waitWhileWanted(MAX_YIELD_MS);
    raw.exec('BEGIN IMMEDIATE');
    lockedAt = performance.now();
  };

  const durably = <T>(fn: () => T): T => {
    const reopen = batchOpen();
    if (reopen) commit();
    alone = true;
    raising?.raise();
    try {
      raw.pragma('synchronous = FULL');
      try {
        return raw.transaction(fn).immediate();
      } finally {
        raw.pragma('synchronous = NORMAL');
      }
    } finally {
      raising?.lower();
      alone = false;
      if (reopen) begin();
    }
  };

  /** between two units of an open batch: commit and take the lock again when it was held long enough or is wanted */
  const boundBatch = () => {
    if (!(yielding?.wanted() || performance.now() - lockedAt >= MAX_HOLD_MS)) return;
    commit();
    begin();
  };

  const batch = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (holders++ === 0) begin();
    try {
      return await fn();
    } finally {
      if (--holders === 0) {
        if (raw.inTransaction) commit();
        else pending.clear(); // rolled back by SQLite itself (a full disk): its counts went with it
      }
    }
  };

  const write = <T>(fn: (counts: CountDeltas) => T): T => {
    const counts = new CountDeltas();
    if (batchOpen()) {
      boundBatch();
      const result = raw.transaction(() => fn(counts)).immediate();
      pending.addAll(counts);
      return result;
    }
    // reads, then writes: BEGIN IMMEDIATE takes the write lock first (see above)
    return raw.transaction(() => {
      const result = fn(counts);
      applyCounts(counts);
      return result;
    }).immediate();
  };

  return { durably, batch, write };
}
