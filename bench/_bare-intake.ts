/**
 * The volume bench's baseline server (not an area: run.ts skips files starting with "_"): hono on
 * @hono/node-server, as the gateway, with the least a durable intake and a pull feed can do.
 * POST /in stores the body in one SQLite transaction (WAL, synchronous=FULL: one fsync per
 * request) and answers 202 after the commit; GET /feed?limit= leases that many rows in one
 * UPDATE … RETURNING; POST /ack marks ids delivered. Prints {"port": n} on stdout when listening.
 * Usage: node --import tsx bench/_bare-intake.ts <database file>
 */
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { Hono } from 'hono';

const db = new Database(process.argv[2] ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS m (id INTEGER PRIMARY KEY, sha TEXT NOT NULL, raw BLOB NOT NULL, state TEXT NOT NULL DEFAULT 'ready', lease_until INTEGER);
  CREATE INDEX IF NOT EXISTS m_ready ON m (id) WHERE state = 'ready'`);
const insert = db.prepare('INSERT INTO m (sha, raw) VALUES (?, ?)');
const lease = db.prepare(`UPDATE m SET lease_until = ? WHERE id IN (SELECT id FROM m WHERE state = 'ready' AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?) RETURNING id, raw`);
const ack = db.prepare(`UPDATE m SET state = 'delivered' WHERE id = ?`);
const ackAll = db.transaction((ids: number[]) => { for (const id of ids) ack.run(id); });

const app = new Hono();
app.post('/in', async (c) => {
  const raw = Buffer.from(await c.req.arrayBuffer());
  const id = insert.run(createHash('sha256').update(raw).digest('hex'), raw).lastInsertRowid;
  return c.json({ id: String(id) }, 202);
});
app.get('/feed', (c) => {
  const now = Date.now();
  const rows = lease.all(now + 60_000, now, Number(c.req.query('limit') ?? 50)) as Array<{ id: number; raw: Buffer }>;
  return c.json({ documents: rows.map((r) => ({ id: r.id, document: JSON.parse(r.raw.toString('utf8')) as unknown })) });
});
app.post('/ack', async (c) => {
  const { ids } = await c.req.json<{ ids: number[] }>();
  ackAll(ids);
  return c.json({ acknowledged: ids.length });
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(JSON.stringify({ port: info.port }) + '\n'));
