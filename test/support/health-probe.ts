/**
 * A second client probing GET /healthz: one probe, a run of idle probes, or a loop that probes
 * back to back until stopped (while a test feeds the gateway something heavy). Every answer's
 * latency is kept; a probe that times out or whose connection fails is a failure, never dropped.
 * Tests print the figures beside idle (`describeLatency`) and assert only bounds that cannot
 * flake on a loaded machine.
 */
export interface ProbeSample<B = unknown> {
  ms: number;
  status: number;
  /** the parsed JSON answer (undefined when not JSON) */
  body: B;
}

export interface LatencyStats { n: number; p50: number; p99: number; max: number }

export interface ProbeOptions {
  /** Authorization: Bearer token: probes GET /api/v1/status instead (counts and details, staff only) */
  token?: string;
  /** a probe not answered within this many ms is a failure (default 30 s) */
  timeoutMs?: number;
}

export interface ProbeLoop<B = unknown> {
  /** samples so far (the loop keeps running) */
  readonly samples: ReadonlyArray<ProbeSample<B>>;
  /** stops after the probe in flight; its answer is included */
  stop(): Promise<{ samples: Array<ProbeSample<B>>; failures: string[] }>;
}

/** one GET /healthz (with a token GET /api/v1/status); throws on a timeout or a failed connection (ECONNRESET...) */
export async function probeHealth<B = unknown>(baseUrl: string, opts: ProbeOptions = {}): Promise<ProbeSample<B>> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${opts.token ? '/api/v1/status' : '/healthz'}`, {
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let body: B;
  try { body = JSON.parse(text) as B; } catch { body = undefined as B; }
  return { ms, status: res.status, body };
}

/** n probes in a row on a quiet gateway (the first ones warm the connection and the route) */
export async function idleLatencies(baseUrl: string, n = 30, opts: ProbeOptions = {}): Promise<number[]> {
  for (let i = 0; i < 3; i++) await probeHealth(baseUrl, opts);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await probeHealth(baseUrl, opts)).ms);
  return out;
}

/** probes back to back (gapMs between an answer and the next probe) until stop() */
export function startProbeLoop<B = unknown>(baseUrl: string, opts: ProbeOptions & { gapMs?: number } = {}): ProbeLoop<B> {
  const samples: Array<ProbeSample<B>> = [];
  const failures: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        samples.push(await probeHealth<B>(baseUrl, opts));
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code;
        failures.push(`probe ${samples.length + failures.length + 1} after ${(performance.now() - t0).toFixed(0)} ms: ${(e as Error).name}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
      }
      if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
      return { samples, failures };
    },
  };
}

/** nearest-rank percentile of latencies in ms */
export function percentile(ms: readonly number[], p: number): number {
  if (ms.length === 0) return Number.NaN;
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function latencyStats(ms: readonly number[]): LatencyStats {
  return { n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.length ? Math.max(...ms) : Number.NaN };
}

export function describeLatency(s: LatencyStats): string {
  return `${s.n} answers, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;
}
