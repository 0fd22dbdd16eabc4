/**
 * Spine: intake throughput (messages/s over HTTP, each answered after its durable commit) and
 * pipeline throughput (documents/s from stored message to feed-ready canonical document), beside a
 * bare better-sqlite3 insert of the same payload with the same durability settings.
 */
import Database from 'better-sqlite3';
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

function bareSqlite(dir: string, count: number, batch: number): number {
  const db = new Database(path.join(dir, `bare-${batch}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE m (id INTEGER PRIMARY KEY, raw BLOB NOT NULL)');
  const ins = db.prepare('INSERT INTO m (raw) VALUES (?)');
  const bodies = Array.from({ length: count }, (_, i) => Buffer.from(payload(i)));
  const tx = db.transaction((rows: Buffer[]) => { for (const r of rows) ins.run(r); });
  const t0 = performance.now();
  for (let i = 0; i < count; i += batch) tx(bodies.slice(i, i + batch));
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
    const bare1 = bareSqlite(dir, count, 1);
    const bare100 = bareSqlite(dir, count, 100);
    const options = {
      port: 0, host: '127.0.0.1', databaseUrl: path.join(dir, 'gw.db'), partnersDir: path.join(dir, 'partners'),
      mappingsDir: path.join(dir, 'mappings'), env: { KEY: 'bench-key' }, logger: silentLogger, watchConfig: false, tokens: [],
    };
    // Phase 1: intake only (no worker), so the figure is the durable-commit path a sender waits on.
    const gw = await startGateway({ ...options, workerConcurrency: 0 });
    const bodies = Array.from({ length: count }, (_, i) => payload(i + 1_000_000));
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < count) {
        const body = bodies[next++]!;
        const res = await fetch(`${gw.url}/api/v1/inbound`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'bench-key' }, body });
        if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }));
    const intakeSeconds = (performance.now() - t0) / 1000;
    await gw.stop();
    // Phase 2: a restart resumes every stored message; time until the last document is feed-ready.
    const t1 = performance.now();
    const gw2 = await startGateway({ ...options, workerConcurrency: 4 });
    await gw2.idle();
    const pipelineSeconds = (performance.now() - t1) / 1000;
    await gw2.stop();
    rows.push({
      area: 'spine', name: `HTTP intake, ${count} invoices (32 concurrent clients, durable commit before 202)`, value: count / intakeSeconds, unit: 'msg/s',
      baseline: { name: 'bare SQLite insert, one transaction each', value: bare1, unit: 'rows/s' },
      notes: `bare SQLite insert batched 100 a transaction: ${Math.round(bare100)} rows/s (the load generator shares the 2 cores with the server)`,
    });
    rows.push({
      area: 'spine', name: 'pipeline: stored message to feed-ready document (detect, split, identify, dedupe, validate, correlate, store, release)', value: count / pipelineSeconds, unit: 'docs/s',
      baseline: { name: 'bare SQLite insert batched 100', value: bare100, unit: 'rows/s' },
      notes: 'includes one gateway start (config load, schema compile)',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
