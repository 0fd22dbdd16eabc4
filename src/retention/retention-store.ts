/**
 * What retention needs of the database (part of the Store port, see store.ts): read a message's
 * raw bytes wherever they are, find the old rows of a partner through the partial indexes of
 * migration sqlite 0010 / postgres 0008, and mark rows archived or purged. The SQL is in
 * sqlite-retention.ts and pg-retention.ts; the passes that use it in retention-pass.ts.
 */
import type { MessageRow } from '../db/schema.ts';
import type { BlobStore } from '../storage/blob-store.ts';

export type RetentionStep = 'archive' | 'purge';

/** the rows a step may take next: a partner's (null: no partner identified) received before the cutoff, oldest first */
export interface RetentionQuery {
  partnerId: string | null;
  receivedBefore: string;
  limit: number;
}

export interface RetentionCandidate {
  id: string;
  size: number;
  /** set when the bytes are already in the file store */
  rawRef: string | null;
}

export interface RetentionMethods {
  /** where archived raw bytes are kept; undefined when this store has none (an in-memory database) */
  readonly blobs: BlobStore | undefined;
  /**
   * The raw bytes of a stored message: the row's own, or the file store's once retention archived
   * them (hash checked). A purged message throws `message_purged` (detail: purgedAt, policy).
   */
  readRaw(m: MessageRow): Promise<Buffer>;
  /** partner ids that have rows the step has not done yet (null: messages of no identified partner) */
  retentionPartners(step: RetentionStep): Promise<Array<string | null>>;
  /** the next rows for the step, oldest first (archive: still inline and not waiting to be processed; purge: not purged) */
  retentionCandidates(step: RetentionStep, q: RetentionQuery): Promise<RetentionCandidate[]>;
  /** how many rows and bytes the step would take (a dry run) */
  retentionTotals(step: RetentionStep, q: Omit<RetentionQuery, 'limit'>): Promise<{ messages: number; bytes: number }>;
  /** the row's inline bytes (undefined when it has none any more) */
  inlineRaw(id: string): Promise<Buffer | undefined>;
  /** the bytes are in the file store under rawRef: drop them from the rows (only rows still hot); returns how many changed */
  markArchived(rows: Array<{ id: string; rawRef: string }>, at: string): Promise<number>;
  /** whether a row other than `exceptIds` still names the blob */
  blobReferenced(rawRef: string, exceptIds: string[]): Promise<boolean>;
  /** the bytes are gone (the message's AS2 evidence rows too): keep the metadata, record when and by which policy (JSON); returns how many changed */
  markPurged(ids: string[], at: string, policy: string): Promise<number>;
}
