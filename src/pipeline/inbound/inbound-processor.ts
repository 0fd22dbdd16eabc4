/**
 * The inbound pipeline wired to its collaborators: format readers, canonical validators, the
 * lifecycle correlator, the ERP push queue and the functional-ack sender. One composition, used by
 * the gateway on its main thread and by each processing thread (processing-thread.ts).
 */
import { createCanonicalValidators } from '../../canonical/validate.ts';
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import { erpPushJob } from '../../delivery/erp-push.ts';
import type { ConfigView } from './config-port.ts';
import { createCorrelator } from '../lifecycle/correlate/correlator.ts';
import { createAckSender } from '../outbound/send-ack.ts';
import type { OutboundSender } from '../outbound/send.ts';
import type { OutboundConfig } from '../outbound/types.ts';
import { createMessageProcessor } from './process-message.ts';
import { createReaders } from './readers.ts';

export interface InboundProcessorDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  config: () => ConfigView;
  outboundConfig: () => OutboundConfig;
  sender: OutboundSender;
  /** each released document commits with its ERP push job (EDIGW_ERP_URL set) */
  erpPush: boolean;
  /** see PipelineDeps.sliceMs */
  sliceMs?: number;
  /** see PipelineDeps.streamThresholdBytes */
  streamThresholdBytes?: number;
}

export function createInboundProcessor(deps: InboundProcessorDeps) {
  const { store, clock, ids, logger } = deps;
  return createMessageProcessor({
    store, clock, ids, logger, config: deps.config, readers: createReaders(), validators: createCanonicalValidators(),
    correlate: createCorrelator(store), sliceMs: deps.sliceMs, streamThresholdBytes: deps.streamThresholdBytes,
    releaseJobs: deps.erpPush ? (envelope, at) => [erpPushJob({ documentId: envelope.id, partnerId: envelope.partnerId }, at)] : undefined,
    onAckStored: createAckSender({ store, sender: deps.sender, config: deps.outboundConfig, clock, ids, logger }),
  });
}
