/**
 * A large remote file (issue 11) against a real OpenSSH server: over the stream threshold it is
 * downloaded straight into the file store (hashed as it is written), handed to the intake as a
 * blob reference, never as bytes in memory, and only then archived on the server. Under the
 * threshold nothing changes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage, IngestReceipt } from '../../src/core/ingest.ts';
import { createBlobStore } from '../../src/storage/blob-store.ts';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd.ts';
import { freshFolders, makePoller, putRemote, sftpConfig } from './setup.ts';

const X12 = 'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*GATEWAY        *261123*1200*U*00401*000000001*0*P*>~';

describe.skipIf(!sshdAvailable())('SFTP: a large file goes into the file store', () => {
  let sshd: TestSshd;
  const blobDir = mkdtempSync(path.join(tmpdir(), 'edigw-sftp-blobs-'));
  beforeAll(async () => { sshd = await startSshd(); });
  afterAll(async () => { await sshd?.dispose(); rmSync(blobDir, { recursive: true, force: true }); });

  it('streams a file over the threshold into the file store and ingests its key; a small one still comes as bytes', async () => {
    const { inbox, archive } = freshFolders(sshd);
    // 24 MB: an ISA line, then random bytes (the content is not read here, only carried)
    const big = Buffer.concat([Buffer.from(`${X12}\n`), randomBytes(24 * 1048576)]);
    putRemote(inbox, 'big.edi', big);
    putRemote(inbox, 'small.edi', `${X12}\nsmall`);
    const blobs = createBlobStore(blobDir);
    const got: InboundMessage[] = [];
    const ingest = async (m: InboundMessage): Promise<IngestReceipt> => { got.push(m); return { messageId: `msg_${got.length}` }; };
    const { poller } = makePoller(sshd, sftpConfig(sshd, { inbox, archive }), { ingest, spool: { thresholdBytes: 8 * 1048576, blobs } });

    const result = await poller.pollOnce();

    expect(result.ok).toBe(true);
    expect(result.taken.map((t) => t.name).sort()).toEqual(['big.edi', 'small.edi']);
    const large = got.find((m) => m.metadata.fileName === 'big.edi')!;
    const sha = createHash('sha256').update(big).digest('hex');
    expect(large.bytes.byteLength).toBe(0);
    expect(large.stored).toEqual({ key: sha, size: big.length });
    expect(large.metadata.contentSha256).toBe(sha);
    expect(large.metadata.size).toBe(String(big.length));
    // the blob holds exactly the remote bytes, under their SHA-256
    expect((await blobs.get(sha)).equals(big)).toBe(true);
    const small = got.find((m) => m.metadata.fileName === 'small.edi')!;
    expect(small.stored).toBeUndefined();
    expect(Buffer.from(small.bytes).toString()).toBe(`${X12}\nsmall`);
    // archived on the server only after the commit, byte for byte
    expect(readdirSync(inbox)).toEqual([]);
    expect(readFileSync(path.join(archive, 'big.edi')).equals(big)).toBe(true);
    // nothing left half-written in the file store
    expect(readdirSync(blobDir).filter((f) => f.startsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
