/**
 * Where MDNs we sent are kept, keyed by the original AS2 Message-ID and sender, so a resent
 * message gets the original MDN again. The spine backs this with the database.
 *
 * The first MDN for a Message-ID is found by (Message-ID, AS2-From). An MDN answering a reuse of
 * that Message-ID with other content is `contentKeyed`: found only with that content's SHA-256,
 * so the sender's retries of that other content get their own answer, never the first one's.
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
  /** SHA-256 (hex) of the payload this MDN answered: a resend is a duplicate only with the same content */
  payloadSha256?: string;
  /** answers a reused Message-ID: looked up by (Message-ID, AS2-From, payloadSha256) */
  contentKeyed?: boolean;
}

export interface MdnStore {
  /** without `payloadSha256`: the first MDN for the Message-ID; with it: the one answering that reuse */
  get(originalMessageId: string, as2From: string, payloadSha256?: string): Promise<StoredMdn | undefined>;
  put(mdn: StoredMdn): Promise<void>;
}

/** the lookup key of an MDN: sender, Message-ID and, for a reuse, the content's hash */
export function mdnKey(originalMessageId: string, as2From: string, payloadSha256?: string): string {
  return `as2-mdn:${as2From}:${originalMessageId}${payloadSha256 ? `#sha256:${payloadSha256}` : ''}`;
}

export const keyOfStored = (mdn: StoredMdn): string => mdnKey(mdn.originalMessageId, mdn.as2From, mdn.contentKeyed ? mdn.payloadSha256 : undefined);

export function createMemoryMdnStore(): MdnStore & { size(): number } {
  const byKey = new Map<string, StoredMdn>();
  return {
    get: async (id, from, sha) => byKey.get(mdnKey(id, from, sha)),
    put: async (mdn) => {
      const key = keyOfStored(mdn);
      if (!byKey.has(key)) byKey.set(key, mdn); // the first answer stays the one replayed, as in the database
    },
    size: () => byKey.size,
  };
}
