/**
 * Store faults: the database is there but cannot take a write right now (locked by another
 * process, disk full, I/O error, read-only, server gone). They are told apart from bugs
 * because the right answer differs: a fault is the gateway's, temporary, and answered
 * 503 + Retry-After so the sender retries (nothing is acknowledged that was not committed);
 * a bug is a 500 and a log line.
 */
import { GatewayError } from '../core/errors.ts';

export type StoreFaultReason = 'locked' | 'disk_full' | 'io_error' | 'read_only' | 'unavailable';

export interface StoreFault {
  reason: StoreFaultReason;
  /** the driver's own code: SQLITE_BUSY, SQLITE_FULL, SQLITE_IOERR_WRITE, 53100, ECONNREFUSED... */
  dbCode: string;
  message: string;
}

/** how long a sender should wait before trying again, per reason (seconds) */
export const RETRY_AFTER_SECONDS: Record<StoreFaultReason, number> = {
  // another process's transaction: usually gone within a second or two
  locked: 2,
  // someone has to free space or grow the volume: retrying every second only adds load
  disk_full: 60,
  io_error: 30,
  read_only: 60,
  unavailable: 5,
};

/** `store_unavailable`: the stable code for every store fault; detail.reason says which */
export class StoreUnavailableError extends GatewayError {
  readonly fault: StoreFault;
  readonly retryAfterSeconds: number;

  constructor(fault: StoreFault, options?: { cause?: unknown }) {
    super('store_unavailable', `the gateway's database cannot take writes right now (${fault.reason}: ${fault.message}); retry later`,
      { reason: fault.reason, dbCode: fault.dbCode }, options);
    this.fault = fault;
    this.retryAfterSeconds = RETRY_AFTER_SECONDS[fault.reason];
  }
}

const PG_CODES: Record<string, StoreFaultReason> = {
  '53100': 'disk_full', // disk_full
  '53200': 'unavailable', // out_of_memory
  '53300': 'unavailable', // too_many_connections
  '55P03': 'locked', // lock_not_available (lock_timeout)
  '57014': 'locked', // query_canceled (statement_timeout while waiting)
  '40P01': 'locked', // deadlock_detected
  '25006': 'read_only', // read_only_sql_transaction (a standby after failover)
  '57P01': 'unavailable', '57P02': 'unavailable', '57P03': 'unavailable', // shutdown, cannot connect now
  '58030': 'io_error', // io_error
};
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** The fault an error from better-sqlite3 or node-postgres stands for, or undefined for anything else. */
export function storeFaultOf(e: unknown, depth = 0): StoreFault | undefined {
  if (e instanceof StoreUnavailableError) return e.fault;
  if (!(e instanceof Error) || depth > 4) return undefined;
  const code = (e as Error & { code?: unknown }).code;
  // a wrapper (GatewayError as2_ingest_failed, drizzle's query error) keeps the driver's error as its cause
  if (typeof code !== 'string') return storeFaultOf(e.cause, depth + 1);
  const fault = (reason: StoreFaultReason): StoreFault => ({ reason, dbCode: code, message: e.message });
  if (code.startsWith('SQLITE_')) {
    // extended codes carry the primary one as prefix: SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE...
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return fault('locked');
    if (code === 'SQLITE_FULL') return fault('disk_full');
    // a full disk often surfaces as an I/O error when the WAL or a temp file cannot grow
    if (code.startsWith('SQLITE_IOERR')) return fault(/ENOSPC|disk is full/i.test(e.message) ? 'disk_full' : 'io_error');
    if (code.startsWith('SQLITE_READONLY')) return fault('read_only');
    if (code.startsWith('SQLITE_CANTOPEN')) return fault('io_error');
    return undefined;
  }
  const pg = PG_CODES[code];
  if (pg) return fault(pg);
  if (code.startsWith('08')) return fault('unavailable'); // connection_exception class
  if (NET_CODES.has(code)) return fault('unavailable');
  if (code === 'ENOSPC') return fault('disk_full');
  return storeFaultOf(e.cause, depth + 1);
}

/** the typed error for a store fault, or undefined when `e` is not one */
export function asStoreUnavailable(e: unknown): StoreUnavailableError | undefined {
  if (e instanceof StoreUnavailableError) return e;
  const fault = storeFaultOf(e);
  return fault ? new StoreUnavailableError(fault, { cause: e }) : undefined;
}
