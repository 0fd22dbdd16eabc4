/**
 * A functional ack larger than the stream threshold (the 997 of a large interchange) is written in
 * chunks into the file store, not built in memory: its row holds no bytes, only the blob key, and
 * the ack.send job reads it back from the file store to send it. A real gateway (HTTP, SQLite) and
 * a real OpenSSH server as BuyerCo's SFTP; the threshold is lowered to 16 KiB so 2,000 purchase
 * orders make a 997 past it. The 997 is checked against the 997 standard by hand: AK2/AK5 per set,
 * AK9 A with 2,000 included, received and accepted, SE01 = ST + AK1 + 2 per set + AK9 + SE.
 */
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850 } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startSshd, sshdAvailable, type TestSshd } from '../support/sshd.ts';

let sshd: TestSshd;
let f: GatewayFixture;
let outbox: string;
const key = 'buyerco-large-ack-key';
const SETS = 2000;

const profile = () => `id: buyerco
name: BuyerCo
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
http:
  apiKeyEnv: BUYERCO_API_KEY
sftp:
  host: ${sshd.host}
  port: ${sshd.port}
  username: ${sshd.username}
  privateKeyFile: ./secrets/buyer_key
  hostKeySha256: "${sshd.hostKeySha256}"
  inbox: ${path.join(sshd.filesDir, 'buyer', 'outbound')}
  outbox: ${outbox}
  pollSeconds: 60
outbound: { channel: sftp, remoteDir: ${outbox} }
acks: { x12: "997", ta1: never }
`;

function interchange(): string {
  let s = 'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261207*0900*U*00401*000000701*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261207*0900*701*X*004010~\n';
  for (let i = 1; i <= SETS; i++) {
    const st = String(i).padStart(6, '0');
    s += `ST*850*${st}~\nBEG*00*SA*PO-ACK-${i}**20261207~\nPO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100~\nCTT*1~\nSE*5*${st}~\n`;
  }
  return `${s}GE*${SETS}*701~\nIEA*1*000000701~\n`;
}

beforeAll(async () => {
  sshd = await startSshd();
  outbox = path.join(sshd.filesDir, 'buyer', 'inbound');
  mkdirSync(path.join(sshd.filesDir, 'buyer', 'outbound'), { recursive: true });
  mkdirSync(outbox, { recursive: true });
  f = await startGatewayFixture({
    partners: { buyerco: profile() }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
    files: { 'partners/secrets/buyer_key': sshd.privateKey }, env: { BUYERCO_API_KEY: key }, realClock: true,
    streamThresholdBytes: 16 * 1024,
  });
}, 60_000);
afterAll(async () => {
  await f?.close();
  await sshd?.dispose();
});

describe.skipIf(!sshdAvailable())('a 997 past the stream threshold lives in the file store and is sent from it (real OpenSSH server)', () => {
  it('2,000 sets: the 997 row holds only its blob key; the peer receives the stored bytes, with an AK2/AK5 per set', async () => {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key, headers: { 'content-type': 'application/edi-x12' }, body: interchange() });
    const outcome = await res.json() as { messageId: string; errors: unknown[] };
    expect(res.status, JSON.stringify(outcome.errors)).toBe(200);
    await f.gw.idle();
    const msg = await (await f.fetch(`/api/v1/messages/${outcome.messageId}`, { token: tokens.admin })).json() as { acknowledgements: Array<{ messageId: string; kind: string }> };
    expect(msg.acknowledgements).toMatchObject([{ kind: '997' }]);
    const ackId = msg.acknowledgements[0]!.messageId;

    const db = new Database(path.join(f.dir, 'gateway.db'), { readonly: true });
    const row = db.prepare('SELECT length(raw) AS inline, raw_ref AS ref, size, content_sha256 AS sha FROM messages WHERE id = ?').get(ackId) as { inline: number; ref: string | null; size: number; sha: string };
    db.close();
    expect(row.inline).toBe(0);
    expect(row.ref).toMatch(/^[0-9a-f]{64}$/);
    expect(row.sha).toBe(row.ref);
    expect(row.size).toBeGreaterThan(16 * 1024);

    const stored = Buffer.from(await (await f.fetch(`/api/v1/messages/${ackId}/raw`, { token: tokens.admin })).arrayBuffer());
    expect(stored.length).toBe(row.size);
    const files = readdirSync(outbox).filter((n) => !n.startsWith('.'));
    expect(files).toEqual([`997-${ackId}.x12`]);
    expect(readFileSync(path.join(outbox, files[0]!)).equals(stored)).toBe(true);

    const segs = stored.toString('latin1').split('~').map((s) => s.trim()).filter(Boolean);
    expect(segs[1]).toMatch(/^GS\*FA\*GATEWAY\*BUYERCO\*\d{8}\*\d{4}\*1\*X\*004010$/);
    expect(segs.slice(2, 4)).toEqual(['ST*997*0001', 'AK1*PO*701']);
    expect(segs.slice(4, 8)).toEqual(['AK2*850*000001', 'AK5*A', 'AK2*850*000002', 'AK5*A']);
    expect(segs.slice(-6)).toEqual([`AK2*850*${String(SETS).padStart(6, '0')}`, 'AK5*A', `AK9*A*${SETS}*${SETS}*${SETS}`, `SE*${2 + 2 * SETS + 2}*0001`, 'GE*1*1', 'IEA*1*000000001']);
    expect(segs).toHaveLength(1 + 1 + 2 + 2 * SETS + 2 + 2);
  }, 120_000);
});
