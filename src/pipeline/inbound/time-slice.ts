/**
 * Long work on the event loop in bounded slices. The SQLite store is synchronous under its async
 * methods, so a message of thousands of transaction sets ran as one chain of microtasks: no HTTP
 * request, timer or I/O callback was served until its last set was stored (/healthz took 5-7 s
 * during a 20 MB interchange). `pause()` gives the event loop a turn (setImmediate: pending I/O
 * runs first) once `sliceMs` of work has passed since the last turn, and costs a clock read otherwise.
 */
import { performance } from 'node:perf_hooks';

/** the longest stretch of work between two turns of the event loop; default 10 ms */
export const DEFAULT_SLICE_MS = 10;

export function createTimeSlicer(sliceMs = DEFAULT_SLICE_MS): { due(): boolean; pause(): Promise<void> | undefined } {
  let since = performance.now();
  const due = () => performance.now() - since >= sliceMs;
  return {
    /** whether the slice is used up (the next pause() gives the event loop its turn) */
    due,
    pause() {
      if (!due()) return undefined;
      return new Promise<void>((resolve) => setImmediate(() => {
        since = performance.now();
        resolve();
      }));
    },
  };
}
