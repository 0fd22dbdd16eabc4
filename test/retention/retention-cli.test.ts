/**
 * `edigw retention run` on a SQLite database another process filled: --help, a dry run that
 * changes nothing, a real run with progress on stderr and the summary on stdout, --partner, and
 * a database whose raw bytes the gateway then serves from the file store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { openStore } from '../../src/db/open-store.ts';
import { createTempConfig, profile, type TempConfig } from '../config/support.ts';

let t: TempConfig;
let db: string;
const env = () => ({ EDIGW_DATABASE_URL: db, EDIGW_PARTNERS_DIR: t.partnersDir, EDIGW_MAPPINGS_DIR: t.mappingsDir });

async function cli(args: string[], extra: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: { ...env(), ...extra }, cwd: t.root });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  t = createTempConfig();
  t.write('partners/acme.yaml', profile('acme', 'retention: { archiveAfterDays: 10, purgeAfterDays: 400 }\n'));
  t.write('partners/globex.yaml', profile('globex'));
  db = path.join(mkdtempSync(path.join(tmpdir(), 'edigw-retention-cli-')), 'gateway.db');
  const store = await openStore(db);
  // received long ago (the command runs on the real clock): 1,200 of acme's, 3 of globex's
  const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
  for (let i = 0; i < 1200; i++) {
    await store.insertMessage({ id: `m${i}`, receivedAt: old, direction: 'inbound', transport: 'http', partnerId: i < 3 ? 'globex' : 'acme', metadata: {}, contentSha256: `h${i}`, raw: Buffer.alloc(1000, i % 251), test: false, status: 'processed' });
  }
  await store.close();
});
afterAll(() => { t.cleanup(); rmSync(path.dirname(db), { recursive: true, force: true }); });

describe('edigw retention run', () => {
  it('--help explains the steps, the keys and the file size', async () => {
    const r = await cli(['retention', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['--dry-run', '--partner <id>', 'archiveAfterDays', 'purgeAfterDays', '410 message_purged', 'EDIGW_BLOB_DIR', 'VACUUM']) expect(r.out).toContain(s);
    expect((await cli(['retention'])).code).toBe(2);
  });

  it('a dry run counts and changes nothing', async () => {
    const r = await cli(['retention', 'run', '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('would archive 1,197 messages (1.1 MB)'); // globex has no window
    const store = await openStore(db);
    try { expect((await store.getMessage('m5'))?.rawRef).toBeNull(); } finally { await store.close(); }
  });

  it('--partner limits the pass; the gateway default applies to a partner without retention:', async () => {
    const r = await cli(['retention', 'run', '--partner', 'globex'], { EDIGW_RETENTION_ARCHIVE_AFTER_DAYS: '20' });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/globex\s+archive after 20 d, purge never: archived 3 \(0\.0 MB\)/);
    expect(r.out).toContain('total: archived 3 messages');
  });

  it('runs the pass: every old acme message is in the file store, bytes intact', async () => {
    const r = await cli(['retention', 'run', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { archived: { messages: number; bytes: number } };
    expect(report.archived).toEqual({ messages: 1197, bytes: 1197 * 1000 });
    const store = await openStore(db);
    try {
      const row = (await store.getMessage('m700'))!;
      expect(row.archivedAt).not.toBeNull();
      expect(Buffer.from(row.raw).equals(Buffer.alloc(1000, 700 % 251))).toBe(true);
    } finally { await store.close(); }
  });
});
