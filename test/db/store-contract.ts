/**
 * The contract of the Store port (src/db/store.ts), run against every implementation: SQLite
 * (sqlite-store.test.ts) and PostgreSQL (pg-store.test.ts). Each test gets an empty database.
 * `peer` opens a second store on the same database (a second gateway node) for the concurrency
 * part: the semantics several nodes rely on (feed leases, control numbers, delivery leases).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDocument, NewMessage, Store } from '../../src/db/store.ts';
import { claimsContract } from './store-contract-claims.ts';
import { concurrencyContract } from './store-contract-concurrency.ts';
import { lineTotalsContract } from './store-contract-line-totals.ts';

export interface StoreHarness {
  store: Store;
  /** another store (connection pool) on the same database */
  peer(): Promise<Store>;
  /** closes every store opened and removes the database */
  cleanup(): Promise<void>;
}

export const T0 = '2026-11-23T10:00:00.000Z';
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const message = (id: string, over: Partial<NewMessage> = {}): NewMessage => ({
  id, receivedAt: T0, direction: 'inbound', transport: 'http', partnerId: 'acme', metadata: { contentType: 'application/edi-x12' },
  contentSha256: `sha-${id}`, raw: new TextEncoder().encode(`ISA*${id}~`), test: false, ...over,
});

export const doc = (id: string, over: Partial<NewDocument> = {}): NewDocument => ({
  id, messageId: `msg-${id}`, partnerId: 'acme', type: 'purchase_order', direction: 'inbound', businessKey: `PO-${id}`,
  correlationId: `PO-${id}`, envelope: { id, document: { poNumber: `PO-${id}` } }, status: 'ready', test: false, at: T0, ...over,
});

