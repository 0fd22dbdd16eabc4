/**
 * What the two send tasks on the job engine share (ack.send: send-ack.ts; partner.send:
 * partner-send.ts): their collaborators, and which outcomes of one try another attempt cannot change.
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import type { OutboundSender, SendResult } from './send.ts';
import type { OutboundConfig } from './types.ts';

export interface SendTaskDeps {
  store: Store;
  /** one try per call (retry.attempts 1): the job's backoff is the only one */
  sender: OutboundSender;
  config: () => OutboundConfig;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}

/**
 * the channel's configuration, our identity, the partner's MDN, a partner certificate refused by its
 * policy (expired or SHA-1: as2_certificate_invalid): no retry changes these
 */
const CHANNEL_PERMANENT = new Set(['sftp_config_invalid', 'sftp_unsafe_remote_name', 'sftp_host_key_mismatch', 'secret_unreadable', 'as2_identity_missing',
  'as2_config_invalid', 'as2_certificate_missing', 'as2_certificate_invalid', 'as2_mdn_error', 'partner_unknown']);

/** whether a failed try is final: a channel outcome above, an MDN error, or one of the task's own `also` codes */
export function failedForGood(result: SendResult, also: ReadonlySet<string> = new Set()): boolean {
  const code = result.code ?? '';
  return CHANNEL_PERMANENT.has(code) || also.has(code) || result.status === 'mdn_error';
}
