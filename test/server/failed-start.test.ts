/**
 * A start that fails part way (here: the port is taken) rejects with the listen error and leaves
 * nothing running behind it: the database is closed and nothing new keeps the process alive.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/core/logger.ts';
import { startGateway } from '../../src/gateway.ts';
import { restcoYaml } from '../support/gateway-fixture.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

/** what keeps the process alive, by kind (FSWatcher, Timeout, TCPServerWrap, ...) */
const resources = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();

describe('a gateway start that fails', () => {
  it('rejects with EADDRINUSE when the port is taken, and closes the database and whatever else it had started', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edigw-failed-start-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'partners'));
    mkdirSync(path.join(dir, 'mappings'));
    writeFileSync(path.join(dir, 'partners', 'restco.yaml'), restcoYaml);
    const taken: Server = await new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => resolve(s)); });
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    const before = resources();

    const start = startGateway({
      port, host: '127.0.0.1', databaseUrl: path.join(dir, 'gateway.db'), partnersDir: path.join(dir, 'partners'), mappingsDir: path.join(dir, 'mappings'),
      env: { RESTCO_API_KEY: 'restco-key-abcdef' }, logger: createMemoryLogger(), watchConfig: true, tokens: [],
    });
    await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await new Promise((r) => setTimeout(r, 50));
    // what is running now that was not before the start (the test runner's own timers come and go)
    const extra = resources();
    for (const r of before) { const i = extra.indexOf(r); if (i >= 0) extra.splice(i, 1); }
    expect(extra).toEqual([]);
    // SQLite removes the WAL file when the last connection to the database closes
    expect(existsSync(path.join(dir, 'gateway.db'))).toBe(true);
    expect(existsSync(path.join(dir, 'gateway.db-wal'))).toBe(false);
  });
});
