/**
 * The gateway's job runner and its task kinds (one runner per node, composed by gateway.ts):
 * - `ack.send` (pipeline/outbound/send-ack.ts): a stored functional ack sent on the partner's
 *   channel, queue `send:<partner>`, ordered (a partner's acks leave in the order they were stored);
 * - `partner.send` (pipeline/outbound/partner-send.ts): a stored outbound purchase order sent on the
 *   partner's channel (SFTP, AS2, HTTP, pickup), same queue and order as the partner's acks;
 * - `mdn.post` (transports/as2/mdn-outbox.ts): an asynchronous MDN we owe a partner, posted to its
 *   Receipt-Delivery-Option URL (queue mdn.post, unordered);
 * - `erp.push` (delivery/erp-push.ts): a released document pushed to the ERP, queue `erp:<partner>`,
 *   ordered, `erpConcurrency` partners at once (EDIGW_ERP_URL set).
 * On a database one process owns (SQLite), jobs found running at start belong to a run that died
 * (kill -9, power cut): they are due again at once. On PostgreSQL a dead node's locks run out
 * (lockMs) and another node takes its jobs.
 */
import type { Clock } from '../core/clock.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { Store } from '../db/store.ts';
import { createPartnerSendTask } from '../pipeline/outbound/partner-send.ts';
import { createAckSendTask } from '../pipeline/outbound/send-ack.ts';
import type { OutboundSender } from '../pipeline/outbound/send.ts';
import type { OutboundConfig } from '../pipeline/outbound/types.ts';
import { createTaskRegistry, type TaskDef } from './registry.ts';
import { createJobRunner, type QueueSettings } from './runner.ts';

export interface GatewayJobsDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  nodeId: string;
  config: () => OutboundConfig;
  /** makes one try per call (retry.attempts 1): the job's backoff is the only retry */
  sender: OutboundSender;
  /** how often an idle runner looks for due jobs; default 250 ms (a job enqueued by another thread or node waits at most this) */
  pollMs?: number;
  /** more kinds: `mdn.post` (transports/as2/mdn-outbox.ts) when the gateway has an AS2 identity */
  tasks?: Array<TaskDef<never>>;
  /** pushes to the ERP at once (one per partner queue erp:<partner>); default 8 */
  erpConcurrency?: number;
  /** more queues and their settings (the business events' `events:*`, src/events/service.ts) */
  queues?: Record<string, QueueSettings>;
}

export function createGatewayJobs(deps: GatewayJobsDeps) {
  const { store, clock, logger } = deps;
  const tasks = createTaskRegistry([
    createAckSendTask({ store, sender: deps.sender, config: deps.config, clock, ids: deps.ids, logger }),
    createPartnerSendTask({ store, sender: deps.sender, config: deps.config, clock, ids: deps.ids, logger }),
    ...(deps.tasks ?? []),
  ]);
  const runner = createJobRunner({
    jobs: store.jobs, tasks, holder: deps.nodeId, clock, logger, pollMs: deps.pollMs ?? 250,
    queues: { 'send:*': { concurrency: 4, ordered: true }, 'erp:*': { concurrency: deps.erpConcurrency ?? 8, ordered: true }, ...deps.queues },
  });
  return {
    tasks,
    async start(): Promise<void> {
      if (!store.sharedByNodes) {
        const n = await store.jobs.releaseRunning(clock.now().toISOString());
        if (n > 0) logger.info('jobs of a previous run released', { jobs: n });
      }
      runner.start();
    },
    /** stops claiming and waits for the running tasks to settle */
    stop: () => runner.stop(),
    /** runs what is due until nothing due is left (the gateway's idle(), tests) */
    drain: () => runner.drain(),
    /** a job was just enqueued in this process: look now */
    wake: () => runner.poke(),
  };
}

export type GatewayJobs = ReturnType<typeof createGatewayJobs>;
