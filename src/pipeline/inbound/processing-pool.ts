/**
 * Processing threads (EDIGW_PROCESSING_THREADS; `edigw serve` starts one per core beyond the
 * first): the main thread takes messages in and serves HTTP, the threads run the inbound pipeline
 * (processing-thread.ts). Each thread processes one message at a time, taken from one queue: its
 * store batches then commit at the end of every time slice, so no write lock is held across turns
 * of its event loop while the main thread (intake, claims, the ERP feed) waits for it.
 *
 * A thread is bounded (heap limit EDIGW_PROCESSING_HEAP_MB, default 1536 MB): a message that
 * exhausts it, or anything else that stops the thread, fails only the messages that thread was
 * processing. Each becomes `failed` with a `processing_thread_failed` exception (raw bytes kept,
 * replayable), so one hostile message can neither crash the gateway nor come back at every start;
 * the thread is started again for the next message.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../core/clock.ts';
import { GatewayError } from '../../core/errors.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import { siblingModule, threadEntry } from '../../core/thread-entry.ts';
import type { Store } from '../../db/store.ts';
import type { MessageOutcome } from './process-message.ts';

/** what a thread needs to build its own pipeline: everything by value (no functions cross threads) */
export interface ProcessingThreadData {
  threadIndex: number;
  databaseUrl: string;
  /** the file store of archived raw messages (PostgreSQL: EDIGW_BLOB_DIR), as the main thread opened it */
  blobDir?: string;
  partnersDir: string;
  mappingsDir: string;
  fixturesDir?: string;
  env: Record<string, string | undefined>;
  erpPush: boolean;
  as2?: { as2Id: string; privateKeyPem: string; certificatePem: string };
  as2ReceiptUrl?: string;
  /** the gateway's EDIGW_STREAM_THRESHOLD_BYTES (a larger functional ack is stored in the file store) */
  streamThresholdBytes?: number;
  /** SQLite: the HTTP thread's Store.writePriority, which the thread's store yields to */
  writePriority?: SharedArrayBuffer;
}

export type ThreadRequest =
  | { type: 'process'; reqId: number; messageId: string; by?: string }
  | { type: 'reload' }
  | { type: 'memory'; reqId: number }
  | { type: 'close' };

type ThreadAnswer =
  | { type: 'ready' }
  | { type: 'done'; reqId: number; outcome: MessageOutcome }
  | { type: 'failed'; reqId: number; error: { code: string; message: string; detail: Record<string, unknown> } }
  | { type: 'memory'; reqId: number; usage: NodeJS.MemoryUsage }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };

export interface ProcessingPoolDeps {
  threads: number;
  /** per-thread heap limit in MB */
  heapMb: number;
  data: Omit<ProcessingThreadData, 'threadIndex'>;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}

interface Pending { messageId: string; by?: string; resolve(o: MessageOutcome): void; reject(e: unknown): void }
/** `pending`: what the thread holds (one message at most) */
interface Thread { worker: Worker; ready: Promise<void>; pending: Map<number, Pending>; exited: boolean; started: boolean }

/** The thread's entry: processing-thread.ts through tsx (vitest, no build), or dist/'s processing-thread.js (core/thread-entry.ts). */
const bootstrap = threadEntry(siblingModule('processing-thread', import.meta.url));

/** default semi-space of a processing thread's young generation, in MB (EDIGW_PROCESSING_SEMI_SPACE_MB; 0: V8's default, up to 16) */
export const DEFAULT_THREAD_SEMI_SPACE_MB = 4;

export function threadSemiSpaceMb(env: Record<string, string | undefined>): number {
  const raw = env.EDIGW_PROCESSING_SEMI_SPACE_MB;
  const mb = raw === undefined || raw === '' ? DEFAULT_THREAD_SEMI_SPACE_MB : Number(raw);
  if (!Number.isInteger(mb) || mb < 0 || mb > 64) throw new Error(`EDIGW_PROCESSING_SEMI_SPACE_MB must be a whole number from 0 to 64, got "${raw}"`);
  return mb;
}

