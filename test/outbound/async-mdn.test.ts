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
import { createMemoryMdnStore } from '../../src/transports/as2/mdn-store.ts';
import { createAs2Receiver } from '../../src/transports/as2/receiver.ts';
import { createRecordingIngest, serveHandler, type Served } from '../as2/harness.ts';
import { createPki, opensslSign, splitSmime, type Party, type Pki } from '../as2/openssl.ts';

let dir: string;
let store: Store;
const clock = fixedClock('2026-11-23T10:00:00.000Z');
const ids = createIdGenerator(() => clock.now().getTime());

/**
 * an outbound PO sent over AS2 with an asynchronous MDN requested: the send job records `sent`, our
 * Message-ID and (when given) the MIC we computed, as `base64, sha-256`
 */
async function sentOverAs2(docId: string, as2MessageId: string, mic?: string) {
  const at = clock.now().toISOString();
  await store.upsertDocument({ id: docId, messageId: `msg_${docId}`, partnerId: 'globex', type: 'purchase_order', direction: 'outbound', businessKey: 'PO-1', correlationId: 'PO-1', envelope: {}, status: 'held', test: false, at });
  await store.enqueueDelivery({ id: sendJobId(docId), documentId: docId, partnerId: 'globex', target: SEND_TARGET, at });
  await store.updateDelivery(sendJobId(docId), { status: 'delivered', lastError: JSON.stringify({ channel: 'as2', status: 'sent', as2MessageId, ...(mic ? { mic } : {}) }) }, at);
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

  it('the MIC we recorded at send time must come back: same value and algorithm is mdn_ok, another value is mdn_error naming both', async () => {
    // two SHA-256 digests in base64: of "abc" and of "abd" (checked with `printf abc | openssl dgst -sha256 -binary | base64`)
    const abc = 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';
    const abd = 'pS0VnyYrLG3bckphhAvvw26zDIiHekAwtly+himESck=';
    await sentOverAs2('doc_m1', '<m1@edigw>', `${abc}, sha-256`);
    await sentOverAs2('doc_m2', '<m2@edigw>', `${abc}, sha-256`);
    await sentOverAs2('doc_m3', '<m3@edigw>', `${abc}, sha-256`);
    const record = createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger });
    const processed = { raw: 'automatic-action/MDN-sent-automatically; processed', ok: true };
    // the label may be written sha256 or sha-256: one algorithm
    await record({ originalMessageId: '<m1@edigw>', signed: true, disposition: processed, receivedContentMic: { value: abc, label: 'sha256' } }, { partnerId: 'globex' });
    await record({ originalMessageId: '<m2@edigw>', signed: true, disposition: processed, receivedContentMic: { value: abd, label: 'sha-256' } }, { partnerId: 'globex' });
    await record({ originalMessageId: '<m3@edigw>', signed: true, disposition: processed }, { partnerId: 'globex' });

    const m1 = await store.getDeliveryJob(sendJobId('doc_m1'));
    expect(m1?.status).toBe('delivered');
    expect(JSON.parse(m1!.lastError!)).toMatchObject({ status: 'mdn_ok', mic: `${abc}, sha-256`, mdn: { async: true, micVerified: true, receivedContentMic: `${abc}, sha256` } });
    const m2 = await store.getDeliveryJob(sendJobId('doc_m2'));
    expect(m2?.status).toBe('failed');
    expect(JSON.parse(m2!.lastError!)).toMatchObject({ status: 'mdn_error', mdn: { micVerified: false } });
    expect((await store.getDeliveryJob(sendJobId('doc_m3')))?.status).toBe('failed');
    const exc = await store.listExceptions({ partnerId: 'globex' });
    expect(exc.map((e) => [e.documentId, e.stage, e.code, e.message]).sort()).toEqual([
      ['doc_m2', 'send', 'as2_mdn_error', `globex answered our AS2 message <m2@edigw> with "automatic-action/MDN-sent-automatically; processed", but Received-Content-MIC ${abd}, sha-256 does not match ours ${abc}, sha-256`],
      ['doc_m3', 'send', 'as2_mdn_error', `globex answered our AS2 message <m3@edigw> with "automatic-action/MDN-sent-automatically; processed", but the MDN has no Received-Content-MIC; ours is ${abc}, sha-256`],
    ]);
    const detail = exc.find((e) => e.documentId === 'doc_m2')?.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toMatchObject({ as2MessageId: '<m2@edigw>', ourMic: `${abc}, sha-256`, receivedContentMic: `${abd}, sha-256` });
  });

  it('the same algorithm under another name is not enough: a SHA-1 MIC for a SHA-256 send is a mismatch', async () => {
    await sentOverAs2('doc_s1', '<s1@edigw>', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=, sha-256');
    const record = createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger });
    await record({ originalMessageId: '<s1@edigw>', signed: true, disposition: { raw: 'a/b; processed', ok: true }, receivedContentMic: { value: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=', label: 'sha1' } }, { partnerId: 'globex' });
    expect((await store.getDeliveryJob(sendJobId('doc_s1')))?.status).toBe('failed');
  });

  it('a negative MDN is reported by its disposition, whatever its MIC', async () => {
    await sentOverAs2('doc_n1', '<n1@edigw>', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=, sha-256');
    const record = createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger });
    await record({ originalMessageId: '<n1@edigw>', signed: true, disposition: { raw: 'a/b; processed/error: decryption-failed', ok: false } }, { partnerId: 'globex' });
    expect((await store.listExceptions({ partnerId: 'globex' })).map((e) => e.message)).toEqual(['globex answered our AS2 message <n1@edigw> with "a/b; processed/error: decryption-failed"']);
  });

  it('the same MDN posted twice (the partner retrying) is recorded once: one exception, not two', async () => {
    await sentOverAs2('doc_r1', '<r1@edigw>', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=, sha-256');
    const record = createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger });
    const mdn = { originalMessageId: '<r1@edigw>', signed: true, disposition: { raw: 'a/b; processed', ok: true }, receivedContentMic: { value: 'pS0VnyYrLG3bckphhAvvw26zDIiHekAwtly+himESck=', label: 'sha-256' } };
    await record(mdn, { partnerId: 'globex' });
    await record(mdn, { partnerId: 'globex' });
    expect(await store.listExceptions({ partnerId: 'globex' })).toHaveLength(1);
  });
});

