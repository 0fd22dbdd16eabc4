/**
 * Retention on a Store (SQLite and PostgreSQL alike, retention-store.test.ts): per-partner windows
 * over the gateway defaults, bytes moved to the file store and read back identical, a blob shared
 * by two rows kept until the last one goes, a crash between the file and the row update resumed,
 * messages waiting to be processed left alone, dry runs changing nothing, two passes at once
 * refused by the lease.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { isGatewayError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { PartnerProfile } from '../../src/config/types.ts';
import type { NewMessage, Store } from '../../src/db/store.ts';
import type { RetentionDefaults, RetentionWindow } from '../../src/retention/policy.ts';
import { createRetentionPass } from '../../src/retention/retention-pass.ts';

export interface RetentionHarness {
  store: Store;
  blobDir: string;
  /** another store on the same database and file store (a second node) */
  peer(): Promise<Store>;
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;
const T0 = '2026-06-01T00:00:00.000Z';
const daysAfter = (d: number) => new Date(Date.parse(T0) + d * DAY).toISOString();
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

const partner = (id: string, retention?: RetentionWindow) => ({ id, name: id, status: 'production', identifiers: {}, file: `/p/${id}.yaml`, ...(retention ? { retention } : {}) }) as unknown as PartnerProfile;

function message(id: string, body: string, over: Partial<NewMessage> = {}): NewMessage {
  return {
    id, receivedAt: T0, direction: 'inbound', transport: 'http', partnerId: 'acme', metadata: {}, contentSha256: sha256(body),
    raw: Buffer.from(body), test: false, status: 'processed', ...over,
  };
}

