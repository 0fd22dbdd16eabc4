/**
 * Retention through the real gateway (SQLite): messages older than the partner's archiveAfterDays
 * move to the file store beside the database and are still downloaded byte for byte and replayed;
 * after purgeAfterDays the bytes are gone (410 message_purged, when and by which policy), the
 * metadata stays, and the audit log records the purge with its count and window.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const DAY = 86_400_000;
const retentionBlock = 'retention: { archiveAfterDays: 30, purgeAfterDays: 90 }\n';

/** an X12 4010 850 from BuyerCo (ISA06 BUYERCO), one purchase order */
const x12 = (cn: string, po: string) => [
  `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>`,
  'GS*PO*BUYERCO*GATEWAY*20261120*1030*77*X*004010', 'ST*850*0001', `BEG*00*SA*${po}**20261120`,
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', 'GE*1*77', `IEA*1*${cn}`, '',
].join('~\n');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

let f: GatewayFixture;
const sent: Record<string, { id: string; body: string }> = {};

async function post(body: string): Promise<{ status: number; id: string }> {
  const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'buyerco-key', headers: { 'content-type': 'application/edi-x12' }, body });
  const json = await res.json() as { messageId?: string; id?: string };
  return { status: res.status, id: (json.messageId ?? json.id)! };
}

