/**
 * The event-loop lag of the thread that serves HTTP, for /metrics: how late its timers ran, as a
 * Prometheus summary over the time since the previous scrape (the histogram is reset at each
 * scrape, as prom-client does). A lag of tens of milliseconds means requests waited that long.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const QUANTILES = [0.5, 0.9, 0.99];

let histogram: IntervalHistogram | undefined;

/** starts sampling (once per process; every 10 ms) */
function sampler(): IntervalHistogram {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
  }
  return histogram;
}

/** starts measuring now, so the first scrape has figures */
export function startEventLoopLag(): void {
  sampler();
}

/** the summary lines since the previous call (seconds), then starts a new window */
export function eventLoopLagMetrics(): string[] {
  const h = sampler();
  const s = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0).toFixed(6);
  const lines = [
    '# HELP edigw_event_loop_lag_seconds How late the HTTP thread\'s event loop ran its timers, since the previous scrape',
    '# TYPE edigw_event_loop_lag_seconds summary',
    ...QUANTILES.map((q) => `edigw_event_loop_lag_seconds{quantile="${q}"} ${s(h.count > 0 ? h.percentile(q * 100) : 0)}`),
    `edigw_event_loop_lag_seconds_sum ${s(h.count > 0 ? h.mean * h.count : 0)}`,
    `edigw_event_loop_lag_seconds_count ${h.count}`,
    '# HELP edigw_event_loop_lag_max_seconds The longest event-loop stall of the HTTP thread since the previous scrape',
    '# TYPE edigw_event_loop_lag_max_seconds gauge',
    `edigw_event_loop_lag_max_seconds ${s(h.count > 0 ? h.max : 0)}`,
  ];
  h.reset();
  return lines;
}
