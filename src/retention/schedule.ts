/**
 * The gateway's periodic retention pass: every `intervalMinutes` (default 60; the first pass a
 * minute after start), while some window is configured (a partner's `retention:` or the gateway
 * defaults; checked each time, so a hot reload turns it on or off). A plain timer, unref'd; stop()
 * aborts a running pass between batches and waits for it.
 */
import type { Clock } from '../core/clock.ts';
import { isGatewayError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { PartnerProfile } from '../config/types.ts';
import type { Store } from '../db/store.ts';
import { retentionConfigured, type RetentionDefaults } from './policy.ts';
import { createRetentionPass, type RetentionReport } from './retention-pass.ts';

export interface RetentionScheduleDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** this node's id (the `retention` lease holder) */
  holder: string;
  partners: () => readonly PartnerProfile[];
  settings?: RetentionDefaults;
  /** before the first pass; default 60 s */
  firstDelayMs?: number;
}

export interface RetentionSchedule {
  /** runs a pass now (tests); undefined when nothing is configured or a pass is running */
  runNow(): Promise<RetentionReport | undefined>;
  stop(): Promise<void>;
}

export function startRetentionSchedule(deps: RetentionScheduleDeps): RetentionSchedule {
  const defaults = deps.settings ?? {};
  const intervalMs = (defaults.intervalMinutes ?? 60) * 60_000;
  const pass = createRetentionPass({ store: deps.store, clock: deps.clock, logger: deps.logger, holder: deps.holder, config: () => ({ partners: deps.partners(), defaults }) });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionReport | undefined> | undefined;
  let stopped = false;
  const abort = new AbortController();

  const tick = async (): Promise<RetentionReport | undefined> => {
    if (running || stopped || !retentionConfigured(deps.partners(), defaults)) return undefined;
    running = (async () => {
      try {
        const report = await pass({ signal: abort.signal });
        if (report.archived.messages > 0 || report.purged.messages > 0) {
          deps.logger.info('retention pass done', { archived: report.archived, purged: report.purged, startedAt: report.startedAt, finishedAt: report.finishedAt });
        }
        return report;
      } catch (e) {
        if (isGatewayError(e) && e.code === 'retention_running_elsewhere') deps.logger.info('retention pass skipped: another node runs it', { error: e.message });
        else deps.logger.error('retention pass failed (the next pass resumes)', { error: e instanceof Error ? e.message : String(e) });
        return undefined;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => { void tick().finally(() => schedule(intervalMs)); }, ms);
    timer.unref();
  };
  schedule(deps.firstDelayMs ?? 60_000);

  return {
    runNow: tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      await running;
    },
  };
}
