/**
 * Spine: pipeline throughput (documents/s from stored message to feed-ready canonical document)
 * beside a bare pipeline doing the same essential work in the same run: read each stored message,
 * JSON.parse, validate the document with ajv against the same canonical schema, write the document
 * row (unique id, JSON envelope) and the message's status, 100 messages a transaction. HTTP intake
 * is measured in the volume area, against hono + one fsync per request behind the same HTTP client.
 */
import Database from 'better-sqlite3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { commonSchema, documentSchemas } from '../src/canonical/schemas.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../src/core/logger.ts';
import { startGateway } from '../src/gateway.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const payload = (n: number) => JSON.stringify({
  type: 'invoice',
  document: {
    invoiceNumber: `INV-${n}`, invoiceDate: '2026-11-20', poNumber: `PO-${n}`, currency: 'USD', totalAmount: 1234.5,
    lines: Array.from({ length: 5 }, (_, i) => ({ lineNumber: String(i + 1), buyerPartNumber: `BP-${i}`, quantityInvoiced: 10, unitPrice: 24.69, amount: 246.9 })),
  },
});

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** the same messages stored, then processed by the bare pipeline; documents/s of the processing */
function barePipeline(dir: string, count: number): number {
  const db = new Database(path.join(dir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE m (id INTEGER PRIMARY KEY, raw BLOB NOT NULL, status TEXT NOT NULL);
    CREATE TABLE d (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, message_id INTEGER NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL, envelope TEXT NOT NULL)`);
  const store = db.prepare("INSERT INTO m (raw, status) VALUES (?, 'received')");
  db.transaction(() => { for (let i = 0; i < count; i++) store.run(Buffer.from(payload(i))); })();
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addSchema(commonSchema);
  for (const schema of Object.values(documentSchemas)) ajv.addSchema(schema);
  const validate = ajv.getSchema(String(documentSchemas.invoice.$id))!;
  const read = db.prepare("SELECT id, raw FROM m WHERE status = 'received' AND id > ? ORDER BY id LIMIT 100");
  const insert = db.prepare("INSERT INTO d (id, message_id, type, status, envelope) VALUES (?, ?, 'invoice', 'ready', ?)");
  const done = db.prepare("UPDATE m SET status = 'processed' WHERE id = ?");
  const t0 = performance.now();
  let after = 0;
  for (;;) {
    const rows = read.all(after) as Array<{ id: number; raw: Buffer }>;
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const r of rows) {
        const { type, document } = JSON.parse(r.raw.toString('utf8')) as { type: string; document: unknown };
        if (!validate(document)) throw new Error(`bare pipeline: invalid ${type}`);
        insert.run(`doc-${r.id}`, r.id, JSON.stringify({ id: `doc-${r.id}`, type, partnerId: 'restco', document }));
        done.run(r.id);
      }
    })();
    after = rows[rows.length - 1]!.id;
  }
  const s = (performance.now() - t0) / 1000;
  db.close();
  return count / s;
}

export const run: BenchArea = async ({ quick }) => {
  const count = quick ? 500 : 5000;
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-'));
  mkdirSync(path.join(dir, 'partners'));
  mkdirSync(path.join(dir, 'mappings'));
  writeFileSync(path.join(dir, 'partners', 'restco.yaml'), 'id: restco\nname: RestCo\nstatus: production\nidentifiers: {}\nformats:\n  json: { canonical: true }\nhttp:\n  apiKeyEnv: KEY\n');
  const rows: BenchRow[] = [];
  try {
    const bare = barePipeline(dir, count);
    const options = {
      port: 0, host: '127.0.0.1', databaseUrl: path.join(dir, 'gw.db'), partnersDir: path.join(dir, 'partners'),
      mappingsDir: path.join(dir, 'mappings'), env: { KEY: 'bench-key' }, logger: silentLogger, watchConfig: false, tokens: [],
    };
    // Phase 1: the messages are stored over HTTP, nothing processed (no worker)
    const gw = await startGateway({ ...options, workerConcurrency: 0 });
    const bodies = Array.from({ length: count }, (_, i) => payload(i + 1_000_000));
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < count) {
        const body = bodies[next++]!;
        const res = await fetch(`${gw.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'bench-key' }, body });
        if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }));
    await gw.stop();
    // Phase 2: a restart resumes every stored message; time until the last document is feed-ready.
    const t1 = performance.now();
    const gw2 = await startGateway({ ...options, workerConcurrency: 4 });
    await gw2.idle();
    const pipelineSeconds = (performance.now() - t1) / 1000;
    await gw2.stop();
    rows.push({
      area: 'spine', name: 'pipeline: stored message to feed-ready document (detect, split, identify, dedupe, validate, correlate, store, release)', value: count / pipelineSeconds, unit: 'docs/s',
      baseline: { name: 'bare pipeline: JSON.parse, ajv validate, document row + status, 100 a transaction', value: bare, unit: 'docs/s' },
      notes: `${count} canonical JSON invoices stored over HTTP first; includes one gateway start (config load, schema compile); the gateway also identifies the partner, checks duplicates, correlates and keeps its counters`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