export function createProcessingPool(deps: ProcessingPoolDeps) {
  const { logger } = deps;
  const threads: Thread[] = [];
  const waiting: Pending[] = [];
  let nextReq = 1;
  let closed = false;
  const memoryAsks = new Map<number, (u: NodeJS.MemoryUsage | undefined) => void>();

  // a thread's young generation: V8 grows each semi-space to 16 MB while the thread loads its sources,
  // grammars and mappings, 32-48 MB of new space a thread holds from then on (an idle gateway with one
  // thread: 287 MB peak RSS, 219 MB with 2 MB semi-spaces). The flag is process-wide and read when an
  // isolate is made, so it sizes the threads started from here on, not the main thread.
  const semiSpaceMb = threadSemiSpaceMb(deps.data.env);
  if (semiSpaceMb > 0) v8.setFlagsFromString(`--max-semi-space-size=${semiSpaceMb}`);

  /** `restarted`: a thread of this index ran before (a thread that never did stops the start instead) */
  function start(index: number, restarted = false): Thread {
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: { ...deps.data, threadIndex: index, ...(deps.store.writePriority ? { writePriority: deps.store.writePriority } : {}) } satisfies ProcessingThreadData,
      execArgv: [],
      // (no young-generation limit: with maxYoungGenerationSizeMb 12 a thread reaching its heap limit
      // ended the whole process with V8's fatal out-of-memory instead of terminating the thread)
      resourceLimits: { maxOldGenerationSizeMb: deps.heapMb },
    });
    const t: Thread = { worker, pending: new Map(), exited: false, started: false, ready: undefined as unknown as Promise<void> };
    t.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: ThreadAnswer) => {
        if (m.type === 'ready') { t.started = true; resolve(); dispatch(); }
        else if (m.type === 'log') logger[m.level](m.msg, m.fields);
        else if (m.type === 'memory') { memoryAsks.get(m.reqId)?.(m.usage); memoryAsks.delete(m.reqId); }
        else {
          const p = t.pending.get(m.reqId);
          if (!p) return;
          t.pending.delete(m.reqId);
          if (m.type === 'done') p.resolve(m.outcome);
          else p.reject(new GatewayError(m.error.code, m.error.message, m.error.detail));
          dispatch();
        }
      });
      let failure: Error | undefined;
      worker.on('error', (e) => { failure = e; });
      worker.on('exit', (code) => {
        t.exited = true;
        const why = failure ? String(failure) : `exit code ${code}`;
        // at the gateway's start, a thread that cannot even load the pipeline fails the start with this
        reject(new GatewayError('processing_thread_start_failed',
          `processing thread ${index} stopped before it was ready (${why}); with a heap limit of ${deps.heapMb} MB (EDIGW_PROCESSING_HEAP_MB) a thread may not load the pipeline at all`,
          { expected: 'a processing thread that loads the pipeline', found: why }));
        if (!closed || t.pending.size > 0) logger.error('processing thread stopped', { thread: index, error: why, started: t.started, messages: [...t.pending.values()].map((p) => p.messageId) });
        for (const p of t.pending.values()) void failMessage(p, why);
        t.pending.clear();
        if (closed) for (const p of waiting.splice(0)) p.reject(stopping(p.messageId));
        // a thread that died at work is replaced at once; a replacement that died starting is tried again in a second
        else if (t.started || restarted) setTimeout(() => { if (!closed) threads[index] = start(index, true); }, t.started ? 0 : 1000).unref();
      });
    });
    t.ready.catch(() => {});
    return t;
  }

  /** a message its thread died on: failed, with an exception an operator can replay */
  async function failMessage(p: Pending, why: string): Promise<void> {
    const err = new GatewayError('processing_thread_failed',
      `the processing thread stopped while processing this message (${why}); the message is kept and can be replayed`,
      { messageId: p.messageId, found: why });
    try {
      const msg = await deps.store.getMessage(p.messageId);
      const at = deps.clock.now().toISOString();
      await deps.store.addException({
        id: deps.ids('exc'), messageId: p.messageId, documentId: null, partnerId: msg?.partnerId ?? null, stage: 'process',
        code: err.code, message: err.message, detail: { ...err.detail }, at,
      });
      await deps.store.updateMessage(p.messageId, { status: 'failed' }, at);
      p.resolve({ messageId: p.messageId, status: 'failed', partnerId: msg?.partnerId ?? null, units: [],
        errors: [{ stage: 'process', code: err.code, message: err.message, detail: err.detail }] });
    } catch (e) {
      p.reject(e);
    }
  }

  /** hands waiting messages to idle threads */
  function dispatch(): void {
    for (const t of threads) {
      if (waiting.length === 0) return;
      if (!t.started || t.exited || t.pending.size > 0) continue;
      const p = waiting.shift()!;
      const reqId = nextReq++;
      t.pending.set(reqId, p);
      t.worker.postMessage({ type: 'process', reqId, messageId: p.messageId, ...(p.by !== undefined ? { by: p.by } : {}) } satisfies ThreadRequest);
    }
  }

  const stopping = (messageId: string) => new GatewayError('gateway_stopping', 'the gateway is stopping; the message is processed at the next start', { messageId });

  for (let i = 0; i < deps.threads; i++) threads.push(start(i));

  /** each thread's process.memoryUsage() (its own heap; rss is the process's); undefined for a thread that does not answer in a second */
  function threadMemory(): Promise<Array<NodeJS.MemoryUsage | undefined>> {
    return Promise.all(threads.map((t) => t.exited || !t.started ? undefined : new Promise<NodeJS.MemoryUsage | undefined>((resolve) => {
      const reqId = nextReq++;
      const timer = setTimeout(() => { memoryAsks.delete(reqId); resolve(undefined); }, 1000);
      memoryAsks.set(reqId, (u) => { clearTimeout(timer); resolve(u); });
      t.worker.postMessage({ type: 'memory', reqId } satisfies ThreadRequest);
    })));
  }
  const trace = startMemoryTrace(deps.data.env, threadMemory, logger);

  return {
    /** resolves when every thread has opened the database and loaded the configuration */
    async ready(): Promise<void> {
      await Promise.all(threads.map((t) => t.ready));
    },
    processMessage(messageId: string, by?: string): Promise<MessageOutcome> {
      if (closed) return Promise.reject(stopping(messageId));
      return new Promise<MessageOutcome>((resolve, reject) => {
        waiting.push({ messageId, by, resolve, reject });
        dispatch();
      });
    },
    /** the main thread reloaded partners and mappings: the threads read them again */
    reload(): void {
      for (const t of threads) if (!t.exited) t.worker.postMessage({ type: 'reload' } satisfies ThreadRequest);
    },
    /** lets each thread finish what it holds, then closes its database connection */
    threadMemory,
    async close(): Promise<void> {
      closed = true;
      trace?.stop();
      await Promise.all(threads.map((t) => t.exited ? undefined : new Promise<void>((resolve) => {
        t.worker.once('exit', () => resolve());
        t.worker.postMessage({ type: 'close' } satisfies ThreadRequest);
      })));
    },
  };
}

