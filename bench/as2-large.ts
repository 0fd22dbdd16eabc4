/**
 * A large AS2 message through a gateway process of its own (issue 15: "a 100 MB payload received
 * in bounded memory"): an X12 850 interchange signed by `openssl cms -sign -binary` and encrypted
 * by `openssl cms -encrypt -stream` (AES-256-CBC, BER), posted chunked to POST /as2 with a signed
 * MDN asked, until its last purchase order is feed-ready. The body is spooled to the file store as
 * it arrives and unwrapped streamed. Printed: the receive rate (to the MDN), MB per server
 * CPU-second to feed-ready, and the gateway's peak RSS (VmHWM) before and after; the baseline is
 * `openssl cms -decrypt` then `openssl cms -verify` of the same message (the receiver's crypto,
 * one process each, its peak RSS from /usr/bin/time), run in the same bench.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { base850 } from '../test/support/buyer.ts';
import { spawnGateway } from '../test/support/gateway-process.ts';
import { interchange850 } from '../test/support/x12-850-stream.ts';
import type { BenchArea, BenchRow } from './lib.ts';
import { processUsage } from './process-usage.ts';

const ADMIN = 'admin-as2-large-bench';

const openssl = (cwd: string, args: string[]) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** runs a command under GNU time; its peak RSS in MB and wall seconds */
function measure(cwd: string, cmd: string[]): { seconds: number; peakRssMb: number } {
  const report = path.join(cwd, 'time.txt');
  const t0 = performance.now();
  execFileSync('/usr/bin/time', ['-o', report, '-f', '%M', ...cmd], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  const kb = Number(readFileSync(report, 'utf8').trim().split('\n').at(-1));
  return { seconds, peakRssMb: Math.round(kb / 1024) };
}

async function writeMessage(dir: string, mb: number): Promise<{ file: string; pos: number; payloadMb: number }> {
  const ic = interchange850(mb * 1048576, 100);
  const entity = path.join(dir, 'entity.bin');
  const out = createWriteStream(entity);
  out.write('Content-Type: application/edi-x12\r\nContent-Disposition: attachment; filename=big.edi\r\n\r\n');
  for await (const c of ic.chunks()) if (!out.write(c)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  openssl(dir, ['cms', '-sign', '-binary', '-in', entity, '-signer', 'acme.crt', '-inkey', 'acme.key', '-md', 'sha256', '-out', 'signed.eml']);
  openssl(dir, ['cms', '-encrypt', '-binary', '-stream', '-in', 'signed.eml', '-outform', 'DER', '-aes256', '-recip', 'edigw.crt', '-out', 'message.der']);
  rmSync(entity);
  return { file: path.join(dir, 'message.der'), pos: ic.sets, payloadMb: ic.bytes / 1048576 };
}

async function feedReady(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/status`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await res.json()) as { counts?: Record<string, number> }).counts?.documents_ready ?? 0;
}

export const run: BenchArea = async (opts) => {
  const sizes = opts.quick ? [10] : [10, 100];
  const rows: BenchRow[] = [];
  for (const mb of sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-as2-large-'));
    try {
      for (const name of ['edigw', 'acme']) {
        openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${name}`, '-days', '30']);
      }
      mkdirSync(path.join(dir, 'partners'));
      mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
      writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), `id: buyerco
name: BuyerCo over AS2
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
  as2: BUYERCO-AS2
as2:
  url: http://127.0.0.1:9/as2
  certificate: ../acme.crt
`);
      writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
      const msg = await writeMessage(dir, mb);
      const bodyMb = statSync(msg.file).size / 1048576;

      // the baseline: openssl doing the receiver's crypto on the same message
      const dec = measure(dir, ['openssl', 'cms', '-decrypt', '-binary', '-inform', 'DER', '-in', 'message.der', '-inkey', 'edigw.key', '-recip', 'edigw.crt', '-out', 'decrypted.eml']);
      const ver = measure(dir, ['openssl', 'cms', '-verify', '-binary', '-in', 'decrypted.eml', '-CAfile', 'acme.crt', '-purpose', 'any', '-out', 'verified.bin']);
      rmSync(path.join(dir, 'decrypted.eml'));
      rmSync(path.join(dir, 'verified.bin'));
      const baselineSeconds = dec.seconds + ver.seconds;

      const gw = await spawnGateway({
        EDIGW_DATABASE_URL: path.join(dir, 'gateway.db'), EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
        EDIGW_ADMIN_TOKEN: ADMIN, EDIGW_AS2_ID: 'EDIGW', EDIGW_AS2_KEY_FILE: path.join(dir, 'edigw.key'), EDIGW_AS2_CERT_FILE: path.join(dir, 'edigw.crt'),
        EDIGW_LOG_LEVEL: 'info',
      });
      try {
        const idle = processUsage(gw.child.pid!);
        const t0 = performance.now();
        const res = await fetch(`${gw.url}/as2`, {
          method: 'POST', duplex: 'half',
          headers: {
            'AS2-Version': '1.2', 'AS2-From': 'BUYERCO-AS2', 'AS2-To': 'EDIGW', 'Message-ID': `<as2-large-${mb}@bench>`, 'MIME-Version': '1.0',
            'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"', 'Disposition-Notification-To': 'bench@buyerco',
            'Disposition-Notification-Options': 'signed-receipt-protocol=required, pkcs7-signature; signed-receipt-micalg=required, sha-256',
          },
          body: createReadStream(msg.file) as unknown as BodyInit,
        } as RequestInit);
        const mdn = await res.text();
        const received = (performance.now() - t0) / 1000;
        if (res.status !== 200 || !mdn.includes('MDN-sent-automatically; processed\r\n')) throw new Error(`the ${mb} MB message got ${res.status}: ${mdn.slice(0, 600)}`);
        const afterMdn = processUsage(gw.child.pid!).peakRssMb;
        while ((await feedReady(gw.url)) < msg.pos) {
          if (performance.now() - t0 > 1_800_000) throw new Error('timed out waiting for feed-ready');
          await new Promise((r) => setTimeout(r, 500));
        }
        const seconds = (performance.now() - t0) / 1000;
        const done = processUsage(gw.child.pid!);
        rows.push({
          area: 'as2-large', name: `a ${mb} MB X12 850 over AS2 (signed, AES-256-CBC -stream), received to its signed MDN`,
          value: bodyMb / received, unit: 'MB/s', peakRssMb: afterMdn,
          baseline: { name: 'openssl cms -decrypt + -verify of the same message', value: bodyMb / baselineSeconds, unit: 'MB/s' },
          notes: `body ${bodyMb.toFixed(1)} MB; MDN after ${received.toFixed(1)} s; openssl ${dec.seconds.toFixed(1)} + ${ver.seconds.toFixed(1)} s, peak RSS ${dec.peakRssMb} / ${ver.peakRssMb} MB; gateway peak RSS ${idle.peakRssMb} MB idle, ${afterMdn} MB at the MDN, ${done.peakRssMb} MB at feed-ready`,
        });
        rows.push({
          area: 'as2-large', name: `the same ${mb} MB message to feed-ready (${msg.pos.toLocaleString('en-US')} POs)`,
          value: msg.payloadMb / (done.cpuSeconds - idle.cpuSeconds), unit: 'MB per server CPU-second', peakRssMb: done.peakRssMb,
          notes: `${seconds.toFixed(1)} s wall, ${(done.cpuSeconds - idle.cpuSeconds).toFixed(1)} CPU-s`,
        });
      } finally {
        await gw.kill('SIGTERM');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
};
