/**
 * The business events of one gateway node, composed: subscribers (hot-reloaded YAML), the
 * publisher's tasks (registered with the node's job runner), the relay timer, the sweeps.
 * gateway.ts creates it before the job runner (for its tasks) and starts it after.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Store } from '../db/store.ts';
import type { QueueSettings } from '../jobs/runner.ts';
import { withDocuments } from './business-events.ts';
import { createPublisher } from './publisher.ts';
import { watchSubscribers } from './subscribers.ts';
import { startSweep, type SweepSources } from './sweep.ts';

export interface EventServiceOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** subscribers/*.yaml */
  subscribersDir: string;
  env: Record<string, string | undefined>;
  watch?: boolean;
  /** a job was enqueued: the runner looks now */
  wake: () => void;
  sources?: SweepSources;
  /** how often the relay looks for new events; default 200 ms */
  relayMs?: number;
  /** how often the sweeps run (certificates, pollers); default 60 s; overdue acks every 5 min */
  sweepMs?: number;
  overdueSweepMs?: number;
}

/** the job runner's queues of the publisher: one ordered queue per subscriber */
export const EVENT_QUEUES: Record<string, QueueSettings> = { 'events:*': { concurrency: 4, ordered: true } };

export function createEventService(opts: EventServiceOptions) {
  const { store, clock, logger } = opts;
  // a new subscriber starts at the end of the log as it is when the subscriber is loaded (the relay sets its position)
  const subscribers = watchSubscribers({ dir: opts.subscribersDir, env: opts.env, logger, watch: opts.watch, onReload: () => void publisher.tick() });
  const publisher = createPublisher({ events: store.events, getDocument: (id) => store.getDocument(id), jobs: store.jobs, subscribers: () => subscribers.current(), clock, logger, wake: opts.wake });
  let relay: NodeJS.Timeout | undefined;
  let sweep: ReturnType<typeof startSweep> | undefined;
  return {
    tasks: publisher.tasks,
    /** a page of the log as the API gives it (document.released with its document) */
    expand: <E extends Parameters<typeof withDocuments>[0][number]>(rows: E[]) => withDocuments(rows, (id) => store.getDocument(id)),
    queues: EVENT_QUEUES,
    subscribers,
    publisher,
    store: store.events,
    async start(): Promise<void> {
      await publisher.resume();
      await publisher.tick();
      relay = setInterval(() => void publisher.tick(), opts.relayMs ?? 200);
      relay.unref();
      if (opts.sources) sweep = startSweep({ events: store.events, sources: opts.sources, logger, now: () => clock.now(), intervalMs: opts.sweepMs ?? 60_000, overdueEveryMs: opts.overdueSweepMs ?? 5 * 60_000 });
      logger.info('events started', { subscribers: subscribers.current().subscribers.map((s) => `${s.name} (${s.sink.type})`) });
    },
    /** what /healthz says (staff): the subscribers' config (a refused reload) and each circuit that is not closed */
    status: () => ({
      ...subscribers.status(),
      circuits: Object.fromEntries(subscribers.current().subscribers.map((s) => [s.name, publisher.circuit(s.name)]).filter(([, c]) => c !== 'closed')),
    }),
    /** the relay now (tests, idle()) */
    tick: () => publisher.tick(),
    sweepNow: async () => { await sweep?.runNow(); },
    async stop(): Promise<void> {
      clearInterval(relay);
      await sweep?.stop();
      subscribers.close();
      await publisher.close();
    },
  };
}

export type EventService = ReturnType<typeof createEventService>;
