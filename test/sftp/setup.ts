/** Shared fixtures for the SFTP tests: a config pointing at the test sshd, and fresh remote folders. */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../src/core/clock.ts';
import { createMemoryLogger } from '../../src/core/logger.ts';
import type { SftpSourceConfig } from '../../src/transports/sftp/config.ts';
import { createSftpPoller, type SftpAlert, type SftpPollerDeps } from '../../src/transports/sftp/poller.ts';
import type { TestSshd } from '../support/sshd.ts';
import { createMemoryIngest } from './memory-ingest.ts';

let folderCount = 0;

/** A new inbox and archive folder under the server's files dir. */
export function freshFolders(sshd: TestSshd): { inbox: string; archive: string } {
  folderCount++;
  const base = path.join(sshd.filesDir, `case${folderCount}`);
  const inbox = path.join(base, 'outbound');
  const archive = path.join(base, 'archive');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(archive, { recursive: true });
  return { inbox, archive };
}

export function sftpConfig(sshd: TestSshd, overrides: Partial<SftpSourceConfig> & { inbox: string }): SftpSourceConfig {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKeyFile: './secrets/test_ed25519',
    hostKeySha256: sshd.hostKeySha256,
    pollSeconds: 30,
    stableRule: { minAgeSeconds: 0 },
    connectTimeoutSeconds: 5,
    ...overrides,
  };
}

/** Writes a remote file (the server's disk is local) with an mtime in seconds since epoch. */
export function putRemote(dir: string, name: string, content: string | Buffer, mtimeSeconds?: number): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  if (mtimeSeconds !== undefined) utimesSync(file, mtimeSeconds, mtimeSeconds);
  return file;
}

export function makePoller(sshd: TestSshd, config: SftpSourceConfig, extra: Partial<SftpPollerDeps> = {}) {
  const store = createMemoryIngest();
  const alerts: SftpAlert[] = [];
  const logger = createMemoryLogger();
  const poller = createSftpPoller({
    partnerId: 'acme',
    config,
    ingest: store.ingest,
    secrets: { privateKey: sshd.privateKey },
    clock: systemClock,
    logger,
    onAlert: (a) => alerts.push(a),
    ...extra,
  });
  return { poller, store, alerts, logger };
}
