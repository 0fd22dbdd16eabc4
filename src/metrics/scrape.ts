/**
 * GET /metrics: the prom-client registry (src/metrics/registry.ts) and the gauges read at scrape
 * time, each as cheap as at 1 row: stored totals and open exceptions per partner and code from
 * row_counts (Store.counts, Store.openExceptionCounts), the overdue
 * monitor's cached gauges, the store's writability and faults (storage-health), the HTTP thread's
 * event-loop lag since the previous scrape. Text exposition format 0.0.4.
 *
 * The overdue gauges are the one costly part: when their cache has aged out, the monitor reads up
 * to 3 x 5,000 recent documents (27-91 ms idle at 1M stored, the whole p99 of a scrape under load).
 * A scrape never waits for that recomputation once a value exists: it answers with the previous
 * gauges and the recomputation finishes in the background for the next scrape (latestGauges).
 */
import type { Clock } from '../core/clock.ts';
import type { StorageHealth } from '../db/storage-health.ts';
import type { Store } from '../db/store.ts';
import type { OverdueMonitor } from '../pipeline/lifecycle/overdue.ts';
import { eventLoopLagMetrics } from '../server/event-loop-lag.ts';
import { storageMetrics } from '../server/routes-health.ts';
import type { OpenExceptionCount } from '../db/row-counts.ts';
import type { QueueDepth } from '../jobs/job-store.ts';
import { partnerLabel, registry } from './registry.ts';

export const METRICS_CONTENT_TYPE = registry.contentType;

type Gauges = Record<string, number>;
const previous = new WeakMap<Pick<OverdueMonitor, 'gauges'>, Gauges>();

/**
 * The monitor's gauges when they are at hand (its cache answers within the same turn of the event
 * loop); otherwise the previous scrape's, while the monitor recomputes for the next one. The first
 * scrape (nothing previous) waits. A failed recomputation keeps the previous values.
 */
export async function latestGauges(overdue: Pick<OverdueMonitor, 'gauges'>): Promise<Gauges> {
  const computing = overdue.gauges().then((g) => { previous.set(overdue, g); return g; });
  const last = previous.get(overdue);
  if (!last) return computing;
  computing.catch(() => {});
  const first = await Promise.race([computing.catch(() => undefined), new Promise<undefined>((r) => setImmediate(() => r(undefined)))]);
  return first ?? { ...last };
}

/** `clock`: the gateway's (job ages are measured on the clock that stamped the jobs) */
export async function metricsText(deps: { store: Store; clock: Clock; overdue?: OverdueMonitor; storage?: StorageHealth }): Promise<string> {
  const counts = { ...(await deps.store.counts()), ...(deps.overdue ? await latestGauges(deps.overdue) : {}) };
  const help: Record<string, string> = { ...COUNT_HELP, ...deps.overdue?.gaugeHelp };
  const lines = Object.entries(counts).flatMap(([k, v]) => [...(help[k] ? [`# HELP edigw_${k} ${help[k]}`] : []), `# TYPE edigw_${k} gauge`, `edigw_${k} ${v}`]);
  lines.push(...openExceptionLines(await deps.store.openExceptionCounts()));
  lines.push(...jobQueueLines(await deps.store.jobs.queueDepths(JOB_DEPTH_CAP), deps.clock.now().getTime()));
  lines.push(...storageMetrics(deps.storage?.state() ?? { writable: true }, deps.storage?.faults()));
  lines.push(...eventLoopLagMetrics());
  return `${await registry.metrics()}\n${lines.join('\n')}\n`;
}

/** the stored totals of Store.counts (row_counts: all partners, kept once per write transaction) */
const COUNT_HELP: Record<string, string> = {
  messages: 'Messages stored (all partners, both directions)',
  documents: 'Documents stored',
  documents_ready: 'Documents ready for the ERP (not yet delivered)',
  documents_delivered: 'Documents delivered to the ERP',
  exceptions_open: 'Open exceptions (all partners)',
  messages_pending: 'Messages received and not yet processed',
};

/** a label value as the text format writes it (backslash, double quote and newline escaped) */
const labelValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * edigw_exceptions_open_by_partner{partner,code}: the open exceptions of each partner and error
 * code, from row_counts (Store.openExceptionCounts). A pair whose exceptions were all resolved stays
 * at 0; an id no longer configured (or none) is counted as `unknown`, as the counters do.
 */
export function openExceptionLines(rows: OpenExceptionCount[]): string[] {
  const by = new Map<string, { partner: string; code: string; open: number }>();
  for (const r of rows) {
    const partner = partnerLabel(r.partnerId);
    const key = `${partner}\0${r.code}`;
    const e = by.get(key) ?? { partner, code: r.code, open: 0 };
    e.open += r.open;
    by.set(key, e);
  }
  const name = 'edigw_exceptions_open_by_partner';
  return [
    `# HELP ${name} Open exceptions by partner and error code (sum: edigw_exceptions_open)`,
    `# TYPE ${name} gauge`,
    ...[...by.values()].sort((a, b) => a.partner.localeCompare(b.partner) || a.code.localeCompare(b.code))
      .map((e) => `${name}{partner="${labelValue(e.partner)}",code="${labelValue(e.code)}"} ${e.open}`),
  ];
}

/** how many waiting (and running) jobs a scrape counts at most: past it the depth reads this cap */
export const JOB_DEPTH_CAP = 10_000;

/**
 * edigw_jobs{kind,state}: waiting and running jobs (each state counted up to JOB_DEPTH_CAP), and
 * edigw_job_oldest_waiting_age_seconds{kind}: how long the oldest waiting job of a kind has existed.
 * Kinds are the job registry's (a fixed list); a kind with nothing waiting or running is left out.
 */
export function jobQueueLines(rows: QueueDepth[], nowMs: number): string[] {
  const sorted = [...rows].sort((a, b) => a.kind.localeCompare(b.kind) || a.state.localeCompare(b.state));
  const ages = sorted.filter((r) => r.state === 'waiting' && r.oldestCreatedAt);
  return [
    `# HELP edigw_jobs Jobs waiting or running, by kind and state (each state counted up to ${JOB_DEPTH_CAP}: a longer queue reads ${JOB_DEPTH_CAP})`,
    '# TYPE edigw_jobs gauge',
    ...sorted.map((r) => `edigw_jobs{kind="${labelValue(r.kind)}",state="${r.state}"} ${r.count}`),
    '# HELP edigw_job_oldest_waiting_age_seconds Age of the oldest waiting job of each kind (since it was created)',
    '# TYPE edigw_job_oldest_waiting_age_seconds gauge',
    ...ages.map((r) => `edigw_job_oldest_waiting_age_seconds{kind="${labelValue(r.kind)}"} ${Math.max(0, (nowMs - Date.parse(r.oldestCreatedAt!)) / 1000).toFixed(3)}`),
  ];
}
