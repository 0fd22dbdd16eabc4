/**
 * Whether the store can take writes, learnt from the writes themselves: a store call that fails
 * with a store fault (locked, disk full, I/O error...) makes the storage unwritable; the next
 * write that succeeds makes it writable again. Every store method is wrapped, so each caller
 * (intake, AS2, ERP feed, worker) gets the same typed `store_unavailable` error.
 *
 * While locked, writes are refused at once instead of being tried: better-sqlite3 is
 * synchronous, so every tried write against a lock holds the event loop for the whole busy
 * timeout, and a sender retrying quickly (or the worker's four slots) would freeze every
 * endpoint again. One probe a second (a small audit row, which on success also records the
 * recovery) finds out when the lock is gone. Other faults (disk full, I/O error) fail fast, so
 * writes keep being tried and the first that succeeds ends the fault; no probe for them, since a
 * small row that fits into space the WAL already has would report a full disk as fixed.
 * Reads are never refused: SQLite in WAL mode and PostgreSQL still serve them, and /healthz
 * must keep answering.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Store } from './store.ts';
import { asStoreUnavailable, StoreUnavailableError, type StoreFault, type StoreFaultReason } from './store-fault.ts';

export interface StorageState {
  writable: boolean;
  /** when unwritable: why, since when (ISO), the driver's code and message, and how long senders should wait */
  reason?: StoreFaultReason;
  since?: string;
  dbCode?: string;
  message?: string;
  retryAfterSeconds?: number;
}

export interface StorageHealth {
  state(): StorageState;
  /** store faults seen since start, per reason (a Prometheus counter) */
  faults(): Record<StoreFaultReason, number>;
}

/** methods that only read: never refused while unwritable, and their success proves nothing about writes */
const READS = new Set<string>([
  'getMessage', 'findByContent', 'findByExternalId', 'relatedMessages', 'messagesToResume', 'listMessages',
  'getDocument', 'documentsForMessage', 'documentSummariesForMessage', 'findDocuments', 'documentsByCorrelation', 'firstCorrelated', 'lineTotals', 'getException', 'listExceptions',
  'findInterchange', 'deliveryPartners', 'pendingDeliveries', 'pendingJobs', 'getDeliveryJob', 'findDeliveryByOutcome',
  'resumableMessageIds', 'getLease', 'counts', 'openExceptionCounts', 'close', 'readRaw',
]);

export interface StorageHealthOptions {
  clock: Clock;
  logger: Logger;
  /** how often the probe tries a write while locked; default 1000 ms */
  probeEveryMs?: number;
}

export function withStorageHealth(inner: Store, opts: StorageHealthOptions): { store: Store; health: StorageHealth } {
  let fault: (StoreFault & { since: string; sinceMs: number }) | undefined;
  const counted: Record<StoreFaultReason, number> = { locked: 0, disk_full: 0, io_error: 0, read_only: 0, unavailable: 0 };
  let probeTimer: NodeJS.Timeout | undefined;
  let probing = false;
  let closed = false;

  const failed = (e: unknown): unknown => {
    const typed = asStoreUnavailable(e);
    if (!typed) return e;
    counted[typed.fault.reason]++;
    if (!fault) {
      const now = opts.clock.now();
      fault = { ...typed.fault, since: now.toISOString(), sinceMs: performance.now() };
      opts.logger.error('storage unwritable: intake answers 503 + Retry-After until a write succeeds', { reason: fault.reason, dbCode: fault.dbCode, error: fault.message });
    } else {
      fault = { ...fault, ...typed.fault };
    }
    if (fault.reason === 'locked') startProbe();
    else stopProbe();
    return typed;
  };
  const succeeded = () => {
    if (!fault) return;
    const was = fault;
    fault = undefined;
    stopProbe();
    opts.logger.info('storage writable again', { reason: was.reason, since: was.since, downMs: Math.round(performance.now() - was.sinceMs) });
  };

  function startProbe() {
    if (probeTimer || closed) return;
    probeTimer = setInterval(() => { void probe(); }, opts.probeEveryMs ?? 1000);
    probeTimer.unref();
  }
  function stopProbe() {
    if (probeTimer) clearInterval(probeTimer);
    probeTimer = undefined;
  }
  async function probe() {
    if (probing || fault?.reason !== 'locked') return;
    probing = true;
    const was = fault;
    try {
      // a real committed write that grows a table, so a full disk is not reported fixed by a write that fit in a page
      await inner.audit({ at: opts.clock.now().toISOString(), actor: 'system', action: 'storage_writable_again', subject: null,
        detail: { reason: was.reason, dbCode: was.dbCode, since: was.since } });
      succeeded();
    } catch (e) {
      failed(e);
    } finally {
      probing = false;
    }
  }

  const wrap = (name: string, fn: (...args: unknown[]) => unknown) => (...args: unknown[]): unknown => {
    const write = !READS.has(name);
    if (write && fault?.reason === 'locked') return Promise.reject(new StoreUnavailableError(fault));
    try {
      const out = fn(...args);
      if (out instanceof Promise) return out.then((v) => { if (write) succeeded(); return v; }, (e) => { throw failed(e); });
      if (write) succeeded();
      return out;
    } catch (e) {
      throw failed(e);
    }
  };

  const cache = new Map<PropertyKey, unknown>();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      if (prop === 'close') return async () => { closed = true; stopProbe(); await (value as () => Promise<void>).call(target); };
      let wrapped = cache.get(prop);
      if (!wrapped) { wrapped = wrap(prop, (value as (...a: unknown[]) => unknown).bind(target)); cache.set(prop, wrapped); }
      return wrapped;
    },
  });

  const health: StorageHealth = {
    state: () => fault
      ? { writable: false, reason: fault.reason, since: fault.since, dbCode: fault.dbCode, message: fault.message, retryAfterSeconds: new StoreUnavailableError(fault).retryAfterSeconds }
      : { writable: true },
    faults: () => ({ ...counted }),
  };
  return { store, health };
}
