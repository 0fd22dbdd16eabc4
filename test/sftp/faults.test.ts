/**
 * What the SFTP poller does when the partner's server misbehaves: wrong host key, refused login,
 * server down, server killed in the middle of a poll. Real OpenSSH server on loopback.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { isGatewayError } from '../../src/core/errors.ts';
import { createSftpPoller } from '../../src/transports/sftp/poller.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';
import { freshFolders, makePoller, putRemote, sftpConfig } from './setup.ts';

function otherKey(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-otherkey-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
  const key = readFileSync(path.join(dir, 'k'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return key;
}

describe.skipIf(!sshdAvailable())('SFTP poller faults against OpenSSH', () => {
  let sshd: TestSshd;
  beforeAll(async () => { sshd = await startSshd(); });
  afterAll(async () => { await sshd?.dispose(); });

  it('refuses a host key format other than "SHA256:<base64>" with a precise error', () => {
    const { inbox } = freshFolders(sshd);
    for (const bad of ['MD5:3b:1f:8e:4a:9c:00:11:22:33:44:55:66:77:88:99:aa', sshd.hostKeySha256.slice(7), `${sshd.hostKeySha256}=`, 'SHA256:short']) {
      let thrown: unknown;
      try {
        createSftpPoller({
          partnerId: 'acme', config: sftpConfig(sshd, { inbox, hostKeySha256: bad }), ingest: async () => ({ messageId: 'x' }),
          secrets: { privateKey: sshd.privateKey }, clock: fixedClock('2026-11-23T12:00:00Z'), logger: { debug() {}, info() {}, warn() {}, error() {} },
        });
      } catch (e) { thrown = e; }
      expect(isGatewayError(thrown) && thrown.code).toBe('sftp_host_key_format');
      expect(isGatewayError(thrown) && thrown.detail).toMatchObject({ partnerId: 'acme', field: 'hostKeySha256', found: bad });
    }
  });

  it('refuses a server whose host key is not the pinned one: alert, backoff, nothing read', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'po.edi', 'ISA');
    // a well-formed pin of some other key (SHA-256 of 32 zero bytes), not this server's
    const pinned = 'SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU';
    const clock = fixedClock('2026-11-23T12:00:00Z');
    const { poller, store, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox, hostKeySha256: pinned, pollSeconds: 30 }), { clock });

    const result = await poller.pollOnce();

    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'sftp_host_key_mismatch', detail: { expected: pinned, found: sshd.hostKeySha256 } });
    expect(alerts.map((a) => a.code)).toEqual(['sftp_host_key_mismatch']);
    expect(poller.status()).toMatchObject({ consecutiveFailures: 1, backoffUntil: '2026-11-23T12:00:30.000Z', lastError: { code: 'sftp_host_key_mismatch' } });
    expect(store.calls).toBe(0);
    expect(readdirSync(inbox)).toEqual(['po.edi']);
  });

  it('refused login (wrong key): alert each time and exponential backoff up to the cap', async () => {
    const { inbox } = freshFolders(sshd);
    const clock = fixedClock('2026-11-23T12:00:00Z');
    const { poller, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox, pollSeconds: 30, maxBackoffSeconds: 100 }), {
      clock, secrets: { privateKey: otherKey() },
    });

    const backoffs: Array<string | undefined> = [];
    for (let i = 0; i < 4; i++) {
      const r = await poller.pollOnce();
      expect(r.error?.code).toBe('sftp_auth_refused');
      backoffs.push(poller.status().backoffUntil);
    }
    // 30 s, 60 s, then capped at 100 s
    expect(backoffs).toEqual(['2026-11-23T12:00:30.000Z', '2026-11-23T12:01:00.000Z', '2026-11-23T12:01:40.000Z', '2026-11-23T12:01:40.000Z']);
    expect(poller.status().consecutiveFailures).toBe(4);
    expect(alerts.map((a) => a.code)).toEqual(Array(4).fill('sftp_auth_refused'));
    expect(alerts[0]!.message).toContain(`"${sshd.username}"`);
  });

  it('an inbox that does not exist is a visible failure, not an empty poll', async () => {
    const { inbox } = freshFolders(sshd);
    const { poller, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox: `${inbox}/missing` }));

    const result = await poller.pollOnce();

    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'sftp_inbox_unreadable', detail: { partnerId: 'acme', inbox: `${inbox}/missing` } });
    expect(alerts.map((a) => a.code)).toEqual(['sftp_inbox_unreadable']);
    expect(poller.status().consecutiveFailures).toBe(1);
  });

  it('server down: unreachable with backoff; once it is back, polling recovers and says so', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'po.edi', 'ISA');
    const { poller, store, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox }));
    await sshd.stop();
    try {
      const down = await poller.pollOnce();
      expect(down.error?.code).toBe('sftp_unreachable');
      expect(poller.status().consecutiveFailures).toBe(1);
      expect(poller.status().backoffUntil).toBeDefined();
    } finally {
      await sshd.restart();
    }
    const up = await poller.pollOnce();
    expect(up.ok).toBe(true);
    expect(store.stored).toHaveLength(1);
    expect(poller.status()).toMatchObject({ consecutiveFailures: 0 });
    expect(poller.status().backoffUntil).toBeUndefined();
    expect(alerts.map((a) => a.code)).toEqual(['sftp_unreachable', 'sftp_recovered']);
  });

  it('server killed mid-poll, after a commit and before the delete: every file is taken exactly once', async () => {
    const { inbox } = freshFolders(sshd);
    const contents = ['first document', 'second document', 'third document'];
    contents.forEach((c, i) => putRemote(inbox, `doc-${i + 1}.edi`, c, 1_700_000_000 + i));
    const { poller, store, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox, concurrency: 1 }));
    let killed = false;
    store.before = async () => {
      if (killed) return;
      killed = true;
      await sshd.stop(); // the server and its sessions die while the first file is committed
    };

    const broken = await poller.pollOnce();

    expect(broken.ok).toBe(false);
    expect(broken.error?.code).toBe('sftp_connection_lost');
    expect(broken.failed.map((f) => [f.name, f.code])).toEqual([['doc-1.edi', 'sftp_delete_failed']]);
    expect(store.stored.map((m) => m.metadata.fileName)).toEqual(['doc-1.edi']);
    expect(readdirSync(inbox).sort()).toEqual(['doc-1.edi', 'doc-2.edi', 'doc-3.edi']); // nothing lost
    expect(alerts.map((a) => a.code)).toContain('sftp_delete_failed');

    await sshd.restart();
    const resumed = await poller.pollOnce();

    expect(resumed.ok).toBe(true);
    expect(resumed.taken.map((t) => [t.name, t.duplicateOf !== undefined])).toEqual([
      ['doc-1.edi', true], ['doc-2.edi', false], ['doc-3.edi', false],
    ]);
    expect(store.stored.map((m) => Buffer.from(m.bytes).toString())).toEqual(contents);
    expect(readdirSync(inbox)).toEqual([]);
  });

  it('server killed while a large file is downloading: nothing ingested, the file stays, taken after restart', async () => {
    const { inbox } = freshFolders(sshd);
    const big = Buffer.alloc(32 * 1024 * 1024, 'ISA*00~');
    putRemote(inbox, 'big.edi', big);
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox }));

    const polling = poller.pollOnce();
    // kill the server as soon as its session process has the file open for our download
    const opened = () => sshd.openFiles().includes(`${inbox}/big.edi`);
    for (let i = 0; i < 1000 && !opened(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(opened()).toBe(true);
    await sshd.stop();
    const broken = await polling;
    await sshd.restart();

    expect(broken.ok).toBe(false);
    expect(broken.error?.code).toBe('sftp_connection_lost');
    expect(store.calls).toBe(0);
    expect(readdirSync(inbox)).toEqual(['big.edi']);

    const resumed = await poller.pollOnce();
    expect(resumed.taken.map((t) => t.name)).toEqual(['big.edi']);
    expect(store.stored).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(store.stored[0]!.bytes), big)).toBe(0);
  });
});
