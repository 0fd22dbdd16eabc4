/**
 * A processing thread (worker_threads): runs stored messages through the inbound pipeline off the
 * gateway's main thread, so parsing, mapping, validation and the document writes of a large
 * interchange never hold up HTTP intake, /healthz or the ERP feed, and a second core works.
 *
 * The thread opens its own connection to the gateway's database (SQLite in WAL mode takes one
 * writer at a time; each side's transactions are short slices, and the lock wait is bounded by the
 * store's busy timeout), loads partners and mappings from the same directories, and reloads them
 * when the main thread has reloaded (it never watches files itself). Its log lines go to the main
 * thread's logger. It uses the system clock: a gateway started with an injected clock (tests)
 * processes on its main thread. With tracing on (the same OTEL_* env), the thread loads its own
 * OpenTelemetry SDK and exports its spans itself; they are flushed before it closes.
 *
 * Messages from the main thread: { type: 'process', reqId, messageId, by } | { type: 'reload' } |
 * { type: 'memory', reqId } | { type: 'close' }. Answers: { type: 'ready' } | { type: 'done', reqId, outcome } |
 * { type: 'memory', reqId, usage } (process.memoryUsage() as this thread sees it: its own heap) |
 * { type: 'failed', reqId, error: { code, message, detail } } | { type: 'log', level, msg, fields }.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { systemClock } from '../../core/clock.ts';
import { toGatewayError } from '../../core/errors.ts';
import { createIdGenerator } from '../../core/ids.ts';
import type { Logger, LogLevel } from '../../core/logger.ts';
import { watchGatewayConfig } from '../../config/index.ts';
import { isPostgresUrl, openStore } from '../../db/open-store.ts';
import { withStorageHealth } from '../../db/storage-health.ts';
import { defaultRetryPolicy } from '../../transports/as2/index.ts';
import { sftpSourceConfigSchema } from '../../transports/sftp/index.ts';
import { createMappingCompiler, type GatewayMapping } from './compile-mapping.ts';
import type { ConfigView } from './config-port.ts';
import { grammarFor } from './grammars.ts';
import { createInboundProcessor } from './inbound-processor.ts';
import { createOutboundSender } from '../outbound/send.ts';
import type { OutboundConfig } from '../outbound/types.ts';
import type { ProcessingThreadData, ThreadRequest } from './processing-pool.ts';
import { initTracing } from '../../observability/tracing.ts';

const port = parentPort!;
const data = workerData as ProcessingThreadData;

const post = (m: unknown) => port.postMessage(m);
const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
  try {
    post({ type: 'log', level, msg, fields: { ...fields, thread: data.threadIndex } });
  } catch {
    post({ type: 'log', level, msg, fields: { thread: data.threadIndex, fields: String(fields) } });
  }
};
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

// before the first message: its spans (edigw.process and the stages) are exported from this thread
const tracing = await initTracing(data.env, { logger, attributes: { 'thread.id': threadId, 'thread.name': `processing-${data.threadIndex}` } });
const clock = systemClock;
const ids = createIdGenerator(() => clock.now().getTime());
const { store } = withStorageHealth(
  await openStore(data.databaseUrl, { blobDir: data.blobDir, yieldTo: data.writePriority, onIdleError: (e) => logger.warn('database connection lost (the next query reconnects)', { error: String(e) }) }),
  { clock, logger });
const watch = watchGatewayConfig<GatewayMapping>({
  partnersDir: data.partnersDir, mappingsDir: data.mappingsDir, fixturesDir: data.fixturesDir, env: data.env,
  compile: createMappingCompiler(grammarFor), transportSchemas: { sftp: sftpSourceConfigSchema },
  logger, clock, onReload: () => {},
});
watch.close();
const sender = createOutboundSender({
  clock, logger, as2: data.as2, as2ReceiptUrl: data.as2ReceiptUrl, retry: defaultRetryPolicy, timeoutMs: 60_000,
  fetch: (url, init) => fetch(url, { ...init, body: Buffer.from(init.body) }),
});
// a slice is one store batch (one commit). On PostgreSQL a 10 ms slice held about five documents (each a
// few round trips), so a thread slices at 100 ms there. On SQLite a batch holds the file's one write lock,
// which the HTTP thread's intake commit waits for: slices stay at the default 10 ms
const THREAD_SLICE_MS = isPostgresUrl(data.databaseUrl) ? 100 : undefined;
const processor = createInboundProcessor({
  store, clock, ids, logger, sender, erpPush: data.erpPush, sliceMs: THREAD_SLICE_MS, streamThresholdBytes: data.streamThresholdBytes,
  config: () => watch.current() as unknown as ConfigView,
  outboundConfig: () => watch.current() as unknown as OutboundConfig,
});

let inFlight = 0;
let closing: (() => void) | undefined;
const settle = () => { if (closing && inFlight === 0) closing(); };

port.on('message', (m: ThreadRequest) => {
  if (m.type === 'process') {
    inFlight++;
    processor.processMessage(m.messageId, m.by)
      .then((outcome) => post({ type: 'done', reqId: m.reqId, outcome }))
      .catch((e) => {
        const err = toGatewayError(e);
        post({ type: 'failed', reqId: m.reqId, error: { code: err.code, message: err.message, detail: { ...err.detail } } });
      })
      .finally(() => { inFlight--; settle(); });
  } else if (m.type === 'memory') {
    post({ type: 'memory', reqId: m.reqId, usage: process.memoryUsage() });
  } else if (m.type === 'reload') {
    watch.reload();
  } else if (m.type === 'close') {
    void new Promise<void>((resolve) => { closing = resolve; settle(); })
      .then(() => tracing.close())
      .then(() => store.close())
      .finally(() => port.close());
  }
});
post({ type: 'ready' });
