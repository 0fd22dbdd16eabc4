import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteBatching } from './sqlite-batch.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function open() {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-batch-'));
  dirs.push(dir);
  const file = path.join(dir, 'b.db');
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE t (x TEXT)');
  // a second connection sees only what is committed
  const other = new Database(file, { readonly: true });
  const committed = () => (other.prepare('SELECT x FROM t ORDER BY rowid').pluck().all() as string[]);
  const insert = (x: string) => raw.prepare('INSERT INTO t (x) VALUES (?)').run(x);
  return { raw, committed, insert, ...createSqliteBatching(raw) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SQLite write batches', () => {
  it('commits a batch\'s writes once, when it ends', async () => {
    const s = open();
    await s.batch(async () => {
      s.insert('a');
      await tick();
      s.insert('b');
      expect(s.committed()).toEqual([]);
    });
    expect(s.committed()).toEqual(['a', 'b']);
    expect(s.raw.inTransaction).toBe(false);
  });

  it('batches running side by side share one transaction, committed when the last ends', async () => {
    const s = open();
    let releaseA!: () => void;
    const a = s.batch(async () => { s.insert('a'); await new Promise<void>((r) => { releaseA = r; }); });
    const b = s.batch(async () => { s.insert('b'); });
    await b;
    expect(s.committed()).toEqual([]); // a is still open: b's writes wait with it
    releaseA();
    await a;
    expect(s.committed()).toEqual(['a', 'b']);
  });

  it('a durable commit inside an open batch is committed before it returns, and the batch goes on', async () => {
    const s = open();
    await s.batch(async () => {
      s.insert('pipeline');
      s.durably(() => s.insert('received message'));
      // what the sender is told about is on disk now (with what the batch had written so far)
      expect(s.committed()).toEqual(['pipeline', 'received message']);
      expect(s.raw.inTransaction).toBe(true);
      s.insert('more pipeline');
    });
    expect(s.committed()).toEqual(['pipeline', 'received message', 'more pipeline']);
  });

  it('a batch that throws still commits what its units wrote, and rethrows', async () => {
    const s = open();
    await expect(s.batch(async () => { s.insert('a'); throw new Error('unit failed'); })).rejects.toThrow('unit failed');
    expect(s.committed()).toEqual(['a']);
    expect(s.raw.inTransaction).toBe(false);
  });
});
