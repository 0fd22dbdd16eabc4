/**
 * AS2 Message-IDs through the whole gateway, messages built and checked with `openssl cms`:
 * a resend (same Message-ID, same payload) is a duplicate; the same Message-ID with another
 * payload is a reuse, stored and answered per the partner's `onMessageIdReuse`; a stored MDN is
 * handed only to a message that passes the partner's policy, and its record only to its partner.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X12_850, X12_ENTITY, postAs2 } from '../as2/fixtures.ts';
import { createPki, mimeEntity, opensslEncrypt, opensslMic, opensslSign, opensslVerify, type Party, type Pki } from '../as2/openssl.ts';
import { FIXTURE_TIME, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const ENVELOPED = 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"';
const ACME_KEY = 'acme-key-0123456789';
const BETA_KEY = 'beta-key-0123456789';

/** another purchase order of the same sender: PO-1002, interchange 000000002 */
const X12_850_B = X12_850.replace(/000000001/g, '000000002').replace('PO-1001', 'PO-1002').replace('*10*EA*9.5', '*4*EA*12');
const entity = (x12: string, file: string) => mimeEntity(['Content-Type: application/edi-x12', `Content-Disposition: attachment; filename=${file}`], x12);
const ENTITY_B = entity(X12_850_B, 'po1002.edi');
const asBeta = (x12: string) => x12.replace(/ACMESUPPLY/g, 'BETASUPPLY');

let pki: Pki;
let gateway: Party, acme: Party, beta: Party;
let f: GatewayFixture;

const profile = (id: string, as2Id: string, x12Id: string, keyEnv: string, extra = '') => `id: ${id}
name: ${id} over AS2
status: production
identifiers:
  x12: { qualifier: ZZ, id: ${x12Id} }
  as2: ${as2Id}
http:
  apiKeyEnv: ${keyEnv}
as2:
  url: http://127.0.0.1:9/as2
  certificate: ./certs/${id}.pem
${extra}`;

beforeAll(async () => {
  pki = createPki({ now: new Date(FIXTURE_TIME) }); // one clock for the certificates and the gateway
  gateway = pki.party('EDIGW');
  acme = pki.party('ACME-AS2');
  beta = pki.party('BETA-AS2');
  f = await startGatewayFixture({
    partners: {
      acme: profile('acme', 'ACME-AS2', 'ACMESUPPLY', 'ACME_API_KEY'),
      beta: profile('beta', 'BETA-AS2', 'BETASUPPLY', 'BETA_API_KEY', '  onMessageIdReuse: accept\n'),
    },
    mappings: { '_base/x12-004010-850.inbound.yaml': readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8') },
    files: { 'partners/certs/acme.pem': acme.certPem, 'partners/certs/beta.pem': beta.certPem },
    env: { ACME_API_KEY: ACME_KEY, BETA_API_KEY: BETA_KEY },
    as2: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
  });
});
afterAll(async () => {
  await f?.close();
  pki?.cleanup();
});

/** signed by `signer`, encrypted to the gateway afresh (other bytes on the wire each time) */
const sealed = (ent: Uint8Array, signer: Party) => opensslEncrypt(pki, opensslSign(pki, ent, signer, 'sha256'), gateway, 'aes256');
const send = (messageId: string, body: Uint8Array, from = 'ACME-AS2') => postAs2(`${f.gw.url}/as2`, { contentType: ENVELOPED, body, messageId, from, signedMdnMic: 'sha-256' });

/** the MDN's signature checked by openssl against our certificate; its signed report as text */
async function mdnOf(res: Response): Promise<{ bytes: Uint8Array; report: string }> {
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, report: opensslVerify(pki, res.headers.get('content-type') ?? '', bytes, gateway).toString('latin1') };
}
const disposition = (report: string) => /^Disposition: (.*)$/m.exec(report)?.[1]?.trim();
const sha256 = (bytes: string | Uint8Array) => pki.openssl(['dgst', '-sha256', '-r', pki.file('hash-me', bytes)]).toString('latin1').split(' ')[0];

const staff = async (path: string) => (await f.fetch(path, { token: tokens.operator })).json() as Promise<any>;
const inbound = async (partner: string) => ((await staff(`/api/v1/messages?partner=${partner}`)).messages as any[]).filter((m) => m.direction === 'inbound');
const mdnRecords = async (partner: string) => ((await staff(`/api/v1/messages?partner=${partner}`)).messages as any[]).filter((m) => m.transport === 'as2-mdn');
const feedPOs = async () => {
  await f.gw.idle();
  const docs = ((await (await f.fetch('/api/v1/erp/documents?limit=100', { token: tokens.erp })).json()) as any).documents as any[];
  await f.fetch('/api/v1/erp/documents/ack', { token: tokens.erp, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: docs.map((d) => d.id) }) });
  return docs.map((d) => `${d.partnerId}:${d.document.poNumber}`);
};

