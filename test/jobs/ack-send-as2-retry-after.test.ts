/**
 * An ack send over AS2 waits the time the partner asks for. Globex sends us an 850 over HTTP; its
 * 997 goes back over AS2 to Globex, which is a second real gateway (its POST /as2 decrypts,
 * verifies, answers a signed MDN) behind a front door that answers the first post 503 with
 * Retry-After: 120. Our gateway runs on a fixed clock (2026-11-23T10:00:00Z), so the retry time is
 * checked exactly: 10:00:00 + 120 s = 10:02:00. At 10:01:59 nothing is posted; at 10:02:00 the same
 * AS2 message (same Message-ID, derived from the ack's id) is posted again, the MDN verifies, and
 * Globex has received our stored 997 once.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, type Party, type Pki } from '../as2/openssl.ts';
import { base850 } from '../support/buyer.ts';
import { FIXTURE_TIME, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let pki: Pki;
let ours: Party;
let globex: Party;
let theirs: GatewayFixture;
let f: GatewayFixture;
const posts: Array<{ messageId: string; answered: number }> = [];

/** Globex's front door: 503 + Retry-After: 120 to the first post, then passes each post to Globex's gateway */
const door = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const messageId = String(req.headers['message-id']);
    if (posts.length === 0) {
      posts.push({ messageId, answered: 503 });
      res.writeHead(503, { 'retry-after': '120' }).end('maintenance until 10:02');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)).map(([k, v]) => [k, String(v)]));
    const answer = await fetch(`${theirs.gw.url}/as2`, { method: 'POST', headers, body: Buffer.concat(chunks) });
    posts.push({ messageId, answered: answer.status });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await answer.arrayBuffer()));
  });
});

beforeAll(async () => {
  pki = createPki({ now: new Date(FIXTURE_TIME) });
  ours = pki.party('EDIGW');
  globex = pki.party('GLOBEX-AS2');
  await new Promise<void>((r) => door.listen(0, '127.0.0.1', r));
  theirs = await startGatewayFixture({
    partners: { buyer: `id: buyer
name: Buyer (edi-gateway)
status: production
identifiers:
  x12: { qualifier: ZZ, id: GATEWAY }
  as2: EDIGW
as2:
  url: http://127.0.0.1:9/as2
  certificate: ./certs/edigw.pem
acks: { x12: none }
` }, realClock: true,
    files: { 'partners/certs/edigw.pem': ours.certPem },
    as2: { as2Id: 'GLOBEX-AS2', privateKeyPem: globex.keyPem, certificatePem: globex.certPem },
  });
  f = await startGatewayFixture({
    partners: { globex: `id: globex
name: Globex
status: production
identifiers:
  x12: { qualifier: ZZ, id: GLOBEX }
  as2: GLOBEX-AS2
http:
  apiKeyEnv: GLOBEX_API_KEY
as2:
  url: http://127.0.0.1:${(door.address() as AddressInfo).port}/as2
  certificate: ./certs/globex.pem
  mdn: sync
outbound: { channel: as2 }
acks: { x12: "997", ta1: never }
` },
    mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
    files: { 'partners/certs/globex.pem': globex.certPem }, env: { GLOBEX_API_KEY: 'globex-as2-key' },
    as2: { as2Id: 'EDIGW', privateKeyPem: ours.keyPem, certificatePem: ours.certPem },
  });
}, 60_000);
afterAll(async () => {
  await f?.close();
  await theirs?.close();
  await new Promise<void>((r) => door.close(() => r()));
  pki?.cleanup();
});

const x12 = [
  'ISA*00*          *00*          *ZZ*GLOBEX         *ZZ*GATEWAY        *261123*0900*U*00401*000000701*0*P*>',
  'GS*PO*GLOBEX*GATEWAY*20261123*0900*701*X*004010', 'ST*850*0001', 'BEG*00*SA*PO-AS2-1**20261123',
  'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', 'GE*1*701', 'IEA*1*000000701', '',
].join('~\n');

const ackJob = async () => ((await (await f.fetch('/api/v1/jobs?kind=ack.send', { token: tokens.admin })).json()) as { jobs: any[] }).jobs;

describe('an ack send over AS2 honours the partner\'s Retry-After', () => {
  it('503 Retry-After: 120 -> the job waits exactly 120 s, then the same AS2 message is delivered once with a verified MDN', async () => {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'globex-as2-key', headers: { 'content-type': 'application/edi-x12' }, body: x12 });
    const outcome = await res.json() as { messageId: string };
    expect(res.status).toBe(200);
    await f.gw.idle();
    const ackId = ((await (await f.fetch(`/api/v1/messages/${outcome.messageId}`, { token: tokens.admin })).json()) as any).acknowledgements[0].messageId as string;
    expect(posts).toEqual([{ messageId: `<ack-${ackId}@edigw>`, answered: 503 }]);
    const [waiting] = await ackJob();
    expect(waiting).toMatchObject({ state: 'waiting', attempts: 1, runAt: '2026-11-23T10:02:00.000Z' });
    expect(waiting.lastError).toContain('HTTP 503');

    f.clock.advance(119_000);
    await f.gw.idle();
    expect(posts).toHaveLength(1);

    f.clock.advance(1_000);
    await f.gw.idle();
    expect(posts).toEqual([{ messageId: `<ack-${ackId}@edigw>`, answered: 503 }, { messageId: `<ack-${ackId}@edigw>`, answered: 200 }]);
    const [done] = await ackJob();
    expect(done).toMatchObject({ state: 'done', attempts: 2, outcome: { channel: 'as2', status: 'mdn_ok', as2MessageId: `<ack-${ackId}@edigw>` } });

    // Globex's gateway received our 997 once, the bytes we stored
    await theirs.gw.idle();
    const received = ((await (await theirs.fetch('/api/v1/messages', { token: tokens.admin })).json()) as { messages: any[] }).messages.filter((m) => m.direction === 'inbound');
    expect(received).toHaveLength(1);
    const theirBytes = Buffer.from(await (await theirs.fetch(`/api/v1/messages/${received[0].id}/raw`, { token: tokens.admin })).arrayBuffer());
    const ourBytes = Buffer.from(await (await f.fetch(`/api/v1/messages/${ackId}/raw`, { token: tokens.admin })).arrayBuffer());
    expect(theirBytes.equals(ourBytes)).toBe(true);
  }, 60_000);
});
