/**
 * Time and memory yardsticks. Every input's time is compared with a plain linear scan of the
 * same bytes, measured right beside it, so a loaded machine slows both and the ratio holds.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let sink = 0;

/** the yardstick: one pass over the bytes doing a little work per byte (so the JIT keeps the loop) */
export function linearScanMs(bytes: Uint8Array): number {
  let best = Infinity;
  for (let rep = 0; rep < 2; rep++) {
    const t0 = performance.now();
    let h = 0;
    for (let i = 0; i < bytes.length; i++) h = (h * 31 + bytes[i]!) | 0;
    sink ^= h;
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export function scanSink(): number { return sink; }

/** a forced full GC: --expose-gc when node ran with it, otherwise switched on here */
export function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
