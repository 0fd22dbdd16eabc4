/**
 * The one way to read a stored message's raw bytes (Store.readRaw): the row's own bytes while it
 * is hot, the file store's once retention archived it, `message_purged` once purged. Every reader
 * (raw download, replay, reprocessing, resends, the console) goes through it, so an archived
 * message serves and replays exactly as before.
 */
import { GatewayError, isGatewayError } from '../core/errors.ts';
import type { MessageRow } from '../db/schema.ts';
import type { BlobStore } from '../storage/blob-store.ts';

/** what a purge records in purge_policy */
export interface PurgePolicyRecord {
  /** whose window it was: the partner profile's `retention:` or the gateway-wide default */
  source: 'partner' | 'gateway';
  partnerId: string | null;
  purgeAfterDays: number;
  /** the cutoff the pass used (messages received before it were purged) */
  receivedBefore: string;
}

export function describePolicy(p: PurgePolicyRecord): string {
  return p.source === 'partner'
    ? `partner ${p.partnerId}'s retention (purgeAfterDays: ${p.purgeAfterDays})`
    : `the gateway's default retention (purgeAfterDays: ${p.purgeAfterDays})`;
}

export function messagePurgedError(m: Pick<MessageRow, 'id' | 'partnerId' | 'purgedAt' | 'purgePolicy'>): GatewayError {
  let policy: PurgePolicyRecord | undefined;
  try {
    policy = m.purgePolicy ? JSON.parse(m.purgePolicy) as PurgePolicyRecord : undefined;
  } catch {
    policy = undefined;
  }
  return new GatewayError('message_purged',
    `the raw bytes of message ${m.id} were purged on ${m.purgedAt} by ${policy ? describePolicy(policy) : 'a retention policy'}; its metadata, documents and exceptions are kept`,
    { messageId: m.id, partnerId: m.partnerId ?? undefined, purgedAt: m.purgedAt, policy });
}

/**
 * For the single-message lookups (getMessage, findByExternalId): an archived row comes back with
 * its bytes read from the file store, so a caller holding `row.raw` sees what was received. A
 * purged row keeps `raw` empty with `purgedAt` set (readRaw throws message_purged for it).
 */
export function withArchivedBytes(readRaw: (m: MessageRow) => Promise<Buffer>) {
  return async <R extends MessageRow | undefined>(row: R): Promise<R> =>
    (row && row.rawRef && !row.purgedAt && row.raw.byteLength === 0 && row.size <= WHOLE_READ_MAX_BYTES ? { ...row, raw: await readRaw(row) } : row);
}

/**
 * The largest file-store message a single-message lookup reads back whole. A larger one (a large
 * message streamed in, src/storage/spool.ts) comes back with `raw` empty and `rawRef` set: its
 * readers take it in slices (openRawSlices, the raw download's stream), never whole.
 */
export const WHOLE_READ_MAX_BYTES = 8 * 1024 * 1024;

/** true when the row's bytes are in the file store and were not read back with it (see WHOLE_READ_MAX_BYTES) */
export function rawInFileStoreOnly(m: Pick<MessageRow, 'rawRef' | 'raw' | 'purgedAt'>): boolean {
  return !!m.rawRef && !m.purgedAt && m.raw.byteLength === 0;
}

export function createRawReader(blobs: BlobStore | undefined, inline: (id: string) => Promise<Buffer | undefined>): (m: MessageRow) => Promise<Buffer> {
  return async (m) => {
    if (m.purgedAt) throw messagePurgedError(m);
    // a hot row from a list (lists never read the bytes): they are in the database row
    if (!m.rawRef && m.raw.byteLength === 0 && m.size > 0) return (await inline(m.id)) ?? Buffer.alloc(0);
    // hot, or already read back from the file store (withArchivedBytes)
    if (!m.rawRef || m.raw.byteLength > 0) return Buffer.isBuffer(m.raw) ? m.raw : Buffer.from(m.raw);
    if (!blobs) {
      throw new GatewayError('message_archive_unavailable', `message ${m.id} was archived to the file store, and this store has none configured (EDIGW_BLOB_DIR)`, { messageId: m.id, key: m.rawRef });
    }
    try {
      return await blobs.get(m.rawRef);
    } catch (e) {
      if (isGatewayError(e) && e.code === 'blob_not_found') {
        throw new GatewayError('message_archive_missing', `message ${m.id} was archived as blob ${m.rawRef}, which is not in ${blobs.dir} (another directory on this node than where it was archived? several nodes need one shared EDIGW_BLOB_DIR)`,
          { messageId: m.id, key: m.rawRef, dir: blobs.dir }, { cause: e });
      }
      throw e;
    }
  };
}
