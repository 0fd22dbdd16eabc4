/**
 * The cost of storing one document row (issue 11: an INSERT on documents was about 120 µs with its
 * indexes and counter trigger): per-row INSERT time on SQLite and PostgreSQL, into the gateway's
 * documents table as the migrations leave it, over a table already holding `prefill` rows, 500 rows
 * a transaction (the pipeline's batches), with the counts kept as the store keeps them (one upsert
 * per count a transaction on SQLite, one row_count_deltas INSERT a transaction on PostgreSQL).
 * Beside it, in the same run: the same inserts with the per-row counter trigger the store had before
 * (sqlite 0006 / postgres 0004, dropped by sqlite 0016 / postgres 0014), and into the bare table
 * (primary key and the unique document id the upsert needs: the baseline). Rows look like the pipeline's: random document ids (a SHA-256 prefix), a 1.5 KB
 * envelope, PO business key = correlation id, 50 partners.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openSqlite } from '../src/db/open-sqlite.ts';
import { migratePg } from '../src/db/pg/migrate.ts';
import { postgresAvailability, startTestPostgres } from '../test/support/postgres.ts';
import type { BenchOptions, BenchRow } from './lib.ts';

const ENVELOPE = JSON.stringify({ type: 'purchase_order', document: { lines: Array.from({ length: 12 }, (_, i) => ({ lineNumber: String(i + 1), quantity: i + 2, unitOfMeasure: 'EA', unitPrice: 12.5, buyerPartNumber: `WID-${i}`, vendorPartNumber: `AC-W${i}` })) } });
const BATCH = 500;

/** `batchCounts`: the transaction ends with the store's count write (once per transaction) */
interface Variant { name: string; sqlite: string[]; pg: string[]; batchCounts: boolean }
/** the per-row counter trigger of sqlite 0006 / postgres 0004 (what the store did before) */
const SQLITE_TRIGGER = `CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN
  INSERT INTO row_counts (name, value) VALUES ('documents:' || NEW.status, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1;
END`;
const PG_TRIGGER = [`CREATE OR REPLACE FUNCTION edigw_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN INSERT INTO row_count_deltas (name, delta) VALUES (TG_TABLE_NAME || ':' || OLD.status, -1); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN INSERT INTO row_count_deltas (name, delta) VALUES (TG_TABLE_NAME || ':' || NEW.status, 1); END IF;
  RETURN NULL;
END $$`, 'CREATE TRIGGER documents_count AFTER INSERT OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION edigw_count_rows()'];
/** what each variant changes in the migrated schema */
const variants = (): Variant[] => [
  { name: 'as migrated, counts kept once per transaction (now)', sqlite: [], pg: [], batchCounts: true },
  { name: 'with the per-row counter trigger (before)', sqlite: [SQLITE_TRIGGER], pg: PG_TRIGGER, batchCounts: false },
  { name: 'bare table (primary key and the unique id only)', sqlite: ['__bare__'], pg: ['__bare__'], batchCounts: false },
];

const row = (i: number) => {
  const id = 'doc_' + randomBytes(12).toString('hex');
  const po = `PO-${i}-${randomBytes(3).toString('hex')}`;
  return { id, messageId: 'msg_' + randomBytes(8).toString('hex'), partnerId: `p${i % 50}`, type: 'purchase_order', businessKey: po, correlationId: po, envelope: ENVELOPE };
};

