/**
 * Composition: wires store, configuration, pipeline, transports and the HTTP server into a running
 * gateway. `src/main.ts` (npm start) and `edigw serve` both call startGateway; tests call it too.
 */
import { serve, type ServerType } from '@hono/node-server';
import path from 'node:path';
import { createCanonicalValidators } from './canonical/validate.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { createIdGenerator } from './core/ids.ts';
import type { Logger } from './core/logger.ts';
import { sftpSecretsFor, watchGatewayConfig, type GatewayConfig } from './config/index.ts';
import { sftpSourceConfigSchema } from './transports/sftp/index.ts';
import { createSftpPollerSet } from './transports/sftp/partner-pollers.ts';
import { openStore } from './db/open-store.ts';
import { createMappingCompiler, type GatewayMapping } from './pipeline/compile-mapping.ts';
import { grammarFor } from './pipeline/grammars.ts';
import { createReaders } from './pipeline/readers.ts';
import { createIntake } from './pipeline/intake.ts';
import { createMessageProcessor } from './pipeline/process-message.ts';
import { createExceptionQueue } from './pipeline/replay.ts';
import { createMessageWorker } from './pipeline/worker.ts';
import { createApp } from './server/app.ts';
import type { StaffToken } from './server/auth.ts';
import type { ServerConfigView } from './server/deps.ts';

export interface GatewayOptions {
  port: number;
  host?: string;
  databaseUrl: string;
  partnersDir: string;
  mappingsDir: string;
  fixturesDir?: string;
  env: Record<string, string | undefined>;
  tokens: StaffToken[];
  logger: Logger;
  clock?: Clock;
  maxBodyBytes?: number;
  feedLeaseSeconds?: number;
  workerConcurrency?: number;
  watchConfig?: boolean;
  /** false: no SFTP pollers (tests of other parts); default true */
  sftpPolling?: boolean;
}

export interface RunningGateway {
  port: number;
  url: string;
  config(): GatewayConfig<GatewayMapping>;
  /** reloads partners/ and mappings/ now; false when the change was refused (the last good config stays) */
  reloadConfig(): boolean;
  /** waits until every queued message is processed (tests) */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger;
  const ids = createIdGenerator(() => clock.now().getTime());
  const store = await openStore(opts.databaseUrl);
  let onReload: (c: GatewayConfig<GatewayMapping>) => void = () => {};
  const watch = watchGatewayConfig<GatewayMapping>({
    partnersDir: opts.partnersDir,
    mappingsDir: opts.mappingsDir,
    fixturesDir: opts.fixturesDir,
    env: opts.env,
    compile: createMappingCompiler(grammarFor),
    transportSchemas: { sftp: sftpSourceConfigSchema },
    logger,
    onReload: (c) => onReload(c),
  });
  if (opts.watchConfig === false) watch.close();
  // closing only stops the file watchers: reload() keeps working for tests and `edigw` commands
  const config = () => watch.current() as unknown as ServerConfigView & GatewayConfig<GatewayMapping>;

  const processor = createMessageProcessor({
    store, clock, ids, logger, config, readers: createReaders(), validators: createCanonicalValidators(),
  });
  const worker = createMessageWorker({ store, logger, concurrency: opts.workerConcurrency ?? 4, process: processor.processMessage });
  const ingest = createIntake({ store, clock, ids, logger, maxBytes: opts.maxBodyBytes ?? 50 * 1024 * 1024, onStored: (id) => worker.enqueue(id) });
  const pollers = createSftpPollerSet({
    ingest, clock, logger, secretsFor: (p) => sftpSecretsFor(p as Parameters<typeof sftpSecretsFor>[0]) ?? {},
    onAlert: (a) => logger.warn('sftp alert', { ...a }),
  });
  if (opts.sftpPolling !== false) {
    await pollers.sync(watch.current().partners);
    onReload = (c) => { pollers.sync(c.partners).catch((e) => logger.error('SFTP pollers not updated', { error: String(e) })); };
  }
  const exceptionQueue = createExceptionQueue({ store, clock, run: (id, by) => worker.runNow(id, by) });
  let draining = false;

  const app = createApp({
    store, clock, logger, config, ingest, exceptionQueue,
    runNow: (id, by) => worker.runNow(id, by),
    tokens: opts.tokens,
    limits: { maxBodyBytes: opts.maxBodyBytes ?? 50 * 1024 * 1024, feedLeaseSeconds: opts.feedLeaseSeconds ?? 60, feedMaxLimit: 500 },
    draining: () => draining,
    health: async () => ({ sftp: pollers.status() }),
  });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host ?? '0.0.0.0' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const resumed = await worker.resume();
  logger.info('gateway started', {
    port, database: redact(opts.databaseUrl), partners: watch.current().partners.length, resumed,
    partnersDir: path.resolve(opts.partnersDir), mappingsDir: path.resolve(opts.mappingsDir),
  });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    config: () => watch.current(),
    reloadConfig: () => watch.reload(),
    idle: () => worker.idle(),
    async stop() {
      draining = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pollers.stopAll();
      await worker.stop();
      watch.close();
      await store.close();
      logger.info('gateway stopped');
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
