import { readFileSync } from 'node:fs';

/**
 * Posts a body generated as a stream (never held whole) to the gateway over real HTTP, chunked,
 * and gives back the status and JSON answer.
 */
export async function postStream(url: string, headers: Record<string, string>, chunks: AsyncIterable<Uint8Array>): Promise<{ status: number; body: Record<string, unknown> }> {
  const it = chunks[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  const res = await fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text: text.slice(0, 500) };
  }
  return { status: res.status, body: parsed };
}

/** the peak resident set of a process (VmHWM, all its threads) in MB, from /proc (Linux) */
export function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb ?? 0) / 1024);
}
