/**
 * The claims and leases part of the Store contract (ClaimMethods in src/db/store.ts), on every
 * store: a message being processed has one holder, a claim that ran out can be taken by another
 * node, the resume scan skips claimed messages; a named lease (a partner's SFTP poller) has one
 * holder, is renewed by it, and hands over when it runs out. Two stores on one database race for
 * the same claims and leases and exactly one wins each.
 */
import { describe, expect, it } from 'vitest';
import type { StoreHarness } from './store-contract.ts';
import { at, message, T0 } from './store-contract.ts';

export function claimsContract(harness: () => StoreHarness): void {
  describe('message claims', () => {
    it('one holder at a time; the holder renews; a claim that ran out goes to the next node; release frees it', async () => {
      const s = harness().store;
      await s.insertMessage(message('m1'));
      expect(await s.claimMessage('m1', 'node-a', at(1), T0)).toBe(true);
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: 'node-a', claimUntil: at(1) });
      expect(await s.claimMessage('m1', 'node-b', at(1.5), at(0.5))).toBe(false);
      // node-a renews before it runs out
      expect(await s.claimMessage('m1', 'node-a', at(2), at(0.9))).toBe(true);
      expect(await s.claimMessage('m1', 'node-b', at(2.5), at(1.5))).toBe(false);
      // node-a died: after at(2) node-b takes it over, and node-a cannot renew any more
      expect(await s.claimMessage('m1', 'node-b', at(3), at(2.1))).toBe(true);
      expect(await s.claimMessage('m1', 'node-a', at(3), at(2.2))).toBe(false);
      // release by a node that does not hold it changes nothing
      await s.releaseMessage('m1', 'node-a');
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: 'node-b', claimUntil: at(3) });
      await s.releaseMessage('m1', 'node-b');
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: null, claimUntil: null });
      expect(await s.claimMessage('m1', 'node-a', at(3), at(2.3))).toBe(true);
      expect(await s.claimMessage('nope', 'node-a', at(3), T0)).toBe(false);
    });

    it('the status that ends processing clears the claim in the same write; a late renewal does not take it again', async () => {
      const s = harness().store;
      await s.insertMessage(message('m1'));
      await s.insertMessage(message('m2'));
      expect(await s.claimMessage('m1', 'node-a', at(1), T0)).toBe(true);
      expect(await s.claimMessage('m2', 'node-a', at(1), T0)).toBe(true);
      // a change that is not a status keeps the claim
      await s.updateMessage('m1', { partnerId: 'acme' }, at(0.1));
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: 'node-a', claimUntil: at(1) });
      // a renewal extends the claim its holder still holds, only that
      expect(await s.claimMessage('m1', 'node-a', at(2), at(0.2), { renew: true })).toBe(true);
      expect(await s.claimMessage('m1', 'node-b', at(2), at(0.2), { renew: true })).toBe(false);
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: 'node-a', claimUntil: at(2) });
      await s.updateMessage('m1', { status: 'processed' }, at(0.3));
      await s.updateMessage('m2', { status: 'failed' }, at(0.3));
      expect(await s.getMessage('m1')).toMatchObject({ status: 'processed', claimedBy: null, claimUntil: null });
      expect(await s.getMessage('m2')).toMatchObject({ status: 'failed', claimedBy: null, claimUntil: null });
      expect(await s.claimMessage('m1', 'node-a', at(3), at(0.4), { renew: true })).toBe(false);
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: null, claimUntil: null });
    });

    it('onlyReceived claims only a message still waiting to be processed (a replay claims any)', async () => {
      const s = harness().store;
      await s.insertMessage(message('m1'));
      await s.updateMessage('m1', { status: 'processed' }, T0);
      expect(await s.claimMessage('m1', 'node-a', at(1), T0, { onlyReceived: true })).toBe(false);
      expect(await s.claimMessage('m1', 'node-a', at(1), T0)).toBe(true);
    });

    it('the resume scan lists received inbound messages oldest first, without a live claim, received before the cut-off', async () => {
      const s = harness().store;
      await s.insertMessage(message('old1', { receivedAt: at(-10) }));
      await s.insertMessage(message('old2', { receivedAt: at(-9) }));
      await s.insertMessage(message('old3', { receivedAt: at(-8) }));
      await s.insertMessage(message('done', { receivedAt: at(-8) }));
      await s.insertMessage(message('out', { receivedAt: at(-8), direction: 'outbound' }));
      await s.insertMessage(message('young', { receivedAt: at(-0.1) }));
      await s.updateMessage('done', { status: 'processed' }, T0);
      await s.claimMessage('old2', 'node-a', at(1), T0);
      await s.claimMessage('old3', 'node-a', at(-1), at(-2)); // ran out a minute ago
      expect(await s.resumableMessageIds({ now: T0, receivedBefore: at(-1), limit: 10 })).toEqual(['old1', 'old3']);
      expect(await s.resumableMessageIds({ now: T0, limit: 10 })).toEqual(['old1', 'old3', 'young']);
      expect(await s.resumableMessageIds({ now: T0, limit: 1 })).toEqual(['old1']);
      // once node-a's claim runs out, old2 is resumable again
      expect(await s.resumableMessageIds({ now: at(2), receivedBefore: at(-1), limit: 10 })).toEqual(['old1', 'old2', 'old3']);
    });

    it('two nodes claiming the same messages at once: exactly one wins each', async () => {
      const h = harness();
      const a = h.store;
      const b = await h.peer();
      const ids = Array.from({ length: 40 }, (_, i) => `m${i}`);
      for (const id of ids) await a.insertMessage(message(id));
      const results = await Promise.all(ids.flatMap((id) => [
        a.claimMessage(id, 'node-a', at(1), T0, { onlyReceived: true }).then((won) => ({ id, node: 'a', won })),
        b.claimMessage(id, 'node-b', at(1), T0, { onlyReceived: true }).then((won) => ({ id, node: 'b', won })),
      ]));
      for (const id of ids) {
        const winners = results.filter((r) => r.id === id && r.won);
        expect(winners, id).toHaveLength(1);
        expect((await a.getMessage(id))?.claimedBy).toBe(`node-${winners[0]!.node}`);
      }
    });
  });

  describe('named leases', () => {
    it('one holder; renewed by it; taken over once it ran out; released at once; read back', async () => {
      const s = harness().store;
      expect(await s.getLease('sftp:acme')).toBeUndefined();
      expect(await s.acquireLease('sftp:acme', 'node-a', at(1), T0)).toBe(true);
      expect(await s.acquireLease('sftp:acme', 'node-b', at(1), at(0.5))).toBe(false);
      expect(await s.acquireLease('sftp:acme', 'node-a', at(2), at(0.8))).toBe(true);
      expect(await s.getLease('sftp:acme')).toEqual({ holder: 'node-a', until: at(2) });
      expect(await s.acquireLease('sftp:acme', 'node-b', at(2.5), at(1.5))).toBe(false);
      // another name is another lease
      expect(await s.acquireLease('sftp:globex', 'node-b', at(1), T0)).toBe(true);
      // node-a stopped renewing: after at(2) node-b has it and node-a's renewal fails
      expect(await s.acquireLease('sftp:acme', 'node-b', at(3), at(2.1))).toBe(true);
      expect(await s.acquireLease('sftp:acme', 'node-a', at(3), at(2.2))).toBe(false);
      await s.releaseLease('sftp:acme', 'node-a');
      expect(await s.getLease('sftp:acme')).toEqual({ holder: 'node-b', until: at(3) });
      await s.releaseLease('sftp:acme', 'node-b');
      expect(await s.getLease('sftp:acme')).toBeUndefined();
      expect(await s.acquireLease('sftp:acme', 'node-a', at(3), at(2.3))).toBe(true);
    });

    it('two nodes acquiring the same new leases at once: exactly one wins each, also while they renew', async () => {
      const h = harness();
      const a = h.store;
      const b = await h.peer();
      const names = Array.from({ length: 30 }, (_, i) => `sftp:p${i}`);
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(names.flatMap((name) => [
          a.acquireLease(name, 'node-a', at(round + 1), at(round * 0.1)).then((won) => ({ name, node: 'node-a', won })),
          b.acquireLease(name, 'node-b', at(round + 1), at(round * 0.1)).then((won) => ({ name, node: 'node-b', won })),
        ]));
        for (const name of names) {
          const winners = results.filter((r) => r.name === name && r.won);
          expect(winners, `${name} round ${round}`).toHaveLength(1);
          expect((await a.getLease(name))?.holder).toBe(winners[0]!.node);
        }
      }
    });

    it('clearClaimsAndLeases drops every claim and lease (a single-node database at start)', async () => {
      const s = harness().store;
      await s.insertMessage(message('m1'));
      await s.insertMessage(message('m2'));
      await s.claimMessage('m1', 'gone', at(5), T0);
      await s.acquireLease('sftp:acme', 'gone', at(5), T0);
      expect(await s.clearClaimsAndLeases()).toBe(1);
      expect(await s.getMessage('m1')).toMatchObject({ claimedBy: null, claimUntil: null });
      expect(await s.getLease('sftp:acme')).toBeUndefined();
      expect(await s.claimMessage('m1', 'node-b', at(5), T0)).toBe(true);
    });
  });
}
