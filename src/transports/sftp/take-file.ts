/**
 * Takes one stable remote file: download it (whole, or a large one streamed into the file store), check it is exactly what was listed, commit it
 * through `ingest` (or skip a content hash already seen), and only then delete it or move it into
 * the archive. Any failure before the commit leaves the remote file untouched for the next poll.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type SftpClient from 'ssh2-sftp-client';
import { GatewayError, isGatewayError, toGatewayError } from '../../core/errors.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import type { Ingest } from '../../core/ingest.ts';
import type { RemoteFileSighting } from './stability.ts';
import { printableName } from './remote-name.ts';

export interface TakenFile {
  name: string;
  size: number;
  contentSha256: string;
  messageId: string;
  /** set when these bytes were already stored: nothing new was ingested */
  duplicateOf?: string;
  /** remote path it was archived to, or undefined when deleted */
  archivedAs?: string;
}

export interface TakeFileDeps {
  client: SftpClient;
  partnerId: string;
  host: string;
  inbox: string;
  archive?: string;
  ingest: Ingest;
  seen?: (contentSha256: string) => Promise<string | undefined>;
  /** a file larger than thresholdBytes is streamed from the server straight into the file store (src/storage/spool.ts) */
  spool?: { thresholdBytes: number; blobs?: BlobStore };
}

const NO_SUCH_FILE = 2; // SSH_FX_NO_SUCH_FILE

/** Whether an ssh2 / ssh2-sftp-client error means the session itself is gone. */
export function isConnectionLost(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const code = String(err?.code ?? '');
  const message = String(err?.message ?? '');
  return ['ECONNRESET', 'EPIPE', 'ERR_NOT_CONNECTED'].includes(code)
    || /unexpected (?:end|close) event|no sftp connection|no response from server|not connected|ECONNRESET|EPIPE/i.test(message);
}

function connectionLost(e: unknown, where: Record<string, unknown>): GatewayError {
  return new GatewayError('sftp_connection_lost', `connection lost while reading the file; nothing was ingested: ${(e as Error).message}`, where, { cause: e });
}

export async function takeFile(deps: TakeFileDeps, file: RemoteFileSighting): Promise<TakenFile> {
  const { client, partnerId, inbox } = deps;
  const remotePath = posix.join(inbox, file.name);
  const where = { partnerId, remotePath: printableName(remotePath), listedSize: file.size };

  let bytes: Buffer = Buffer.alloc(0);
  let stored: { key: string; size: number } | undefined;
  try {
    if (deps.spool?.blobs && file.size > deps.spool.thresholdBytes) {
      // a large file: straight from the SFTP stream into the file store, hashed as it is written
      stored = await deps.spool.blobs.putStream(client.createReadStream(remotePath) as AsyncIterable<Uint8Array>, { maxBytes: file.size });
    } else {
      const data: unknown = await client.get(remotePath);
      // concat-stream hands back an empty array, not a Buffer, for a 0-byte file
      bytes = Buffer.isBuffer(data) ? data : Buffer.alloc(0);
    }
  } catch (e) {
    if (isGatewayError(e) && e.code === 'blob_too_large') {
      throw new GatewayError('sftp_transfer_incomplete', 'the file grew past its listed size while it was read; nothing was ingested, retried next poll',
        { ...where, expected: String(file.size) });
    }
    if (isConnectionLost(e)) throw connectionLost(e, where);
    const code = (e as { code?: unknown }).code;
    if (code === NO_SUCH_FILE || code === 'ENOENT') {
      throw new GatewayError('sftp_file_vanished', 'the file disappeared before it was read; nothing was ingested', where, { cause: e });
    }
    throw toGatewayError(e, 'sftp_download_failed');
  }
  const received = stored ? stored.size : bytes.length;
  if (received !== file.size) {
    // a truncated copy in the file store is no message of anyone's (its hash is of the part read)
    if (stored) await deps.spool?.blobs?.delete(stored.key).catch(() => false);
    throw new GatewayError('sftp_transfer_incomplete', 'downloaded size differs from the listed size; nothing was ingested, retried next poll',
      { ...where, expected: String(file.size), found: String(received) });
  }
  const after = await client.stat(remotePath).catch((e: unknown) => {
    if (isConnectionLost(e)) throw connectionLost(e, where);
    throw new GatewayError('sftp_file_vanished', 'the file disappeared while it was read; nothing was ingested', where, { cause: e });
  });
  if (after.size !== file.size || after.modifyTime !== file.modifyTime) {
    throw new GatewayError('sftp_file_changed', 'the file changed while it was read; nothing was ingested, retried once stable',
      { ...where, expected: `size ${file.size}, mtime ${file.modifyTime}`, found: `size ${after.size}, mtime ${after.modifyTime}` });
  }

  const contentSha256 = stored ? stored.key : createHash('sha256').update(bytes).digest('hex');
  let messageId: string;
  let duplicateOf: string | undefined;
  try {
    duplicateOf = await deps.seen?.(contentSha256);
    if (duplicateOf !== undefined) {
      messageId = duplicateOf;
    } else {
      const receipt = await deps.ingest({
        bytes,
        ...(stored ? { stored } : {}),
        transport: 'sftp',
        partnerId,
        metadata: {
          remoteHost: deps.host,
          remotePath,
          fileName: file.name,
          size: String(file.size),
          modifiedAt: new Date(file.modifyTime).toISOString(),
          contentSha256,
        },
      });
      messageId = receipt.messageId;
      duplicateOf = receipt.duplicateOf;
    }
  } catch (e) {
    const err = toGatewayError(e, 'ingest_failed');
    throw new GatewayError('sftp_ingest_failed', `the file could not be committed, left on the server: ${err.message}`,
      { ...where, cause: err.toJSON() }, { cause: e });
  }

  const taken: TakenFile = { name: file.name, size: file.size, contentSha256, messageId };
  if (duplicateOf !== undefined) taken.duplicateOf = duplicateOf;
  try {
    if (deps.archive === undefined) await deleteIfPresent(client, remotePath);
    else taken.archivedAs = await moveToArchive(client, remotePath, deps.archive, file.name);
  } catch (e) {
    // committed but still on the server: the next poll finds it again and sees it as a duplicate
    throw new GatewayError(deps.archive === undefined ? 'sftp_delete_failed' : 'sftp_archive_failed',
      `committed as ${messageId} but could not be ${deps.archive === undefined ? 'deleted' : 'archived'}: ${(e as Error).message}`,
      { ...where, messageId, archive: deps.archive, connectionLost: isConnectionLost(e) }, { cause: e });
  }
  return taken;
}

async function deleteIfPresent(client: SftpClient, remotePath: string): Promise<void> {
  try {
    await client.delete(remotePath);
  } catch (e) {
    if ((e as { code?: unknown }).code !== NO_SUCH_FILE) throw e;
  }
}

/** `order.edi` -> `order~1.edi`, `order~2.edi`...; names starting with a dot keep it whole. */
export function archiveCandidate(name: string, attempt: number): string {
  if (attempt === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}~${attempt}${name.slice(dot)}` : `${name}~${attempt}`;
}

/** Renames into the archive without ever overwriting: SFTP v3 rename fails when the target exists. */
async function moveToArchive(client: SftpClient, remotePath: string, archive: string, name: string): Promise<string> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const target = posix.join(archive, archiveCandidate(name, attempt));
    if (await client.exists(target)) continue;
    try {
      await client.rename(remotePath, target);
      return target;
    } catch (e) {
      if (await client.exists(target)) continue; // taken by someone else meanwhile
      throw e;
    }
  }
  throw new Error(`no free archive name for ${name} after 1000 attempts`);
}