function blobFiles(): string[] {
  const root = path.join(f.dir, 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

function row(id: string) {
  const db = new Database(path.join(f.dir, 'gateway.db'), { readonly: true });
  try {
    return db.prepare('SELECT length(raw) AS inline, raw_ref AS rawRef, archived_at AS archivedAt, purged_at AS purgedAt, status FROM messages WHERE id = ?').get(id) as
      { inline: number; rawRef: string | null; archivedAt: string | null; purgedAt: string | null; status: string };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  // no mapping for BuyerCo's 850 yet: its first message fails and waits in the exception queue
  f = await startGatewayFixture({ partners: { buyerco: buyerYaml + retentionBlock }, env: { BUYERCO_API_KEY: 'buyerco-key' } });
  const failed = x12('000000101', 'PO-RET-1');
  const r1 = await post(failed);
  expect(r1.status).toBe(422);
  sent.failed = { id: r1.id, body: failed };
  f.writeMapping('_base/x12-004010-850.inbound.yaml', base850);
  expect(f.gw.reloadConfig()).toBe(true);
  const ok = x12('000000102', 'PO-RET-2');
  const r2 = await post(ok);
  expect(r2.status).toBe(200);
  sent.ok = { id: r2.id, body: ok };
  await f.gw.idle();
}, 60_000);

afterAll(async () => { await f?.close(); });

describe('retention on SQLite', () => {
  it('keeps everything inline before the archive window', async () => {
    f.clock.advance(29 * DAY);
    const report = await f.gw.runRetention();
    expect(report?.archived.messages).toBe(0);
    expect(row(sent.ok!.id)).toMatchObject({ rawRef: null, archivedAt: null });
    expect(row(sent.ok!.id).inline).toBe(Buffer.byteLength(sent.ok!.body));
  });

  it('after archiveAfterDays moves the raw bytes to blobs/ beside the database, named by their SHA-256', async () => {
    f.clock.advance(2 * DAY); // 31 days after receipt
    const report = await f.gw.runRetention();
    // the two 850s and the 997 we answered the second with are BuyerCo's messages
    expect(report?.archived.messages).toBeGreaterThanOrEqual(2);
    for (const m of [sent.ok!, sent.failed!]) {
      const r = row(m.id);
      expect(r.inline).toBe(0);
      expect(r.rawRef).toBe(sha256(m.body));
      expect(r.archivedAt).toBe(f.clock.now().toISOString());
      const key = sha256(m.body);
      expect(existsSync(path.join(f.dir, 'blobs', key.slice(0, 2), key.slice(2, 4), key))).toBe(true);
    }
    const again = await f.gw.runRetention();
    expect(again?.archived.messages).toBe(0); // done once
  });

  it('serves an archived message: the raw download is byte for byte what was received, the metadata says archived', async () => {
    const res = await f.fetch(`/api/v1/messages/${sent.ok!.id}/raw`, { token: tokens.operator });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(sha256(bytes)).toBe(sha256(sent.ok!.body));
    const meta = await (await f.fetch(`/api/v1/messages/${sent.ok!.id}`, { token: tokens.operator })).json() as { archivedAt?: string; size: number; documents: unknown[] };
    expect(meta.archivedAt).toBeDefined();
    expect(meta.size).toBe(Buffer.byteLength(sent.ok!.body));
    expect(meta.documents).toHaveLength(1);
  });

  it('replays an archived failed message: it is read from the file store and processed with the mapping added since', async () => {
    expect(row(sent.failed!.id)).toMatchObject({ status: 'failed', inline: 0 });
    const res = await f.fetch(`/api/v1/messages/${sent.failed!.id}/replay`, { method: 'POST', token: tokens.operator });
    const body = await res.json() as { after: { status: string; units: Array<{ documentId?: string }> } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.after.status).toBe('processed');
    const docs = await (await f.fetch('/api/v1/documents?number=PO-RET-1', { token: tokens.operator })).json() as { documents: Array<{ messageId: string }> };
    expect(docs.documents.map((d) => d.messageId)).toEqual([sent.failed!.id]);
  });

  it('after purgeAfterDays deletes the bytes and their file, keeps the metadata, answers 410 message_purged and records the purge in the audit log', async () => {
    const before = blobFiles();
    expect(before).toEqual(expect.arrayContaining([sha256(sent.ok!.body), sha256(sent.failed!.body)]));
    f.clock.advance(60 * DAY); // 91 days after receipt
    const report = await f.gw.runRetention();
    expect(report?.purged.messages).toBeGreaterThanOrEqual(2);
    expect(blobFiles()).not.toContain(sha256(sent.ok!.body));
    expect(blobFiles()).not.toContain(sha256(sent.failed!.body));

    const r = row(sent.ok!.id);
    expect(r).toMatchObject({ inline: 0, rawRef: null, purgedAt: f.clock.now().toISOString(), status: 'processed' });
    const res = await f.fetch(`/api/v1/messages/${sent.ok!.id}/raw`, { token: tokens.operator });
    expect(res.status).toBe(410);
    const err = (await res.json() as { error: { code: string; message: string; detail: { purgedAt: string; policy: Record<string, unknown> } } }).error;
    expect(err.code).toBe('message_purged');
    expect(err.detail.purgedAt).toBe(f.clock.now().toISOString());
    expect(err.detail.policy).toMatchObject({ source: 'partner', partnerId: 'buyerco', purgeAfterDays: 90 });
    expect(err.message).toContain('purgeAfterDays: 90');
    const meta = await f.fetch(`/api/v1/messages/${sent.ok!.id}`, { token: tokens.operator });
    expect(meta.status).toBe(200);
    expect(await meta.json()).toMatchObject({ id: sent.ok!.id, purgedAt: f.clock.now().toISOString(), contentSha256: sha256(sent.ok!.body) });

    const db = new Database(path.join(f.dir, 'gateway.db'), { readonly: true });
    try {
      const audit = db.prepare("SELECT actor, subject, detail FROM audit_log WHERE action = 'retention_purge'").all() as Array<{ actor: string; subject: string; detail: string }>;
      expect(audit).toHaveLength(1);
      expect(audit[0]!.subject).toBe('buyerco');
      const cutoff = new Date(f.clock.now().getTime() - 90 * DAY).toISOString();
      expect(JSON.parse(audit[0]!.detail)).toMatchObject({ messages: report!.purged.messages, purgeAfterDays: 90, receivedBefore: cutoff, source: 'partner' });
    } finally {
      db.close();
    }
  });

  it('replaying a purged message is refused with message_purged, not read as empty content', async () => {
    const res = await f.fetch(`/api/v1/messages/${sent.ok!.id}/replay`, { method: 'POST', token: tokens.operator });
    const text = await res.text();
    expect(res.status).toBe(410);
    expect(text).toContain('message_purged');
  });
});
