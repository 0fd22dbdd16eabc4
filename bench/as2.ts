/**
 * AS2 receive rate: signed + encrypted 10 KB messages (AES-256-CBC in EnvelopedData, and AES-256-GCM
 * in AuthEnvelopedData; RSAES-PKCS1-v1_5 key transport) through the receiver handler with a
 * synchronous signed MDN (RSA-2048), 8 in flight, each beside node:crypto doing the same
 * receiver-side operations on the same sizes in the same run: RSA-2048 key unwrap (raw, as ours),
 * AES decrypt of 10 KB, SHA-256 of the signed part + RSA verify, SHA-256 MIC, RSA-2048 sign of the
 * MDN. Plus the PKCS#1 v1.5 key unwrap we chose (OpenSSL raw RSA + our unpadding) beside
 * node-forge's pure-JS RSA.
 */
import { constants, createCipheriv, createDecipheriv, createHash, createPrivateKey, verify, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, sign, X509Certificate } from 'node:crypto';
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
    const buildWith = (cipher: 'aes256-cbc' | 'aes256-gcm') => buildAs2Message({
      payload, contentType: 'application/edi-x12', filename: 'po.edi',
      identity: { privateKeyPem: partner.keyPem, certificatePem: partner.certPem }, recipientCertificatePem: gateway.certPem,
      sign: true, encrypt: true, compress: false, mic: 'sha256', cipher, keyTransport: 'rsaes-pkcs1-v1_5', now: new Date(),
    });
    const built = await buildWith('aes256-cbc');
    const builtGcm = await buildWith('aes256-gcm');
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
    const typeOf = (b: typeof built) => b.headers.find(([n]) => n === 'Content-Type')?.[1] ?? '';
    const contentType = typeOf(built);
    const requestHeaders = (ct = contentType) => ({
      'AS2-From': 'ACME-AS2', 'AS2-To': 'EDIGW', 'Message-ID': `<bench-${++seq}@acme>`, 'Content-Type': ct,
      'Disposition-Notification-To': 'x', 'Disposition-Notification-Options': 'signed-receipt-protocol=required, pkcs7-signature; signed-receipt-micalg=required, sha-256',
    });
    const receiveOne = async () => {
      const res = await handler(new Request('http://127.0.0.1/as2', { method: 'POST', headers: requestHeaders(), body: new Uint8Array(built.body) }));
      const text = await res.text();
      if (res.status !== 200 || !text.includes('processed\r\n')) throw new Error(`receive failed: ${res.status}`);
    };
    const inFlight = 8;
    const minMs = opts.quick ? 800 : 5000;
    const gcmType = typeOf(builtGcm);
    const receiveGcm = async () => {
      const res = await handler(new Request('http://127.0.0.1/as2', { method: 'POST', headers: requestHeaders(gcmType), body: new Uint8Array(builtGcm.body) }));
      const text = await res.text();
      if (res.status !== 200 || !text.includes('processed\r\n')) throw new Error(`GCM receive failed: ${res.status}`);
    };

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

    // node:crypto alone, the receiver's operations on the same sizes: what the handler cannot beat
    const gatewayKey = createPrivateKey(gateway.keyPem);
    const gatewayPub = new X509Certificate(gateway.certPem).publicKey;
    const partnerKey = createPrivateKey(partner.keyPem);
    const partnerPub = new X509Certificate(partner.certPem).publicKey;
    const cek = randomBytes(32);
    const wrappedCek = publicEncrypt({ key: gatewayPub, padding: constants.RSA_PKCS1_PADDING }, cek);
    const signedPart = Buffer.concat([Buffer.from('Content-Type: application/edi-x12\r\n\r\n'), payload]);
    const attrs = randomBytes(110); // the signed attributes' DER is about this long
    const partnerSig = sign('sha256', attrs, partnerKey);
    const cbcIv = randomBytes(16);
    const cbc = createCipheriv('aes-256-cbc', cek, cbcIv);
    const cbcCipherText = Buffer.concat([cbc.update(signedPart), cbc.final()]);
    const gcmIv = randomBytes(12);
    const gcm = createCipheriv('aes-256-gcm', cek, gcmIv);
    const gcmCipherText = Buffer.concat([gcm.update(signedPart), gcm.final()]);
    const gcmTag = gcm.getAuthTag();
    const receiverOps = (mode: 'cbc' | 'gcm') => () => {
      // raw RSA as our unwrap does (PKCS#1 v1.5 block: the key is its last 32 bytes)
      const key = privateDecrypt({ key: gatewayKey, padding: constants.RSA_NO_PADDING }, wrappedCek).subarray(-32);
      if (mode === 'cbc') {
        const d = createDecipheriv('aes-256-cbc', key, cbcIv);
        Buffer.concat([d.update(cbcCipherText), d.final()]);
      } else {
        const d = createDecipheriv('aes-256-gcm', key, gcmIv);
        d.setAuthTag(gcmTag);
        Buffer.concat([d.update(gcmCipherText), d.final()]);
      }
      createHash('sha256').update(signedPart).digest();
      if (!verify('sha256', attrs, partnerPub, partnerSig)) throw new Error('baseline verify failed');
      createHash('sha256').update(signedPart).digest(); // the MIC
      sign('sha256', attrs, gatewayKey); // the MDN signature
    };
    // warm both paths first (JIT, key caches), then each receiver rate right beside its baseline: the machine's load drifts
    for (let i = 0; i < 5; i++) {
      await Promise.all(Array.from({ length: inFlight }, receiveOne));
      await Promise.all(Array.from({ length: inFlight }, receiveGcm));
      receiverOps('cbc')();
      receiverOps('gcm')();
    }
    const { result: received, peakRssMb } = await withPeakRss(() => opsPerSecond(() => Promise.all(Array.from({ length: inFlight }, receiveOne)), minMs, inFlight));
    const rawReceive = await opsPerSecond(receiverOps('cbc'), minMs);
    const receivedGcm = await opsPerSecond(() => Promise.all(Array.from({ length: inFlight }, receiveGcm)), minMs, inFlight);
    const rawReceiveGcm = await opsPerSecond(receiverOps('gcm'), minMs);
    const baseline = { name: 'node:crypto: RSA-2048 unwrap, AES-256-CBC decrypt 10 KB, SHA-256 + RSA verify, SHA-256 MIC, RSA-2048 sign', value: rawReceive, unit: 'ops/s' };

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
        area: 'as2', name: 'receive signed+encrypted (AES-256-CBC) 10 KB, sync signed MDN (RSA-2048, 8 in flight)', value: received, unit: 'msg/s',
        baseline, peakRssMb,
        notes: 'handler called with a Request (no socket, ingest a no-op); the MDN is signed on the libuv pool, the baseline signs inline',
      },
      {
        area: 'as2', name: 'receive signed+encrypted (AES-256-GCM, AuthEnvelopedData) 10 KB, sync signed MDN (8 in flight)', value: receivedGcm, unit: 'msg/s',
        baseline: { ...baseline, name: baseline.name.replace('AES-256-CBC', 'AES-256-GCM'), value: rawReceiveGcm },
      },
      {
        area: 'as2', name: 'AES-256-CBC over HTTP (@hono/node-server on 127.0.0.1, fetch in the same process, 8 in flight)', value: overHttp, unit: 'msg/s',
        baseline,
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