export function retentionContract(name: string, open: () => Promise<RetentionHarness>): void {
  describe(`retention: ${name}`, () => {
    let h: RetentionHarness;
    let s: Store;
    const clock = fixedClock(T0);
    const blobPath = (key: string) => path.join(h.blobDir, key.slice(0, 2), key.slice(2, 4), key);
    const passOf = (store: Store, partners: PartnerProfile[], defaults: RetentionDefaults = {}, holder = 'node-a') =>
      createRetentionPass({ store, clock, logger: silentLogger, holder, config: () => ({ partners, defaults }) });

    beforeEach(async () => { h = await open(); s = h.store; clock.set(T0); });
    afterEach(async () => { await h.cleanup(); });

    it("archives each partner after its own window, the others after the gateway default, and reads the bytes back identical", async () => {
      await s.insertMessage(message('m-acme', 'ISA*acme~'));
      await s.insertMessage(message('m-globex', 'ISA*globex~', { partnerId: 'globex' }));
      await s.insertMessage(message('m-none', 'not identified', { partnerId: null }));
      const pass = passOf(s, [partner('acme', { archiveAfterDays: 10 }), partner('globex')], { archiveAfterDays: 30 });

      clock.set(daysAfter(11));
      const first = await pass();
      expect(first.archived).toEqual({ messages: 1, bytes: 9 });
      expect((await s.getMessage('m-acme'))).toMatchObject({ rawRef: sha256('ISA*acme~'), archivedAt: daysAfter(11) });
      expect((await s.getMessage('m-globex'))?.rawRef).toBeNull();
      expect(existsSync(blobPath(sha256('ISA*acme~')))).toBe(true);

      clock.set(daysAfter(31));
      const second = await pass();
      expect(second.archived.messages).toBe(2);
      for (const [id, body] of [['m-acme', 'ISA*acme~'], ['m-globex', 'ISA*globex~'], ['m-none', 'not identified']] as const) {
        const row = (await s.getMessage(id))!;
        expect(row.archivedAt, id).not.toBeNull();
        expect(Buffer.from(row.raw).toString(), id).toBe(body); // getMessage reads an archived message's bytes back
        expect((await s.readRaw(row)).toString(), id).toBe(body);
        expect((await s.retention.inlineRaw(id)), id).toBeUndefined(); // the row holds none any more
      }
      // a listed row carries no bytes once archived; readRaw fetches them
      const listed = (await s.listMessages({ partnerId: 'globex', limit: 10 }))[0]!;
      expect(listed.raw.byteLength).toBe(0);
      expect((await s.readRaw(listed)).toString()).toBe('ISA*globex~');
    });

    it('leaves a message waiting to be processed alone, and never archives or purges with "never"', async () => {
      await s.insertMessage(message('waiting', 'ISA*w~', { status: 'received' }));
      await s.insertMessage(message('kept', 'ISA*k~', { partnerId: 'keeper' }));
      clock.set(daysAfter(400));
      const r = await passOf(s, [partner('acme'), partner('keeper', { archiveAfterDays: 'never', purgeAfterDays: 'never' })], { archiveAfterDays: 1, purgeAfterDays: 365 })();
      expect(r.archived.messages).toBe(0);
      expect(r.purged.messages).toBe(0);
      expect((await s.getMessage('waiting'))).toMatchObject({ rawRef: null, archivedAt: null, purgedAt: null });
      expect((await s.getMessage('kept'))).toMatchObject({ rawRef: null, archivedAt: null, purgedAt: null });
    });

    it('a blob two messages share stays until the last of them is purged', async () => {
      const body = 'ISA*same bytes~';
      await s.insertMessage(message('a1', body, { partnerId: 'short' }));
      await s.insertMessage(message('b1', body, { partnerId: 'long' }));
      const pass = passOf(s, [partner('short', { archiveAfterDays: 1, purgeAfterDays: 10 }), partner('long', { archiveAfterDays: 1, purgeAfterDays: 100 })]);
      clock.set(daysAfter(2));
      expect((await pass()).archived.messages).toBe(2);
      expect((await s.getMessage('a1'))?.rawRef).toBe((await s.getMessage('b1'))?.rawRef);

      clock.set(daysAfter(11));
      const r = await pass();
      expect(r.purged).toMatchObject({ messages: 1, blobsDeleted: 0 });
      expect(existsSync(blobPath(sha256(body)))).toBe(true);
      expect((await s.readRaw((await s.getMessage('b1'))!)).toString()).toBe(body);
      const purged = (await s.getMessage('a1'))!;
      expect(purged).toMatchObject({ purgedAt: daysAfter(11), rawRef: null });
      const err = await s.readRaw(purged).catch((e: unknown) => e);
      expect(isGatewayError(err) && err.code).toBe('message_purged');

      clock.set(daysAfter(101));
      expect((await pass()).purged).toMatchObject({ messages: 1, blobsDeleted: 1 });
      expect(existsSync(blobPath(sha256(body)))).toBe(false);
    });

    it('resumes after a crash between the file and the row update: the same file, no second copy', async () => {
      await s.insertMessage(message('c1', 'ISA*crash~'));
      // the pass wrote the file and died before its UPDATE
      const key = await s.retention.blobs!.put(Buffer.from('ISA*crash~'));
      expect((await s.getMessage('c1'))?.rawRef).toBeNull();
      clock.set(daysAfter(5));
      const r = await passOf(s, [partner('acme', { archiveAfterDays: 3 })])();
      expect(r.archived.messages).toBe(1);
      expect((await s.getMessage('c1'))?.rawRef).toBe(key);
      expect(Buffer.from((await s.getMessage('c1'))!.raw).toString()).toBe('ISA*crash~');
    });

    it('purges a partner id no loaded profile names only when asked for by name', async () => {
      await s.insertMessage(message('gone', 'ISA*gone~', { partnerId: 'removed' }));
      clock.set(daysAfter(50));
      const defaults = { archiveAfterDays: 5, purgeAfterDays: 30 };
      const r = await passOf(s, [], defaults)();
      expect(r.archived.messages).toBe(1);
      expect(r.purged.messages).toBe(0);
      expect(r.partners[0]?.purgeSkipped).toContain('no partner profile');
      const byName = await passOf(s, [], defaults)({ partnerId: 'removed' });
      expect(byName.purged.messages).toBe(1);
    });

    it('a dry run counts what a pass would do and changes nothing', async () => {
      for (let i = 0; i < 7; i++) await s.insertMessage(message(`d${i}`, `ISA*dry ${i}~`, { receivedAt: daysAfter(i) }));
      clock.set(daysAfter(10));
      const pass = passOf(s, [partner('acme', { archiveAfterDays: 6, purgeAfterDays: 8 })]);
      const dry = await pass({ dryRun: true });
      // received on days 0..6, each 10 bytes; on day 10 the purge cutoff is day 2 (days 0, 1 are before it)
      // and the archive cutoff day 4 (days 0..3; a real pass purges 0 and 1 first)
      expect(dry.purged).toMatchObject({ messages: 2, bytes: 2 * 10 });
      expect(dry.archived).toMatchObject({ messages: 4, bytes: 4 * 10 });
      for (let i = 0; i < 7; i++) expect((await s.getMessage(`d${i}`))).toMatchObject({ rawRef: null, purgedAt: null });
      const real = await pass({ batchSize: 2 });
      expect(real.purged.messages).toBe(2);
      expect(real.archived.messages).toBe(2);
      expect((await s.getMessage('d1'))?.purgedAt).toBe(daysAfter(10));
      expect((await s.getMessage('d3'))?.archivedAt).toBe(daysAfter(10));
      expect((await s.getMessage('d4'))).toMatchObject({ archivedAt: null, purgedAt: null });
    });

    it('two passes at once: the second is refused while the first holds the retention lease', async () => {
      await s.insertMessage(message('l1', 'ISA*lease~'));
      clock.set(daysAfter(5));
      const other = await h.peer();
      const now = clock.now();
      expect(await other.acquireLease('retention', 'node-b', new Date(now.getTime() + 60_000).toISOString(), now.toISOString())).toBe(true);
      const err = await passOf(s, [partner('acme', { archiveAfterDays: 1 })])().catch((e: unknown) => e);
      expect(isGatewayError(err) && err.code).toBe('retention_running_elsewhere');
      await other.releaseLease('retention', 'node-b');
      expect((await passOf(s, [partner('acme', { archiveAfterDays: 1 })])()).archived.messages).toBe(1);
      // the peer (another node on the same file store) reads what this one archived
      expect(Buffer.from((await other.getMessage('l1'))!.raw).toString()).toBe('ISA*lease~');
    });
  });
}
