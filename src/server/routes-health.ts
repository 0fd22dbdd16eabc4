/**
 * GET /healthz, and the storage lines of GET /metrics.
 *
 * /healthz is public (load balancers and probes call it without credentials) and says only what a
 * probe needs, to anyone, with or without a token: status, node id, whether the store takes
 * writes, and each check as ok/failed. HTTP 503 while draining or while the store cannot write, so
 * a balancer sends traffic elsewhere. The details behind the checks (partner ids, SFTP hosts,
 * key-file paths, secret variable names, certificates, counts) are GET /api/v1/status (staff,
 * routes-status.ts), which takes them from readiness() here.
 */
import type { Hono } from 'hono';
import type { StorageState } from '../db/storage-health.ts';
import type { StoreFaultReason } from '../db/store-fault.ts';
import type { AppDeps } from './deps.ts';

type Check = 'ok' | 'failed';

/** one word per extra health entry: failed when it reports something an operator must act on */
function checkOf(key: string, value: unknown): Check {
  if (key === 'sftp' && Array.isArray(value)) {
    return value.some((p: { consecutiveFailures?: number; running?: boolean; lastError?: unknown }) => (p.consecutiveFailures ?? 0) > 0 || (p.running === false && p.lastError)) ? 'failed' : 'ok';
  }
  if (key === 'erpPush' && value && typeof value === 'object') {
    const circuit = (value as { circuit?: unknown }).circuit;
    return circuit === undefined || circuit === 'closed' ? 'ok' : 'failed';
  }
  if (key === 'config' && value && typeof value === 'object') {
    // a refused reload (the last good configuration serves) or a partner disabled by a conflicting identifier
    const c = value as { refusedReload?: unknown; disabledPartners?: unknown[] };
    return c.refusedReload || (c.disabledPartners?.length ?? 0) > 0 ? 'failed' : 'ok';
  }
  if (key === 'events' && value && typeof value === 'object') {
    // business events: a refused subscribers reload, or a subscriber whose circuit is open
    const e = value as { refusedReload?: unknown; circuits?: Record<string, unknown> };
    return e.refusedReload || Object.keys(e.circuits ?? {}).length > 0 ? 'failed' : 'ok';
  }
  // certificates (only those not ok are listed), missingSecrets: anything listed needs attention
  if (Array.isArray(value)) return value.length > 0 ? 'failed' : 'ok';
  return 'ok';
}

const REASONS: StoreFaultReason[] = ['locked', 'disk_full', 'io_error', 'read_only', 'unavailable'];

export interface Readiness {
  status: 'ok' | 'draining' | 'unavailable';
  node?: unknown;
  storage: StorageState;
  checks: Record<string, Check>;
  /** each check's detail (sftp, erpPush, config, certificates, missingSecrets, events): staff only */
  details: Record<string, unknown>;
}

/** the gateway's state as /healthz and /api/v1/status report it */
export async function readiness(deps: AppDeps): Promise<Readiness> {
  const extra = deps.health ? await deps.health() : {};
  const { node, ...details } = extra as { node?: unknown } & Record<string, unknown>;
  const storage: StorageState = deps.storage?.state() ?? { writable: true };
  const draining = deps.draining?.() ?? false;
  const status = draining ? 'draining' : storage.writable ? 'ok' : 'unavailable';
  const checks: Record<string, Check> = { storage: storage.writable ? 'ok' : 'failed' };
  for (const [k, v] of Object.entries(details)) checks[k] = checkOf(k, v);
  return { status, ...(node !== undefined ? { node } : {}), storage, checks, details };
}

export function mountHealth(app: Hono, deps: AppDeps): void {
  app.get('/healthz', async (c) => {
    const r = await readiness(deps);
    const s = r.storage;
    const code = r.status === 'ok' ? 200 : 503;
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...(s.retryAfterSeconds ? { 'retry-after': String(s.retryAfterSeconds) } : {}) };
    const storage = s.writable ? { writable: true } : { writable: false, reason: s.reason, since: s.since };
    return c.json({ status: r.status, ...(r.node !== undefined ? { node: r.node } : {}), storage, checks: r.checks }, code, headers);
  });
}

/** edigw_storage_writable (1/0), edigw_storage_unwritable{reason} (1 for the current reason), edigw_storage_faults_total{reason} */
export function storageMetrics(s: StorageState, faults: Record<StoreFaultReason, number> | undefined): string[] {
  return [
    '# HELP edigw_storage_writable 1 when the database takes writes, 0 while intake answers 503 (locked, disk full, I/O error)',
    '# TYPE edigw_storage_writable gauge',
    `edigw_storage_writable ${s.writable ? 1 : 0}`,
    '# HELP edigw_storage_unwritable 1 for the reason the database cannot take writes right now',
    '# TYPE edigw_storage_unwritable gauge',
    ...REASONS.map((r) => `edigw_storage_unwritable{reason="${r}"} ${!s.writable && s.reason === r ? 1 : 0}`),
    '# HELP edigw_storage_faults_total store calls that failed with a store fault since start',
    '# TYPE edigw_storage_faults_total counter',
    ...REASONS.map((r) => `edigw_storage_faults_total{reason="${r}"} ${faults?.[r] ?? 0}`),
  ];
}
