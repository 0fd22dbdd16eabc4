/**
 * The Store port on PostgreSQL, for one or several gateway nodes sharing a database.
 * `createPgStore` connects (a failure is a GatewayError naming host, port, database and the
 * server's reason), applies pending migrations under an advisory lock, and returns the store.
 * Queries go through a node-postgres Pool (10 connections by default) with drizzle; the
 * multi-node semantics are documented where they live: leaseFeed and upsertDocument in
 * documents.ts, leaseDelivery and nextControlNumber in delivery.ts, insertMessage in messages.ts, message
 * claims and named leases in claims.ts.
 */
import { createPgEvents } from '../../events/pg-events.ts';
import { createPgJobs } from '../../jobs/pg-jobs.ts';
import { createPgRetention } from '../../retention/pg-retention.ts';
import { createPgPortal } from '../../portal/portal-sql.ts';
import { createPgConsole } from '../../server/console/console-store.ts';
import { createPgTraceReads } from '../../observability/trace-store.ts';
import { createPgAs2Evidence } from '../../transports/as2/evidence-store.ts';
import { withArchivedBytes } from '../../retention/raw-bytes.ts';
import { createBlobStore } from '../../storage/blob-store.ts';
import { countsFromRows, OPEN_EXCEPTIONS_WHERE, openExceptionsFromRows } from '../row-counts.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Store } from '../store.ts';
import { createPgBatching } from './batch-context.ts';
import { createPgClaims } from './claims.ts';
import { connectionError, pgTargetOf } from './connection-error.ts';
import { createPgDelivery } from './delivery.ts';
import { createPgDocuments } from './documents.ts';
import { createPgMessages } from './messages.ts';
import { migratePg } from './migrate.ts';
import * as schema from './schema.ts';

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database (or postgresql://) */
  url: string;
  /** pool size; default 10 */
  poolSize?: number;
  /** how long to wait for a connection; default 10 s */
  connectTimeoutMs?: number;
  /** an idle pooled connection failed (server restart, network); the next query reconnects */
  onIdleError?: (e: Error) => void;
  /** the file store of archived raw bytes (EDIGW_BLOB_DIR): one directory every node shares */
  blobDir?: string;
}

export async function createPgStore(opts: PgStoreOptions): Promise<Store> {
  const target = pgTargetOf(opts.url);
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    application_name: 'edi-gateway',
  });
  // without a listener an idle connection's error would crash the process
  pool.on('error', (e) => opts.onIdleError?.(e));
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw connectionError(target, e);
  }
  try {
    await migratePg(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }

  const db = drizzle(pool, { schema });
  const jobs = createPgJobs(pool);
  const events = createPgEvents(pool);
  const retention = createPgRetention(pool, opts.blobDir ? createBlobStore(opts.blobDir) : undefined);
  const withBytes = withArchivedBytes(retention.readRaw);
  const batching = createPgBatching(db);
  const messageMethods = createPgMessages(batching.scoped, pool, jobs, db, events, batching.count);
  let closed: Promise<void> | undefined;
  /**
   * row_counts by name (optionally only the names `where` picks): first folds the deltas the store
   * appended since the last read into row_counts (cost: the writes since then), then reads both; a
   * fold that fails (read-only database) still gives the counts
   */
  const countRows = async (where = 'TRUE') => {
    await pool.query(`WITH moved AS (DELETE FROM row_count_deltas RETURNING name, delta)
      INSERT INTO row_counts (name, value) SELECT name, sum(delta) FROM moved GROUP BY name
      ON CONFLICT (name) DO UPDATE SET value = row_counts.value + excluded.value`).catch(() => {});
    const { rows } = await pool.query<{ name: string; value: string }>(`SELECT name, sum(v) AS value FROM
      (SELECT name, value AS v FROM row_counts UNION ALL SELECT name, delta AS v FROM row_count_deltas) AS c WHERE ${where} GROUP BY name`);
    return rows;
  };
  return {
    // a time slice's pipeline reads and writes in one transaction (batch-context.ts)
    batch: batching.batch,
    ...messageMethods,
    // an archived message comes back with its bytes (raw-bytes.ts)
    getMessage: async (id) => withBytes(await messageMethods.getMessage(id)),
    findByExternalId: async (key) => withBytes(await messageMethods.findByExternalId(key)),
    ...createPgDocuments(batching.scoped, jobs, events, batching.count),
    ...createPgDelivery(db),
    ...createPgClaims(pool),
    jobs,
    events,
    retention,
    portal: createPgPortal(pool),
    as2Evidence: createPgAs2Evidence(pool),
    console: createPgConsole(pool),
    traces: createPgTraceReads(pool),
    readRaw: retention.readRaw,
    async counts() {
      return countsFromRows(await countRows());
    },
    async openExceptionCounts() {
      return openExceptionsFromRows(await countRows(OPEN_EXCEPTIONS_WHERE));
    },
    /** ends the pool: waits for checked-out connections to be released, then disconnects; idempotent */
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
