/**
 * The search keys the SQLite store writes with a document (src/db/search-keys.ts) are the ones the
 * SQL trigger gave, and PostgreSQL's trigger (postgres 0016) still gives: the trigger's text,
 * read from sqlite migration 0018, runs in an in-memory database over every golden fixture's
 * expected documents (each with control numbers and a business key added) and a few edge shapes;
 * both answers must hold the same (key, kind) pairs.
 */
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentSearchKeys } from '../../src/db/search-keys.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const migration = readFileSync(path.join(repo, 'src/db/migrations/sqlite/0018_console_search.sql'), 'utf8');
const trigger = /CREATE TRIGGER search_keys_document[\s\S]*?\nEND;/.exec(migration)?.[0];

function expectedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? expectedFiles(p) : f === 'expected.json' ? [p] : [];
  });
}

function viaTrigger(envelope: unknown, businessKey: string | null): string[] {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE messages (id TEXT, received_at TEXT);
    CREATE TABLE documents (message_id TEXT, partner_id TEXT, envelope TEXT, business_key TEXT, created_at TEXT);
    CREATE TABLE search_keys (seq INTEGER PRIMARY KEY, key TEXT, kind TEXT, message_id TEXT, partner_id TEXT, at TEXT);
    CREATE UNIQUE INDEX search_keys_entry ON search_keys (key, message_id);
    ${trigger}`);
  db.prepare("INSERT INTO documents VALUES ('m1', 'p', ?, ?, '2026-12-08T00:00:00Z')").run(JSON.stringify(envelope), businessKey);
  const rows = db.prepare('SELECT key, kind FROM search_keys ORDER BY seq').all() as Array<{ key: string; kind: string }>;
  db.close();
  return rows.map((r) => `${r.kind}:${r.key}`).sort();
}

const viaStore = (envelope: unknown, businessKey: string | null) => documentSearchKeys(envelope, businessKey).map((k) => `${k.kind}:${k.key}`).sort();

describe('search keys: the store writes what the trigger wrote', () => {
  it('finds the trigger in migration 0018', () => {
    expect(trigger).toContain('json_extract(NEW.envelope');
  });

  const documents = expectedFiles(path.join(repo, 'fixtures')).flatMap((file) => {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return (Array.isArray(parsed) ? parsed : [parsed]).map((d, i) => ({ name: `${path.relative(repo, file)}#${i}`, d: d as Record<string, unknown> }));
  });

  it('covers the golden fixtures', () => {
    expect(documents.length).toBeGreaterThan(50);
  });

  for (const { name, d } of documents) {
    it(name, () => {
      const envelope = { ...d, source: { interchangeControlNumber: '000000905', groupControlNumber: 905, transactionControlNumber: ' 0001 ' } };
      const businessKey = typeof (d.document as Record<string, unknown> | undefined)?.poNumber === 'string' ? String((d.document as Record<string, unknown>).poNumber) : 'bk-1';
      expect(viaStore(envelope, businessKey)).toEqual(viaTrigger(envelope, businessKey));
    });
  }

  it('edge shapes: a multi-PO ship notice, lists of numbers, blanks, a string where an object was expected, no document', () => {
    const cases: Array<[unknown, string | null]> = [
      [{ document: { shipmentId: ' asn-1 ', orders: [{ poNumber: 'po-1' }, { poNumber: 'PO-2' }, 'PO-3', { poNumber: '  ' }], trackingNumbers: ['1Z', '1z'] } }, 'ASN-1'],
      [{ document: { poNumbers: ['A', 'B', 7], carrier: 'UPS', invoiceNumber: '' } }, null],
      [{ document: null, source: { interchangeControlNumber: 12 } }, '   '],
      [{}, 'x'],
    ];
    for (const [envelope, businessKey] of cases) expect(viaStore(envelope, businessKey)).toEqual(viaTrigger(envelope, businessKey));
  });
});
