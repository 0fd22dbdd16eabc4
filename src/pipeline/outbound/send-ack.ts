/**
 * Functional acks we build (997/999/TA1, CONTRL) go back on the partner's outbound channel (SFTP,
 * AS2) or wait for pickup. They are already stored (an outbound message linked to the inbound one);
 * the send is recorded in the audit log, and a failed send is an exception (stage `send`).
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import type { OutboundSender } from './send.ts';
import type { OutboundConfig } from './types.ts';

export interface StoredAck { messageId: string; partnerId: string; message: string; text: string }

export function createAckSender(deps: { store: Store; sender: OutboundSender; config: () => OutboundConfig; clock: Clock; ids: IdGenerator; logger: Logger }) {
  const { store, clock, logger } = deps;
  return async (ack: StoredAck): Promise<void> => {
    const partner = deps.config().partner(ack.partnerId);
    if (!partner) return;
    const edifact = ack.message === 'CONTRL';
    const bytes = (await store.getMessage(ack.messageId))?.raw ?? Buffer.from(ack.text);
    // not awaited: the inbound message's processing does not wait on the partner's server
    void deps.sender.send(partner, { fileName: `${ack.message}-${ack.messageId}.${edifact ? 'edi' : 'x12'}`, bytes, contentType: edifact ? 'application/edifact' : 'application/edi-x12' })
      .then(async (r) => {
        const at = clock.now().toISOString();
        await store.audit({ at, actor: 'system', action: 'ack_sent', subject: ack.messageId, detail: { channel: r.channel, status: r.status } });
        if (r.status !== 'failed') return;
        await store.addException({
          id: deps.ids('exc'), messageId: ack.messageId, partnerId: ack.partnerId, stage: 'send', code: 'ack_send_failed',
          message: `the ${ack.message} could not be sent on the ${r.channel} channel: ${r.detail}`, detail: { channel: r.channel, code: r.code, attempts: r.attempts }, at,
        });
      })
      .catch((e) => logger.error('functional ack not sent', { messageId: ack.messageId, partnerId: ack.partnerId, error: String(e) }));
  };
}