/**
 * The whole way in, with a real peer: the partner's MDN is a multipart/report signed by `openssl cms
 * -sign` with the partner's key, posted to our AS2 receiver (POST /as2 on 127.0.0.1), verified
 * against the partner's certificate and handed to the recorder. The MIC we "recorded at send time"
 * is computed by `openssl dgst`, not by our code.
 */
describe('asynchronous MDN through the AS2 receiver, signed with openssl', () => {
  let pki: Pki;
  let served: Served;
  let gateway: Party;
  let partner: Party;
  const payload = 'ISA*00*          *00*          *ZZ*EDIGW          *ZZ*GLOBEX         *261123*1000*U*00401*000000042*0*P*>~\n';

  beforeEach(async () => {
    pki = createPki({ now: clock.now() }); // the same clock as the gateway
    gateway = pki.party('edigw');
    partner = pki.party('globex');
    const handler = createAs2Receiver({
      identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
      findPartner: (from, to) => (from === 'GLOBEX-AS2' && to === 'EDIGW' ? { partnerId: 'globex', certificatesPem: [partner.certPem], requireSigned: true, requireEncrypted: true } : undefined),
      ingest: createRecordingIngest().ingest,
      mdnStore: createMemoryMdnStore(),
      onAsyncMdn: createAsyncMdnRecorder({ store, clock, ids, logger: silentLogger }),
      clock, logger: silentLogger,
      limits: { maxBodyBytes: 64 * 1024, maxDecompressedBytes: 1024 * 1024 },
    });
    served = await serveHandler(handler);
  });
  afterEach(async () => {
    await served.close();
    pki.cleanup();
  });

  /** the partner's signed MDN for `originalMessageId`, carrying `mic` as Received-Content-MIC */
  async function postMdn(originalMessageId: string, mic: string): Promise<Response> {
    const report = [
      'Content-Type: multipart/report; report-type=disposition-notification; boundary="rpt-1"', '',
      '--rpt-1', 'Content-Type: text/plain', '', 'Your message was received and processed.', '',
      '--rpt-1', 'Content-Type: message/disposition-notification', '',
      'Reporting-UA: GLOBEX AS2', 'Original-Recipient: rfc822; GLOBEX-AS2', 'Final-Recipient: rfc822; GLOBEX-AS2',
      `Original-Message-ID: ${originalMessageId}`, `Received-Content-MIC: ${mic}`,
      'Disposition: automatic-action/MDN-sent-automatically; processed', '',
      '--rpt-1--', '',
    ].join('\r\n');
    const signed = splitSmime(opensslSign(pki, Buffer.from(report, 'latin1'), partner, 'sha256'));
    return fetch(served.url, {
      method: 'POST',
      headers: { 'AS2-Version': '1.2', 'AS2-From': 'GLOBEX-AS2', 'AS2-To': 'EDIGW', 'Message-ID': `<mdn-${originalMessageId.slice(1)}`, 'MIME-Version': '1.0', 'Content-Type': signed.contentType },
      body: new Uint8Array(signed.body),
    });
  }

  it('the MIC we sent comes back: mdn_ok; a MIC of other bytes: mdn_error naming both, in the exception queue', async () => {
    const ours = `${pki.openssl(['dgst', '-sha256', '-binary', pki.file('sent.edi', payload)]).toString('base64')}, sha-256`;
    const other = `${pki.openssl(['dgst', '-sha256', '-binary', pki.file('other.edi', payload.replace('000000042', '000000043'))]).toString('base64')}, sha-256`;
    await sentOverAs2('doc_e1', '<e1@edigw>', ours);
    await sentOverAs2('doc_e2', '<e2@edigw>', ours);

    expect((await postMdn('<e1@edigw>', ours)).status).toBe(200);
    expect((await postMdn('<e2@edigw>', other)).status).toBe(200);

    const e1 = await store.getDeliveryJob(sendJobId('doc_e1'));
    expect(e1?.status).toBe('delivered');
    expect(JSON.parse(e1!.lastError!)).toMatchObject({ status: 'mdn_ok', mdn: { signed: true, micVerified: true } });
    expect((await store.getDeliveryJob(sendJobId('doc_e2')))?.status).toBe('failed');
    const exc = await store.listExceptions({ partnerId: 'globex' });
    expect(exc.map((e) => [e.documentId, e.code, e.message])).toEqual([
      ['doc_e2', 'as2_mdn_error', `globex answered our AS2 message <e2@edigw> with "automatic-action/MDN-sent-automatically; processed", but Received-Content-MIC ${other} does not match ours ${ours}`],
    ]);
  });
});
