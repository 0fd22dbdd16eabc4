import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.ts';
import { silentLogger } from '../core/logger.ts';
import { createLeasedRole, type LeasedRole } from './leased-role.ts';
import { createSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

// two "nodes": two stores on one SQLite file, each with its own role; lease 600 ms, tried every 200 ms
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-leased-role-'));
let n = 0;
const opened: Store[] = [];
const roles: LeasedRole[] = [];
afterEach(async () => {
  for (const r of roles.splice(0)) await r.stop();
  for (const s of opened.splice(0)) await s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(file: string, holder: string, acquire?: (store: Store) => Store['acquireLease']) {
  const store = createSqliteStore(file);
  opened.push(store);
  const events: string[] = [];
  const role = createLeasedRole({
    name: 'sftp:acme', holder, leaseMs: 600, clock: systemClock, logger: silentLogger, role: 'test role',
    acquire: acquire ? acquire(store) : store.acquireLease, release: store.releaseLease,
    onAcquired: () => { events.push('started'); },
    onLost: async () => { events.push('stopped'); },
  });
  roles.push(role);
  return { store, role, events };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (what: string, cond: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting until ${what}`);
};

describe('a role played by one node at a time through a named lease', () => {
  it('of two nodes starting together one plays the role; it keeps it while renewing; stopping hands it to the other', async () => {
    const file = path.join(dir, `g${n++}.db`);
    const a = node(file, 'node-a');
    const b = node(file, 'node-b');
    await Promise.all([a.role.start(), b.role.start()]);
    expect([a.role.held(), b.role.held()].filter(Boolean)).toHaveLength(1);
    const [holder, other] = a.role.held() ? [a, b] : [b, a];
    expect(holder.events).toEqual(['started']);
    await sleep(1500); // more than two lease lengths: renewed, never lost
    expect(holder.role.held()).toBe(true);
    expect(other.role.held()).toBe(false);
    expect(other.events).toEqual([]);
    await holder.role.stop(); // gives the lease back
    expect(await holder.store.getLease('sftp:acme')).toBeUndefined();
    await until('the other node takes the lease at its next attempt', () => other.role.held());
    expect(other.events).toEqual(['started']);
  });

  it('a holder that can no longer renew stops playing, and the other node takes over once the lease ran out', async () => {
    const file = path.join(dir, `g${n++}.db`);
    let reachable = true;
    const a = node(file, 'node-a', (store) => async (...args) => {
      if (!reachable) throw new Error('database out of reach');
      return store.acquireLease(...args);
    });
    await a.role.start();
    const b = node(file, 'node-b');
    await b.role.start();
    expect([a.role.held(), b.role.held()]).toEqual([true, false]);
    reachable = false;
    await until('node a stops at its next failed renewal', () => !a.role.held());
    expect(a.events).toEqual(['started', 'stopped']);
    await until('node b takes over once the lease ran out', () => b.role.held());
    expect(b.events).toEqual(['started']);
    expect((await b.store.getLease('sftp:acme'))?.holder).toBe('node-b');
  });
});
