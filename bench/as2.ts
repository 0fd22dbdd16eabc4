/**
 * AS2 receive rate: signed + encrypted (AES-256-CBC, RSAES-PKCS1-v1_5) 10 KB messages through
 * the receiver handler with a synchronous signed MDN (RSA-2048), 8 in flight, beside node:crypto's
 * raw RSA sign + RSA encrypt + AES-256-CBC of the same 10 KB in the same run. Plus the PKCS#1 v1.5
 * key unwrap we chose (OpenSSL raw RSA + our unpadding) beside node-forge's pure-JS RSA.
 */
import { constants, createCipheriv, createPrivateKey, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, sign, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { BenchArea, BenchRow } from './lib.ts';
import { opsPerSecond, withPeakRss } from './lib.ts';
import { createAs2Receiver } from '../src/transports/as2/receiver.ts';
import { createMemoryMdnStore } from '../src/transports/as2/mdn-store.ts';
import { buildAs2Message } from '../src/transports/as2/build-message.ts';
import { unwrapContentKey } from '../src/transports/as2/rsa-key-transport.ts';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';

interface Identity { keyPem: string; certPem: string }

function makeIdentity(dir: string, name: string): Identity {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-days', '30'], { stdio: 'pipe' });
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}

function x12(size: number): Uint8Array {
  const seg = 'PO1*1*10*EA*9.5**VP*WIDGET-0001*BP*BUYER-PART-0001~\n';
  return new Uint8Array(Buffer.from(seg.repeat(Math.ceil(size / seg.length)).slice(0, size)));
}

export const run: BenchArea = async (opts) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'as2-bench-'));
  try {
    const gateway = makeIdentity(dir, 'edigw');
    const partner = makeIdentity(dir, 'acme');
    const payload = x12(10 * 1024);
    const built = await buildAs2Message({
      payload, contentType: 'application/edi-x12', filename: 'po.edi',
      identity: { privateKeyPem: partner.keyPem, certificatePem: partner.certPem }, recipientCertificatePem: gateway.certPem,
      sign: true, encrypt: true, compress: false, mic: 'sha256', cipher: 'aes256-cbc', keyTransport: 'rsaes-pkcs1-v1_5', now: new Date(),
    });
    let ingested = 0;
    const handler = createAs2Receiver({
      identity: { as2Id: 'EDIGW', privateKeyPem: gateway.keyPem, certificatePem: gateway.certPem },
      findPartner: () => ({ partnerId: 'acme', certificatesPem: [partner.certPem], requireSigned: true, requireEncrypted: true }),
      ingest: async () => ({ messageId: `msg_${++ingested}` }),
      mdnStore: createMemoryMdnStore(),
      clock: systemClock, logger: silentLogger,
      limits: { maxBodyBytes: 1 << 20, maxDecompressedBytes: 1 << 22 },
    });
    let seq = 0;
    const contentType = built.headers.find(([n]) => n === 'Content-Type')?.[1] ?? '';
    const requestHeaders = () => ({
      'AS2-From': 'ACME-AS2', 'AS2-To': 'EDIGW', 'Message-ID': `<bench-${++seq}@acme>`, 'Content-Type': contentType,
      'Disposition-Notification-To': 'x', 'Disposition-Notification-Options': 'signed-receipt-protocol=required, pkcs7-signature; signed-receipt-micalg=required, sha-256',
    });
    const receiveOne = async () => {
      const res = await handler(new Request('http://127.0.0.1/as2', { method: 'POST', headers: requestHeaders(), body: new Uint8Array(built.body) }));
      const text = await res.text();
      if (res.status !== 200 || !text.includes('processed\r\n')) throw new Error(`receive failed: ${res.status}`);
    };
    const inFlight = 8;
    const minMs = opts.quick ? 800 : 5000;
    const { result: received, peakRssMb } = await withPeakRss(() => opsPerSecond(() => Promise.all(Array.from({ length: inFlight }, receiveOne)), minMs, inFlight));

    // the same over real HTTP: @hono/node-server on 127.0.0.1, fetch with 8 in flight
    const server = await new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
      const srv = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({
        url: `http://127.0.0.1:${info.port}/as2`, close: () => new Promise<void>((r) => { srv.close(() => r()); }),
      }));
    });
    const postOne = async () => {
      const res = await fetch(server.url, { method: 'POST', headers: requestHeaders(), body: new Uint8Array(built.body) });
      const text = await res.text();
      if (res.status !== 200 || !text.includes('processed\r\n')) throw new Error(`receive over HTTP failed: ${res.status}`);
    };
    let overHttp: number;
    try {
      overHttp = await opsPerSecond(() => Promise.all(Array.from({ length: inFlight }, postOne)), minMs, inFlight);
    } finally {
      await server.close();
    }

    const gatewayKey = createPrivateKey(gateway.keyPem);
    const partnerPub = new X509Certificate(partner.certPem).publicKey;
    const rawSignEncrypt = await opsPerSecond(() => {
      sign('sha256', payload, gatewayKey);
      const cek = randomBytes(32);
      publicEncrypt({ key: partnerPub, padding: constants.RSA_PKCS1_PADDING }, cek);
      const c = createCipheriv('aes-256-cbc', cek, randomBytes(16));
      Buffer.concat([c.update(payload), c.final()]);
    }, minMs);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrapped = publicEncrypt({ key: rsa.publicKey, padding: constants.RSA_PKCS1_PADDING }, randomBytes(32));
    const unwrapMs = opts.quick ? 300 : 2000;
    const ours = await opsPerSecond(() => unwrapContentKey(rsa.privateKey, wrapped, 'rsaes-pkcs1-v1_5', 32), unwrapMs);
    const forgeKey = forge.pki.privateKeyFromPem(rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const wrappedBinary = Buffer.from(wrapped).toString('binary');
    const forgeRate = await opsPerSecond(() => forgeKey.decrypt(wrappedBinary, 'RSAES-PKCS1-V1_5'), unwrapMs);
    const rawNoPadding = await opsPerSecond(() => privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_NO_PADDING }, wrapped), unwrapMs);

    const rows: BenchRow[] = [
      {
        area: 'as2', name: 'receive signed+encrypted 10 KB, sync signed MDN (RSA-2048, 8 in flight)', value: received, unit: 'msg/s',
        baseline: { name: 'node:crypto RSA-2048 sign + RSA encrypt + AES-256-CBC 10 KB', value: rawSignEncrypt, unit: 'ops/s' }, peakRssMb,
        notes: 'handler called with a Request (no socket); each message: RSA decrypt, AES, verify, MIC, MDN sign',
      },
      {
        area: 'as2', name: 'same over HTTP (@hono/node-server on 127.0.0.1, fetch, 8 in flight)', value: overHttp, unit: 'msg/s',
        baseline: { name: 'node:crypto RSA-2048 sign + RSA encrypt + AES-256-CBC 10 KB', value: rawSignEncrypt, unit: 'ops/s' },
      },
      {
        area: 'as2', name: 'PKCS#1 v1.5 key unwrap: OpenSSL RSA_NO_PADDING + constant-time unpad', value: ours, unit: 'ops/s',
        baseline: { name: 'node-forge pure-JS RSAES-PKCS1-v1_5 decrypt', value: forgeRate, unit: 'ops/s' },
        notes: `raw RSA_NO_PADDING alone ${Math.round(rawNoPadding)} ops/s`,
      },
    ];
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
