/**
 * The store cannot write: another process holds the SQLite file (`sqlite3` with BEGIN EXCLUSIVE),
 * or the disk is full (a real tmpfs of a few MB, filled with a file; skipped where mount is not
 * allowed). Through the real HTTP server: intake answers 503 + Retry-After, /healthz and /metrics
 * say why, a second client's /healthz keeps answering (latency printed against idle), and once
 * the fault is gone the sender's retry is stored exactly once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { holdExclusiveLock } from './lock-holder.ts';

let f: GatewayFixture | undefined;
afterEach(async () => { await f?.close(); f = undefined; });

const shipNotice = (id: string, pad = 0) => JSON.stringify({
  type: 'ship_notice',
  document: {
    shipmentId: id, shipDate: '2026-11-20', carrier: { scac: 'UPSN', trackingNumber: '1Z999' },
    orders: [{ poNumber: 'PO-1', lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 1, unitOfMeasure: 'EA', ...(pad ? { lotNumber: 'L'.repeat(pad) } : {}) }] }],
  },
});
const post = (g: GatewayFixture, body: string) => g.fetch('/api/v1/inbound', { method: 'POST', key: g.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body });

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** /healthz latencies of a second client, n calls in a row */
async function healthLatencies(g: GatewayFixture, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await timed(async () => (await g.fetch('/healthz')).arrayBuffer())).ms);
  return out;
}

/** the sender's side: retries on 503 (honouring neither more nor less than a short pause) until accepted */
async function postUntilAccepted(g: GatewayFixture, body: string, withinMs = 10_000): Promise<{ status: number; attempts: number; messageId: string }> {
  const until = Date.now() + withinMs;
  for (let attempts = 1; ; attempts++) {
    const res = await post(g, body);
    if (res.status !== 503 || Date.now() > until) return { status: res.status, attempts, messageId: ((await res.json()) as { messageId: string }).messageId };
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function storedWith(g: GatewayFixture, shipmentId: string): Promise<number> {
  const list = (await (await g.fetch('/api/v1/messages?partner=restco&limit=1000', { token: tokens.operator })).json()) as { messages: Array<{ id: string }> };
  let n = 0;
  for (const m of list.messages) {
    const raw = Buffer.from(await (await g.fetch(`/api/v1/messages/${m.id}/raw`, { token: tokens.operator })).arrayBuffer()).toString();
    if (raw.includes(`"shipmentId":"${shipmentId}"`)) n++;
  }
  return n;
}

describe('storage faults (real HTTP)', () => {
  it('a database locked by another process: 503 + Retry-After, /healthz answers and says so, the retry is stored once', async () => {
    f = await startGatewayFixture();
    const g = f;
    expect((await post(g, shipNotice('SH-0'))).status).toBe(202);
    const idle = await healthLatencies(g, 20);

    const lock = await holdExclusiveLock(path.join(g.dir, 'gateway.db'));
    const first = await timed(() => post(g, shipNotice('SH-LOCK')));
    expect(first.value.status).toBe(503);
    expect(Number(first.value.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await first.value.json()) as { error: { code: string; detail: { reason: string } } }).error).toMatchObject({ code: 'store_unavailable', detail: { reason: 'locked' } });

    // a sender hammering intake while a second client probes /healthz
    let hammering = true;
    const hammer = (async () => { let n = 0; while (hammering) { n++; await (await post(g, shipNotice(`SH-H${n}`))).arrayBuffer(); } return n; })();
    const during = await healthLatencies(g, 20);
    hammering = false;
    const hammered = await hammer;

    const health = await g.fetch('/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', storage: { writable: false, reason: 'locked', since: expect.any(String) }, checks: { storage: 'failed' } });
    const metrics = await (await g.fetch('/metrics')).text();
    expect(metrics).toContain('edigw_storage_writable 0');
    expect(metrics).toContain('edigw_storage_unwritable{reason="locked"} 1');
    expect(metrics).toMatch(/edigw_storage_faults_total\{reason="locked"\} [1-9]/);

    console.log(`[locked] first intake answered 503 in ${first.ms.toFixed(0)} ms (busy_timeout 200 ms); ${hammered} more intake attempts during the probes; `
      + `/healthz median idle ${median(idle).toFixed(1)} ms (max ${Math.max(...idle).toFixed(1)}), during the lock ${median(during).toFixed(1)} ms (max ${Math.max(...during).toFixed(1)})`);
    expect(Math.max(...during)).toBeLessThan(5000);

    await lock.release();
    const retried = await postUntilAccepted(g, shipNotice('SH-LOCK'));
    expect(retried.status).toBe(202);
    console.log(`[locked] after release the sender's retry was accepted on attempt ${retried.attempts}`);
    expect((await g.fetch('/healthz')).status).toBe(200);
    expect(await (await g.fetch('/metrics')).text()).toContain('edigw_storage_writable 1');
    await g.gw.idle();
    expect(await storedWith(g, 'SH-LOCK')).toBe(1);
  }, 60_000);

  it('a full disk (tmpfs): 503 + Retry-After, /healthz and /metrics say disk_full, the retry is stored once after space is freed', async (ctx) => {
    const mount = mkdtempSync(path.join(tmpdir(), 'edigw-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      rmSync(mount, { recursive: true, force: true });
      ctx.skip(); // needs CAP_SYS_ADMIN to mount a small filesystem
      return;
    }
    try {
      f = await startGatewayFixture({ databaseUrl: path.join(mount, 'gateway.db') });
      const g = f;
      expect((await post(g, shipNotice('SH-0'))).status).toBe(202);
      await g.gw.idle();
      const idle = await healthLatencies(g, 20);
      // fill the filesystem, leaving less than the next message needs
      const filler = path.join(mount, 'filler');
      const free = () => { const s = statfsSync(mount); return s.bavail * s.bsize; };
      writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 64 * 1024)));
      const big = shipNotice('SH-FULL', 400 * 1024);

      const first = await timed(() => post(g, big));
      expect(first.value.status).toBe(503);
      expect(Number(first.value.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await first.value.json()) as { error: { code: string; detail: { reason: string } } }).error).toMatchObject({ code: 'store_unavailable', detail: { reason: 'disk_full' } });
      const during = await healthLatencies(g, 20);
      const health = await g.fetch('/healthz');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ storage: { writable: false, reason: 'disk_full' } });
      expect(await (await g.fetch('/metrics')).text()).toContain('edigw_storage_unwritable{reason="disk_full"} 1');
      console.log(`[disk full] intake answered 503 in ${first.ms.toFixed(0)} ms; /healthz median idle ${median(idle).toFixed(1)} ms, disk full ${median(during).toFixed(1)} ms (max ${Math.max(...during).toFixed(1)})`);
      expect(Math.max(...during)).toBeLessThan(5000);

      unlinkSync(filler);
      const retried = await postUntilAccepted(g, big);
      expect(retried.status).toBe(202);
      console.log(`[disk full] after freeing space the sender's retry was accepted on attempt ${retried.attempts}`);
      await g.gw.idle();
      expect(await storedWith(g, 'SH-FULL')).toBe(1);
      expect((await g.fetch('/healthz')).status).toBe(200);
    } finally {
      await f?.close();
      f = undefined;
      execFileSync('umount', [mount], { stdio: 'ignore' });
      rmSync(mount, { recursive: true, force: true });
    }
  }, 60_000);
});
