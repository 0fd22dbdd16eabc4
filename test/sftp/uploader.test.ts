/**
 * Outbound documents and acks put on the partner's OpenSSH server: temporary name, then rename;
 * never overwrite, never an unsafe name, never a connection to an unpinned server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/core/errors.ts';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { createSftpUploader, uploadFile } from '../../src/transports/sftp/uploader.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';
import { sftpConfig } from './setup.ts';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; return undefined; } catch (e) { return isGatewayError(e) ? e.code : `not a GatewayError: ${String(e)}`; }
}

describe.skipIf(!sshdAvailable())('SFTP upload against OpenSSH', () => {
  let sshd: TestSshd;
  let outbox: string;
  let n = 0;
  beforeAll(async () => { sshd = await startSshd(); });
  afterAll(async () => { await sshd?.dispose(); });
  const freshOutbox = () => { outbox = path.join(sshd.filesDir, `inbound${++n}`); mkdirSync(outbox); return outbox; };

  it('writes the exact bytes under the final name and leaves no temporary file', async () => {
    const dir = freshOutbox();
    const ack = 'ISA*00*          *00*          *ZZ*GATEWAY        *ZZ*ACMESUPPLY     *261123*1200*U*00401*000000007*0*P*>~GS*FA*GATEWAY*ACMESUPPLY*20261123*1200*7*X*004010~';
    const result = await uploadFile({
      config: sftpConfig(sshd, { inbox: '/unused' }), secrets: { privateKey: sshd.privateKey },
      remoteDir: dir, fileName: '997_000000007.x12', bytes: new TextEncoder().encode(ack),
    });
    expect(result).toEqual({ remotePath: `${dir}/997_000000007.x12`, size: ack.length });
    expect(readFileSync(path.join(dir, '997_000000007.x12'), 'utf8')).toBe(ack);
    expect(readdirSync(dir)).toEqual(['997_000000007.x12']);
  });

  it('the final name never shows a partial file: bytes go to .<name>.part first', async () => {
    const dir = freshOutbox();
    const bytes = Buffer.alloc(24 * 1024 * 1024, 'UNH+1+ORDERS:D:96A:UN\'');
    const target = path.join(dir, 'orders.edi');
    const temp = path.join(dir, '.orders.edi.part');
    const sizesSeenAtTarget: number[] = [];
    let sawTemp = false;
    let done = false;
    const upload = uploadFile({ config: sftpConfig(sshd, { inbox: '/unused' }), secrets: { privateKey: sshd.privateKey }, remoteDir: dir, fileName: 'orders.edi', bytes })
      .finally(() => { done = true; });
    while (!done) {
      if (existsSync(temp)) sawTemp = true;
      try { sizesSeenAtTarget.push(statSync(target).size); } catch { /* not there yet */ }
      await new Promise((r) => setImmediate(r));
    }
    await upload;
    expect(sawTemp).toBe(true);
    expect(sizesSeenAtTarget.every((s) => s === bytes.length)).toBe(true);
    expect(readdirSync(dir)).toEqual(['orders.edi']);
    expect(Buffer.compare(readFileSync(target), bytes)).toBe(0);
  });

  it('never overwrites a file the partner has not collected yet', async () => {
    const dir = freshOutbox();
    writeFileSync(path.join(dir, 'po.edi'), 'earlier purchase order');
    const code = await codeOf(uploadFile({
      config: sftpConfig(sshd, { inbox: '/unused' }), secrets: { privateKey: sshd.privateKey },
      remoteDir: dir, fileName: 'po.edi', bytes: Buffer.from('later purchase order'),
    }));
    expect(code).toBe('sftp_upload_target_exists');
    expect(readFileSync(path.join(dir, 'po.edi'), 'utf8')).toBe('earlier purchase order');
    expect(readdirSync(dir)).toEqual(['po.edi']);
  });

  it('refuses unsafe names before connecting', async () => {
    const dir = freshOutbox();
    for (const fileName of ['../escape.edi', 'a/b.edi', 'x\n.edi', '..', 'nul\u0000.edi']) {
      const code = await codeOf(uploadFile({
        config: sftpConfig(sshd, { inbox: '/unused' }), secrets: { privateKey: sshd.privateKey },
        remoteDir: dir, fileName, bytes: Buffer.from('x'),
      }));
      expect(code).toBe('sftp_unsafe_remote_name');
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(sshd.filesDir)).not.toContain('escape.edi');
  });

  it('refuses a server with another host key', async () => {
    const dir = freshOutbox();
    const code = await codeOf(uploadFile({
      config: sftpConfig(sshd, { inbox: '/unused', hostKeySha256: 'SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU' }),
      secrets: { privateKey: sshd.privateKey }, remoteDir: dir, fileName: 'po.edi', bytes: Buffer.from('x'),
    }));
    expect(code).toBe('sftp_host_key_mismatch');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('createSftpUploader puts files in the partner outbox by default', async () => {
    const dir = freshOutbox();
    const logger = createMemoryLogger();
    const uploader = createSftpUploader({
      partnerId: 'acme', config: { ...sftpConfig(sshd, { inbox: '/unused' }), outbox: dir },
      secrets: { privateKey: sshd.privateKey }, logger,
    });
    await uploader.upload({ fileName: 'ORDERS_1.edi', bytes: Buffer.from("UNA:+.? 'UNB+UNOC:3+GATEWAY+ACME'") });
    expect(readFileSync(path.join(dir, 'ORDERS_1.edi'), 'utf8')).toBe("UNA:+.? 'UNB+UNOC:3+GATEWAY+ACME'");
    expect(logger.entries.map((e) => e.msg)).toContain('sftp file uploaded');
  });
});
