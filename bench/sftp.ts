/**
 * SFTP files/s polled from a local OpenSSH server (test/support/sshd.ts): N x 10 KB files taken
 * by the poller (download, size check, SHA-256, in-memory ingest, delete or archive), beside the
 * same files fetched and deleted by ssh2-sftp-client alone on one connection (both timed from
 * connect to disconnect).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';
import { createSftpPoller } from '../src/transports/sftp/poller.ts';
import { createMemoryIngest } from '../test/sftp/memory-ingest.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../test/support/sshd.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const FILE_BYTES = 10 * 1024;

function fill(dir: string, count: number, tag: string): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const head = `ISA*${tag}*${String(i).padStart(9, '0')}~`;
    writeFileSync(path.join(dir, `po-${String(i).padStart(5, '0')}.edi`), head + 'X'.repeat(FILE_BYTES - head.length));
  }
}

async function rawLibrary(sshd: TestSshd, dir: string): Promise<number> {
  const start = performance.now();
  const client = new SftpClient('bench', { error: () => {}, end: () => {}, close: () => {} });
  await client.connect({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKey });
  const files = await client.list(dir);
  for (const f of files) {
    await client.get(`${dir}/${f.name}`);
    await client.delete(`${dir}/${f.name}`);
  }
  await client.end();
  return files.length / ((performance.now() - start) / 1000);
}

async function poller(sshd: TestSshd, dir: string, count: number, concurrency: number, archive?: string): Promise<number> {
  const store = createMemoryIngest();
  const p = createSftpPoller({
    partnerId: 'bench',
    config: {
      host: sshd.host, port: sshd.port, username: sshd.username, privateKeyFile: 'bench', hostKeySha256: sshd.hostKeySha256,
      inbox: dir, archive, stableRule: { minAgeSeconds: 0 }, concurrency,
    },
    ingest: store.ingest,
    secrets: { privateKey: sshd.privateKey },
    clock: systemClock,
    logger: silentLogger,
  });
  const start = performance.now();
  const result = await p.pollOnce();
  const seconds = (performance.now() - start) / 1000;
  if (!result.ok || result.taken.length !== count) throw new Error(`bench poll took ${result.taken.length}/${count}: ${result.error?.message ?? ''}`);
  return count / seconds;
}

export const run: BenchArea = async (opts) => {
  if (!sshdAvailable()) return [];
  const count = opts.quick ? 40 : 200;
  const sshd = await startSshd();
  try {
    const rows: BenchRow[] = [];
    // warm-up: the first connection pays for key parsing and JIT, not part of any figure
    const warmDir = path.join(sshd.filesDir, 'warm');
    fill(warmDir, 5, 'warm');
    await rawLibrary(sshd, warmDir);
    const rawDir = path.join(sshd.filesDir, 'raw');
    fill(rawDir, count, 'raw');
    const baseline = { name: 'ssh2-sftp-client list+get+delete, one connection', value: await rawLibrary(sshd, rawDir), unit: 'files/s' };
    const cases: Array<{ name: string; concurrency: number; archive: boolean }> = [
      { name: 'concurrency 1, delete', concurrency: 1, archive: false },
      { name: 'concurrency 4, delete', concurrency: 4, archive: false },
      { name: 'concurrency 4, archive', concurrency: 4, archive: true },
    ];
    for (const c of cases) {
      const dir = path.join(sshd.filesDir, c.name.replace(/\W+/g, '-'));
      fill(dir, count, c.name);
      const archive = c.archive ? `${dir}-archive` : undefined;
      if (archive) mkdirSync(archive);
      const value = await poller(sshd, dir, count, c.concurrency, archive);
      rows.push({ area: 'sftp', name: `poll ${count} x 10 KB files, ${c.name}`, value: Math.round(value), unit: 'files/s', baseline: { ...baseline, value: Math.round(baseline.value) } });
    }
    return rows;
  } finally {
    await sshd.dispose();
  }
};