describe('AS2 Message-ID: resend and reuse (partner policy reject, the default)', () => {
  const id = '<po-1001@acme.example>';
  let firstMdn: Uint8Array;

  it('a resend with the same payload, encrypted again, is a duplicate: the same MDN, nothing processed twice', async () => {
    const first = await mdnOf(await send(id, sealed(X12_ENTITY, acme)));
    expect(disposition(first.report)).toBe('automatic-action/MDN-sent-automatically; processed');
    firstMdn = first.bytes;
    const again = await mdnOf(await send(id, sealed(X12_ENTITY, acme)));
    expect(again.bytes).toEqual(firstMdn);
    expect(await inbound('acme')).toHaveLength(1);
    expect(await feedPOs()).toEqual(['acme:PO-1001']);
  });

  it('the same Message-ID with another payload is stored, held with an exception, and answered processed/error', async () => {
    const { report } = await mdnOf(await send(id, sealed(ENTITY_B, acme)));
    expect(disposition(report)).toBe('automatic-action/MDN-sent-automatically; processed/error: message-id-reused');
    expect(report).toContain(`Original-Message-ID: ${id}\r\n`);
    expect(report).toContain(`Received-Content-MIC: ${opensslMic(pki, ENTITY_B, 'sha256')}, sha-256\r\n`);
    expect(report).toContain('send it again with a new Message-ID');

    const messages = await inbound('acme');
    expect(messages).toHaveLength(2);
    const exc = ((await staff('/api/v1/exceptions?partner=acme')).exceptions as any[]).filter((e) => e.code === 'as2_message_id_reused');
    expect(exc).toHaveLength(1);
    const firstId = messages.find((m) => m.id !== exc[0].messageId).id;
    expect(exc[0]).toMatchObject({
      stage: 'receive', partnerId: 'acme', status: 'open',
      detail: { as2MessageId: id, firstMessageId: firstId, firstContentSha256: sha256(X12_850), contentSha256: sha256(X12_850_B), policy: 'reject' },
    });
    expect(exc[0].message).toContain(`reused Message-ID ${id}`);
    expect(exc[0].message).toContain(firstId);
    // nothing lost: both payloads kept byte for byte; the second is not processed
    expect(await (await f.fetch(`/api/v1/messages/${firstId}/raw`, { token: tokens.operator })).text()).toBe(X12_850);
    expect(await (await f.fetch(`/api/v1/messages/${exc[0].messageId}/raw`, { token: tokens.operator })).text()).toBe(X12_850_B);
    expect(await feedPOs()).toEqual([]);
  });

  it('the reused payload sent again gets the same answer and is not stored again; a replay processes the held one', async () => {
    const before = (await inbound('acme')).length;
    const { report } = await mdnOf(await send(id, sealed(ENTITY_B, acme)));
    expect(disposition(report)).toBe('automatic-action/MDN-sent-automatically; processed/error: message-id-reused');
    expect(await inbound('acme')).toHaveLength(before);
    // the first payload under that Message-ID still gets its own, positive MDN
    expect((await mdnOf(await send(id, sealed(X12_ENTITY, acme)))).bytes).toEqual(firstMdn);

    const exc = ((await staff('/api/v1/exceptions?partner=acme&status=open')).exceptions as any[]).find((e) => e.code === 'as2_message_id_reused');
    const replay = await f.fetch(`/api/v1/exceptions/${exc.id}/replay`, { token: tokens.operator, method: 'POST' });
    expect(replay.status).toBe(200);
    expect(await feedPOs()).toEqual(['acme:PO-1002']);
  });
});

