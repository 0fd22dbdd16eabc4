/**
 * The events port on SQLite: one prepared statement per operation. SQLite has one writer at a
 * time, so a seq is visible only once every smaller one committed (or rolled back for good).
 */
import type Database from 'better-sqlite3';
import { deadLetterOf, eventOf, eventParams, scanUpTo, type EventFilter, type EventStore, type RawDeadLetter, type RawEventRow } from './event-store.ts';

export function createSqliteEvents(raw: Database.Database): EventStore {
  const insert = raw.prepare(`INSERT INTO events (id, type, source, subject, time, partner_id, correlation_id, document_id, document_type, data)
    VALUES (@id, @type, @source, @subject, @time, @partnerId, @correlationId, @documentId, @documentType, @data) ON CONFLICT (id) DO NOTHING`);
  const last = raw.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck();
  const bySeq = raw.prepare<[number]>('SELECT * FROM events WHERE seq = ?');
  const before = raw.prepare<[string]>('SELECT seq FROM events INDEXED BY events_time WHERE time >= ? ORDER BY time LIMIT 1').pluck();
  const position = raw.prepare<[string]>('SELECT seq FROM event_positions WHERE subscriber = ?').pluck();
  const setPosition = raw.prepare(`INSERT INTO event_positions (subscriber, seq, updated_at) VALUES (@subscriber, @seq, @at)
    ON CONFLICT (subscriber) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`);
  const addDead = raw.prepare(`INSERT INTO event_dead_letters (subscriber, event_seq, event_id, event_type, status, reason, state, created_at)
    VALUES (@subscriber, @eventSeq, @eventId, @eventType, @status, @reason, 'dead', @createdAt) RETURNING id`).pluck();
  const deadById = raw.prepare<[number]>('SELECT * FROM event_dead_letters WHERE id = ?');
  const replayed = raw.prepare(`UPDATE event_dead_letters SET state = 'replayed', replayed_at = @at WHERE id = @id AND state = 'dead'`);
  const deadPage = raw.prepare(`SELECT * FROM event_dead_letters WHERE subscriber = @subscriber AND id < @before ORDER BY id DESC LIMIT @limit`);
  // one statement per combination of filters, each reading the log from the cursor (filtered: within the scan window)
  const lists = new Map<string, Database.Statement>();
  const listOf = (f: EventFilter) => {
    const terms = [f.type !== undefined ? 'type = @type' : '', f.partnerId !== undefined ? 'partner_id = @partnerId' : '', 'seq > @after', scanUpTo(f) !== undefined ? 'seq <= @upTo' : ''].filter(Boolean);
    const sqlText = `SELECT * FROM events WHERE ${terms.join(' AND ')} ORDER BY seq LIMIT @limit`;
    let stmt = lists.get(sqlText);
    if (!stmt) { stmt = raw.prepare(sqlText); lists.set(sqlText, stmt); }
    return stmt;
  };

  return {
    // not async: inside the caller's transaction the rows are written before this returns
    append(tx, events) {
      if (tx && (tx.dialect !== 'sqlite' || tx.db !== raw)) throw new Error('events.append: the transaction belongs to another database connection');
      if (events.length === 0) return Promise.resolve();
      const run = () => { for (const e of events) insert.run(eventParams(e)); };
      if (tx) { run(); return Promise.resolve(); }
      try {
        raw.transaction(run)();
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    },
    async sequence() {
      return 0;
    },
    async lastSeq() {
      return last.get() as number;
    },
    async list(f) {
      const rows = listOf(f).all({ type: f.type, partnerId: f.partnerId, after: f.after ?? 0, upTo: scanUpTo(f), limit: f.limit }) as RawEventRow[];
      return rows.map(eventOf);
    },
    async get(seq) {
      const r = bySeq.get(seq) as RawEventRow | undefined;
      return r && eventOf(r);
    },
    async seqBefore(time) {
      const first = before.get(time) as number | undefined;
      return first === undefined ? (last.get() as number) : first - 1;
    },
    async position(subscriber) {
      return position.get(subscriber) as number | undefined;
    },
    async setPosition(subscriber, seq, at) {
      setPosition.run({ subscriber, seq, at });
    },
    async addDeadLetter(d) {
      return addDead.get({ ...d }) as number;
    },
    async deadLetters(subscriber, o) {
      return (deadPage.all({ subscriber, before: o.before ?? Number.MAX_SAFE_INTEGER, limit: o.limit }) as RawDeadLetter[]).map(deadLetterOf);
    },
    async getDeadLetter(id) {
      const r = deadById.get(id) as RawDeadLetter | undefined;
      return r && deadLetterOf(r);
    },
    async markReplayed(id, at) {
      return replayed.run({ id, at }).changes > 0;
    },
  };
}
