/**
 * Large-message intake: a body is read into memory up to `thresholdBytes`; past it, what was read
 * and the rest as it arrives go straight into the file store (blob-store.ts `putStream`: SHA-256
 * computed while writing, file and directory fsynced before it resolves), so a message of any
 * size costs one slice of memory. The caller stores the message row with the blob key (`rawRef`)
 * and only then acknowledges the sender. Without a file store (an in-memory database) the body is
 * kept in memory up to `maxBytes`, as before.
 */
import { GatewayError, isGatewayError } from '../core/errors.ts';
import type { BlobStore } from './blob-store.ts';

export type Spooled =
  | { bytes: Uint8Array; stored?: undefined }
  /** `key` is the SHA-256 of the bytes (the file store is content-addressed) */
  | { bytes?: undefined; stored: { key: string; size: number } };

export interface SpoolOptions {
  /** bodies larger than this go to the file store as they arrive */
  thresholdBytes: number;
  /** larger bodies are refused with message_too_large (the file is removed) */
  maxBytes: number;
  blobs?: BlobStore;
}

/** default `thresholdBytes`: 8 MiB (EDIGW_STREAM_THRESHOLD_BYTES) */
export const DEFAULT_STREAM_THRESHOLD_BYTES = 8 * 1024 * 1024;

export async function spool(source: AsyncIterable<Uint8Array>, opts: SpoolOptions): Promise<Spooled> {
  const it = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await it.next();
    if (next.done) return { bytes: head.length === 1 ? head[0]! : Buffer.concat(head) };
    size += next.value.byteLength;
    if (size > opts.maxBytes) {
      await it.return?.();
      throw tooLarge(size, opts.maxBytes);
    }
    head.push(next.value);
    if (size > opts.thresholdBytes && opts.blobs) break;
  }
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => (head.length > 0 ? { done: false, value: head.shift()! } : it.next()),
      return: async () => { await it.return?.(); return { done: true, value: undefined }; },
    }),
  };
  try {
    return { stored: await opts.blobs!.putStream(rest, { maxBytes: opts.maxBytes }) };
  } catch (e) {
    if (isGatewayError(e) && e.code === 'blob_too_large') throw tooLarge(opts.maxBytes + 1, opts.maxBytes);
    throw e;
  }
}

function tooLarge(size: number, max: number): GatewayError {
  return new GatewayError('message_too_large', `the body exceeds the limit of ${max} bytes (at least ${size})`, { expected: `at most ${max} bytes`, found: `at least ${size} bytes` });
}
