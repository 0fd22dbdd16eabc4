/**
 * Fills a gateway's SQLite file with stored history straight through SQL (not HTTP): `rows`
 * messages, documents and interchanges, a tenth as many exceptions, delivery jobs and jobs, all old and
 * settled (processed, delivered, discarded), spread over 50 partners. The counts the store keeps
 * (row_counts) are added to here, so they stay right. Used by the query-plan test and `npm run bench -- volume`.
 * 1M rows take about 20 s on this machine.
 */
import Database from 'better-sqlite3';

/** `rawBytes`: each message's raw bytes are that many random bytes (default one byte; retention's bench uses 2 KB) */
export function fillHistory(file: string, rows: number, opts: { rawBytes?: number } = {}): void {
  const rawBytes = Math.max(1, Math.floor(opts.rawBytes ?? 1));
  const rawSql = rawBytes === 1 ? "x'00'" : `randomblob(${rawBytes})`;
  const db = new Database(file);
  db.pragma('busy_timeout = 60000');
  const n = (count: number) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  const t = "'2026-01-01T00:00:00.000Z'";
  db.exec(`INSERT INTO messages (id, received_at, direction, transport, partner_id, metadata, content_sha256, size, raw, status, test, updated_at)
    ${n(rows)} SELECT 'msg_fill_' || i, ${t}, 'inbound', 'http', 'fill' || (i % 50), '{}', hex(randomblob(16)), ${rawBytes}, ${rawSql}, 'processed', 0, ${t} FROM n`);
  db.exec(`INSERT INTO documents (id, message_id, partner_id, type, direction, business_key, correlation_id, envelope, status, test, created_at, updated_at)
    ${n(rows)} SELECT 'doc_fill_' || i, 'msg_fill_' || i, 'fill' || (i % 50), 'purchase_order', 'inbound', 'POF' || i, 'POF' || i, '{}', 'delivered', 0, ${t}, ${t} FROM n`);
  db.exec(`INSERT INTO exceptions (id, message_id, partner_id, stage, code, message, status, created_at)
    ${n(rows / 10)} SELECT 'exc_fill_' || i, 'msg_fill_' || i, 'fill' || (i % 50), 'translate', 'x', 'x', 'discarded', ${t} FROM n`);
  db.exec(`INSERT INTO delivery_jobs (id, document_id, partner_id, target, status, next_attempt_at, last_error, created_at, updated_at)
    ${n(rows / 10)} SELECT 'job_fill_' || i, 'doc_fill_' || i, 'fill' || (i % 50), 'functional_ack', 'delivered', ${t}, '{"as2MessageId":"<' || i || '@x>"}', ${t}, ${t} FROM n`);
  // settled functional ack sends (src/jobs/): a tenth as many, done
  db.exec(`INSERT INTO jobs (kind, queue, key, partner_id, payload, state, attempts, max_attempts, run_at, outcome, created_at, updated_at)
    ${n(rows / 10)} SELECT 'ack.send', 'send:fill' || (i % 50), 'ack.send:msg_fill_' || i, 'fill' || (i % 50), '{"messageId":"msg_fill_' || i || '"}',
      'done', 1, 10, ${t}, '{"channel":"pickup","status":"stored"}', ${t}, ${t} FROM n`);
  db.exec(`INSERT INTO interchanges (message_id, partner_id, standard, sender, receiver, control_number, received_at)
    ${n(rows)} SELECT 'msg_fill_' || i, 'fill' || (i % 50), 'x12', 'ZZ:FILL', 'ZZ:GATEWAY', printf('%09d', i), ${t} FROM n`);
  // the store keeps row_counts itself (src/db/row-counts.ts): what was filled is added to them
  db.prepare(`INSERT INTO row_counts (name, value) VALUES ('messages:processed', @rows), ('documents:delivered', @rows), ('exceptions:discarded', @tenth)
    ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`).run({ rows, tenth: Math.ceil(rows / 10) });
  db.close();
}
