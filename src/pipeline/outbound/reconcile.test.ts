/**
 * 997 reconciliation is per partner: a group control number another partner's PO used is not
 * matched, and an ack for a group we never sent is recorded as unmatched, changing nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.ts';
import { createIdGenerator } from '../../core/ids.ts';
import { createMemoryLogger, silentLogger } from '../../core/logger.ts';
import { openStore } from '../../db/open-store.ts';
import type { Store } from '../../db/store.ts';
import type { AckReconciliation } from '../../formats/x12/index.ts';
import { ACK_TARGET, ackJobId, outboundGroupKey } from './jobs.ts';
import { createAckReconciler } from './reconcile.ts';
import type { OutboundConfig } from './types.ts';

const config: OutboundConfig = { partners: [], partner: () => undefined, byX12: () => undefined, byEdifact: () => undefined, mappingFor: () => undefined };
const ack = (gs: string, code: 'A' | 'R'): AckReconciliation => ({
  type: '997', functionalId: 'PO', groupControlNumber: gs, groupStatus: code === 'A' ? 'accepted' : 'rejected', groupAckCode: code, groupCodes: [], sets: [],
});

let dir: string;
let store: Store;
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('createAckReconciler', () => {
  it('matches by partner and group control number (leading zeros ignored), nothing else', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'reconcile-'));
    store = await openStore(path.join(dir, 'gateway.db'));
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const at = clock.now().toISOString();
    for (const partnerId of ['acme', 'globex']) {
      await store.insertMessage({ id: `msg_${partnerId}`, receivedAt: at, direction: 'outbound', transport: 'sftp', partnerId, metadata: {}, contentSha256: partnerId, raw: Buffer.from('x'), test: false, status: 'processed', externalId: outboundGroupKey(partnerId, '7') });
      await store.upsertDocument({ id: `doc_${partnerId}`, messageId: `msg_${partnerId}`, partnerId, type: 'purchase_order', direction: 'outbound', businessKey: 'PO', correlationId: 'PO', envelope: {}, status: 'held', test: false, at });
      await store.enqueueDelivery({ id: ackJobId(`doc_${partnerId}`), documentId: `doc_${partnerId}`, partnerId, target: ACK_TARGET, at });
    }
    const r = createAckReconciler({ store, clock, ids: createIdGenerator(), logger: silentLogger, config: () => config });
    expect(await r.reconcileAck('globex', ack('0007', 'R'), 'msg_ack1')).toMatchObject({ outboundMessageId: 'msg_globex', status: 'rejected' });
    expect((await store.getDeliveryJob(ackJobId('doc_globex')))?.status).toBe('failed');
    expect((await store.getDeliveryJob(ackJobId('doc_acme')))?.status).toBe('pending');
    expect((await store.listExceptions({ partnerId: 'globex' })).map((e) => e.code)).toEqual(['x12_functional_ack_rejected']);

    const unmatched = await r.reconcileAck('acme', ack('8', 'A'), 'msg_ack2');
    expect(unmatched.outboundMessageId).toBeUndefined();
    expect((await store.getDeliveryJob(ackJobId('doc_acme')))?.status).toBe('pending');
    expect(await store.listExceptions({ partnerId: 'acme' })).toEqual([]);
  });

  it('an ack that matches nothing of ours is logged with what it is, what it acknowledges and its disposition', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'reconcile-'));
    store = await openStore(path.join(dir, 'gateway.db'));
    const logger = createMemoryLogger();
    const r = createAckReconciler({ store, clock: fixedClock('2026-11-23T10:00:00.000Z'), ids: createIdGenerator(), logger, config: () => config });
    await r.reconcileAck('acme', { ...ack('9', 'R'), groupCodes: ['5'], included: 2, received: 2, accepted: 0 }, 'msg_ack3');
    const warn = logger.entries.find((e) => e.msg === 'functional ack for no outbound interchange of ours');
    // AK9 code 5: number of included transaction sets does not match actual count (X12 716)
    expect(warn?.fields?.summary).toBe('997 functional acknowledgement from acme acknowledging group PO 9 rejected (AK9 R, AK9 5 (number of included transaction sets does not match actual count), 0 of 2 sets accepted); matches no outbound interchange of ours');
  });
});
