/**
 * GET /metrics: the prom-client registry (src/metrics/registry.ts) and the gauges read at scrape
 * time, each as cheap as at 1 row: stored totals from row_counts (Store.counts), the overdue
 * monitor's cached gauges, the store's writability and faults (storage-health), the HTTP thread's
 * event-loop lag since the previous scrape. Text exposition format 0.0.4.
 */
import type { StorageHealth } from '../db/storage-health.ts';
import type { Store } from '../db/store.ts';
import type { OverdueMonitor } from '../pipeline/lifecycle/overdue.ts';
import { eventLoopLagMetrics } from '../server/event-loop-lag.ts';
import { storageMetrics } from '../server/routes-health.ts';
import { registry } from './registry.ts';

export const METRICS_CONTENT_TYPE = registry.contentType;

export async function metricsText(deps: { store: Store; overdue?: OverdueMonitor; storage?: StorageHealth }): Promise<string> {
  const counts = { ...(await deps.store.counts()), ...(deps.overdue ? await deps.overdue.gauges() : {}) };
  const help: Record<string, string> = { ...COUNT_HELP, ...deps.overdue?.gaugeHelp };
  const lines = Object.entries(counts).flatMap(([k, v]) => [...(help[k] ? [`# HELP edigw_${k} ${help[k]}`] : []), `# TYPE edigw_${k} gauge`, `edigw_${k} ${v}`]);
  lines.push(...storageMetrics(deps.storage?.state() ?? { writable: true }, deps.storage?.faults()));
  lines.push(...eventLoopLagMetrics());
  return `${await registry.metrics()}\n${lines.join('\n')}\n`;
}

/** the stored totals of Store.counts (row_counts: all partners, kept by triggers) */
const COUNT_HELP: Record<string, string> = {
  messages: 'Messages stored (all partners, both directions)',
  documents: 'Documents stored',
  documents_ready: 'Documents ready for the ERP (not yet delivered)',
  documents_delivered: 'Documents delivered to the ERP',
  exceptions_open: 'Open exceptions (all partners)',
  messages_pending: 'Messages received and not yet processed',
};
