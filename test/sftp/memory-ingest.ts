/**
 * A real (in-memory) ingest for SFTP tests: it stores the bytes, answers with a message id, and
 * dedupes by SHA-256 of the content the way the spine does, so tests can check what was
 * committed, how often, and with which metadata.
 */
import { createHash } from 'node:crypto';
import type { InboundMessage, Ingest, IngestReceipt } from '../../src/core/ingest.ts';

export interface StoredMessage extends InboundMessage {
  messageId: string;
  contentSha256: string;
}

export interface MemoryIngest {
  ingest: Ingest;
  /** what was committed, in order (duplicates are not stored) */
  stored: StoredMessage[];
  /** every call, including duplicates and failures */
  calls: number;
  seen: (contentSha256: string) => Promise<string | undefined>;
  /** runs before each commit; throw to make ingest fail, await to hold it */
  before?: (message: InboundMessage) => Promise<void> | void;
}

export function createMemoryIngest(): MemoryIngest {
  const byHash = new Map<string, string>();
  const store: MemoryIngest = {
    stored: [],
    calls: 0,
    seen: async (sha) => byHash.get(sha),
    ingest: async (message): Promise<IngestReceipt> => {
      store.calls++;
      await store.before?.(message);
      const contentSha256 = createHash('sha256').update(message.bytes).digest('hex');
      const existing = byHash.get(contentSha256);
      if (existing) return { messageId: existing, duplicateOf: existing };
      const messageId = `msg_${String(store.stored.length + 1).padStart(4, '0')}`;
      // copy: the caller's buffer must not be able to change what was committed
      store.stored.push({ ...message, bytes: Uint8Array.from(message.bytes), messageId, contentSha256 });
      byHash.set(contentSha256, messageId);
      return { messageId };
    },
  };
  return store;
}
