/**
 * SFTP source for one partner: polls the partner's inbox folder, takes each stable file (see
 * stability.ts, take-file.ts), and backs off exponentially (capped) while the server is down,
 * refuses login or shows another host key, raising an alert each time and in status().
 */
import type { Clock } from '../../core/clock.ts';
import { GatewayError, toGatewayError } from '../../core/errors.ts';
import type { Ingest } from '../../core/ingest.ts';
import type { Logger } from '../../core/logger.ts';
import { assertSftpSourceConfig, SFTP_DEFAULTS, type SftpSourceConfig } from './config.ts';
import { openSftpSession, type SftpSecrets, type SftpSession } from './connect.ts';
import { compileGlob, printableName, unsafeNameReason } from './remote-name.ts';
import { createStabilityTracker, type RemoteFileSighting } from './stability.ts';
import { isConnectionLost, takeFile, type TakeFileDeps, type TakenFile } from './take-file.ts';

export interface SftpAlert {
  partnerId: string;
  code: string;
  message: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface PollResult {
  /** false when the poll could not connect, list, or lost the connection midway */
  ok: boolean;
  taken: TakenFile[];
  /** matching files not yet stable (still being written, or too young) */
  waiting: string[];
  /** files left alone on purpose: unsafe name, too large */
  refused: Array<{ name: string; code: string; reason: string }>;
  /** files that failed this time and stay on the server for the next poll */
  failed: Array<{ name: string; code: string; message: string }>;
  error?: { code: string; message: string; detail: Record<string, unknown> };
}

export interface SftpPollerStatus {
  partnerId: string;
  running: boolean;
  lastPollAt?: string;
  lastSuccessAt?: string;
  lastError?: { code: string; message: string; at: string };
  consecutiveFailures: number;
  backoffUntil?: string;
  filesTaken: number;
}

export interface SftpPollerDeps {
  partnerId: string;
  config: SftpSourceConfig;
  ingest: Ingest;
  secrets: SftpSecrets;
  clock: Clock;
  logger: Logger;
  /** waits ms or until the signal aborts; default setTimeout */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onAlert?: (alert: SftpAlert) => void;
  /** message id of already stored bytes with this SHA-256 (hex), if any */
  seen?: (contentSha256: string) => Promise<string | undefined>;
  /** files larger than thresholdBytes are streamed into the file store (take-file.ts) */
  spool?: TakeFileDeps['spool'];
}

export interface SftpPoller {
  start(): void;
  /** stops polling; resolves once the file in flight is finished */
  stop(): Promise<void>;
  pollOnce(): Promise<PollResult>;
  status(): SftpPollerStatus;
}

const ALERT_FILE_CODES = new Set(['sftp_ingest_failed', 'sftp_archive_failed', 'sftp_delete_failed']);

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

export function createSftpPoller(deps: SftpPollerDeps): SftpPoller {
  const { partnerId, config, clock, logger } = deps;
  assertSftpSourceConfig(config, partnerId);
  const sleep = deps.sleep ?? defaultSleep;
  const matches = compileGlob(config.pattern ?? SFTP_DEFAULTS.pattern);
  const tracker = createStabilityTracker(config.stableRule ?? SFTP_DEFAULTS.stableRule);
  const maxFileBytes = config.maxFileBytes ?? SFTP_DEFAULTS.maxFileBytes;
  const concurrency = config.concurrency ?? SFTP_DEFAULTS.concurrency;
  const pollMs = (config.pollSeconds ?? SFTP_DEFAULTS.pollSeconds) * 1000;
  const maxBackoffMs = (config.maxBackoffSeconds ?? SFTP_DEFAULTS.maxBackoffSeconds) * 1000;

  const state: SftpPollerStatus = { partnerId, running: false, consecutiveFailures: 0, filesTaken: 0 };
  /** names already alerted as refused, so a file left alone alerts once, not every poll */
  const alertedRefusals = new Set<string>();
  let chain: Promise<unknown> = Promise.resolve();
  let stopping = false;
  let abort = new AbortController();
  let loop: Promise<void> | undefined;

  const alert = (code: string, message: string, detail: Record<string, unknown>) => {
    logger.warn(message, { code, ...detail });
    deps.onAlert?.({ partnerId, code, message, detail, at: clock.now().toISOString() });
  };

  const recordFailure = (err: GatewayError) => {
    state.consecutiveFailures++;
    const delay = Math.min(maxBackoffMs, pollMs * 2 ** (state.consecutiveFailures - 1));
    const now = clock.now();
    state.backoffUntil = new Date(now.getTime() + delay).toISOString();
    state.lastError = { code: err.code, message: err.message, at: now.toISOString() };
    alert(err.code, err.message, { ...err.detail, consecutiveFailures: state.consecutiveFailures, backoffUntil: state.backoffUntil });
  };

  const recordSuccess = () => {
    if (state.consecutiveFailures > 0) {
      alert('sftp_recovered', `SFTP polling works again after ${state.consecutiveFailures} failed attempt(s)`, { partnerId });
    }
    state.consecutiveFailures = 0;
    delete state.backoffUntil;
    state.lastSuccessAt = clock.now().toISOString();
  };

  const refuse = (result: PollResult, name: string, code: string, reason: string, extra: Record<string, unknown> = {}) => {
    result.refused.push({ name, code, reason });
    if (alertedRefusals.has(name)) return;
    alertedRefusals.add(name);
    alert(code, `remote file "${printableName(name)}" left alone: ${reason}`, { partnerId, inbox: config.inbox, name: printableName(name), ...extra });
  };

  /** Files from the listing that may be taken (safe name, matching, not too large), oldest first. */
  function selectCandidates(listing: Array<{ type: string; name: string; size: number; modifyTime: number }>, result: PollResult): RemoteFileSighting[] {
    const candidates: RemoteFileSighting[] = [];
    const listed = new Set<string>();
    for (const entry of listing) {
      if (entry.type !== '-') continue; // directories, symlinks, devices: never taken
      listed.add(entry.name);
      const unsafe = unsafeNameReason(entry.name);
      if (unsafe) { refuse(result, entry.name, 'sftp_unsafe_remote_name', unsafe); continue; }
      if (!matches(entry.name)) continue;
      if (entry.size > maxFileBytes) {
        refuse(result, entry.name, 'sftp_file_too_large', `${entry.size} bytes exceeds maxFileBytes ${maxFileBytes}`,
          { expected: `<= ${maxFileBytes}`, found: String(entry.size) });
        continue;
      }
      candidates.push({ name: entry.name, size: entry.size, modifyTime: entry.modifyTime });
    }
    for (const name of alertedRefusals) if (!listed.has(name)) alertedRefusals.delete(name);
    // oldest first, then by name: partners expect documents processed in the order they wrote them
    return candidates.sort((a, b) => a.modifyTime - b.modifyTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Takes one file; returns the connection-lost error when the session died, else undefined. */
  async function takeOne(session: SftpSession, file: RemoteFileSighting, result: PollResult): Promise<GatewayError | undefined> {
    try {
      const taken = await takeFile({
        client: session.client, partnerId, host: config.host, inbox: config.inbox, archive: config.archive,
        ingest: deps.ingest, seen: deps.seen, spool: deps.spool,
      }, file);
      tracker.forget(file.name);
      state.filesTaken++;
      result.taken.push(taken);
      logger.info('sftp file taken', { partnerId, name: printableName(file.name), messageId: taken.messageId, duplicateOf: taken.duplicateOf, archivedAs: taken.archivedAs });
      return undefined;
    } catch (e) {
      const err = toGatewayError(e, 'sftp_download_failed');
      if (err.code === 'sftp_connection_lost') return err;
      // changed under us: it must prove itself stable again before the next attempt
      if (err.code === 'sftp_file_changed' || err.code === 'sftp_transfer_incomplete') tracker.forget(file.name);
      result.failed.push({ name: file.name, code: err.code, message: err.message });
      if (ALERT_FILE_CODES.has(err.code)) alert(err.code, err.message, err.detail);
      else logger.warn(err.message, { code: err.code, ...err.detail });
      if (err.detail.connectionLost !== true) return undefined;
      return new GatewayError('sftp_connection_lost', `connection lost during the poll: ${err.message}`, { partnerId, host: config.host });
    }
  }

  async function runPoll(): Promise<PollResult> {
    const result: PollResult = { ok: true, taken: [], waiting: [], refused: [], failed: [] };
    state.lastPollAt = clock.now().toISOString();
    const fail = (e: unknown, fallback: string) => {
      const err = toGatewayError(e, fallback);
      result.ok = false;
      result.error = { code: err.code, message: err.message, detail: err.detail };
      recordFailure(err);
      return result;
    };

    let session: SftpSession;
    try {
      session = await openSftpSession({ partnerId, config, secrets: deps.secrets, logger });
    } catch (e) {
      return fail(e, 'sftp_connect_failed');
    }
    try {
      let listing;
      try {
        listing = await session.client.list(config.inbox);
      } catch (e) {
        return fail(new GatewayError(isConnectionLost(e) ? 'sftp_connection_lost' : 'sftp_inbox_unreadable',
          `cannot list the inbox ${config.inbox}: ${(e as Error).message}`, { partnerId, inbox: config.inbox }, { cause: e }), 'sftp_inbox_unreadable');
      }
      const candidates = selectCandidates(listing, result);
      const stable = tracker.observe(candidates, clock.now().getTime());
      const queue = candidates.filter((f) => stable.has(f.name));
      result.waiting = candidates.filter((f) => !stable.has(f.name)).map((f) => f.name);

      // `concurrency` workers share one session; stop() lets each finish its file in flight
      let lost: GatewayError | undefined;
      const worker = async () => {
        while (!stopping && lost === undefined) {
          const file = queue.shift();
          if (!file) return;
          lost ??= await takeOne(session, file, result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(queue.length, 1)) }, worker));
      if (lost !== undefined) return fail(lost, 'sftp_connection_lost');
      recordSuccess();
      return result;
    } finally {
      await session.close();
    }
  }

  const pollOnce = (): Promise<PollResult> => {
    const next = chain.then(runPoll);
    chain = next.catch(() => undefined);
    return next;
  };

  async function runLoop(signal: AbortSignal): Promise<void> {
    while (!stopping) {
      const waitMs = state.backoffUntil ? new Date(state.backoffUntil).getTime() - clock.now().getTime() : 0;
      if (waitMs > 0) { await sleep(waitMs, signal); continue; }
      try {
        await pollOnce();
      } catch (e) {
        recordFailure(toGatewayError(e, 'sftp_poll_failed'));
      }
      if (!stopping && state.consecutiveFailures === 0) await sleep(pollMs, signal);
    }
  }

  return {
    start() {
      if (loop) return;
      stopping = false;
      abort = new AbortController();
      state.running = true;
      loop = runLoop(abort.signal);
    },
    async stop() {
      stopping = true;
      abort.abort();
      await loop;
      await chain;
      loop = undefined;
      state.running = false;
      stopping = false;
    },
    pollOnce,
    status: () => ({ ...state, ...(state.lastError ? { lastError: { ...state.lastError } } : {}) }),
  };
}
