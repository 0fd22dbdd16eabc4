/**
 * Where MDNs we sent are kept, keyed by the original AS2 Message-ID and sender, so a resent
 * message gets the original MDN again. The spine backs this with the database.
 */
import type { HeaderList } from './mime.ts';

export interface StoredMdn {
  /** the MDN's own Message-ID */
  messageId: string;
  originalMessageId: string;
  as2From: string;
  /** the MDN as sent: HTTP headers and body */
  headers: HeaderList;
  body: Uint8Array;
  disposition: string;
  /** async receipt URL when the MDN was asked for asynchronously */
  receiptUrl?: string;
  /** id the spine gave the ingested message */
  ingestedMessageId?: string;
}

export interface MdnStore {
  get(originalMessageId: string, as2From: string): Promise<StoredMdn | undefined>;
  put(mdn: StoredMdn): Promise<void>;
}

export function createMemoryMdnStore(): MdnStore & { size(): number } {
  const byKey = new Map<string, StoredMdn>();
  const key = (id: string, from: string) => `${from}\u0000${id}`;
  return {
    get: async (id, from) => byKey.get(key(id, from)),
    put: async (mdn) => { byKey.set(key(mdn.originalMessageId, mdn.as2From), mdn); },
    size: () => byKey.size,
  };
}
