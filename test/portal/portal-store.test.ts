/**
 * The portal's statements (src/portal/portal-sql.ts) on SQLite and on a real PostgreSQL: the outbox
 * lease and ack as the ERP feed's (a live lease hides an item, an expired one gives it back with
 * lease count + 1, an ack settles only the partner's own ids), invitations taken once and only
 * before they expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.ts';
import type { Store } from '../../src/db/store.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const pg = postgresAvailability();
let server: TestPostgres | undefined;
beforeAll(async () => { if (pg.ok) server = await startTestPostgres({ fsync: false }); }, 60_000);
afterAll(async () => { await server?.stop(); });

const t = (m: number) => new Date(Date.UTC(2026, 11, 7, 10, m)).toISOString();

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !pg.ok)(`portal store on ${dialect}${!pg.ok && dialect === 'postgres' ? ` (skipped: ${(pg as { reason: string }).reason})` : ''}`, () => {
    let store: Store;
    beforeAll(async () => { store = await openStore(dialect === 'sqlite' ? ':memory:' : await server!.createDatabase('portal')); });
    afterAll(async () => { await store?.close(); });

    it('leases a partner\'s ready items in order, gives them back after the lease, settles only its own ids', async () => {
      const offer = (id: string, partnerId: string, messageId: string, m: number) =>
        store.portal.offerOutbox({ id, partnerId, kind: 'functional_ack', messageId, summary: { n: id }, test: false, at: t(m) });
      await offer('a1', 'acme', 'm1', 0);
      await offer('b1', 'beta', 'm2', 1);
      await offer('a2', 'acme', 'm3', 2);
      const first = await store.portal.leaseOutbox({ partnerId: 'acme', now: t(5), leaseUntil: t(6), limit: 10 });
      expect(first.map((r) => [r.id, r.leaseCount, r.test])).toEqual([['a1', 1, false], ['a2', 1, false]]);
      expect(await store.portal.leaseOutbox({ partnerId: 'acme', now: t(5), leaseUntil: t(6), limit: 10 })).toEqual([]);
      const again = await store.portal.leaseOutbox({ partnerId: 'acme', now: t(7), leaseUntil: t(8), limit: 1 });
      expect(again.map((r) => [r.id, r.leaseCount])).toEqual([['a1', 2]]);
      const acked = await store.portal.ackOutbox('acme', ['a1', 'b1', 'nope'], t(7));
      expect([acked.acknowledged.map((r) => [r.id, r.status, r.deliveredAt]), acked.unknown]).toEqual([[['a1', 'delivered', t(7)]], ['b1', 'nope']]);
      // the same message offered again (a replay's new disposition) is ready again, same id
      await store.portal.offerOutbox({ id: 'a1-other-id', partnerId: 'acme', kind: 'functional_ack', messageId: 'm1', summary: { n: 'again' }, test: false, at: t(9) });
      const list = await store.portal.listOutbox({ partnerId: 'acme', limit: 10 });
      expect(list.map((r) => [r.id, r.status, JSON.parse(r.summary).n])).toEqual([['a2', 'ready', 'a2'], ['a1', 'ready', 'again']]);
      expect((await store.portal.listOutbox({ partnerId: 'acme', limit: 1, before: list[0]!.seq })).map((r) => r.id)).toEqual(['a1']);
      expect(await store.portal.getOutbox('beta', 'a2')).toBeUndefined();
    });

    it('takes an invitation once, before it expires', async () => {
      await store.portal.insertUser({ id: 'u1', partnerId: 'acme', email: 'a@acme.example', passwordHash: null, status: 'invited', failedLogins: 0, lockedUntil: null,
        inviteHash: 'h1', inviteExpiresAt: t(30), invitedBy: 'op', createdAt: t(0), updatedAt: t(0), lastLoginAt: null });
      expect(await store.portal.acceptInvite('h1', 'scrypt$x', t(31))).toBe(false); // expired
      expect(await store.portal.acceptInvite('h1', 'scrypt$x', t(29))).toBe(true);
      expect(await store.portal.acceptInvite('h1', 'scrypt$y', t(29))).toBe(false);
      expect(await store.portal.userByEmail('a@acme.example')).toMatchObject({ status: 'active', passwordHash: 'scrypt$x', inviteHash: null, failedLogins: 0 });
      await store.portal.updateUser('u1', { failedLogins: 3, lockedUntil: t(45) }, t(40));
      expect(await store.portal.getUser('u1')).toMatchObject({ failedLogins: 3, lockedUntil: t(45), updatedAt: t(40) });
      await store.portal.insertSession({ tokenHash: 's1', userId: 'u1', partnerId: 'acme', csrf: 'c', createdAt: t(0), expiresAt: t(60) });
      expect(await store.portal.getSession('s1')).toMatchObject({ userId: 'u1', csrf: 'c' });
      await store.portal.deleteSessionsOfUser('u1');
      expect(await store.portal.getSession('s1')).toBeUndefined();
    });
  });
}