describe('AS2 Message-ID reuse with onMessageIdReuse: accept', () => {
  it('the other payload is processed as a new message and answered processed; the reuse is recorded on it', async () => {
    const id = '<po-7@beta.example>';
    const first = await mdnOf(await send(id, sealed(entity(asBeta(X12_850), 'a.edi'), beta), 'BETA-AS2'));
    expect(disposition(first.report)).toBe('automatic-action/MDN-sent-automatically; processed');
    const second = await mdnOf(await send(id, sealed(entity(asBeta(X12_850_B), 'b.edi'), beta), 'BETA-AS2'));
    expect(disposition(second.report)).toBe('automatic-action/MDN-sent-automatically; processed');
    expect(second.bytes).not.toEqual(first.bytes);
    expect(await feedPOs()).toEqual(['beta:PO-1001', 'beta:PO-1002']);
    const messages = await inbound('beta');
    expect(messages).toHaveLength(2);
    const [older, newer] = [...messages].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
    const reused = [older, newer].find((m) => m.metadata.as2MessageIdFirstUsedBy);
    const firstOne = [older, newer].find((m) => m !== reused);
    expect(reused.metadata.as2MessageIdFirstUsedBy).toBe(firstOne.id);
    // stored and processed like any message, with the reuse as a warning staff see on it (and in the log)
    expect(reused.status).toBe('processed');
    expect(reused.metadata.warning).toBe(`as2_message_id_reused: partner beta (AS2-From BETA-AS2) reused Message-ID ${id} with other content: `
      + `first message ${firstOne.id} has sha256 ${firstOne.contentSha256}, this one ${reused.contentSha256}; processed as a new message (onMessageIdReuse: accept)`);
    expect(firstOne.metadata.warning).toBeUndefined();
    expect(f.logger.entries.some((e) => e.level === 'warn' && e.msg === 'as2 Message-ID reused with other content' && (e.fields as { policy?: string }).policy === 'accept')).toBe(true);
    // a resend of either payload is a duplicate of its own message, answered with its own MDN
    expect((await mdnOf(await send(id, sealed(entity(asBeta(X12_850_B), 'b.edi'), beta), 'BETA-AS2'))).bytes).toEqual(second.bytes);
    expect((await mdnOf(await send(id, sealed(entity(asBeta(X12_850), 'a.edi'), beta), 'BETA-AS2'))).bytes).toEqual(first.bytes);
    expect(await inbound('beta')).toHaveLength(2);
  });
});

describe('a stored MDN is handed only to those entitled to it', () => {
  const id = '<po-secret@acme.example>';
  let stored: Uint8Array;
  beforeAll(async () => {
    stored = (await mdnOf(await send(id, sealed(X12_ENTITY, acme)))).bytes;
  });

  it('POST /as2 with a known Message-ID but an unsigned body gets a negative MDN, not the stored one', async () => {
    const junk = opensslEncrypt(pki, mimeEntity(['Content-Type: application/edi-x12'], 'anything'), gateway, 'aes128');
    const { bytes, report } = await mdnOf(await send(id, junk));
    expect(bytes).not.toEqual(stored);
    expect(disposition(report)).toBe('automatic-action/MDN-sent-automatically; processed/error: insufficient-message-security');
  });

  it('signed with another partner\'s key (claiming to be ACME) gets authentication-failed, not the stored one', async () => {
    const { bytes, report } = await mdnOf(await send(id, sealed(X12_ENTITY, beta)));
    expect(bytes).not.toEqual(stored);
    expect(disposition(report)).toBe('automatic-action/MDN-sent-automatically; processed/error: authentication-failed');
  });

  it('GET of the MDN record: 401 without credentials, 404 with another partner\'s key, 200 with the partner\'s own key', async () => {
    const record = (await mdnRecords('acme')).find((m) => m.metadata.as2MessageId === id);
    expect(record).toBeDefined();
    expect((await f.fetch(`/api/v1/messages/${record.id}`)).status).toBe(401);
    expect((await f.fetch(`/api/v1/messages/${record.id}`, { key: BETA_KEY })).status).toBe(404);
    const own = await f.fetch(`/api/v1/messages/${record.id}`, { key: ACME_KEY });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ transport: 'as2-mdn', partnerId: 'acme', metadata: { as2MessageId: id, disposition: 'automatic-action/MDN-sent-automatically; processed' } });
    // the signed bytes themselves: the partner's own (16877ca: a partner key reads its own messages' bytes), never another's
    expect((await f.fetch(`/api/v1/messages/${record.id}/raw`)).status).toBe(401);
    expect((await f.fetch(`/api/v1/messages/${record.id}/raw`, { key: BETA_KEY })).status).toBe(404);
    expect(new Uint8Array(await (await f.fetch(`/api/v1/messages/${record.id}/raw`, { key: ACME_KEY })).arrayBuffer())).toEqual(stored);
    const raw = await f.fetch(`/api/v1/messages/${record.id}/raw`, { token: tokens.operator });
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(stored);
  });
});
