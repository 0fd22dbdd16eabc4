import { availableParallelism, hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { createJsonLogger, type LogLevel } from '../core/logger.ts';
import { startGateway, type GatewayOptions } from '../gateway.ts';
import { tuneGarbageCollector } from '../core/gc-tuning.ts';
import { retentionDefaultsFromEnv } from '../retention/policy.ts';
import { staffTokensFromEnv } from '../server/tokens-from-env.ts';
import { readAs2IdentityFromEnv } from '../config/key-material.ts';
import { dirsFromEnv, type Io } from './context.ts';

export const serveHelp = `Usage: edigw serve [--port <n>]

Starts the gateway: HTTP intake, AS2, ERP feed, admin API and console, SFTP pollers and workers.
Configuration comes from the environment (README "Configuration"): HOST (the address to listen
on, default 127.0.0.1: only this machine; HOST=0.0.0.0 for every interface), PORT (8080),
EDIGW_DATABASE_URL (./data/gateway.db), EDIGW_PARTNERS_DIR (./partners), EDIGW_MAPPINGS_DIR
(./mappings), EDIGW_ADMIN_TOKEN, EDIGW_OPERATOR_TOKEN, EDIGW_ERP_TOKEN, EDIGW_ERP_URL and
EDIGW_ERP_PUSH_TOKEN (push to the ERP), EDIGW_AS2_ID, EDIGW_AS2_KEY_FILE, EDIGW_AS2_CERT_FILE (POST /as2;
PEM or DER, key and certificate may share one PEM), or EDIGW_AS2_P12_FILE with EDIGW_AS2_P12_PASSWORD_ENV
(the name of the variable holding its password), EDIGW_AS2_CHAIN_FILE (issuers sent with our signatures),
EDIGW_X12_ID (our ISA sender on outbound interchanges, QUALIFIER/ID; default ZZ/EDIGW).
Several nodes on one PostgreSQL database: EDIGW_NODE_ID (this node's id; default hostname:pid),
EDIGW_LEASE_SECONDS (message claims and SFTP poller leases, default 30).
Retention (edigw retention --help): EDIGW_RETENTION_ARCHIVE_AFTER_DAYS and EDIGW_RETENTION_PURGE_AFTER_DAYS
(defaults for profiles without retention:), EDIGW_RETENTION_INTERVAL_MINUTES (default 60), EDIGW_BLOB_DIR
(the file store of archived messages; default blobs/ beside the SQLite file; PostgreSQL: a directory all nodes share).
Processing: EDIGW_PROCESSING_THREADS (threads running the inbound pipeline beside the HTTP
thread; default one per core beyond the first, at least 1; 0 runs it on the HTTP thread in
time slices), EDIGW_PROCESSING_HEAP_MB (a thread's heap limit, default 1536: a message that
exhausts it fails alone with processing_thread_failed).
SIGTERM or Ctrl-C stops taking work, finishes what is in flight, and exits.

Options:
  --port <n>  listen on this port (overrides PORT)
  -h, --help  show this help`;

export function gatewayOptionsFromEnv(env: Record<string, string | undefined>, port?: number): GatewayOptions {
  const logger = createJsonLogger({ level: (env.EDIGW_LOG_LEVEL as LogLevel | undefined) ?? 'info' });
  const num = (v: string | undefined) => (v ? Number(v) : undefined);
  return {
    ...dirsFromEnv(env),
    // business events' subscribers (default: subscribers/ beside the partners folder)
    ...(env.EDIGW_SUBSCRIBERS_DIR ? { subscribersDir: env.EDIGW_SUBSCRIBERS_DIR } : {}),
    port: port ?? Number(env.PORT ?? 8080),
    host: env.HOST,
    env,
    tokens: staffTokensFromEnv(env, logger),
    logger,
    maxBodyBytes: num(env.EDIGW_MAX_BODY_BYTES),
    streamThresholdBytes: num(env.EDIGW_STREAM_THRESHOLD_BYTES),
    feedLeaseSeconds: num(env.EDIGW_FEED_LEASE_SECONDS),
    nodeId: env.EDIGW_NODE_ID || `${hostname()}:${process.pid}`,
    leaseSeconds: leaseSeconds(env.EDIGW_LEASE_SECONDS),
    retention: retentionDefaultsFromEnv(env),
    blobDir: env.EDIGW_BLOB_DIR || undefined,
    processingThreads: count('EDIGW_PROCESSING_THREADS', env.EDIGW_PROCESSING_THREADS, 0) ?? Math.max(1, availableParallelism() - 1),
    processingHeapMb: count('EDIGW_PROCESSING_HEAP_MB', env.EDIGW_PROCESSING_HEAP_MB, 16),
    ...(env.EDIGW_ERP_URL ? { erpPush: { url: env.EDIGW_ERP_URL, token: env.EDIGW_ERP_PUSH_TOKEN } } : {}),
    ...(env.EDIGW_AS2_ID ? { as2: as2Identity(env) } : {}),
    ...(env.EDIGW_X12_ID ? { ourX12: x12Id(env.EDIGW_X12_ID) } : {}),
  };
}

/** a whole number of at least `min`, or undefined when unset */
function count(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

/** EDIGW_LEASE_SECONDS: a positive number of seconds */
function leaseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`EDIGW_LEASE_SECONDS must be a positive number of seconds, got "${value}"`);
  return n;
}

/** EDIGW_X12_ID as QUALIFIER/ID, e.g. ZZ/DISTRIBUTOR */
function x12Id(value: string) {
  const m = /^([0-9A-Z]{2})\/(\S{1,15})$/.exec(value);
  if (!m) throw new Error(`EDIGW_X12_ID must be QUALIFIER/ID such as ZZ/DISTRIBUTOR, got "${value}"`);
  return { qualifier: m[1]!, id: m[2]! };
}

/** our AS2 key and certificate: PEM (also with Bag Attributes, key and certificate in one file), DER, PKCS#12 (config/key-material.ts) */
function as2Identity(env: Record<string, string | undefined>) {
  return readAs2IdentityFromEnv(env);
}

/** Runs the gateway until SIGTERM/SIGINT; resolves with the exit code. */
export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { io.out(serveHelp); return 0; }
  const opts = gatewayOptionsFromEnv(io.env, values.port ? Number(values.port) : undefined);
  tuneGarbageCollector(io.env);
  const gateway = await startGateway(opts);
  return new Promise((resolve) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      opts.logger.info('shutting down', { signal });
      gateway.stop().then(() => resolve(0), (e) => { opts.logger.error('shutdown failed', { error: String(e) }); resolve(1); });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}
