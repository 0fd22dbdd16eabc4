/**
 * Retention (issue 11): archive a database filled with 1M stored messages of 2 KB each (100k with
 * --quick; filled through SQL, test/support/fill-history.ts, all received 2026-01-01, so past a
 * 30-day window) into the file store, in one pass (src/retention/retention-pass.ts). Figures:
 * - rows/s and MB/s of the pass, peak RSS, the event loop's p99 and max delay meanwhile;
 * - beside a bare loop in the same run: the same rows read with one better-sqlite3 iterator, each
 *   hashed and written to its own file with fsync (8 in flight, no rename, no directory fsync, no
 *   row update) — the floor of "read a row, write a durable file";
 * - the SQLite file before, after the pass (WAL checkpointed), after `PRAGMA incremental_vacuum`
 *   (a no-op unless the file was created with auto_vacuum = INCREMENTAL; ours are not), and after
 *   VACUUM, with its time; and the file store's size on disk.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';
import { createSqliteStore } from '../src/db/sqlite-store.ts';
import { createRetentionPass } from '../src/retention/retention-pass.ts';
import { fillHistory } from '../test/support/fill-history.ts';
import { withPeakRss, type BenchArea, type BenchRow } from './lib.ts';

const RAW_BYTES = 2048;
const IN_FLIGHT = Number(process.env.BENCH_RETENTION_IN_FLIGHT ?? 8);
const MB = 1048576;

const fileSize = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const dbSize = (file: string) => fileSize(file) + fileSize(`${file}-wal`);
const mb = (bytes: number) => Math.round(bytes / MB);
const duMb = (dir: string) => Math.round(Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024);

/** the floor: read every raw with one iterator, hash it, write it to its own file, fsync; IN_FLIGHT at once */
async function bareLoop(file: string, dir: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const db = new Database(file, { readonly: true });
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  const made = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  try {
    for (const raw of db.prepare('SELECT raw FROM messages ORDER BY partner_id, received_at').pluck().iterate() as Iterable<Buffer>) {
      const key = createHash('sha256').update(raw).digest('hex');
      const d = path.join(dir, key.slice(0, 2), key.slice(2, 4));
      if (!made.has(d)) { mkdirSync(d, { recursive: true }); made.add(d); }
      const p = (async () => {
        const fh = await open(path.join(d, key), 'w');
        try { await fh.writeFile(raw); await fh.datasync(); } finally { await fh.close(); }
      })();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      rows++;
      bytes += raw.byteLength;
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    db.close();
  }
  return { rows, bytes, seconds: (performance.now() - t0) / 1000 };
}

export const run: BenchArea = async ({ quick }) => {
  const count = Number(process.env.BENCH_RETENTION_ROWS ?? (quick ? 100_000 : 1_000_000));
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-retention-'));
  const file = path.join(dir, 'gateway.db');
  const rows: BenchRow[] = [];
  try {
    createSqliteStore(file).close(); // the schema, migrations applied
    const f0 = performance.now();
    fillHistory(file, count, { rawBytes: RAW_BYTES });
    console.log(`  filled ${count.toLocaleString('en-US')} messages of ${RAW_BYTES} bytes in ${((performance.now() - f0) / 1000).toFixed(1)} s`);
    const before = dbSize(file);

    const bare = await bareLoop(file, path.join(dir, 'bare'));
    console.log(`  bare loop: ${bare.rows.toLocaleString('en-US')} rows in ${bare.seconds.toFixed(1)} s`);
    rmSync(path.join(dir, 'bare'), { recursive: true, force: true });

    const store = createSqliteStore(file);
    const pass = createRetentionPass({
      store, clock: systemClock, logger: silentLogger, holder: 'bench',
      config: () => ({ partners: [], defaults: { archiveAfterDays: 30 } }),
    });
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let lastPrint = performance.now();
    const t0 = performance.now();
    const { result: report, peakRssMb } = await withPeakRss(() => pass({
      parallelWrites: IN_FLIGHT,
      onProgress: (p) => {
        if (performance.now() - lastPrint < 15_000) return;
        lastPrint = performance.now();
        console.log(`  … archive ${p.partnerId}: ${p.messages.toLocaleString('en-US')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      },
    }));
    const seconds = (performance.now() - t0) / 1000;
    lag.disable();
    await store.close();
    if (report.archived.messages !== count) throw new Error(`archived ${report.archived.messages} of ${count}`);

    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const afterPass = dbSize(file);
    const pragma = (name: string) => Number(db.pragma(name, { simple: true }));
    const autoVacuum = pragma('auto_vacuum');
    const freePages = pragma('freelist_count');
    const pageSize = pragma('page_size');
    db.pragma('incremental_vacuum');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const afterIncremental = dbSize(file);
    const v0 = performance.now();
    db.exec('VACUUM');
    const vacuumSeconds = (performance.now() - v0) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const afterVacuum = dbSize(file);
    const blobsMb = duMb(path.join(dir, 'blobs'));

    const totalMb = report.archived.bytes / MB;
    const lagNote = `event loop delay during the pass p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`;
    rows.push({
      area: 'retention', name: `archive ${count.toLocaleString('en-US')} messages of 2 KB (one pass)`, value: count / seconds, unit: 'rows/s', peakRssMb,
      baseline: { name: 'bare loop: iterate rows, sha256, write + fsync each file', value: bare.rows / bare.seconds, unit: 'rows/s' },
      notes: `${seconds.toFixed(1)} s, ${(totalMb / seconds).toFixed(1)} MB/s of raw bytes (bare loop ${(bare.bytes / MB / bare.seconds).toFixed(1)} MB/s); ${lagNote}`,
    });
    rows.push({
      area: 'retention', name: 'SQLite file after the pass (WAL checkpointed)', value: mb(afterPass), unit: 'MB',
      notes: `before ${mb(before)} MB; ${freePages.toLocaleString('en-US')} free pages of ${pageSize} bytes (${mb(freePages * pageSize)} MB, reused by new rows); `
        + `auto_vacuum = ${autoVacuum} (0: none), after PRAGMA incremental_vacuum ${mb(afterIncremental)} MB; after VACUUM ${mb(afterVacuum)} MB (VACUUM took ${vacuumSeconds.toFixed(1)} s); file store ${blobsMb} MB on disk`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};
