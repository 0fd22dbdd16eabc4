/**
 * The SFTP poller against a real OpenSSH server (Debian openssh-server, throwaway config on
 * loopback): what is taken, when, and what happens to the remote file afterwards.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';
import { freshFolders, makePoller, putRemote, sftpConfig } from './setup.ts';

const X12 = 'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*GATEWAY        *261123*1200*U*00401*000000001*0*P*>~';

describe.skipIf(!sshdAvailable())('SFTP poller against OpenSSH', () => {
  let sshd: TestSshd;
  beforeAll(async () => { sshd = await startSshd(); });
  afterAll(async () => { await sshd?.dispose(); });

  it('takes each file, commits the exact bytes with their origin, then moves it into the archive', async () => {
    const { inbox, archive } = freshFolders(sshd);
    putRemote(inbox, 'po-1.edi', `${X12}\n1`);
    putRemote(inbox, 'po-2.edi', `${X12}\n2`);
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, archive }));

    const result = await poller.pollOnce();

    expect(result.ok).toBe(true);
    expect(result.taken.map((t) => t.name).sort()).toEqual(['po-1.edi', 'po-2.edi']);
    expect(store.stored.map((m) => Buffer.from(m.bytes).toString()).sort()).toEqual([`${X12}\n1`, `${X12}\n2`]);
    const first = store.stored.find((m) => m.metadata.fileName === 'po-1.edi')!;
    expect(first.transport).toBe('sftp');
    expect(first.partnerId).toBe('acme');
    expect(first.metadata.remotePath).toBe(`${inbox}/po-1.edi`);
    expect(first.metadata.size).toBe(String(`${X12}\n1`.length));
    expect(readdirSync(inbox)).toEqual([]);
    expect(readdirSync(archive).sort()).toEqual(['po-1.edi', 'po-2.edi']);
    expect(readFileSync(path.join(archive, 'po-2.edi'), 'utf8')).toBe(`${X12}\n2`);
    expect(poller.status()).toMatchObject({ consecutiveFailures: 0, filesTaken: 2 });
    expect(poller.status().lastSuccessAt).toBeDefined();

    const again = await poller.pollOnce();
    expect(again.taken).toEqual([]);
    expect(store.calls).toBe(2);
  });

  it('deletes the file after the commit when no archive is configured', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'invoice.x12', X12);
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox }));

    const result = await poller.pollOnce();

    expect(result.taken).toHaveLength(1);
    expect(result.taken[0]!.archivedAs).toBeUndefined();
    expect(store.stored).toHaveLength(1);
    expect(readdirSync(inbox)).toEqual([]);
  });

  it('never overwrites in the archive: a name already there gets a ~n suffix', async () => {
    const { inbox, archive } = freshFolders(sshd);
    writeFileSync(path.join(archive, 'order.edi'), 'yesterday');
    writeFileSync(path.join(archive, 'order~1.edi'), 'the day before');
    putRemote(inbox, 'order.edi', 'today');
    const { poller } = makePoller(sshd, sftpConfig(sshd, { inbox, archive }));

    const result = await poller.pollOnce();

    expect(result.taken[0]!.archivedAs).toBe(`${archive}/order~2.edi`);
    expect(readFileSync(path.join(archive, 'order.edi'), 'utf8')).toBe('yesterday');
    expect(readFileSync(path.join(archive, 'order~1.edi'), 'utf8')).toBe('the day before');
    expect(readFileSync(path.join(archive, 'order~2.edi'), 'utf8')).toBe('today');
  });

  it('takes only names matching the pattern, never hidden files or folders', async () => {
    const { inbox } = freshFolders(sshd);
    for (const name of ['a.edi', 'b.x12', 'c.txt', '.d.edi', '.e.edi.part']) putRemote(inbox, name, name);
    mkdirSync(path.join(inbox, 'sub.edi')); // a folder whose name matches is never taken
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, pattern: '*.{edi,x12}' }));

    const result = await poller.pollOnce();

    expect(result.taken.map((t) => t.name).sort()).toEqual(['a.edi', 'b.x12']);
    expect(store.stored).toHaveLength(2);
    expect(readdirSync(inbox).sort()).toEqual(['.d.edi', '.e.edi.part', 'c.txt', 'sub.edi']);
  });

  it('does not take a file still being written (size unchanged across 2 polls)', async () => {
    const { inbox } = freshFolders(sshd);
    const file = putRemote(inbox, 'asn.edi', 'ISA*first half');
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, stableRule: { sizeUnchangedPolls: 2 } }));

    const first = await poller.pollOnce();
    expect(first.taken).toEqual([]);
    expect(first.waiting).toEqual(['asn.edi']);

    appendFileSync(file, '*second half~');
    const second = await poller.pollOnce();
    expect(second.taken).toEqual([]);
    expect(second.waiting).toEqual(['asn.edi']);
    expect(store.calls).toBe(0);

    const third = await poller.pollOnce();
    expect(third.taken.map((t) => t.name)).toEqual(['asn.edi']);
    expect(Buffer.from(store.stored[0]!.bytes).toString()).toBe('ISA*first half*second half~');
    expect(existsSync(file)).toBe(false);
  });

  it('with minAgeSeconds, waits until the file is that old by its modification time', async () => {
    const { inbox } = freshFolders(sshd);
    const written = Date.parse('2026-11-23T12:00:00Z') / 1000;
    putRemote(inbox, 'po.edi', X12, written);
    const clock = fixedClock('2026-11-23T12:00:20Z');
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, stableRule: { minAgeSeconds: 30 } }), { clock });

    expect((await poller.pollOnce()).waiting).toEqual(['po.edi']);
    clock.set('2026-11-23T12:00:30Z');
    expect((await poller.pollOnce()).taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(store.stored).toHaveLength(1);
  });

  it('does not ingest the same content twice, but still clears both files', async () => {
    const { inbox, archive } = freshFolders(sshd);
    putRemote(inbox, 'po.edi', X12, 1_700_000_000);
    putRemote(inbox, 'po-resent.edi', X12, 1_700_000_100);
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, archive, concurrency: 1 }));

    const result = await poller.pollOnce();

    expect(store.stored).toHaveLength(1);
    const resent = result.taken.find((t) => t.name === 'po-resent.edi')!;
    expect(resent.duplicateOf).toBe(store.stored[0]!.messageId);
    expect(readdirSync(inbox)).toEqual([]);
    expect(readdirSync(archive).sort()).toEqual(['po-resent.edi', 'po.edi']);
  });

  it('skips ingest entirely for content the caller has already seen', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'again.edi', X12);
    const calls: string[] = [];
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox }), {
      seen: async (sha) => { calls.push(sha); return 'msg_earlier'; },
    });

    const result = await poller.pollOnce();

    // SHA-256 of the X12 line, computed independently
    const { createHash } = await import('node:crypto');
    expect(calls).toEqual([createHash('sha256').update(X12).digest('hex')]);
    expect(store.calls).toBe(0);
    expect(result.taken[0]).toMatchObject({ name: 'again.edi', duplicateOf: 'msg_earlier', messageId: 'msg_earlier' });
    expect(readdirSync(inbox)).toEqual([]);
  });

  it('leaves the remote file in place when ingest fails, and takes it on a later poll', async () => {
    const { inbox, archive } = freshFolders(sshd);
    putRemote(inbox, 'po.edi', X12);
    const { poller, store, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox, archive }));
    store.before = () => { throw new Error('database is locked'); };

    const failed = await poller.pollOnce();

    expect(failed.taken).toEqual([]);
    expect(failed.failed).toEqual([expect.objectContaining({ name: 'po.edi', code: 'sftp_ingest_failed' })]);
    expect(failed.failed[0]!.message).toContain('database is locked');
    expect(alerts.map((a) => a.code)).toEqual(['sftp_ingest_failed']);
    expect(readdirSync(inbox)).toEqual(['po.edi']);
    expect(readdirSync(archive)).toEqual([]);

    store.before = undefined;
    const retried = await poller.pollOnce();
    expect(retried.taken.map((t) => t.name)).toEqual(['po.edi']);
    expect(store.stored).toHaveLength(1);
    expect(readdirSync(archive)).toEqual(['po.edi']);
  });

  it('never half-ingests: a file that grows or vanishes while the poll runs is left for the next poll', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'a.edi', 'first', 1_700_000_000);
    const growing = putRemote(inbox, 'b.edi', 'second, part 1', 1_700_000_100);
    putRemote(inbox, 'c.edi', 'third', 1_700_000_200);
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, concurrency: 1 }));
    // while a.edi is being committed, the partner appends to b.edi and removes c.edi
    store.before = (m) => {
      if (m.metadata.fileName !== 'a.edi') return;
      appendFileSync(growing, ', part 2');
      rmSync(path.join(inbox, 'c.edi'));
    };

    const result = await poller.pollOnce();

    expect(result.taken.map((t) => t.name)).toEqual(['a.edi']);
    expect(result.failed.map((f) => [f.name, f.code])).toEqual([['b.edi', 'sftp_transfer_incomplete'], ['c.edi', 'sftp_file_vanished']]);
    expect(store.stored.map((m) => Buffer.from(m.bytes).toString())).toEqual(['first']);
    expect(readdirSync(inbox)).toEqual(['b.edi']);

    store.before = undefined;
    const next = await poller.pollOnce();
    expect(next.taken.map((t) => t.name)).toEqual(['b.edi']);
    expect(Buffer.from(store.stored[1]!.bytes).toString()).toBe('second, part 1, part 2');
  });

  it('refuses names with control characters and files over maxFileBytes, alerting once and leaving them', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'forged\nlog line.edi', 'x');
    putRemote(inbox, 'esc\u001b[31m.edi', 'x');
    putRemote(inbox, 'huge.edi', Buffer.alloc(2048, 0x41));
    putRemote(inbox, 'fine.edi', 'ok');
    const { poller, store, alerts } = makePoller(sshd, sftpConfig(sshd, { inbox, maxFileBytes: 1024 }));

    const result = await poller.pollOnce();

    expect(result.taken.map((t) => t.name)).toEqual(['fine.edi']);
    expect(result.refused.map((r) => [r.name, r.code]).sort()).toEqual([
      ['esc\u001b[31m.edi', 'sftp_unsafe_remote_name'],
      ['forged\nlog line.edi', 'sftp_unsafe_remote_name'],
      ['huge.edi', 'sftp_file_too_large'],
    ]);
    expect(alerts.map((a) => a.code).sort()).toEqual(['sftp_file_too_large', 'sftp_unsafe_remote_name', 'sftp_unsafe_remote_name']);
    const forged = alerts.find((a) => a.message.includes('forged'))!;
    expect(forged.message).toContain('forged\\nlog line.edi'); // escaped, cannot forge a log line
    expect(forged.message).toContain('U+000A');
    expect(store.stored).toHaveLength(1);
    expect(readdirSync(inbox).sort()).toEqual(['esc\u001b[31m.edi', 'forged\nlog line.edi', 'huge.edi']);

    const again = await poller.pollOnce();
    expect(again.refused).toHaveLength(3);
    expect(alerts).toHaveLength(3); // no repeated alert while the same files sit there
  });

  it('an empty file is committed as 0 bytes (the pipeline says why it is bad), never dropped', async () => {
    const { inbox } = freshFolders(sshd);
    putRemote(inbox, 'empty.edi', '');
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox }));

    const result = await poller.pollOnce();

    expect(result.taken.map((t) => [t.name, t.size])).toEqual([['empty.edi', 0]]);
    expect(store.stored.map((m) => m.bytes.length)).toEqual([0]);
    expect(store.stored[0]!.contentSha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('downloads at most `concurrency` files at once for the partner', async () => {
    const { inbox } = freshFolders(sshd);
    for (let i = 0; i < 6; i++) putRemote(inbox, `po-${i}.edi`, `po ${i}`);
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, concurrency: 2 }));
    let inFlight = 0;
    let most = 0;
    store.before = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
    };

    const result = await poller.pollOnce();

    expect(result.taken).toHaveLength(6);
    expect(most).toBe(2);
  });

  it('start() polls on its own and stop() finishes the file in flight', async () => {
    const { inbox, archive } = freshFolders(sshd);
    putRemote(inbox, 'one.edi', 'one');
    const { poller, store } = makePoller(sshd, sftpConfig(sshd, { inbox, archive, pollSeconds: 0.1 }));
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let entered!: () => void;
    const inIngest = new Promise<void>((r) => { entered = r; });
    store.before = async () => { entered(); await held; };

    poller.start();
    expect(poller.status().running).toBe(true);
    await inIngest;
    const stopped = poller.stop();
    release();
    await stopped;

    expect(store.stored.map((m) => m.metadata.fileName)).toEqual(['one.edi']);
    expect(readdirSync(archive)).toEqual(['one.edi']);
    expect(poller.status().running).toBe(false);
    putRemote(inbox, 'two.edi', 'two');
    await new Promise((r) => setTimeout(r, 300));
    expect(store.stored).toHaveLength(1); // stopped: nothing more is taken
  });
});