export type ProcessingPool = ReturnType<typeof createProcessingPool>;

/**
 * EDIGW_MEMORY_TRACE_FILE (diagnostics, off by default): every EDIGW_MEMORY_TRACE_MS (100) one JSON
 * line is appended: the time, the process's RSS and peak (VmRSS/VmHWM), its anonymous and file-backed
 * resident memory (/proc/self/smaps_rollup), the main thread's process.memoryUsage() and each
 * processing thread's. What a large interchange costs, phase by phase (bench/volume.ts reads it).
 */
function startMemoryTrace(env: Record<string, string | undefined>, threadMemory: () => Promise<Array<NodeJS.MemoryUsage | undefined>>, logger: Logger): { stop(): void } | undefined {
  const file = env.EDIGW_MEMORY_TRACE_FILE;
  if (!file) return undefined;
  const every = Number(env.EDIGW_MEMORY_TRACE_MS ?? 100);
  const mb = (n: number | undefined) => n === undefined ? undefined : Math.round(n / 104857.6) / 10;
  const kb = (text: string, field: string) => { const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text); return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined; };
  const usage = (u: NodeJS.MemoryUsage | undefined) => u && { heapUsed: mb(u.heapUsed), heapTotal: mb(u.heapTotal), external: mb(u.external), arrayBuffers: mb(u.arrayBuffers) };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void threadMemory().then((ts) => {
      const status = readFileSync('/proc/self/status', 'utf8');
      let rollup = '';
      try { rollup = readFileSync('/proc/self/smaps_rollup', 'utf8'); } catch { /* not Linux */ }
      appendFileSync(file, JSON.stringify({
        t: Date.now(), rss: kb(status, 'VmRSS'), hwm: kb(status, 'VmHWM'), anon: kb(rollup, 'Anonymous'), fileRss: kb(status, 'RssFile'), shmem: kb(status, 'RssShmem'),
        main: usage(process.memoryUsage()), threads: ts.map(usage),
      }) + '\n');
    }).catch((e) => logger.warn('memory trace failed', { error: String(e) })).finally(() => { busy = false; });
  }, every);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
