/**
 * Shared shape for benchmark figures. Each bench/<area>.ts exports `run(opts)` returning rows;
 * bench/run.ts runs every area (or those named on the command line) and prints one table.
 * A row names its figure, and the baseline measured in the same run, so the ratio is visible.
 */
export interface BenchRow {
  area: string;
  name: string;
  value: number;
  unit: string;
  /** the same work done by the baseline (a library alone, raw SQLite, node:crypto...) in this run */
  baseline?: { name: string; value: number; unit: string };
  /** peak resident set size in MB during this figure, when measured */
  peakRssMb?: number;
  notes?: string;
}

export interface BenchOptions {
  /** smaller inputs for a quick smoke run (CI); the full run uses the sizes the issues name */
  quick: boolean;
}

export type BenchArea = (opts: BenchOptions) => Promise<BenchRow[]>;

/** Times fn over at least minMs and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, minMs = 1000, batch = 1): Promise<number> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < minMs) {
    await fn();
    ops += batch;
  }
  return ops / ((performance.now() - start) / 1000);
}

/** Samples process RSS every 20 ms while fn runs; returns fn's result and the peak in MB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: Math.round(peak / 1048576) };
  } finally {
    clearInterval(timer);
  }
}
