/**
 * The events port on PostgreSQL. Rows are appended with seq NULL; `sequence()` gives the committed
 * ones their seq in pending order, one sequencer at a time (pg_try_advisory_xact_lock: a node that
 * finds another sequencing returns 0), so a seq becomes visible only after every smaller one: a
 * subscriber that advances its position past seq N never misses an event committed late with a smaller one.
 * Readers read only sequenced rows (the indexes on seq skip the pending ones).
 */
import type { Pool } from 'pg';
import { deadLetterOf, eventOf, eventParams, scanUpTo, type EventStore, type RawDeadLetter, type RawEventRow } from './event-store.ts';

/** pg_try_advisory_xact_lock key of the sequencer ('events' in ASCII digits, shortened) */
const SEQUENCER_LOCK = 101_118_101_110_116;
const COLUMNS = 'seq, id, type, source, subject, time, partner_id, correlation_id, document_id, document_type, data';

export function createPgEvents(pool: Pool): EventStore {
  const lastSeq = async () => {
    const { rows } = await pool.query<{ s: string | null }>('SELECT max(seq) AS s FROM events');
    return Number(rows[0]?.s ?? 0);
  };
  return {
    async append(tx, events) {
      if (tx && tx.dialect !== 'pg') throw new Error('events.append: a SQLite transaction handed to the PostgreSQL events store');
      if (events.length === 0) return;
      const q = tx ? tx.client : pool;
      const cols = ['id', 'type', 'source', 'subject', 'time', 'partnerId', 'correlationId', 'documentId', 'documentType', 'data'] as const;
      const values: unknown[] = [];
      const rows = events.map((e, i) => {
        const p = eventParams(e);
        for (const c of cols) values.push(p[c]);
        return `(${cols.map((_, j) => `$${i * cols.length + j + 1}`).join(', ')})`;
      });
      await q.query(`INSERT INTO events (id, type, source, subject, time, partner_id, correlation_id, document_id, document_type, data)
        VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`, values);
    },
    async sequence() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows: [lock] } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [SEQUENCER_LOCK]);
        if (!lock?.ok) { await client.query('ROLLBACK'); return 0; }
        const r = await client.query(`UPDATE events SET seq = s.seq FROM (
            SELECT pending_id, nextval('events_seq') AS seq FROM (SELECT pending_id FROM events WHERE seq IS NULL ORDER BY pending_id LIMIT 5000) AS p
          ) AS s WHERE events.pending_id = s.pending_id`);
        await client.query('COMMIT');
        return r.rowCount ?? 0;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    lastSeq,
    async list(f) {
      const params: unknown[] = [f.after ?? 0, f.limit];
      const terms = ['seq > $1'];
      if (f.type !== undefined) { params.push(f.type); terms.push(`type = $${params.length}`); }
      if (f.partnerId !== undefined) { params.push(f.partnerId); terms.push(`partner_id = $${params.length}`); }
      const upTo = scanUpTo(f);
      if (upTo !== undefined) { params.push(upTo); terms.push(`seq <= $${params.length}`); }
      const { rows } = await pool.query<RawEventRow>(`SELECT ${COLUMNS} FROM events WHERE ${terms.join(' AND ')} ORDER BY seq LIMIT $2`, params);
      return rows.map(eventOf);
    },
    async get(seq) {
      const { rows } = await pool.query<RawEventRow>(`SELECT ${COLUMNS} FROM events WHERE seq = $1`, [seq]);
      return rows[0] && eventOf(rows[0]);
    },
    async seqBefore(time) {
      const { rows } = await pool.query<{ seq: string }>('SELECT seq FROM events WHERE time >= $1 AND seq IS NOT NULL ORDER BY time LIMIT 1', [time]);
      return rows[0] ? Number(rows[0].seq) - 1 : lastSeq();
    },
    async position(subscriber) {
      const { rows } = await pool.query<{ seq: string }>('SELECT seq FROM event_positions WHERE subscriber = $1', [subscriber]);
      return rows[0] ? Number(rows[0].seq) : undefined;
    },
    async setPosition(subscriber, seq, at) {
      await pool.query(`INSERT INTO event_positions (subscriber, seq, updated_at) VALUES ($1, $2, $3)
        ON CONFLICT (subscriber) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at`, [subscriber, seq, at]);
    },
    async addDeadLetter(d) {
      const { rows } = await pool.query<{ id: string }>(`INSERT INTO event_dead_letters (subscriber, event_seq, event_id, event_type, status, reason, state, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, 'dead', $7) RETURNING id`, [d.subscriber, d.eventSeq, d.eventId, d.eventType, d.status, d.reason, d.createdAt]);
      return Number(rows[0]!.id);
    },
    async deadLetters(subscriber, o) {
      const { rows } = await pool.query<RawDeadLetter>('SELECT * FROM event_dead_letters WHERE subscriber = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
        [subscriber, o.before ?? Number.MAX_SAFE_INTEGER, o.limit]);
      return rows.map(deadLetterOf);
    },
    async getDeadLetter(id) {
      const { rows } = await pool.query<RawDeadLetter>('SELECT * FROM event_dead_letters WHERE id = $1', [id]);
      return rows[0] && deadLetterOf(rows[0]);
    },
    async markReplayed(id, at) {
      const r = await pool.query(`UPDATE event_dead_letters SET state = 'replayed', replayed_at = $2 WHERE id = $1 AND state = 'dead'`, [id, at]);
      return (r.rowCount ?? 0) > 0;
    },
  };
}
