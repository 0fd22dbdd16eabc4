/**
 * Composition: wires store, configuration, pipeline, transports and the HTTP server into a running
 * gateway. `src/main.ts` (npm start) and `edigw serve` both call startGateway; tests call it too.
 */
import { serve, type ServerType } from '@hono/node-server';
import { hostname } from 'node:os';
import path from 'node:path';
import { createCanonicalValidators } from './canonical/validate.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createIdGenerator } from './core/ids.ts';
import type { Logger } from './core/logger.ts';
import { as2PolicyFor, createAs2PartnerLookup, missingSecrets, policiesFor, sftpSecretsFor, watchGatewayConfig, type GatewayConfig } from './config/index.ts';
import { createPartnerThrottles } from './delivery/partner-throttles.ts';
import { createErpPushTask, type ErpPushTask, moveLegacyErpPushes } from './delivery/erp-push.ts';
import { createErpPushClient } from './erp/push-client.ts';
import { createOverdueMonitor } from './pipeline/lifecycle/overdue.ts';
import { createAckReconciler } from './pipeline/outbound/reconcile.ts';
import { createOutboundSender } from './pipeline/outbound/send.ts';
import { createAsyncMdnRecorder } from './pipeline/outbound/async-mdn.ts';
import { createOutboundService } from './pipeline/outbound/service.ts';
import type { OutboundConfig } from './pipeline/outbound/types.ts';
import { createAs2Receiver, defaultRetryPolicy } from './transports/as2/index.ts';
import { createMdnOutbox } from './transports/as2/mdn-outbox.ts';
import { createDbMdnStore } from './transports/as2/db-mdn-store.ts';
import { certificateReport } from './transports/as2/certificate-report.ts';
import { sftpSourceConfigSchema } from './transports/sftp/index.ts';
import { createSftpPollerSet } from './transports/sftp/partner-pollers.ts';
import { openStore } from './db/open-store.ts';
import type { RetentionDefaults } from './retention/policy.ts';
import type { RetentionReport } from './retention/retention-pass.ts';
import { startRetentionSchedule } from './retention/schedule.ts';
import { createGatewayJobs } from './jobs/gateway-jobs.ts';
import { createEventService } from './events/service.ts';
import type { TaskDef } from './jobs/registry.ts';
import { withStorageHealth } from './db/storage-health.ts';
import { createLeasedRole } from './db/leased-role.ts';
import { createMappingCompiler, type GatewayMapping } from './pipeline/inbound/compile-mapping.ts';
import { grammarFor } from './pipeline/inbound/grammars.ts';
import { createInboundProcessor } from './pipeline/inbound/inbound-processor.ts';
import { createProcessingPool } from './pipeline/inbound/processing-pool.ts';
import { createIntake } from './pipeline/inbound/intake.ts';
import { DEFAULT_STREAM_THRESHOLD_BYTES } from './storage/spool.ts';
import { createExceptionQueue } from './pipeline/inbound/replay.ts';
import { createMessageWorker } from './pipeline/inbound/worker.ts';
import { initTracing } from './observability/tracing.ts';
import { collects, offerDisposition } from './portal/outbox.ts';
import { createApp } from './server/app.ts';
import type { StaffToken } from './server/auth.ts';
import type { ServerConfigView } from './server/deps.ts';

