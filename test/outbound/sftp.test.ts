/**
 * Outbound purchase orders to an SFTP partner (real OpenSSH server): POST /api/v1/erp/outbound,
 * the file in the partner's folder, control numbers that increment and survive a restart, the
 * partner's 997 reconciling each PO (accepted / rejected), the timeline, overdue acks, refusals
 * before anything is sent, and a send failure ending in the exception queue.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, sshdAvailable, type TestSshd } from '../support/sshd.ts';
import { attachOutbound, purchaseOrder, startOutboundFixture, tokens, type OutboundFixture } from './harness.ts';
import { partner997 } from './x12-acks.ts';

let sshd: TestSshd;
let o: OutboundFixture;
let outbox: string;

const acmeYaml = (s: TestSshd, dir: string, port = s.port) => `id: ID
name: ACME over SFTP
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
documents:
  outbound:
    - { type: purchase_order, format: x12, message: "850", version: "004010" }
formats:
  x12: { elementSeparator: "*", componentSeparator: ">", segmentTerminator: "~" }
sftp:
  host: ${s.host}
  port: ${port}
  username: ${s.username}
  privateKeyFile: ./secrets/key
  hostKeySha256: "${s.hostKeySha256}"
  inbox: ${path.join(dir, 'from-acme')}
  outbox: ${dir}
  pollSeconds: 3600
outbound: { channel: sftp }
acks: { x12: "997", expectWithinMinutes: 60 }
`;

async function post(body: unknown) {
  const res = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.erp, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() as any };
}

async function receive997(text: string): Promise<string> {
  const res = await o.f.fetch('/api/v1/inbound?partner=acme&wait=true', { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/edi-x12' }, body: text });
  const r = await res.json() as any;
  await o.processed(r.messageId);
  return r.messageId;
}

describe.skipIf(!sshdAvailable())('outbound purchase orders over SFTP (real OpenSSH server)', () => {
  beforeAll(async () => {
    sshd = await startSshd();
    outbox = path.join(sshd.filesDir, 'acme-inbound');
    mkdirSync(outbox, { recursive: true });
    mkdirSync(path.join(outbox, 'from-acme'), { recursive: true });
    o = await startOutboundFixture({
      partners: {
        acme: acmeYaml(sshd, outbox).replace('id: ID', 'id: acme'),
        // a partner whose server is down: nothing listens on port 1
        downco: acmeYaml(sshd, outbox, 1).replace('id: ID', 'id: downco').replace('ACMESUPPLY', 'DOWNCO'),
      },
      files: { 'partners/secrets/key': sshd.privateKey },
    });
  }, 60_000);
  afterAll(async () => {
    await o?.close();
    await sshd?.dispose();
  });

  it('renders, stores and uploads the 850; answers 202 with the ids and the control numbers', async () => {
    const r = await post({ partnerId: 'acme', type: 'purchase_order', document: purchaseOrder });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ partnerId: 'acme', poNumber: 'PO-OUT-1001', channel: 'sftp', interchangeControlNumber: '000000001', groupControlNumber: '1', transactionControlNumber: '0001', fileName: 'acme_850_000000001.edi' });
    await o.outbound.idle();
    expect(readdirSync(outbox).sort()).toEqual(['acme_850_000000001.edi', 'from-acme']);
    const uploaded = readFileSync(path.join(outbox, 'acme_850_000000001.edi'), 'latin1');
    expect(uploaded.split('\n')[0]).toBe('ISA*00*          *00*          *ZZ*EDIGW          *ZZ*ACMESUPPLY     *261123*1000*U*00401*000000001*0*P*>~');
    expect(uploaded).toContain('BEG*00*SA*PO-OUT-1001**20261120~');
    // the stored outbound message holds exactly the bytes sent
    const raw = await (await o.f.fetch(`/api/v1/messages/${r.json.messageId}/raw`, { token: tokens.operator })).text();
    expect(raw).toBe(uploaded);
    const status = await (await o.api(`/api/v1/erp/outbound/${r.json.messageId}`, { token: tokens.erp })).json() as any;
    expect(status.send).toMatchObject({ state: 'delivered', channel: 'sftp', status: 'sent', remotePath: path.join(outbox, 'acme_850_000000001.edi') });
    expect(status.functionalAck).toMatchObject({ state: 'awaiting' });
    // the ERP retries the same POST (e.g. after a timeout): the same order, not a second one
    const again = await post({ partnerId: 'acme', type: 'purchase_order', document: { ...purchaseOrder } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, messageId: r.json.messageId, documentId: r.json.documentId, interchangeControlNumber: '000000001' });
    await o.outbound.idle();
    expect(readdirSync(outbox).sort()).toEqual(['acme_850_000000001.edi', 'from-acme']);
    // the ERP does not get its own PO back on the feed
    const feed = await (await o.f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json() as any;
    expect(feed.documents).toEqual([]);
  });

  it('refuses an invalid PO with the precise errors: nothing stored, sent or numbered', async () => {
    const before = readdirSync(outbox).length;
    const r = await post({ partnerId: 'acme', type: 'purchase_order', document: { ...purchaseOrder, poNumber: 'PO-BAD', lines: [{ lineNumber: '1', quantity: -1 }], currency: 7 } });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('canonical_invalid');
    const pointers = r.json.error.detail.violations.map((v: any) => v.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/currency']));
    expect(readdirSync(outbox)).toHaveLength(before);
    expect((await (await o.api('/api/v1/orders/PO-BAD', { token: tokens.operator })).status)).toBe(404);
    expect((await post({ partnerId: 'acme', type: 'invoice', document: {} })).status).toBe(422);
    expect((await post({ partnerId: 'nobody', type: 'purchase_order', document: purchaseOrder })).status).toBe(404);
    const unauth = await o.api('/api/v1/erp/outbound', { method: 'POST', token: tokens.operator, body: '{}' });
    expect(unauth.status).toBe(403);
  });

  it('issues the next control numbers, also after a restart over the same database', async () => {
    const second = await post({ partnerId: 'acme', type: 'purchase_order', document: { ...purchaseOrder, poNumber: 'PO-OUT-1002' } });
    expect(second.json).toMatchObject({ interchangeControlNumber: '000000002', groupControlNumber: '2', transactionControlNumber: '0002' });
    await o.outbound.idle();
    const f = o.f;
    // a new outbound composition on a new database connection: the numbers come from the database
    await o.detach();
    o = await attachOutbound(f, {});
    const third = await post({ partnerId: 'acme', type: 'purchase_order', document: { ...purchaseOrder, poNumber: 'PO-OUT-1003' } });
    expect(third.json).toMatchObject({ interchangeControlNumber: '000000003', groupControlNumber: '3', transactionControlNumber: '0003' });
    await o.outbound.idle();
    expect(readdirSync(outbox).filter((n) => n.endsWith('.edi')).sort()).toEqual(['acme_850_000000001.edi', 'acme_850_000000002.edi', 'acme_850_000000003.edi']);
  });

  it('reconciles the partner\'s 997: accepted for PO 1, rejected for PO 2 (with an exception), PO 3 still awaited', async () => {
    await receive997(partner997({ from: 'ACMESUPPLY', icn: 501, groupControlNumber: '1', transactionControlNumber: '0001', accepted: true }));
    await receive997(partner997({ from: 'ACMESUPPLY', icn: 502, groupControlNumber: '2', transactionControlNumber: '0002', accepted: false }));
    const msgs = (await (await o.f.fetch('/api/v1/messages?partner=acme', { token: tokens.operator })).json() as any).messages;
    const outbound = msgs.filter((m: any) => m.direction === 'outbound' && m.transport === 'sftp');
    const byPo = Object.fromEntries(outbound.map((m: any) => [m.metadata.poNumber, m.id]));
    const st = async (po: string) => (await (await o.api(`/api/v1/erp/outbound/${byPo[po]}`, { token: tokens.erp })).json() as any).functionalAck;
    expect(await st('PO-OUT-1001')).toMatchObject({ state: 'accepted', type: '997', groupControlNumber: '1', ackCode: 'A' });
    expect(await st('PO-OUT-1002')).toMatchObject({ state: 'rejected', ackCode: 'R', sets: [{ controlNumber: '0002', status: 'rejected', codes: ['5'] }] });
    expect(await st('PO-OUT-1003')).toMatchObject({ state: 'awaiting' });
    const exc = (await (await o.f.fetch('/api/v1/exceptions?partner=acme', { token: tokens.operator })).json() as any).exceptions;
    expect(exc.map((e: any) => [e.stage, e.code, e.messageId])).toEqual([['functional_ack', 'x12_functional_ack_rejected', byPo['PO-OUT-1002']]]);
    // the acks-only messages are processed, not "empty"
    const acks = msgs.filter((m: any) => m.direction === 'inbound');
    expect(acks.map((m: any) => m.status)).toEqual(['processed', 'processed']);
  });

  it('shows the PO timeline in order: document, sent, 997 accepted', async () => {
    const t = await (await o.api('/api/v1/orders/PO-OUT-1001', { token: tokens.operator })).json() as any;
    expect(t.stage).toBe('ordered');
    expect(t.documents).toMatchObject([{ type: 'purchase_order', direction: 'outbound', partnerId: 'acme' }]);
    expect(t.events.map((e: any) => e.kind)).toEqual(['document', 'sent', 'functional_ack_received']);
    expect(t.events[2].summary).toBe('997 accepted for group 1');
    const rejected = await (await o.api('/api/v1/orders/PO-OUT-1002', { token: tokens.erp })).json() as any;
    expect(rejected.events.map((e: any) => [e.kind, e.detail?.code])).toEqual([['document', undefined], ['sent', undefined], ['functional_ack_received', undefined], ['exception', 'x12_functional_ack_rejected']]);
    expect((await o.api('/api/v1/orders/PO-NEVER', { token: tokens.operator })).status).toBe(404);
    expect((await o.api('/api/v1/orders/PO-OUT-1001')).status).toBe(401);
  });

  it('lists POs without a 997 past the partner\'s expectWithinMinutes as overdue', async () => {
    const early = await (await o.api('/api/v1/orders/overdue', { token: tokens.operator })).json() as any;
    expect(early.functionalAckMissing).toEqual([]);
    o.f.clock.advance(61 * 60_000);
    const late = await (await o.api('/api/v1/orders/overdue', { token: tokens.admin })).json() as any;
    expect(late.functionalAckMissing.map((i: any) => [i.partnerId, i.poNumber, i.windowMinutes])).toEqual([['acme', 'PO-OUT-1003', 60]]);
    expect(late.counts.functionalAckMissing).toBe(1);
  });

  it('a partner server that is down: retried, then the exception queue (stage send); nothing lost', async () => {
    const r = await post({ partnerId: 'downco', type: 'purchase_order', document: { ...purchaseOrder, poNumber: 'PO-DOWN-1' } });
    expect(r.status).toBe(202);
    await o.outbound.idle();
    // the first attempt failed; the send job waits for its retry, the last answer visible meanwhile
    const waiting = await (await o.api(`/api/v1/erp/outbound/${r.json.messageId}`, { token: tokens.erp })).json() as any;
    expect(waiting.send).toMatchObject({ state: 'pending', status: 'failed', attempts: 1 });
    // each retry comes after the job backoff (at most 10 minutes): the clock moves, the runner runs what is due
    for (let i = 0; i < 20; i++) { o.f.clock.advance(10 * 60_000); await o.outbound.idle(); }
    const status = await (await o.api(`/api/v1/erp/outbound/${r.json.messageId}`, { token: tokens.erp })).json() as any;
    expect(status.send).toMatchObject({ state: 'failed', status: 'failed', attempts: 10 });
    const exc = (await (await o.f.fetch('/api/v1/exceptions?partner=downco', { token: tokens.operator })).json() as any).exceptions;
    expect(exc).toHaveLength(1);
    expect(exc[0]).toMatchObject({ stage: 'send', messageId: r.json.messageId });
    expect(existsSync(path.join(outbox, 'downco_850_000000001.edi'))).toBe(false);
    const raw = await (await o.f.fetch(`/api/v1/messages/${r.json.messageId}/raw`, { token: tokens.operator })).text();
    expect(raw).toContain('BEG*00*SA*PO-DOWN-1**20261120~');

    // the server is fixed (the profile now points at it); replaying the exception sends the same bytes
    o.f.writePartner('downco', acmeYaml(sshd, outbox).replace('id: ID', 'id: downco').replace('ACMESUPPLY', 'DOWNCO'));
    expect(o.f.gw.reloadConfig()).toBe(true);
    const replayed = await o.f.fetch(`/api/v1/exceptions/${exc[0].id}/replay`, { method: 'POST', token: tokens.operator });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toMatchObject({ after: { messageId: r.json.messageId, status: 'processed', errors: [] }, job: { kind: 'partner.send', state: 'done' } });
    expect(readFileSync(path.join(outbox, 'downco_850_000000001.edi'), 'latin1')).toBe(raw);
    const after = await (await o.api(`/api/v1/erp/outbound/${r.json.messageId}`, { token: tokens.erp })).json() as any;
    expect(after.send).toMatchObject({ state: 'delivered', status: 'sent' });
    const open = (await (await o.f.fetch('/api/v1/exceptions?partner=downco', { token: tokens.operator })).json() as any).exceptions;
    expect(open).toEqual([]);
  });
});
