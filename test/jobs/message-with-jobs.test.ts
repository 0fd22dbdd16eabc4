/**
 * Store.insertMessage with jobs: a stored message and the jobs it causes (a functional ack and its
 * send) commit in one transaction on SQLite and on PostgreSQL, both or neither.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.ts';
import type { NewMessage, Store } from '../../src/db/store.ts';
import type { NewJob } from '../../src/jobs/job-store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const T0 = '2026-12-07T10:00:00.000Z';
const ack = (id: string, jobs: NewJob[]): NewMessage => ({
  id, receivedAt: T0, direction: 'outbound', transport: 'ack', partnerId: 'acme', metadata: { kind: '997' }, contentSha256: `sha-${id}`,
  raw: Buffer.from('ISA*00*...~GS*FA~ST*997*0001~'), test: false, status: 'processed', relatedMessageId: 'in-1', jobs,
});
const send = (messageId: string): NewJob => ({ kind: 'ack.send', key: `ack.send:${messageId}`, payload: { messageId }, maxAttempts: 5, runAt: T0, at: T0 });

function suite(name: string, open: () => Promise<{ store: Store; close(): Promise<void> }>) {
  describe(`a message and its jobs commit together (${name})`, () => {
    it('both are stored; when the message is refused (its id exists), its job is not either', async () => {
      const { store, close } = await open();
      try {
        await store.insertMessage(ack('ack-1', [send('ack-1')]));
        expect((await store.getMessage('ack-1'))?.relatedMessageId).toBe('in-1');
        expect(await store.jobs.getByKey('ack.send:ack-1')).toMatchObject({ kind: 'ack.send', state: 'waiting', payload: { messageId: 'ack-1' } });
        // the same id again with another job: the message insert fails, so the job is rolled back with it
        await expect(store.insertMessage(ack('ack-1', [send('other')]))).rejects.toThrow();
        expect(await store.jobs.getByKey('ack.send:other')).toBeUndefined();
        // several at once share a commit; the bad one alone fails, the others keep their jobs
        const results = await Promise.allSettled([ack('ack-2', [send('ack-2')]), ack('ack-1', [send('dup')]), ack('ack-3', [send('ack-3')])].map((m) => store.insertMessage(m)));
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.jobs.list({ kind: 'ack.send', limit: 10 })).map((j) => j.key).sort()).toEqual(['ack.send:ack-1', 'ack.send:ack-2', 'ack.send:ack-3']);
      } finally {
        await close();
      }
    });
  });
}

suite('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-msg-jobs-'));
  const store = await openStore(path.join(dir, 'gateway.db'));
  return { store, async close() { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

const availability = postgresAvailability();
describe.skipIf(!availability.ok)('PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });
  suite('PostgreSQL', async () => {
    const store = await openStore(await server.createDatabase('msg_jobs'));
    return { store, close: () => store.close() };
  });
});
