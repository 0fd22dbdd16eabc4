/**
 * Reconciles inbound 997/999 functional acks against our outbound interchanges: AK1 (functional
 * id, group control number) + the partner (from the ISA sender) finds the outbound message; its
 * `functional_ack` job becomes delivered (accepted / accepted with errors / partially accepted)
 * or failed (rejected, also an exception, stage 'functional_ack'), with an audit entry.
 *
 * `reconcileMessage(id)` runs after the pipeline processed a stored inbound message (the pipeline
 * returns 997/999 sets as receipts and does not translate them).
 */
import { metrics } from '../../metrics/registry.ts';
import type { Clock } from '../../core/clock.ts';
import type { IdGenerator } from '../../core/ids.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../db/store.ts';
import { parseContrl, type ContrlReport } from '../../formats/edifact/index.ts';
import { parseAck, type AckReconciliation } from '../../formats/x12/index.ts';
import { createEdifactFormatReader } from '../../formats/edifact/format-reader.ts';
import { createX12FormatReader } from '../../formats/x12/format-reader.ts';
import { functionalAck } from '../inbound/read-acks.ts';
import { ackJobId, outboundGroupKey, outboundInterchangeKey } from './jobs.ts';
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
    metrics.ackReceived(partnerId, ack.type, ack.groupStatus);
    const outbound = await store.findByExternalId(outboundGroupKey(partnerId, ack.groupControlNumber));
    const at = clock.now().toISOString();
    if (!outbound || outbound.partnerId !== partnerId || outbound.direction !== 'outbound') {
      // what it is, what it acknowledges and its disposition, so the operator can tell whose group it answers
      const described = `${functionalAck(ack, partnerId, 'us', '').summary}; matches no outbound interchange of ours`;
      logger.warn('functional ack for no outbound interchange of ours', { partnerId, ackMessageId, groupControlNumber: ack.groupControlNumber, summary: described });
      await store.audit({ at, actor: 'system', action: 'functional_ack_unmatched', subject: ackMessageId, detail: { partnerId, ...summary(ack), summary: described } });
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

  /**
   * An inbound CONTRL against our outbound EDIFACT interchange (UCI 0020 = our UNB 0020): the
   * functional_ack job becomes delivered (acknowledged/received) or failed (rejected, an exception
   * naming the UCI/UCM codes). Idempotent per CONTRL message.
   */
  async function reconcileContrl(partnerId: string, report: ContrlReport, ackMessageId: string): Promise<boolean> {
    const outbound = await store.findByExternalId(outboundInterchangeKey(partnerId, report.interchangeReference));
    const at = clock.now().toISOString();
    const rejectedMessages = report.messages.filter((m) => m.action === 'rejected');
    const accepted = report.action !== 'rejected' && rejectedMessages.length === 0;
    const allRejected = report.action === 'rejected' || (report.messages.length > 0 && rejectedMessages.length === report.messages.length);
    metrics.ackReceived(partnerId, 'CONTRL', accepted ? (report.action === 'received' ? 'received' : 'accepted') : allRejected ? 'rejected' : 'partially_accepted');
    const outcome = { type: 'CONTRL', ackStatus: accepted ? 'accepted' : 'rejected', interchangeReference: report.interchangeReference, action: report.action, error: report.error, messages: report.messages, ackMessageId, at };
    if (!outbound || outbound.partnerId !== partnerId || outbound.direction !== 'outbound') {
      logger.warn('CONTRL for no outbound interchange of ours', { partnerId, ackMessageId, interchangeReference: report.interchangeReference });
      await store.audit({ at, actor: 'system', action: 'functional_ack_unmatched', subject: ackMessageId, detail: { partnerId, interchangeReference: report.interchangeReference } });
      return false;
    }
    for (const d of await store.documentsForMessage(outbound.id)) {
      const job = await store.getDeliveryJob(ackJobId(d.id));
      if (!job) continue;
      if (job.status !== 'pending' && job.lastError && (JSON.parse(job.lastError) as { ackMessageId?: string }).ackMessageId === ackMessageId) continue;
      await store.updateDelivery(job.id, { status: accepted ? 'delivered' : 'failed', attempts: job.attempts + 1, lastError: JSON.stringify(outcome) }, at);
      if (!accepted) {
        const why = report.error ? ` UCI code ${report.error.code}` : rejectedMessages.map((m) => ` UCM ${m.reference}${m.error ? ` code ${m.error.code}` : ''}`).join(',');
        await store.addException({
          id: deps.ids('exc'), messageId: outbound.id, documentId: d.id, partnerId, stage: 'functional_ack', code: 'edifact_contrl_rejected',
          message: `${partnerId} rejected our interchange ${report.interchangeReference} (CONTRL${why})`, detail: { partnerId, ...outcome }, at,
        });
      }
    }
    await store.audit({ at, actor: 'system', action: `functional_ack_${accepted ? 'accepted' : 'rejected'}`, subject: outbound.id, detail: { partnerId, ...outcome } });
    return true;
  }

  async function reconcileEdifact(msg: NonNullable<Awaited<ReturnType<Store['getMessage']>>>): Promise<void> {
    const split = createEdifactFormatReader().splitEdifact(msg.raw);
    for (const m of split.receipts) {
      const s = m.interchange.sender;
      const partner = (msg.partnerId ? deps.config().partner(msg.partnerId) : undefined) ?? deps.config().byEdifact(s.id, s.qualifier);
      if (!partner) { logger.warn('CONTRL from an unknown sender', { messageId: msg.id, sender: s.id }); continue; }
      await reconcileContrl(partner.id, parseContrl(m), msg.id);
    }
  }

  /** Reads a stored inbound message's 997/999 sets (or CONTRL messages) and reconciles each; messages without any are left alone. */
  async function reconcileMessage(messageId: string): Promise<ReconcileResult[]> {
    const msg = await store.getMessage(messageId);
    if (!msg || msg.direction !== 'inbound') return [];
    if (startsWithEdifact(msg.raw)) { await reconcileEdifact(msg); return []; }
    if (!startsWithIsa(msg.raw)) return [];
    const split = reader.streamX12(msg.raw);
    for (const _ of split.units) { /* read through: the receipts are collected on the way, documents are not kept */ }
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
    return results;
  }

  return { reconcileAck, reconcileContrl, reconcileMessage };
}

function summary(ack: AckReconciliation) {
  return {
    type: ack.type, functionalId: ack.functionalId, groupControlNumber: ack.groupControlNumber, ackStatus: ack.groupStatus, ackCode: ack.groupAckCode,
    codes: ack.groupCodes, sets: ack.sets.map((s) => ({ controlNumber: s.controlNumber, status: s.status, codes: s.codes })),
  };
}

function startsWithEdifact(raw: Uint8Array): boolean {
  const head = Buffer.from(raw.subarray(0, 64)).toString('latin1').trimStart();
  return head.startsWith('UNA') || head.startsWith('UNB');
}

function startsWithIsa(raw: Uint8Array): boolean {
  const head = Buffer.from(raw.subarray(0, 64)).toString('latin1').trimStart();
  return head.startsWith('ISA');
}