export function storeContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness;
    let s: Store;
    beforeEach(async () => { h = await open(); s = h.store; });
    afterEach(async () => { await h.cleanup(); });

    describe('messages', () => {
      it('stores a message and returns it in the MessageRow shape: bytes as a Buffer, metadata as JSON text, test a boolean', async () => {
        const raw = new Uint8Array([0x49, 0x53, 0x41, 0x00, 0xff, 0x7e]);
        await s.insertMessage(message('m1', { raw, metadata: { filename: 'po.edi' }, relatedMessageId: 'm0', externalId: 'ext-1' }));
        const row = await s.getMessage('m1');
        expect(row).toEqual({
          seq: expect.any(Number), id: 'm1', receivedAt: T0, direction: 'inbound', transport: 'http', partnerId: 'acme',
          metadata: '{"filename":"po.edi"}', contentSha256: 'sha-m1', size: 6, raw: expect.anything(), status: 'received',
          format: null, correlationId: null, duplicateOf: null, test: false, updatedAt: T0, relatedMessageId: 'm0', externalId: 'ext-1',
          claimedBy: null, claimUntil: null, rawRef: null, archivedAt: null, purgedAt: null, purgePolicy: null,
        });
        expect(Buffer.isBuffer(row!.raw)).toBe(true);
        expect([...row!.raw]).toEqual([0x49, 0x53, 0x41, 0x00, 0xff, 0x7e]);
        expect(await s.getMessage('nope')).toBeUndefined();
      });

      it('a message id stored twice is refused', async () => {
        await s.insertMessage(message('dup'));
        await expect(s.insertMessage(message('dup'))).rejects.toThrow();
        expect((await s.counts()).messages).toBe(1);
      });

      it('an outbound message can be stored already processed, and a test message keeps its flag', async () => {
        await s.insertMessage(message('out', { direction: 'outbound', status: 'processed', test: true, partnerId: null }));
        expect(await s.getMessage('out')).toMatchObject({ direction: 'outbound', status: 'processed', test: true, partnerId: null });
      });

      it('findByContent gives the earliest earlier message of the same partner with the same bytes, never a duplicate or a later one', async () => {
        await s.insertMessage(message('a', { contentSha256: 'h' }));
        await s.insertMessage(message('b', { contentSha256: 'h' }));
        await s.insertMessage(message('c', { contentSha256: 'h' }));
        await s.insertMessage(message('other', { contentSha256: 'h', partnerId: 'globex' }));
        expect((await s.findByContent('acme', 'h', 'c'))?.id).toBe('a');
        expect(await s.findByContent('acme', 'h', 'a')).toBeUndefined();
        await s.updateMessage('a', { status: 'duplicate' }, at(1));
        expect((await s.findByContent('acme', 'h', 'c'))?.id).toBe('b');
        expect(await s.findByContent('globex', 'h', 'other')).toBeUndefined();
        await s.insertMessage(message('n1', { contentSha256: 'z', partnerId: null }));
        await s.insertMessage(message('n2', { contentSha256: 'z', partnerId: null }));
        expect((await s.findByContent(null, 'z', 'n2'))?.id).toBe('n1');
      });

      it('findByContent keys on direction: an inbound message with the bytes of an outbound one (our own ack posted back) is not its duplicate', async () => {
        await s.insertMessage(message('ack-out', { contentSha256: 'k', direction: 'outbound', status: 'processed' }));
        await s.insertMessage(message('posted-back', { contentSha256: 'k' }));
        expect(await s.findByContent('acme', 'k', 'posted-back')).toBeUndefined();
        await s.insertMessage(message('posted-again', { contentSha256: 'k' }));
        expect((await s.findByContent('acme', 'k', 'posted-again'))?.id).toBe('posted-back');
      });

      it('finds by external id, lists related messages oldest first, and resumes only received inbound messages in order', async () => {
        await s.insertMessage(message('in1'));
        await s.insertMessage(message('ack2', { direction: 'outbound', status: 'processed', relatedMessageId: 'in1' }));
        await s.insertMessage(message('ack1', { direction: 'outbound', status: 'received', relatedMessageId: 'in1', externalId: 'as2-mdn:X:1' }));
        await s.insertMessage(message('in2'));
        await s.insertMessage(message('in3'));
        await s.updateMessage('in2', { status: 'processed' }, at(1));
        expect((await s.findByExternalId('as2-mdn:X:1'))?.id).toBe('ack1');
        expect(await s.findByExternalId('as2-mdn:X:2')).toBeUndefined();
        expect((await s.relatedMessages('in1')).map((m) => m.id)).toEqual(['ack2', 'ack1']);
        expect((await s.messagesToResume(10)).map((m) => m.id)).toEqual(['in1', 'in3']);
        expect((await s.messagesToResume(1)).map((m) => m.id)).toEqual(['in1']);
      });

      it('updates only the fields given and stamps updatedAt; lists newest first by partner and status', async () => {
        await s.insertMessage(message('m1'));
        await s.insertMessage(message('m2'));
        await s.insertMessage(message('m3', { partnerId: 'globex' }));
        await s.updateMessage('m1', { status: 'processed', format: 'x12', correlationId: 'PO-1', test: true }, at(5));
        expect(await s.getMessage('m1')).toMatchObject({ status: 'processed', format: 'x12', correlationId: 'PO-1', test: true, partnerId: 'acme', updatedAt: at(5), receivedAt: T0 });
        expect((await s.listMessages({ limit: 10 })).map((m) => m.id)).toEqual(['m3', 'm2', 'm1']);
        expect((await s.listMessages({ partnerId: 'acme', limit: 10 })).map((m) => m.id)).toEqual(['m2', 'm1']);
        expect((await s.listMessages({ status: 'received', limit: 1 })).map((m) => m.id)).toEqual(['m3']);
        // pages: the next page starts below the last row's seq; list rows carry no bytes (readRaw has them)
        const first = await s.listMessages({ limit: 2 });
        expect(first.map((m) => m.id)).toEqual(['m3', 'm2']);
        expect((await s.listMessages({ limit: 2, before: first[1]!.seq })).map((m) => m.id)).toEqual(['m1']);
        expect((await s.listMessages({ partnerId: 'acme', limit: 2, before: first[0]!.seq })).map((m) => m.id)).toEqual(['m2', 'm1']);
        expect(first.every((m) => m.raw.byteLength === 0)).toBe(true);
        expect((await s.readRaw(first[0]!)).byteLength).toBeGreaterThan(0);
      });
    });

    describe('documents', () => {
      it('upsert: created, then unchanged, replaced (with the previous row), and kept once the ERP acked it', async () => {
        expect(await s.upsertDocument(doc('d1'))).toEqual({ outcome: 'created' });
        const row = await s.getDocument('d1');
        expect(row).toEqual({
          seq: expect.any(Number), id: 'd1', messageId: 'msg-d1', partnerId: 'acme', type: 'purchase_order', direction: 'inbound',
          businessKey: 'PO-d1', correlationId: 'PO-d1', envelope: '{"id":"d1","document":{"poNumber":"PO-d1"}}', status: 'ready',
          test: false, leaseUntil: null, leaseCount: 0, createdAt: T0, updatedAt: T0, deliveredAt: null,
        });
        const same = await s.upsertDocument(doc('d1', { at: at(1) }));
        expect(same.outcome).toBe('unchanged');
        expect(same.previous).toEqual(row);
        const changed = await s.upsertDocument(doc('d1', { envelope: { id: 'd1', v: 2 }, businessKey: 'PO-9', at: at(2) }));
        expect(changed).toEqual({ outcome: 'replaced', previous: row });
        expect(await s.getDocument('d1')).toMatchObject({ envelope: '{"id":"d1","v":2}', businessKey: 'PO-9', updatedAt: at(2), createdAt: T0 });
        expect((await s.upsertDocument(doc('d1', { status: 'held', envelope: { id: 'd1', v: 2 }, businessKey: 'PO-9', at: at(2) }))).outcome).toBe('replaced');
        await s.ackFeed(['d1'], at(3));
        const kept = await s.upsertDocument(doc('d1', { envelope: { id: 'd1', v: 3 }, at: at(4) }));
        expect(kept.outcome).toBe('kept');
        expect(kept.previous).toMatchObject({ status: 'delivered', envelope: '{"id":"d1","v":2}' });
        expect(await s.getDocument('d1')).toMatchObject({ status: 'delivered', envelope: '{"id":"d1","v":2}', deliveredAt: at(3) });
        expect(await s.getDocument('none')).toBeUndefined();
      });

      it('finds documents by message, by business key (newest first) and by correlation id (oldest first)', async () => {
        await s.upsertDocument(doc('d1', { messageId: 'm1', businessKey: 'ASN-1', correlationId: 'PO-7' }));
        await s.upsertDocument(doc('d2', { messageId: 'm1', businessKey: 'ASN-2', correlationId: 'PO-7', type: 'ship_notice' }));
        await s.upsertDocument(doc('d3', { messageId: 'm2', businessKey: 'ASN-1', correlationId: 'PO-8', partnerId: 'globex' }));
        expect((await s.documentsForMessage('m1')).map((d) => d.id)).toEqual(['d1', 'd2']);
        expect((await s.findDocuments({ businessKey: 'ASN-1', limit: 10 })).map((d) => d.id)).toEqual(['d3', 'd1']);
        expect((await s.findDocuments({ businessKey: 'ASN-1', partnerId: 'acme', limit: 10 })).map((d) => d.id)).toEqual(['d1']);
        expect((await s.findDocuments({ type: 'ship_notice', limit: 10 })).map((d) => d.id)).toEqual(['d2']);
        expect((await s.findDocuments({ limit: 2 })).map((d) => d.id)).toEqual(['d3', 'd2']);
        expect((await s.documentsByCorrelation('PO-7')).map((d) => d.id)).toEqual(['d1', 'd2']);
      });
    });

    describe('ERP feed', () => {
      const feed = (over: Partial<Parameters<Store['leaseFeed']>[0]> = {}) =>
        s.leaseFeed({ now: T0, leaseUntil: at(1), limit: 100, test: false, ...over });

      it('leases ready documents oldest first, never held or test ones, and not again while the lease lives', async () => {
        await s.upsertDocument(doc('a1'));
        await s.upsertDocument(doc('held', { status: 'held' }));
        await s.upsertDocument(doc('t1', { test: true, partnerId: 'globex' }));
        await s.upsertDocument(doc('a2'));
        const rows = await feed();
        expect(rows.map((d) => d.id)).toEqual(['a1', 'a2']);
        expect(rows[0]).toMatchObject({ leaseUntil: at(1), status: 'ready' });
        expect(await feed()).toEqual([]);
        expect((await feed({ test: true })).map((d) => d.id)).toEqual(['t1']);
        // the lease ran out: handed out again, counted twice
        expect((await feed({ now: at(2), leaseUntil: at(3) })).map((d) => d.id)).toEqual(['a1', 'a2']);
        expect(await s.getDocument('a1')).toMatchObject({ leaseUntil: at(3), leaseCount: 2 });
      });

      it('skips a partner with a document under a live lease, so each partner’s documents go out in order', async () => {
        await s.upsertDocument(doc('a1'));
        await s.upsertDocument(doc('a2'));
        await s.upsertDocument(doc('g1', { partnerId: 'globex' }));
        expect((await feed({ limit: 1 })).map((d) => d.id)).toEqual(['a1']);
        // a2 is free, but acme has a1 out: only globex moves
        expect((await feed()).map((d) => d.id)).toEqual(['g1']);
        await s.ackFeed(['a1'], at(0.5));
        expect((await feed()).map((d) => d.id)).toEqual(['a2']);
      });

      it('filters by type and partner and honours the limit', async () => {
        await s.upsertDocument(doc('a1'));
        await s.upsertDocument(doc('a2', { type: 'invoice' }));
        await s.upsertDocument(doc('g1', { partnerId: 'globex', type: 'invoice' }));
        await s.upsertDocument(doc('g2', { partnerId: 'globex', type: 'invoice' }));
        expect((await feed({ type: 'invoice', partnerId: 'globex', limit: 1 })).map((d) => d.id)).toEqual(['g1']);
        expect((await feed({ type: 'invoice' })).map((d) => d.id)).toEqual(['a2']);
      });

      it('ack marks documents delivered (unknown ids reported), and release gives a lease back at once', async () => {
        await s.upsertDocument(doc('a1'));
        await s.upsertDocument(doc('g1', { partnerId: 'globex' }));
        expect(await s.ackFeed([], T0)).toEqual({ acknowledged: [], unknown: [] });
        await feed();
        expect(await s.ackFeed(['a1', 'zz'], at(0.5))).toEqual({ acknowledged: ['a1'], unknown: ['zz'] });
        expect(await s.getDocument('a1')).toMatchObject({ status: 'delivered', deliveredAt: at(0.5), leaseUntil: null, updatedAt: at(0.5) });
        expect((await s.ackFeed(['a1'], at(0.7))).acknowledged).toEqual(['a1']);
        expect(await s.getDocument('a1')).toMatchObject({ deliveredAt: at(0.5) });
        await s.releaseFeed(['g1', 'a1']);
        expect(await s.getDocument('g1')).toMatchObject({ leaseUntil: null, leaseCount: 0 });
        expect(await s.getDocument('a1')).toMatchObject({ status: 'delivered', leaseCount: 1 });
        expect((await feed()).map((d) => d.id)).toEqual(['g1']);
        await s.releaseFeed([]);
      });
    });

    describe('exceptions, interchanges, audit, counts', () => {
      it('adds, lists (newest first, filtered) and resolves exceptions once', async () => {
        await s.addException({ id: 'e1', messageId: 'm1', partnerId: 'acme', stage: 'translate', code: 'x12_element_invalid', message: 'BEG03 is empty', detail: { segment: 'BEG', elementPosition: 3 }, at: T0 });
        await s.addException({ id: 'e2', messageId: 'm1', documentId: 'd1', partnerId: 'acme', stage: 'validate', code: 'schema', message: 'm', detail: {}, at: T0 });
        await s.addException({ id: 'e3', messageId: 'm2', partnerId: null, stage: 'identify', code: 'partner_unknown', message: 'm', detail: {}, at: T0 });
        expect(await s.getException('e1')).toEqual({
          seq: expect.any(Number), id: 'e1', messageId: 'm1', documentId: null, partnerId: 'acme', stage: 'translate', code: 'x12_element_invalid',
          message: 'BEG03 is empty', detail: '{"segment":"BEG","elementPosition":3}', status: 'open', createdAt: T0, resolvedAt: null, resolvedBy: null,
        });
        expect((await s.listExceptions({})).map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
        expect((await s.listExceptions({ partnerId: 'acme', limit: 1 })).map((e) => e.id)).toEqual(['e2']);
        expect(await s.resolveExceptions('m1', 'replayed', 'ops:ann', at(1))).toBe(2);
        expect(await s.resolveExceptions('m1', 'discarded', 'ops:ann', at(2))).toBe(0);
        expect(await s.getException('e2')).toMatchObject({ status: 'replayed', resolvedBy: 'ops:ann', resolvedAt: at(1) });
        expect((await s.listExceptions({ status: 'open' })).map((e) => e.id)).toEqual(['e3']);
        expect((await s.listExceptions({ messageId: 'm1', status: 'replayed' })).map((e) => e.id)).toEqual(['e2', 'e1']);
        expect(await s.getException('nope')).toBeUndefined();
      });

      it('records interchanges once per message and finds an earlier carrier within the window', async () => {
        const key = { standard: 'x12', sender: 'ZZ:ACME', receiver: 'ZZ:GATEWAY', controlNumber: '000000905' };
        await s.recordInterchange('m1', 'acme', key, T0);
        await s.recordInterchange('m1', 'acme', key, at(1));
        await s.recordInterchange('m2', 'acme', key, at(2));
        expect(await s.findInterchange(key, at(-60), 'm2')).toBe('m1');
        expect(await s.findInterchange(key, at(-60), 'm1')).toBe('m2');
        expect(await s.findInterchange(key, at(1), 'm2')).toBeUndefined();
        expect(await s.findInterchange({ ...key, controlNumber: '000000906' }, at(-60), 'x')).toBeUndefined();
      });

      it('counts what the health endpoint shows', async () => {
        await s.insertMessage(message('m1'));
        await s.insertMessage(message('m2'));
        await s.updateMessage('m2', { status: 'processed' }, T0);
        await s.upsertDocument(doc('d1'));
        await s.upsertDocument(doc('d2'));
        await s.upsertDocument(doc('d3', { status: 'held' }));
        await s.ackFeed(['d2'], T0);
        await s.addException({ id: 'e1', messageId: 'm1', partnerId: null, stage: 's', code: 'c', message: 'm', detail: {}, at: T0 });
        await s.audit({ at: T0, actor: 'erp:test', action: 'ack', subject: 'd2', detail: { n: 1 } });
        await s.audit({ at: T0, actor: 'erp:test', action: 'ack', subject: null });
        expect(await s.counts()).toEqual({ messages: 2, documents: 3, documents_ready: 1, documents_delivered: 1, exceptions_open: 1, messages_pending: 1 });
        // counts follow every change of status (kept by the store, not counted per call)
        await s.upsertDocument(doc('d3', { status: 'ready' }));
        await s.upsertDocument(doc('d3', { status: 'ready' })); // unchanged: counted once
        await s.updateMessage('m1', { status: 'failed' }, at(1));
        await s.updateMessage('m1', { status: 'failed' }, at(2));
        await s.resolveExceptions('m1', 'replayed', 'ops:ann', at(3));
        expect(await s.counts()).toEqual({ messages: 2, documents: 3, documents_ready: 2, documents_delivered: 1, exceptions_open: 0, messages_pending: 0 });
      });

      it('counts a batch\'s units when it commits, a unit that failed inside it not at all, as another node reads them', async () => {
        await s.insertMessage(message('m1'));
        await s.insertMessage(message('m2'));
        await s.upsertDocument(doc('d0', { status: 'held' }));
        await s.batch(async () => {
          await s.upsertDocument(doc('d1'));
          await s.upsertDocument(doc('d2'));
          await s.upsertDocument(doc('d0', { status: 'ready' })); // held -> ready
          // a unit that fails (no message id): its row and its count are rolled back, the batch goes on
          await expect(s.upsertDocument(doc('bad', { messageId: null as unknown as string }))).rejects.toThrow();
          await s.addException({ id: 'e1', messageId: 'm1', partnerId: null, stage: 's', code: 'c', message: 'm', detail: {}, at: T0 });
          await s.upsertDocument(doc('d3', { status: 'held' }));
        });
        await s.updateMessage('m2', { status: 'processed' }, T0);
        const expected = { messages: 2, documents: 4, documents_ready: 3, documents_delivered: 0, exceptions_open: 1, messages_pending: 1 };
        expect(await s.counts()).toEqual(expected);
        const peer = await h.peer();
        expect(await peer.counts()).toEqual(expected);
        await peer.ackFeed(['d1', 'd2', 'nope'], at(1));
        await s.resolveExceptions('m1', 'discarded', 'ops:ann', at(2));
        expect(await s.counts()).toEqual({ ...expected, documents_ready: 1, documents_delivered: 2, exceptions_open: 0 });
      });
    });

    describe('delivery jobs and control numbers', () => {
      it('enqueues once per document and target, lists a partner’s pending jobs in order with the envelope', async () => {
        await s.upsertDocument(doc('d1', { messageId: 'm1' }));
        await s.upsertDocument(doc('d2', { messageId: 'm2' }));
        await s.upsertDocument(doc('d3', { messageId: 'm3', partnerId: 'globex' }));
        expect(await s.enqueueDelivery({ id: 'j1', documentId: 'd1', partnerId: 'acme', target: 'erp', at: T0 })).toBe(true);
        expect(await s.enqueueDelivery({ id: 'j1b', documentId: 'd1', partnerId: 'acme', target: 'erp', at: T0 })).toBe(false);
        expect(await s.enqueueDelivery({ id: 'j1s', documentId: 'd1', partnerId: 'acme', target: 'send', at: T0 })).toBe(true);
        expect(await s.enqueueDelivery({ id: 'j2', documentId: 'd2', partnerId: 'acme', target: 'erp', at: T0 })).toBe(true);
        expect(await s.enqueueDelivery({ id: 'j3', documentId: 'd3', partnerId: 'globex', target: 'erp', at: T0 })).toBe(true);
        expect((await s.deliveryPartners('erp')).sort()).toEqual(['acme', 'globex']);
        const pending = await s.pendingDeliveries('erp', 'acme', 10);
        expect(pending.map((j) => [j.id, j.messageId, j.envelope])).toEqual([
          ['j1', 'm1', '{"id":"d1","document":{"poNumber":"PO-d1"}}'], ['j2', 'm2', '{"id":"d2","document":{"poNumber":"PO-d2"}}'],
        ]);
        expect(pending[0]).toMatchObject({ seq: expect.any(Number), documentId: 'd1', target: 'erp', status: 'pending', attempts: 0, nextAttemptAt: T0, leaseUntil: null, lastError: null, createdAt: T0, updatedAt: T0 });
        expect((await s.pendingDeliveries('erp', 'acme', 1)).map((j) => j.id)).toEqual(['j1']);
        // jobs without a document (an async MDN post) are found by target alone, every partner's
        expect(await s.enqueueDelivery({ id: 'jm1', documentId: 'mdn-row-1', partnerId: 'acme', target: 'as2-mdn', at: T0 })).toBe(true);
        expect(await s.enqueueDelivery({ id: 'jm2', documentId: 'mdn-row-2', partnerId: 'globex', target: 'as2-mdn', at: T0 })).toBe(true);
        expect(await s.pendingDeliveries('as2-mdn', 'acme', 10)).toEqual([]);
        expect((await s.pendingJobs('as2-mdn', 10)).map((j) => [j.id, j.partnerId, j.status])).toEqual([['jm1', 'acme', 'pending'], ['jm2', 'globex', 'pending']]);
        await s.updateDelivery('jm1', { status: 'delivered' }, at(1));
        expect((await s.pendingJobs('as2-mdn', 10)).map((j) => j.id)).toEqual(['jm2']);
        expect((await s.pendingJobs('erp', 1)).map((j) => j.id)).toEqual(['j1']);
        await s.updateDelivery('j3', { status: 'delivered', attempts: 1 }, at(1));
        expect(await s.deliveryPartners('erp')).toEqual(['acme']);
        expect(await s.getDeliveryJob('j3')).toMatchObject({ status: 'delivered', attempts: 1, updatedAt: at(1) });
        expect(await s.getDeliveryJob('nope')).toBeUndefined();
      });

      it('leases a job only when pending and not leased, and finds a job by a key of its recorded outcome', async () => {
        await s.upsertDocument(doc('d1'));
        await s.enqueueDelivery({ id: 'j1', documentId: 'd1', partnerId: 'acme', target: 'send', at: T0 });
        expect(await s.leaseDelivery('j1', at(2), T0)).toBe(true);
        expect(await s.leaseDelivery('j1', at(2), at(1))).toBe(false);
        expect(await s.leaseDelivery('j1', at(4), at(3))).toBe(true);
        expect(await s.leaseDelivery('nope', at(4), at(3))).toBe(false);
        await s.updateDelivery('j1', { leaseUntil: null, lastError: JSON.stringify({ as2MessageId: '<abc@globex>', status: 200 }) }, at(3));
        await s.upsertDocument(doc('d2'));
        await s.enqueueDelivery({ id: 'j2', documentId: 'd2', partnerId: 'acme', target: 'send', at: T0 });
        await s.updateDelivery('j2', { lastError: 'connection reset (not JSON)' }, at(3));
        expect((await s.findDeliveryByOutcome('send', 'as2MessageId', '<abc@globex>'))?.id).toBe('j1');
        expect(await s.findDeliveryByOutcome('erp', 'as2MessageId', '<abc@globex>')).toBeUndefined();
        expect(await s.findDeliveryByOutcome('send', 'as2MessageId', '<other@globex>')).toBeUndefined();
        await s.updateDelivery('j1', { status: 'delivered' }, at(5));
        expect(await s.leaseDelivery('j1', at(9), at(8))).toBe(false);
      });

      it('issues control numbers 1, 2, 3 per partner and kind, rolling over to 1 after max', async () => {
        const next = (kind: string, partner = 'acme', max = 999_999_999) => s.nextControlNumber(partner, kind, max, T0);
        expect([await next('isa'), await next('isa'), await next('isa')]).toEqual([1, 2, 3]);
        expect(await next('gs')).toBe(1);
        expect(await next('isa', 'globex')).toBe(1);
        expect([await next('st', 'acme', 2), await next('st', 'acme', 2), await next('st', 'acme', 2)]).toEqual([1, 2, 1]);
        expect(await next('isa')).toBe(4);
      });
    });

    concurrencyContract(() => h);
    claimsContract(() => h);
    lineTotalsContract(() => h);
  });
}
