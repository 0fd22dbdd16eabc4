import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

let sshd: TestSshd;
let f: GatewayFixture;
let inbox: string;
let archive: string;

beforeAll(async () => {
  sshd = await startSshd();
  inbox = path.join(sshd.filesDir, 'gw', 'outbound');
  archive = path.join(sshd.filesDir, 'gw', 'archive');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(archive, { recursive: true });
  const partner = `id: restco
name: RestCo over SFTP
status: production
identifiers: {}
formats:
  json: { canonical: true }
sftp:
  host: ${sshd.host}
  port: ${sshd.port}
  username: ${sshd.username}
  privateKeyFile: ./secrets/restco_key
  hostKeySha256: "${sshd.hostKeySha256}"
  inbox: ${inbox}
  archive: ${archive}
  pollSeconds: 0.2
  stableRule: { minAgeSeconds: 0 }
`;
  f = await startGatewayFixture({ partners: { restco: partner }, files: { 'partners/secrets/restco_key': sshd.privateKey }, realClock: true });
});
afterAll(async () => {
  await f?.close();
  await sshd?.dispose();
});

describe('SFTP polling through the whole gateway (real OpenSSH server)', () => {
  it('takes a file from the partner server, archives it after the commit, and the ERP gets its document', async () => {
    const doc = { type: 'purchase_order_ack', document: { poNumber: 'PO-55', ackDate: '2026-11-21', status: 'accepted' } };
    writeFileSync(path.join(inbox, 'ack-55.json'), JSON.stringify(doc));
    let docs: any[] = [];
    for (let i = 0; i < 100 && docs.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await f.gw.idle();
      docs = ((await (await f.fetch('/api/v1/erp/documents', { token: tokens.erp })).json()) as any).documents;
    }
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ partnerId: 'restco', type: 'purchase_order_ack', document: { poNumber: 'PO-55' } });
    expect(existsSync(path.join(inbox, 'ack-55.json'))).toBe(false);
    expect(readdirSync(archive)).toEqual(['ack-55.json']);
    const msg = await (await f.fetch(`/api/v1/messages/${docs[0].source.messageId}`, { token: tokens.operator })).json() as any;
    expect(msg).toMatchObject({ transport: 'sftp', partnerId: 'restco', status: 'processed' });
    const health = await (await f.fetch('/healthz')).json() as any;
    expect(health.sftp[0]).toMatchObject({ partnerId: 'restco', running: true });
  });
});
