/**
 * npm start listens on 127.0.0.1 unless HOST says otherwise (the example partners' API keys are
 * public in the repository): another machine cannot reach a gateway started without HOST. Two real
 * gateway processes (test/support/gateway-process.ts, as npm start runs), reached through this
 * machine's first non-loopback IPv4 address.
 */
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
let gw: GatewayProcess | undefined;
afterEach(async () => { await gw?.kill('SIGTERM'); gw = undefined; });

const start = (host: string) => spawnGateway({ HOST: host, EDIGW_DATABASE_URL: path.join(mkdtempSync(path.join(tmpdir(), 'edigw-bind-')), 'gw.db'), EDIGW_PROCESSING_THREADS: '0' });
const portOf = (url: string) => new URL(url).port;
const reach = async (host: string, port: string) => {
  try {
    return (await fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(5000) })).status;
  } catch (e) {
    return ((e as { cause?: { code?: string } }).cause?.code) ?? String(e);
  }
};

describe.skipIf(!external)(`binding (through ${external ?? 'no non-loopback IPv4 address here: skipped'})`, () => {
  it('without HOST: 127.0.0.1 only; the start line says so', async () => {
    gw = await start('');
    const port = portOf(gw.url);
    expect(await reach('127.0.0.1', port)).toBe(200);
    expect(await reach(external!, port)).toBe('ECONNREFUSED');
    const started = gw.stderr.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find((j) => j.msg === 'gateway started');
    expect(started).toMatchObject({ host: '127.0.0.1' });
  }, 60_000);

  it('HOST=0.0.0.0: every interface', async () => {
    gw = await start('0.0.0.0');
    const port = portOf(gw.url);
    expect(await reach(external!, port)).toBe(200);
    expect(await reach('127.0.0.1', port)).toBe(200);
  }, 60_000);
});