async function sqliteFigure(v: Variant, dir: string, prefill: number, count: number): Promise<number> {
  const file = path.join(dir, `ins-${v.name.replace(/\W+/g, '-')}.db`);
  const { raw, close } = openSqlite(file);
  try {
    if (v.sqlite[0] === '__bare__') {
      const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL AND name <> 'documents_id'").pluck().all() as string[];
      for (const n of indexes) raw.exec(`DROP INDEX ${n}`);
      for (const t of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'").pluck().all() as string[]) raw.exec(`DROP TRIGGER ${t}`);
    } else for (const s of v.sqlite) raw.exec(s);
    const t = "'2026-01-01T00:00:00.000Z'";
    raw.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${prefill})
      INSERT INTO documents (id, message_id, partner_id, type, direction, business_key, correlation_id, envelope, status, test, created_at, updated_at)
      SELECT 'doc_' || hex(randomblob(12)), 'msg_fill_' || i, 'p' || (i % 50), 'purchase_order', 'inbound', 'POF' || i, 'POF' || i, '{}', 'delivered', 0, ${t}, ${t} FROM n`);
    const insert = raw.prepare(`INSERT INTO documents (id, message_id, partner_id, type, direction, business_key, correlation_id, envelope, status, test, created_at, updated_at)
      VALUES (@id, @messageId, @partnerId, @type, 'inbound', @businessKey, @correlationId, @envelope, 'ready', 0, '2026-12-07T10:00:00.000Z', '2026-12-07T10:00:00.000Z')`);
    const rows = Array.from({ length: count }, (_, i) => row(prefill + i));
    // the store's count write (open-sqlite.ts): one upsert per count name a transaction
    const upsertCount = raw.prepare(`INSERT INTO row_counts (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`);
    const tx = raw.transaction((slice: ReturnType<typeof row>[]) => {
      for (const r of slice) insert.run(r);
      if (v.batchCounts) upsertCount.run('documents:ready', slice.length);
    });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += BATCH) tx(rows.slice(i, i + BATCH));
    return Number(process.hrtime.bigint() - t0) / 1000 / count;
  } finally {
    close();
    rmSync(file, { force: true }); rmSync(`${file}-wal`, { force: true }); rmSync(`${file}-shm`, { force: true });
  }
}

async function pgFigure(v: Variant, url: string, prefill: number, count: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migratePg(pool);
    const c = await pool.connect();
    try {
      if (v.pg[0] === '__bare__') {
        const { rows } = await c.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'documents' AND indexname NOT LIKE '%_pkey' AND indexname <> 'documents_id'");
        for (const r of rows) await c.query(`DROP INDEX ${r.indexname}`);
        const tr = await c.query<{ tgname: string }>("SELECT tgname FROM pg_trigger WHERE tgrelid = 'documents'::regclass AND NOT tgisinternal");
        for (const r of tr.rows) await c.query(`DROP TRIGGER ${r.tgname} ON documents`);
      } else for (const s of v.pg) await c.query(s);
      await c.query(`INSERT INTO documents (id, message_id, partner_id, type, direction, business_key, correlation_id, envelope, status, test, created_at, updated_at)
        SELECT 'doc_' || md5(random()::text), 'msg_fill_' || i, 'p' || (i % 50), 'purchase_order', 'inbound', 'POF' || i, 'POF' || i, '{}', 'delivered', false, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM generate_series(1, ${prefill}) AS i`);
      await c.query('VACUUM ANALYZE documents');
      const rows = Array.from({ length: count }, (_, i) => row(prefill + i));
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < rows.length; i += BATCH) {
        await c.query('BEGIN');
        const slice = rows.slice(i, i + BATCH);
        for (const r of slice) {
          await c.query({ name: 'ins', text: `INSERT INTO documents (id, message_id, partner_id, type, direction, business_key, correlation_id, envelope, status, test, created_at, updated_at)
            VALUES ($1, $2, $3, $4, 'inbound', $5, $6, $7, 'ready', false, '2026-12-07T10:00:00.000Z', '2026-12-07T10:00:00.000Z') ON CONFLICT (id) DO NOTHING`, values: [r.id, r.messageId, r.partnerId, r.type, r.businessKey, r.correlationId, r.envelope] });
        }
        // the store's count write (batch-context.ts): one delta row per name a transaction
        if (v.batchCounts) await c.query({ name: 'cnt', text: 'INSERT INTO row_count_deltas (name, delta) SELECT * FROM unnest($1::text[], $2::int[])', values: [['documents:ready'], [slice.length]] });
        await c.query('COMMIT');
      }
      return Number(process.hrtime.bigint() - t0) / 1000 / count;
    } finally {
      c.release();
    }
  } finally {
    await pool.end();
  }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export async function run(opts: BenchOptions): Promise<BenchRow[]> {
  const prefill = opts.quick ? 100_000 : 1_000_000;
  const count = opts.quick ? 20_000 : 50_000;
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-inserts-'));
  try {
    const figures: Array<[string, number, string]> = [];
    for (const v of variants()) figures.push([v.name, await sqliteFigure(v, dir, prefill, count), load()]);
    const bare = figures.at(-1)![1];
    for (const [name, us, l] of figures.slice(0, -1)) {
      rows.push({ area: 'inserts', name: `SQLite document INSERT, ${name} (${prefill.toLocaleString('en-US')} rows stored, ${BATCH} a transaction)`, value: us, unit: 'µs per row',
        baseline: { name: 'bare table', value: bare, unit: 'µs per row' }, notes: `load ${l}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const a = postgresAvailability();
  if (!a.ok) { rows.push({ area: 'inserts', name: `PostgreSQL: not measured (${a.reason})`, value: 0, unit: '' }); return rows; }
  const server = await startTestPostgres({ fsync: true });
  try {
    const figures: Array<[string, number, string]> = [];
    let n = 0;
    for (const v of variants()) figures.push([v.name, await pgFigure(v, await server.createDatabase(`ins${n++}`), prefill, count), load()]);
    const bare = figures.at(-1)![1];
    for (const [name, us, l] of figures.slice(0, -1)) {
      rows.push({ area: 'inserts', name: `PostgreSQL document INSERT, ${name} (${prefill.toLocaleString('en-US')} rows stored, ${BATCH} a transaction)`, value: us, unit: 'µs per row',
        baseline: { name: 'bare table', value: bare, unit: 'µs per row' }, notes: `load ${l}` });
    }
  } finally {
    await server.stop();
  }
  return rows;
}
