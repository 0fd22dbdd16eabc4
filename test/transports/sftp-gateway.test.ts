import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';

let sshd: TestSshd;
let f: GatewayFixture;
let inbox: string;
let archive: string;
let x12Inbox: string;
let x12Outbox: string;

/** the partner's `sftp:` block pointing at the test server, polling every 0.2 s, taking files at once */
const sftpBlock = (folders: string) => `sftp:
  host: ${sshd.host}
  port: ${sshd.port}
  username: ${sshd.username}
  privateKeyFile: ./secrets/restco_key
  hostKeySha256: "${sshd.hostKeySha256}"
  ${folders}
  pollSeconds: 0.2
  stableRule: { minAgeSeconds: 0 }
`;

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
${sftpBlock(`inbox: ${inbox}\n  archive: ${archive}`)}`;
  x12Inbox = path.join(sshd.filesDir, 'buyer', 'outbound');
  x12Outbox = path.join(sshd.filesDir, 'buyer', 'inbound');
  mkdirSync(x12Inbox, { recursive: true });
  mkdirSync(x12Outbox, { recursive: true });
  const buyer = `id: buyerco
name: BuyerCo over SFTP
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
${sftpBlock(`inbox: ${x12Inbox}\n  outbox: ${x12Outbox}`)}outbound: { channel: sftp, remoteDir: ${x12Outbox} }
acks: { x12: "997" }
`;
  f = await startGatewayFixture({
    partners: { restco: partner, buyerco: buyer }, files: { 'partners/secrets/restco_key': sshd.privateKey }, realClock: true,
    mappings: { '_base/x12-004010-850.inbound.yaml': readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8') },
  });
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
    const health = await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as any;
    expect(health.sftp.find((p: any) => p.partnerId === 'restco')).toMatchObject({ running: true });
  });

  it('answers an X12 850 taken from the partner server with a 997 uploaded to their outbox', async () => {
    const po = ['ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000901*0*P*>',
      'GS*PO*BUYERCO*GATEWAY*20261120*1030*9*X*004010', 'ST*850*0001', 'BEG*00*SA*PO-901**20261120', 'PO1*1*2*EA*3.5**BP*X-1', 'CTT*1', 'SE*5*0001', 'GE*1*9', 'IEA*1*000000901'].join('~\n') + '~\n';
    writeFileSync(path.join(x12Inbox, 'po-901.edi'), po);
    let files: string[] = [];
    for (let i = 0; i < 150 && files.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      files = readdirSync(x12Outbox).filter((n) => !n.startsWith('.'));
    }
    expect(files).toHaveLength(1);
    const ack = readFileSync(path.join(x12Outbox, files[0]!), 'utf8').split('~').map((x) => x.trim()).filter(Boolean);
    expect(ack.slice(2)).toEqual(['ST*997*0001', 'AK1*PO*9', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1', 'SE*6*0001', 'GE*1*1', 'IEA*1*000000001']);
  });

  it('leaves a file larger than the gateway accepts on the server, with an alert naming it', async () => {
    writeFileSync(path.join(inbox, 'huge.json'), Buffer.alloc(1024 * 1024 + 1, 32));
    let alert: any;
    for (let i = 0; i < 100 && !alert; i++) {
      await new Promise((r) => setTimeout(r, 100));
      alert = f.logger.entries.find((e) => e.msg === 'sftp alert' && e.fields?.code === 'sftp_file_too_large');
    }
    expect(alert?.fields).toMatchObject({ partnerId: 'restco', code: 'sftp_file_too_large', message: expect.stringContaining('exceeds maxFileBytes 1048576') });
    expect(existsSync(path.join(inbox, 'huge.json'))).toBe(true);
  });
});