export interface GatewayOptions {
  port: number;
  /** the address to listen on (HOST); default 127.0.0.1: only this machine reaches it until HOST=0.0.0.0 (or an address) is set */
  host?: string;
  databaseUrl: string;
  partnersDir: string;
  mappingsDir: string;
  fixturesDir?: string;
  env: Record<string, string | undefined>;
  tokens: StaffToken[];
  logger: Logger;
  clock?: Clock;
  /** the largest message taken on HTTP and SFTP (EDIGW_MAX_BODY_BYTES; default 4 GiB with a file store, 50 MiB without) */
  maxBodyBytes?: number;
  /** larger bodies are streamed into the file store as they arrive and read back in slices (EDIGW_STREAM_THRESHOLD_BYTES; default 8 MiB) */
  streamThresholdBytes?: number;
  feedLeaseSeconds?: number;
  workerConcurrency?: number;
  watchConfig?: boolean;
  /** false: no SFTP pollers (tests of other parts); default true */
  sftpPolling?: boolean;
  /** EDIGW_ERP_URL / EDIGW_ERP_PUSH_TOKEN: documents are also pushed to the ERP */
  erpPush?: { url: string; token?: string; timeoutMs?: number; maxConcurrency?: number };
  /** the gateway's own AS2 identity (EDIGW_AS2_ID, EDIGW_AS2_KEY_FILE, EDIGW_AS2_CERT_FILE); no POST /as2 without it */
  as2?: { as2Id: string; privateKeyPem: string; certificatePem: string };
  /** the gateway's own X12 sender id on outbound interchanges (EDIGW_X12_ID as QUALIFIER/ID; default ZZ/EDIGW) */
  ourX12?: { qualifier: string; id: string; gsId?: string };
  /** where partners post asynchronous MDNs for what we send (default: sync MDN) */
  as2ReceiptUrl?: string;
  /** this node's id among gateways sharing one database (EDIGW_NODE_ID; default hostname, pid and a random suffix) */
  nodeId?: string;
  /** message claims and SFTP poller leases last this long unless renewed (EDIGW_LEASE_SECONDS; default 30) */
  leaseSeconds?: number;
  /** subscribers/*.yaml of business events (src/events/); default: subscribers/ beside partnersDir */
  subscribersDir?: string;
  /** retention defaults (EDIGW_RETENTION_*); a partner profile's `retention:` overrides them (src/retention) */
  retention?: RetentionDefaults;
  /** the file store of archived raw bytes (EDIGW_BLOB_DIR; default blobs/ beside the SQLite file; PostgreSQL: one directory all nodes share) */
  blobDir?: string;
  /**
   * threads that run the inbound pipeline beside the main thread (EDIGW_PROCESSING_THREADS; `edigw
   * serve` default: one per core beyond the first, at least one). 0 (the default here): on the main
   * thread, in time slices; the only choice with an injected clock, since threads use the system clock.
   */
  processingThreads?: number;
  /** a processing thread's heap limit in MB (EDIGW_PROCESSING_HEAP_MB; default 1536) */
  processingHeapMb?: number;
}

export interface RunningGateway {
  port: number;
  url: string;
  config(): GatewayConfig<GatewayMapping>;
  /** reloads partners/ and mappings/ now; false when the change was refused (the last good config stays) */
  reloadConfig(): boolean;
  /** waits until every queued message is processed (tests) */
  idle(): Promise<void>;
  /** runs a retention pass now (the gateway runs one every retention.intervalMinutes when a window is configured) */
  runRetention(): Promise<RetentionReport | undefined>;
  /** the HTTP routes the app registered, method and path as given to Hono (the OpenAPI conformance test walks them) */
  routes(): Array<{ method: string; path: string }>;
  stop(): Promise<void>;
}

/** the largest message held whole in memory: AS2 bodies, and every body when there is no file store */
const IN_MEMORY_MAX_BYTES = 50 * 1024 * 1024;

/** a start that fails part way (a processing thread, a port in use, a bad SFTP profile) closes what it had opened */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const opened: Array<() => unknown> = [];
  try {
    return await start(opts, opened);
  } catch (e) {
    for (const close of opened.reverse()) await Promise.resolve().then(close).catch(() => {});
    throw e;
  }
}

