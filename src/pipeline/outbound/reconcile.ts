/**
 * Reconciles inbound 997/999 functional acks against our outbound interchanges: AK1 (functional
 * id, group control number) + the partner (from the ISA sender) finds the outbound message; its
 * `functional_ack` job becomes delivered (accepted / accepted with errors / partially accepted)
 * or failed (rejected, also an exception, stage 'functional_ack'), with an audit entry.
 *
 * `reconcileMessage(id)` runs after the pipeline processed a stored inbound message (the pipeline
 * returns 997/999 sets as receipts and does not translate them).
 */
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import { parseAck, type AckReconciliation } from '../../formats/x12/index.ts';
import { createX12FormatReader } from '../formats/x12-reader.ts';
import { ackJobId, outboundGroupKey } from './jobs.ts';
import type { OutboundConfig } from './types.ts';

export interface ReconcileResult {
  groupControlNumber: string;
  type: '997' | '999';
  status: AckReconciliation['groupStatus'];
  /** the outbound message acknowledged; undefined when no outbound interchange matched */
  outboundMessageId?: string;
  partnerId?: string;
}

export function createAckReconciler(deps: { store: Store; clock: Clock; ids: IdGenerator; logger: Logger; config: () => OutboundConfig }) {
  const { store, clock, logger } = deps;
  const reader = createX12FormatReader();

  async function reconcileAck(partnerId: string, ack: AckReconciliation, ackMessageId: string): Promise<ReconcileResult> {
    const base = { groupControlNumber: ack.groupControlNumber, type: ack.type, status: ack.groupStatus, partnerId };
    const outbound = await store.findByExternalId(outboundGroupKey(partnerId, ack.groupControlNumber));
    const at = clock.now().toISOString();
    if (!outbound || outbound.partnerId !== partnerId || outbound.direction !== 'outbound') {
      logger.warn('functional ack for no outbound interchange of ours', { partnerId, ackMessageId, groupControlNumber: ack.groupControlNumber });
      await store.audit({ at, actor: 'system', action: 'functional_ack_unmatched', subject: ackMessageId, detail: { partnerId, ...summary(ack) } });
      return base;
    }
    const docs = await store.documentsForMessage(outbound.id);
    const outcome = { ...summary(ack), ackMessageId, at };
    for (const d of docs) {
      const job = await store.getDeliveryJob(ackJobId(d.id));
      if (!job) continue;
      // idempotent: the same ack message reconciled again (a replay, a resume) changes nothing
      if (job.status !== 'pending' && job.lastError && (JSON.parse(job.lastError) as { ackMessageId?: string }).ackMessageId === ackMessageId) continue;
      const accepted = ack.groupStatus !== 'rejected';
      await store.updateDelivery(job.id, { status: accepted ? 'delivered' : 'failed', attempts: job.attempts + 1, lastError: JSON.stringify(outcome) }, at);
      if (!accepted) {
        await store.addException({
          id: deps.ids('exc'), messageId: outbound.id, documentId: d.id, partnerId, stage: 'functional_ack', code: 'x12_functional_ack_rejected',
          message: `${partnerId} rejected our group ${ack.groupControlNumber} (${ack.type} AK9*${ack.groupAckCode}${ack.groupCodes.length ? ' ' + ack.groupCodes.join(',') : ''})`,
          detail: { partnerId, groupControlNumber: ack.groupControlNumber, ackMessageId, sets: ack.sets }, at,
        });
      }
    }
    await store.audit({ at, actor: 'system', action: `functional_ack_${ack.groupStatus}`, subject: outbound.id, detail: { partnerId, ...outcome } });
    logger.info('functional ack reconciled', { partnerId, outboundMessageId: outbound.id, status: ack.groupStatus });
    return { ...base, outboundMessageId: outbound.id };
  }

  /** Reads a stored inbound message's 997/999 sets and reconciles each; messages without any are left alone. */
  async function reconcileMessage(messageId: string): Promise<ReconcileResult[]> {
    const msg = await store.getMessage(messageId);
    if (!msg || msg.direction !== 'inbound' || !startsWithIsa(msg.raw)) return [];
    const split = reader.splitX12(msg.raw);
    if (split.receipts.length === 0) return [];
    const results: ReconcileResult[] = [];
    for (const item of split.receipts) {
      const isa = item.interchange;
      const partner = (msg.partnerId ? deps.config().partner(msg.partnerId) : undefined) ?? deps.config().byX12(isa.senderQualifier, isa.senderId);
      if (!partner) {
        logger.warn('functional ack from an unknown sender', { messageId, sender: `${isa.senderQualifier}/${isa.senderId}` });
        continue;
      }
      results.push(await reconcileAck(partner.id, parseAck(item.tree), messageId));
    }
    const at = clock.now().toISOString();
    const partnerId = results.find((r) => r.partnerId)?.partnerId;
    if (split.units.length === 0 && split.errors.length === 0 && partnerId) {
      // an acks-only message is not a document: the pipeline's "holds no document" exception does not apply
      const open = await store.listExceptions({ messageId, status: 'open' });
      if (open.length > 0 && open.every((e) => e.code === 'message_empty')) await store.resolveExceptions(messageId, 'discarded', 'functional-ack-reconciler', at);
      await store.updateMessage(messageId, { status: 'processed', partnerId, format: 'x12' }, at);
    }
    return results;
  }

  return { reconcileAck, reconcileMessage };
}

function summary(ack: AckReconciliation) {
  return {
    type: ack.type, functionalId: ack.functionalId, groupControlNumber: ack.groupControlNumber, ackStatus: ack.groupStatus, ackCode: ack.groupAckCode,
    codes: ack.groupCodes, sets: ack.sets.map((s) => ({ controlNumber: s.controlNumber, status: s.status, codes: s.codes })),
  };
}

function startsWithIsa(raw: Uint8Array): boolean {
  const head = Buffer.from(raw.subarray(0, 64)).toString('latin1').trimStart();
  return head.startsWith('ISA');
}
