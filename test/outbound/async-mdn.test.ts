import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { createIdGenerator } from '../../src/core/ids.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';
import type { Store } from '../../src/db/store.ts';
import { createAsyncMdnRecorder } from '../../src/pipeline/outbound/async-mdn.ts';
import { SEND_TARGET, sendJobId } from '../../src/pipeline/outbound/jobs.ts';

let dir: string;
let store: Store;
const clock = fixedClock('2026-11-23T10:00:00.000Z');
const ids = createIdGenerator(() => clock.now().getTime());

/** an outbound PO sent over AS2 with an asynchronous MDN requested: the send job records `sent` and our Message-ID */
async function sentOverAs2(docId: string, as2MessageId: string) {
  const at = clock.now().toISOString();
  await store.upsertDocument({ id: docId, messageId: `msg_${docId}`, partnerId: 'globex', type: 'purchase_order', direction: 'outbound', businessKey: 'PO-1', correlationId: 'PO-1', envelope: {}, status: 'held', test: false, at });
  await store.enqueueDelivery({ id: sendJobId(docId), documentId: docId, partnerId: 'globex', target: SEND_TARGET, at });
  await store.updateDelivery(sendJobId(docId), { status: 'delivered', lastError: JSON.stringify({ channel: 'as2', status: 'sent', as2MessageId }) }, at);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'edigw-amdn-'));
  store = createSqliteStore(path.join(dir, 'g.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('asynchronous MDNs for what we sent over AS2', () => {
  it('a processed MDN turns the send into mdn_ok; an error disposition into mdn_error with an exception', async () => {
    await sentOverAs2('doc_a', '<a@edigw>');
    await sentOverAs2('doc_b', '<b@edigw>');
    const record = createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger });
    await record({ originalMessageId: '<a@edigw>', signed: true, disposition: { raw: 'automatic-action/MDN-sent-automatically; processed', ok: true } }, { partnerId: 'globex' });
    await record({ originalMessageId: '<b@edigw>', signed: true, disposition: { raw: 'automatic-action/MDN-sent-automatically; processed/error: decryption-failed', ok: false } }, { partnerId: 'globex' });
    const a = await store.getDeliveryJob(sendJobId('doc_a'));
    expect(a?.status).toBe('delivered');
    expect(JSON.parse(a!.lastError!)).toMatchObject({ status: 'mdn_ok', as2MessageId: '<a@edigw>', mdn: { async: true } });
    const b = await store.getDeliveryJob(sendJobId('doc_b'));
    expect(b?.status).toBe('failed');
    expect(JSON.parse(b!.lastError!)).toMatchObject({ status: 'mdn_error' });
    const exc = await store.listExceptions({ partnerId: 'globex' });
    expect(exc.map((e) => [e.stage, e.code, e.message])).toEqual([
      ['send', 'as2_mdn_error', 'globex answered our AS2 message <b@edigw> with "automatic-action/MDN-sent-automatically; processed/error: decryption-failed"'],
    ]);
  });

  it('an MDN for a message we never sent (or another partner\'s) changes nothing', async () => {
    await sentOverAs2('doc_c', '<c@edigw>');
    const record = createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger });
    await record({ originalMessageId: '<c@edigw>', signed: true, disposition: { raw: 'x; processed/error: unexpected-processing-error', ok: false } }, { partnerId: 'acme' });
    await record({ originalMessageId: '<nope@edigw>', signed: true, disposition: { raw: 'x; processed', ok: true } }, { partnerId: 'globex' });
    expect(JSON.parse((await store.getDeliveryJob(sendJobId('doc_c')))!.lastError!)).toMatchObject({ status: 'sent' });
    expect(await store.listExceptions({})).toEqual([]);
  });
});