async function start(opts: GatewayOptions, opened: Array<() => unknown>): Promise<RunningGateway> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger;
  const ids = createIdGenerator(() => clock.now().getTime());
  // OpenTelemetry traces when the OTEL_* env asks for them (src/observability/tracing.ts); with tracing off no SDK is loaded
  const tracing = await initTracing(opts.env, { logger });
  opened.push(() => tracing.close());
  // every store call goes through the storage health wrapper: a lock or a full disk becomes store_unavailable (503 + Retry-After)
  const { store, health: storage } = withStorageHealth(
    await openStore(opts.databaseUrl, { blobDir: opts.blobDir, onIdleError: (e) => logger.warn('database connection lost (the next query reconnects)', { error: String(e) }) }),
    { clock, logger });
  opened.push(() => store.close());
  // the largest message accepted: streamed ones (HTTP, SFTP) go to the file store; without one, all are held in memory
  const maxBytes = opts.maxBodyBytes ?? (store.retention.blobs ? 4 * 1024 ** 3 : IN_MEMORY_MAX_BYTES);
  const streamThresholdBytes = opts.streamThresholdBytes ?? DEFAULT_STREAM_THRESHOLD_BYTES;
  const nodeId = opts.nodeId ?? `${hostname()}:${process.pid}:${ids('node').slice(-6)}`;
  const leaseMs = (opts.leaseSeconds ?? 30) * 1000;
  // one process owns a SQLite file: claims and leases found at start are from a process that is gone
  if (!store.sharedByNodes) {
    const stale = await store.clearClaimsAndLeases();
    if (stale > 0) logger.info('claims of a previous run released', { messages: stale });
  }
  let onReload: (c: GatewayConfig<GatewayMapping>) => void = () => {};
  // processing threads read partners and mappings again after the main thread did
  let reloadThreads = () => {};
  const watch = watchGatewayConfig<GatewayMapping>({
    partnersDir: opts.partnersDir,
    mappingsDir: opts.mappingsDir,
    fixturesDir: opts.fixturesDir,
    env: opts.env,
    compile: createMappingCompiler(grammarFor),
    transportSchemas: { sftp: sftpSourceConfigSchema },
    logger,
    clock,
    onReload: (c) => { reloadThreads(); onReload(c); },
  });
  opened.push(() => watch.close());
  if (opts.watchConfig === false) watch.close();
  // closing only stops the file watchers: reload() keeps working for tests and `edigw` commands
  const config = () => watch.current() as unknown as ServerConfigView & GatewayConfig<GatewayMapping>;

  /** a partner's rate toward the ERP (its profile's throttle, or the defaults) */
  const throttleFor = (partnerId: string) => {
    const p = watch.current().partner(partnerId);
    return p ? policiesFor(p).throttle : undefined;
  };
  /** the pull feed is throttled only for a partner whose profile sets `throttle:` (the ERP pulls at its own pace) */
  const feedThrottleFor = (partnerId: string) => {
    const p = watch.current().partner(partnerId);
    return p?.throttle ? policiesFor(p).throttle : undefined;
  };
  const push = opts.erpPush ? createErpPushPipeline() : undefined;
  // several nodes: one pushes to the ERP (the holder of the `erp-push` lease), so the per-partner
  // throttle and the one-document-per-partner-in-flight order hold across the cluster
  // (the erp.push kind's gate: only the holder claims push jobs)
  const pushRole = push && store.sharedByNodes ? createLeasedRole({
    name: 'erp-push', holder: nodeId, leaseMs, acquire: store.acquireLease, release: store.releaseLease, clock, logger,
    role: 'ERP push', onAcquired: () => jobs.wake(), onLost: async () => {},
  }) : undefined;
  const sender = createOutboundSender({
    clock, logger, as2: opts.as2, as2ReceiptUrl: opts.as2ReceiptUrl, retry: defaultRetryPolicy, timeoutMs: 60_000,
    fetch: (url, init) => fetch(url, { ...init, body: Buffer.from(init.body) }),
  });
  const outboundConfig = () => watch.current() as unknown as OutboundConfig;
  const validators = createCanonicalValidators();
  const threads = opts.processingThreads ?? 0;
  if (threads > 0 && opts.clock && opts.clock !== systemClock) throw new Error('processing threads use the system clock: start the gateway with processingThreads 0 when a clock is injected');
  const pool = threads > 0
    ? createProcessingPool({
      threads, heapMb: opts.processingHeapMb ?? 1536, store, clock, ids, logger,
      data: {
        databaseUrl: opts.databaseUrl, blobDir: opts.blobDir, partnersDir: opts.partnersDir, mappingsDir: opts.mappingsDir, fixturesDir: opts.fixturesDir,
        env: opts.env, erpPush: push !== undefined, as2: opts.as2, as2ReceiptUrl: opts.as2ReceiptUrl, streamThresholdBytes,
      },
    })
    : undefined;
  const processor = pool ?? createInboundProcessor({ store, clock, ids, logger, config, outboundConfig, sender, erpPush: push !== undefined, streamThresholdBytes });

  /** the erp.push task (delivery/erp-push.ts): each released document's push job, run by the job runner */
  function createErpPushPipeline(): ErpPushTask {
    const erp = opts.erpPush!;
    const client = createErpPushClient({ url: erp.url, token: erp.token ?? '', fetch, timeoutMs: erp.timeoutMs ?? 30_000 });
    return createErpPushTask({ store, push: client.push, clock, ids, logger, throttleFor, active: (): boolean => !pushRole || pushRole.held() });
  }
  if (pool) {
    opened.push(() => pool.close());
    reloadThreads = () => pool.reload();
    await pool.ready();
  }
  const outbound = createOutboundService({
    store, clock, ids, logger, config: outboundConfig, validators, ourX12: opts.ourX12,
    jobs: { wake: () => jobs.wake(), drain: () => jobs.drain() },
  });
  const reconciler = createAckReconciler({ store, clock, ids, logger, config: outboundConfig });
  const overdue = createOverdueMonitor({ store, config: outboundConfig, now: () => clock.now() });
  const worker = createMessageWorker({
    store, logger, clock, concurrency: opts.workerConcurrency ?? 4, nodeId, leaseMs, scan: store.sharedByNodes,
    process: async (id, by) => {
      // a replayed as2_async_mdn_undeliverable exception posts the stored MDN again (replays carry `by`)
      const reposted = by !== undefined ? await mdnOutbox?.replay(id, by) : undefined;
      if (reposted) {
        return { messageId: id, status: reposted.delivered ? 'processed' : 'failed', partnerId: reposted.partnerId, units: [],
          errors: reposted.delivered ? [] : [{ stage: 'ack', code: 'as2_async_mdn_undeliverable', message: `MDN post answered: ${reposted.answer}`, detail: { lastAnswer: reposted.answer } }] };
      }
      const outcome = await processor.processMessage(id, by);
      // only a message that carried acks is read again for them (not every purchase order)
      if (outcome.receipts) await reconciler.reconcileMessage(id).catch((e) => logger.error('functional ack reconciliation failed', { messageId: id, error: String(e) }));
      // a partner that collects (pickup) finds what became of its message in its outbox (src/portal/outbox.ts)
      const sender = outcome.partnerId ? watch.current().partner(outcome.partnerId) : undefined;
      if (sender && collects(sender)) {
        await offerDisposition(store, outcome, clock.now().toISOString(), sender.status === 'test').catch((e) => logger.error('disposition not put in the partner outbox', { messageId: id, error: String(e) }));
      }
      return outcome;
    },
  });
  const ingest = createIntake({ store, clock, ids, logger, maxBytes, onStored: (id) => worker.enqueue(id) });
  const findAs2Partner = createAs2PartnerLookup(() => watch.current());
  const pollers = createSftpPollerSet({
    ingest, clock, logger, secretsFor: (p) => sftpSecretsFor(p as Parameters<typeof sftpSecretsFor>[0]) ?? {},
    onAlert: (a) => logger.warn('sftp alert', { ...a }),
    maxMessageBytes: maxBytes,
    spool: { thresholdBytes: streamThresholdBytes, blobs: store.retention.blobs },
    // several nodes: only the holder of a partner's lease polls its server
    ...(store.sharedByNodes ? {
      lease: { holder: nodeId, leaseMs, acquire: store.acquireLease, release: store.releaseLease },
    } : {}),
  });
  if (opts.sftpPolling !== false) {
    opened.push(() => pollers.stopAll());
    await pollers.sync(watch.current().partners);
    onReload = (c) => { pollers.sync(c.partners).catch((e) => logger.error('SFTP pollers not updated', { error: String(e) })); };
  }
  // asynchronous MDNs we send: each stored with its mdn.post job (src/jobs/), posted by the runner below
  const mdnOutbox = opts.as2 ? createMdnOutbox({
    store, clock, ids, logger, partnerIdFor: (from) => watch.current().byAs2(from)?.id,
    fetch: (url, init) => fetch(url, { ...init, body: Buffer.from(init.body) }), wake: () => jobs.wake(),
  }) : undefined;
  // business events (src/events/): subscribers, the publisher's tasks (run by the job runner below), the relay, the sweeps
  const eventService = createEventService({
    store, clock, logger, env: opts.env, watch: opts.watchConfig !== false, wake: () => jobs.wake(),
    subscribersDir: opts.subscribersDir ?? path.join(path.dirname(path.resolve(opts.partnersDir)), 'subscribers'),
    sources: { overdue: () => overdue.report(), certificates: () => certificates(), pollers: () => pollers.status() },
  });
  opened.push(() => eventService.stop());
  // durable side effects (src/jobs/): the send of each stored functional ack (each attempt is one try), async MDN posts
  const jobs = createGatewayJobs({
    store, clock, ids, logger, nodeId, config: outboundConfig,
    sender: createOutboundSender({
      clock, logger, as2: opts.as2, as2ReceiptUrl: opts.as2ReceiptUrl, retry: { attempts: 1, initialDelayMs: 0, maxDelayMs: 0 }, timeoutMs: 60_000,
      fetch: (url, init) => fetch(url, { ...init, body: Buffer.from(init.body) }), as2Evidence: store.as2Evidence,
    }),
    tasks: [...(mdnOutbox ? [mdnOutbox.task] : []), ...(push ? [push.task as TaskDef<never>] : []), ...eventService.tasks],
    erpConcurrency: opts.erpPush?.maxConcurrency,
    queues: eventService.queues,
  });
  const exceptionQueue = createExceptionQueue({ store, clock, run: (id, by) => worker.runNow(id, by), jobs });
  let draining = false;

  const app = createApp({
    store, clock, logger, config, ingest, exceptionQueue, outbound, overdue, events: eventService,
    runNow: (id, by) => worker.runNow(id, by),
    tokens: opts.tokens,
    configDirs: { partnersDir: opts.partnersDir, mappingsDir: opts.mappingsDir, env: opts.env },
    limits: { maxBodyBytes: maxBytes, streamThresholdBytes, feedLeaseSeconds: opts.feedLeaseSeconds ?? 60, feedMaxLimit: 500 },
    draining: () => draining,
    storage,
    portal: { ids, reloadConfig: () => watch.reload(), ...(opts.env.EDIGW_PUBLIC_URL ? { publicUrl: opts.env.EDIGW_PUBLIC_URL } : {}) },
    health: async () => ({
      node: nodeId,
      sftp: pollers.status(),
      ...(push ? { erpPush: { circuit: push.circuit().state(), inFlight: push.inFlight(), ...(pushRole ? { lease: pushRole.held() ? 'held' : 'standby' } : {}) } } : {}),
      certificates: certificates().filter((c) => c.status !== 'ok'),
      missingSecrets: missingSecrets(watch.current().partners),
      config: watch.status(),
      events: eventService.status(),
    }),
    certificates,
    feedThrottle: createPartnerThrottles({ clock, throttleFor: feedThrottleFor }),
    extraRoutes: opts.as2 ? [mountAs2(opts.as2)] : [],
  });

  /** our AS2 certificate and every partner's, with days left; expiring within 30 days is flagged */
  // partner certificates read once per loaded profile (a reload brings new profile objects)
  const partnerPems = new WeakMap<object, string[]>();
  function certificates() {
    const entries: Array<{ owner: string; pem: string }> = opts.as2 ? [{ owner: 'gateway', pem: opts.as2.certificatePem }] : [];
    for (const p of watch.current().partners) {
      let pems = partnerPems.get(p);
      if (!pems) {
        try {
          pems = as2PolicyFor(p)?.certificatesPem ?? [];
        } catch (e) {
          pems = [''];
          logger.warn('partner certificate unreadable', { partnerId: p.id, error: String(e) });
        }
        partnerPems.set(p, pems);
      }
      for (const pem of pems) entries.push({ owner: p.id, pem });
    }
    return certificateReport(entries, clock.now());
  }

  function mountAs2(identity: NonNullable<GatewayOptions['as2']>) {
    const receiver = createAs2Receiver({
      identity,
      findPartner: findAs2Partner,
      ingest, clock, logger,
      mdnStore: createDbMdnStore({ store, clock, ids, partnerIdFor: (from) => watch.current().byAs2(from)?.id }),
      onAsyncMdn: createAsyncMdnRecorder({ store, clock, ids, logger }),
      evidence: store.as2Evidence,
      sendAsyncMdn: mdnOutbox?.send,
      // without a file store AS2 bodies are read whole, at most IN_MEMORY_MAX_BYTES; with one, a body over the
      // stream threshold is spooled as it arrives and unwrapped streamed (stream-unpack.ts), up to maxBytes
      limits: { maxBodyBytes: Math.min(maxBytes, IN_MEMORY_MAX_BYTES), maxDecompressedBytes: Math.min(maxBytes, IN_MEMORY_MAX_BYTES) * 4 },
      ...(store.retention.blobs ? {
        spool: { thresholdBytes: streamThresholdBytes, maxBytes, blobs: store.retention.blobs, referenced: (key: string) => store.retention.blobReferenced(key, []) },
      } : {}),
    });
    return (app: import('hono').Hono) => { app.post('/as2', (c) => receiver(c.req.raw)); };
  }

  // a port in use rejects the start (the listen error would otherwise go unheard and the start never end)
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host || '127.0.0.1' }, () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
  opened.push(() => new Promise<void>((resolve) => server.close(() => resolve())), () => worker.stop(), () => jobs.stop());
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const resumed = await worker.start();
  const retention = startRetentionSchedule({ store, clock, logger, holder: nodeId, partners: () => watch.current().partners, settings: opts.retention });
  opened.push(() => retention.stop());
  // sends stored before jobs existed and still pending get their partner.send job
  await outbound.resume();
  const mdnPostsResumed = await mdnOutbox?.resume();
  // pushes still pending in delivery_jobs (a version before jobs) become erp.push jobs
  const erpPushesMoved = push ? await moveLegacyErpPushes(store, clock.now().toISOString()) : 0;
  await jobs.start();
  await eventService.start();
  if (pushRole) await pushRole.start();
  logger.info('gateway started', {
    host: opts.host || '127.0.0.1', port, database: redact(opts.databaseUrl), partners: watch.current().partners.length, resumed, nodeId, ...(mdnPostsResumed ? { mdnPostsResumed } : {}), ...(erpPushesMoved ? { erpPushesMoved } : {}),
    partnersDir: path.resolve(opts.partnersDir), mappingsDir: path.resolve(opts.mappingsDir),
  });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    config: () => watch.current(),
    reloadConfig: () => watch.reload(),
    idle: async () => { await worker.idle(); await eventService.tick(); await jobs.drain(); },
    runRetention: () => retention.runNow(),
    routes: () => app.routes.map((r) => ({ method: r.method, path: r.path })),
    async stop() {
      draining = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pollers.stopAll();
      await worker.stop();
      await pool?.close();
      await jobs.stop();
      await eventService.stop();
      if (pushRole) await pushRole.stop();
      await retention.stop();
      watch.close();
      await store.close();
      // the main thread's spans still buffered (intake, jobs, the ERP feed) are exported before the stop resolves
      await tracing.close();
      logger.info('gateway stopped');
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
