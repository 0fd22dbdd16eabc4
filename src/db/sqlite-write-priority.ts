/**
 * Intake before processing on one SQLite file. SQLite has one write lock per file; the gateway's
 * processing threads hold it for a time slice of document writes, and the HTTP thread's commits
 * (a received message before its 202, a claim, an ERP ack) wait for it at most the busy timeout
 * (200 ms: the wait holds the event loop). On a loaded machine a preempted processing thread held
 * its slice's lock past that, and intake answered 503 store_unavailable because of the gateway's own
 * processing (volume run, sixth session).
 *
 * A flag shared by the threads (one Int32 in a SharedArrayBuffer) says "the HTTP thread wants the
 * lock". The HTTP thread raises it around each write it waits for; a processing thread looks at it
 * before each unit it writes in a batch and, when it is up, commits what the batch holds so far
 * and waits (Atomics.wait, off the HTTP thread) until the flag is down before it takes the lock
 * again. So the HTTP thread's wait is one unit's work, not a slice, however long the slice runs.
 */
export interface WritePriority {
  /** the shared flag, handed to the processing threads (ProcessingThreadData) */
  readonly buffer: SharedArrayBuffer;
  /** the HTTP thread: raise while a write is waiting for the lock (calls nest) */
  raise(): void;
  lower(): void;
  /** a processing thread: whether the HTTP thread is waiting now */
  wanted(): boolean;
  /** a processing thread: blocks until the flag is down, at most `maxMs` (a flag left up stops nobody for long) */
  waitWhileWanted(maxMs: number): void;
}

export function createWritePriority(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)): WritePriority {
  const flag = new Int32Array(buffer);
  return {
    buffer,
    raise() { Atomics.add(flag, 0, 1); },
    lower() {
      if (Atomics.sub(flag, 0, 1) <= 1) Atomics.notify(flag, 0);
    },
    wanted: () => Atomics.load(flag, 0) > 0,
    waitWhileWanted(maxMs) {
      const until = performance.now() + maxMs;
      for (let v = Atomics.load(flag, 0); v > 0; v = Atomics.load(flag, 0)) {
        const left = until - performance.now();
        if (left <= 0) return;
        Atomics.wait(flag, 0, v, Math.min(left, 50));
      }
    },
  };
}
