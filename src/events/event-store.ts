/**
 * The events port (issue 17): the transactional outbox and event log (migrations sqlite 0012 /
 * postgres 0010), each subscriber's position in it, and the dead letters. `append` writes in the
 * caller's transaction (the same JobTx the jobs use), so an event commits with the state change it
 * reports, or not at all. Readers page by `seq`, through an index, from a cursor: no read's cost
 * grows with the history.
 */
import type { JobTx } from '../jobs/job-store.ts';

/** an event to write: the CloudEvents attributes (envelope.ts builds them) and our extensions */
export interface NewEvent {
  /** CloudEvents id; deterministic where a sweep may notice the same fact twice (written once) */
  id: string;
  type: string;
  source: string;
  subject: string | null;
  /** ISO-8601 UTC */
  time: string;
  partnerId: string | null;
  correlationId: string | null;
  documentId: string | null;
  /** the canonical type of the document the event is about (a subscriber's documentTypes filter) */
  documentType: string | null;
  data: Record<string, unknown>;
}

export interface EventRow extends NewEvent {
  seq: number;
}

export interface EventFilter {
  type?: string;
  partnerId?: string;
  /** only events with a larger seq (the cursor) */
  after?: number;
  limit: number;
}

/**
 * A filtered read (type, partner) looks at most this many positions past its cursor: the log has
 * no index per filter (each would cost every event written about as much as a document row), so a
 * page of a rare type may hold fewer than `limit` events, and its `next` cursor is where the look
 * ended. The cost of a read stays bounded whatever the history holds.
 */
export const FILTERED_SCAN_WINDOW = 10_000;

/** the positions a read with this filter may look at: (after, upTo] */
export function scanUpTo(f: EventFilter): number | undefined {
  return f.type !== undefined || f.partnerId !== undefined ? (f.after ?? 0) + FILTERED_SCAN_WINDOW : undefined;
}

/**
 * The `next` cursor of a page: its last event's seq when the page is full; for a filtered page that
 * is not, the end of its scan window while the log goes on past it; else its last event's (null: none).
 */
export function nextCursor(f: EventFilter, rows: ReadonlyArray<{ seq: number }>, lastSeq: number): number | null {
  if (rows.length === f.limit) return rows.at(-1)!.seq;
  const upTo = scanUpTo(f);
  if (upTo !== undefined && upTo < lastSeq) return upTo;
  return rows.at(-1)?.seq ?? null;
}

export interface DeadLetter {
  id: number;
  subscriber: string;
  eventSeq: number;
  eventId: string;
  eventType: string;
  /** the HTTP status the sink answered, when it did */
  status: number | null;
  reason: string;
  state: 'dead' | 'replayed';
  createdAt: string;
  replayedAt: string | null;
}

export interface EventStore {
  /**
   * writes events in `tx` (the caller's open transaction), or on their own when tx is null; an id
   * already written is skipped. On SQLite the rows are written, or the error thrown, before it returns.
   */
  append(tx: JobTx | null, events: NewEvent[]): Promise<void>;
  /**
   * gives committed events their seq (PostgreSQL: see migration 0010; one caller at a time, the
   * others return 0); SQLite assigns seq at insert and returns 0. How many were sequenced.
   */
  sequence(): Promise<number>;
  /** the largest seq (0: none) */
  lastSeq(): Promise<number>;
  /** events after `seq`, in order, up to `limit` (a subscriber's next batch, the log's pages); filtered: within scanUpTo(f) */
  list(filter: EventFilter): Promise<EventRow[]>;
  /** by seq (a dead letter's event) */
  get(seq: number): Promise<EventRow | undefined>;
  /** the seq just before the first event at or after `time` (a replay window's start), or the last seq when none */
  seqBefore(time: string): Promise<number>;
  /** a subscriber's position (the last seq handled), undefined for a subscriber never seen */
  position(subscriber: string): Promise<number | undefined>;
  setPosition(subscriber: string, seq: number, at: string): Promise<void>;
  addDeadLetter(d: Omit<DeadLetter, 'id' | 'state' | 'replayedAt'>): Promise<number>;
  /** a subscriber's dead letters, newest first; `before`: ids smaller than this (the previous page's last id) */
  deadLetters(subscriber: string, opts: { before?: number; limit: number }): Promise<DeadLetter[]>;
  getDeadLetter(id: number): Promise<DeadLetter | undefined>;
  markReplayed(id: number, at: string): Promise<boolean>;
}

/** a row as the drivers return it (snake_case; data as JSON text; PostgreSQL's bigints as strings) */
export interface RawEventRow {
  seq: number | string;
  id: string;
  type: string;
  source: string;
  subject: string | null;
  time: string;
  partner_id: string | null;
  correlation_id: string | null;
  document_id: string | null;
  document_type: string | null;
  data: string;
}

export function eventOf(r: RawEventRow): EventRow {
  return {
    seq: Number(r.seq), id: r.id, type: r.type, source: r.source, subject: r.subject, time: r.time, partnerId: r.partner_id,
    correlationId: r.correlation_id, documentId: r.document_id, documentType: r.document_type, data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

export interface RawDeadLetter {
  id: number | string; subscriber: string; event_seq: number | string; event_id: string; event_type: string; status: number | null;
  reason: string; state: 'dead' | 'replayed'; created_at: string; replayed_at: string | null;
}

export function deadLetterOf(r: RawDeadLetter): DeadLetter {
  return {
    id: Number(r.id), subscriber: r.subscriber, eventSeq: Number(r.event_seq), eventId: r.event_id, eventType: r.event_type, status: r.status,
    reason: r.reason, state: r.state, createdAt: r.created_at, replayedAt: r.replayed_at,
  };
}

export const eventParams = (e: NewEvent) => ({
  id: e.id, type: e.type, source: e.source, subject: e.subject, time: e.time, partnerId: e.partnerId, correlationId: e.correlationId,
  documentId: e.documentId, documentType: e.documentType, data: JSON.stringify(e.data),
});
