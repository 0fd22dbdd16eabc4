/**
 * Store.insertMessage with jobs: a stored message and the jobs it causes (a functional ack and its
 * send) commit in one transaction on SQLite and on PostgreSQL, both or neither. Store.upsertDocument
 * with jobs: a document released (stored ready, created or replaced) and its ERP push job likewise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.ts';
import type { NewDocument, NewMessage, Store } from '../../src/db/store.ts';
import type { NewJob } from '../../src/jobs/job-store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const T0 = '2026-12-07T10:00:00.000Z';
const ack = (id: string, jobs: NewJob[]): NewMessage => ({
  id, receivedAt: T0, direction: 'outbound', transport: 'ack', partnerId: 'acme', metadata: { kind: '997' }, contentSha256: `sha-${id}`,
  raw: Buffer.from('ISA*00*...~GS*FA~ST*997*0001~'), test: false, status: 'processed', relatedMessageId: 'in-1', jobs,
});
const push = (documentId: string): NewJob => ({ kind: 'erp.push', key: `erp.push:${documentId}`, queue: 'erp:acme', partnerId: 'acme', payload: { documentId }, maxAttempts: 10, runAt: T0, at: T0 });
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

    it('a released document and its push job commit together; held, unchanged or refused: no job', async () => {
      const { store, close } = await open();
      const doc = (id: string, over: Partial<NewDocument> = {}): NewDocument => ({
        id, messageId: 'in-1', partnerId: 'acme', type: 'invoice', direction: 'inbound', businessKey: null, correlationId: null,
        envelope: { id, n: 1 }, status: 'ready', test: false, at: T0, jobs: [push(id)], ...over,
      });
      try {
        expect((await store.upsertDocument(doc('doc-1'))).outcome).toBe('created');
        expect(await store.jobs.getByKey('erp.push:doc-1')).toMatchObject({ kind: 'erp.push', queue: 'erp:acme', state: 'waiting', payload: { documentId: 'doc-1' } });
        // stored again as it is: nothing released, no job
        expect((await store.upsertDocument(doc('doc-1', { jobs: [push('doc-1-again')] }))).outcome).toBe('unchanged');
        expect(await store.jobs.getByKey('erp.push:doc-1-again')).toBeUndefined();
        // held by the lifecycle rules: no push
        expect((await store.upsertDocument(doc('doc-2', { status: 'held' }))).outcome).toBe('created');
        expect(await store.jobs.getByKey('erp.push:doc-2')).toBeUndefined();
        // released later (replaced with status ready): the push commits then
        expect((await store.upsertDocument(doc('doc-2'))).outcome).toBe('replaced');
        expect(await store.jobs.getByKey('erp.push:doc-2')).toMatchObject({ state: 'waiting' });
        // the job is refused (max_attempts must be >= 1): the document is not stored either
        await expect(store.upsertDocument(doc('doc-3', { jobs: [{ ...push('doc-3'), maxAttempts: 0 }] }))).rejects.toThrow();
        expect(await store.getDocument('doc-3')).toBeUndefined();
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
let databases = 0;
describe.skipIf(!availability.ok)('PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => { server = await startTestPostgres(); });
  afterAll(async () => { await server?.stop(); });
  suite('PostgreSQL', async () => {
    const store = await openStore(await server.createDatabase(`msg_jobs_${++databases}`));
    return { store, close: () => store.close() };
  });
});
