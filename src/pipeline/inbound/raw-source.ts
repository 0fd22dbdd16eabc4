/**
 * A stored message's bytes as the pipeline reads them: the row's own bytes when it holds them,
 * else the file store's, read in slices (a large message streamed in, src/storage/spool.ts, which
 * Store.getMessage does not read back whole). `head` is enough to detect the format; `slices`
 * hands the rest to a streaming reader one slice at a time; `whole` reads everything, for
 * readers that need it (the memory of the message's size).
 */
import { GatewayError } from '../../core/errors.ts';
import type { MessageRow } from '../../db/schema.ts';
import type { Store } from '../../db/store.ts';
import { messagePurgedError, rawInFileStoreOnly } from '../../retention/raw-bytes.ts';

export interface RawSource {
  /** true when the bytes are read from the file store as they are needed */
  sliced: boolean;
  /** the first bytes (up to 64 KiB) */
  head: Uint8Array;
  slices(): Iterable<Uint8Array>;
  whole(): Promise<Uint8Array>;
}

const HEAD_BYTES = 64 * 1024;
const SLICE_BYTES = 1 << 20;

export function rawSourceOf(store: Store, msg: MessageRow): RawSource {
  if (!rawInFileStoreOnly(msg)) {
    return {
      sliced: false,
      head: msg.raw.subarray(0, HEAD_BYTES),
      *slices() { for (let o = 0; o < msg.raw.length; o += SLICE_BYTES) yield msg.raw.subarray(o, o + SLICE_BYTES); },
      whole: async () => msg.raw,
    };
  }
  if (msg.purgedAt) throw messagePurgedError(msg);
  const blobs = store.retention.blobs;
  const key = msg.rawRef!;
  if (!blobs) {
    throw new GatewayError('message_archive_unavailable', `message ${msg.id} is in the file store, and this store has none configured (EDIGW_BLOB_DIR)`, { messageId: msg.id, key });
  }
  let head: Uint8Array = new Uint8Array(0);
  for (const s of blobs.readSlices(key, HEAD_BYTES)) { head = s; break; }
  return {
    sliced: true,
    head,
    slices: () => blobs.readSlices(key, SLICE_BYTES),
    whole: () => store.readRaw(msg),
  };
}
