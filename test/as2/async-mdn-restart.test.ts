/**
 * An asynchronous MDN the gateway owes a partner survives kill -9 (its mdn.post job is committed
 * with the stored MDN before the partner hears "received"): the real gateway process
 * (`node --import tsx src/main.ts`) receives an AS2 message signed with the openssl CLI, the
 * partner's receipt endpoint refuses the first post, the gateway is killed before its retry, and
 * the restarted gateway posts the signed MDN, which openssl verifies against our certificate.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { X12_ENTITY, postAs2 } from './fixtures.ts';
import { createPki, opensslSign, opensslVerify, splitSmime, type Party, type Pki } from './openssl.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-mdn-restart-'));
let pki: Pki;
let ours: Party, acme: Party;
let env: Record<string, string>;
let gw: GatewayProcess | undefined;

/** ACME's Receipt-Delivery-Option endpoint: 503 while `refusing`, records what it accepted */
const accepted: Array<{ headers: IncomingMessage['headers']; body: Buffer }> = [];
let refusing = true;
let refused = 0;
const receiptServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (refusing) { refused++; res.writeHead(503).end('maintenance'); return; }
    accepted.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200).end('ok');
  });
});

beforeAll(async () => {
  pki = createPki();
  ours = pki.party('edigw');
  acme = pki.party('acme');
  await new Promise<void>((r) => receiptServer.listen(0, '127.0.0.1', r));
  mkdirSync(path.join(dir, 'partners', 'certs'), { recursive: true });
  mkdirSync(path.join(dir, 'mappings'));
  writeFileSync(path.join(dir, 'partners', 'certs', 'acme.pem'), acme.certPem);
  writeFileSync(path.join(dir, 'partners', 'acme.yaml'), `id: acme
name: ACME Supply
status: production
identifiers:
  x12: { qualifier: ZZ, id: ACMESUPPLY }
  as2: ACME-AS2
as2:
  url: http://127.0.0.1:9/as2
  certificate: ./certs/acme.pem
  requireEncrypted: false
`);
  env = {
    EDIGW_DATABASE_URL: path.join(dir, 'gateway.db'),
    EDIGW_PARTNERS_DIR: path.join(dir, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
    EDIGW_ADMIN_TOKEN: 'admin-mdn-restart-token',
    EDIGW_ERP_TOKEN: 'erp-mdn-restart-token',
    EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_KEY_FILE: ours.key, EDIGW_AS2_CERT_FILE: ours.cert,
    EDIGW_LOG_LEVEL: 'info',
  };
}, 60_000);
afterAll(async () => {
  await gw?.kill('SIGKILL');
  await new Promise<void>((r) => receiptServer.close(() => r()));
  pki?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${gw?.stderr.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('asynchronous MDN across kill -9', () => {
  it('a post refused before the crash is resumed by the restarted gateway and delivered once', async () => {
    gw = await spawnGateway(env);
    const receiptUrl = `http://127.0.0.1:${(receiptServer.address() as AddressInfo).port}/mdn`;
    const messageId = '<restart-1@acme.example>';
    const { contentType, body } = splitSmime(opensslSign(pki, X12_ENTITY, acme, 'sha256'));
    const res = await postAs2(`${gw.url}/as2`, { contentType, body, messageId, signedMdnMic: 'sha-256', receiptUrl });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('asynchronously');

    // the refusal is recorded (the gateway logs its retry plan), then the process dies before the retry
    await until('the refused post to be recorded', () => gw!.stderr.some((l) => l.includes('as2 async MDN not accepted, will retry')), 20_000);
    // (the retry comes after a full-jitter delay under 2 s: it may have been refused once more before the kill)
    expect(refused).toBeGreaterThanOrEqual(1);
    await gw.kill('SIGKILL');
    refusing = false;

    gw = await spawnGateway(env);
    const started = gw.stderr.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'gateway started');
    expect(started?.mdnPostsResumed).toBe(1);
    await until('the MDN to arrive', () => accepted.length === 1, 30_000);
    const receipt = accepted[0]!;
    expect(receipt.headers['as2-from']).toBe('EDIGW');
    expect(receipt.headers['as2-to']).toBe('ACME-AS2');
    const report = opensslVerify(pki, String(receipt.headers['content-type']), receipt.body, ours).toString('latin1');
    expect(report).toContain(`Original-Message-ID: ${messageId}`);
    expect(report).toContain('processed\r\n');

    // settled: no second post, no exception for the MDN
    await new Promise((r) => setTimeout(r, 500));
    expect(accepted.length).toBe(1);
    const exceptions = await (await fetch(`${gw.url}/api/v1/exceptions?status=open`, { headers: { authorization: `Bearer ${env.EDIGW_ADMIN_TOKEN}` } })).json() as { exceptions: Array<{ code: string }> };
    expect(exceptions.exceptions.map((e) => e.code)).not.toContain('as2_async_mdn_undeliverable');
    // one mdn.post job (committed with the stored MDN before the 200 answer), done on the attempt after the refusals
    const jobs = await (await fetch(`${gw.url}/api/v1/jobs?kind=mdn.post`, { headers: { authorization: `Bearer ${env.EDIGW_ADMIN_TOKEN}` } })).json() as { jobs: Array<{ state: string; attempts: number; partnerId: string }> };
    expect(jobs.jobs).toMatchObject([{ state: 'done', partnerId: 'acme' }]);
    expect(jobs.jobs[0]!.attempts).toBeGreaterThanOrEqual(refused + 1); // each refusal was an attempt (a kill mid-attempt counts one more); the one after the restart delivered
  }, 120_000);
});
