/**
 * Password login (profile `passwordEnv`, resolved by the caller) against OpenSSH, for a local
 * account that owns only its own folder.
 */
import { chownSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';
import { freshFolders, makePoller, putRemote, sftpConfig } from './setup.ts';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!sshdAvailable() || !isRoot)('SFTP password login against OpenSSH', () => {
  let sshd: TestSshd;
  beforeAll(async () => { sshd = await startSshd({ passwordUser: true }); });
  afterAll(async () => { await sshd?.dispose(); });

  function passwordConfig(inbox: string, archive: string) {
    const account = sshd.passwordAccount!;
    for (const dir of [inbox, archive]) chownSync(dir, account.uid, account.gid);
    const { privateKeyFile: _unused, ...config } = sftpConfig(sshd, { inbox, archive, username: account.username, passwordEnv: 'ACME_SFTP_PASSWORD' });
    return config;
  }

  it('logs in with the resolved password and takes the file', async () => {
    const { inbox, archive } = freshFolders(sshd);
    putRemote(inbox, 'po.edi', 'ISA*password');
    const { poller, store } = makePoller(sshd, passwordConfig(inbox, archive), { secrets: { password: sshd.passwordAccount!.password } });

    const result = await poller.pollOnce();

    expect(result.ok).toBe(true);
    expect(store.stored.map((m) => Buffer.from(m.bytes).toString())).toEqual(['ISA*password']);
    expect(readdirSync(archive)).toEqual(['po.edi']);
  });

  it('a wrong password is a refused login with an alert', async () => {
    const { inbox, archive } = freshFolders(sshd);
    putRemote(inbox, 'po.edi', 'ISA');
    const { poller, alerts } = makePoller(sshd, passwordConfig(inbox, archive), { secrets: { password: 'not-the-password' } });

    const result = await poller.pollOnce();

    expect(result.error?.code).toBe('sftp_auth_refused');
    expect(alerts.map((a) => a.code)).toEqual(['sftp_auth_refused']);
    expect(readdirSync(inbox)).toEqual(['po.edi']);
  });
});
