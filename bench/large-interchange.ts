/**
 * Large interchanges end to end (issue 11), for bench/volume.ts: one X12 850 interchange of each
 * size, generated as a stream (test/support/x12-850-stream.ts: POs of 100 PO1 lines, about 4.4 KB
 * a set) and posted chunked over HTTP to a gateway process of its own (so its peak RSS is this
 * message's), until its last purchase order is feed-ready. Per size: MB per server CPU-second
 * (all threads, /proc) to feed-ready, wall MB/s, how long the 202 took (the body streamed into the
 * file store, fsynced) and the 997, and the gateway's peak RSS (VmHWM) before the post, after the
 * 202, at feed-ready and once the 997 is stored.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base850, buyerYaml } from '../test/support/buyer.ts';
import { spawnGateway } from '../test/support/gateway-process.ts';
import { postStream } from '../test/support/post-stream.ts';
import { interchange850 } from '../test/support/x12-850-stream.ts';
import type { BenchRow } from './lib.ts';
import { processUsage } from './process-usage.ts';

const ADMIN = 'admin-large-bench-token';
const KEY = 'buyerco-large-bench-key';

/** the gateway's counts (staff): GET /api/v1/status, or /healthz on a gateway from before it */
async function counts(url: string): Promise<Record<string, number>> {
  for (const p of ['/api/v1/status', '/healthz']) {
    const res = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const body = res.status === 404 ? undefined : ((await res.json()) as { counts?: Record<string, number> });
    if (body?.counts) return body.counts;
  }
  throw new Error(`no counts from ${url}/api/v1/status or /healthz`);
}

/** `env`: more gateway environment (e.g. EDIGW_MEMORY_TRACE_FILE, with {mb} replaced by the size) */
export async function largeInterchangeRows(sizesMb: number[], opts: { log?: (line: string) => void; env?: Record<string, string> } = {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-large-'));
  mkdirSync(path.join(dir, 'partners'));
  mkdirSync(path.join(dir, 'mappings', '_base'), { recursive: true });
  writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), buyerYaml);
  writeFileSync(path.join(dir, 'mappings', '_base', 'x12-004010-850.inbound.yaml'), base850);
  const rows: BenchRow[] = [];
  try {
    for (const mb of sizesMb) {
      const gw = await spawnGateway({
        EDIGW_DATABASE_URL: path.join(dir, `large-${mb}.db`), EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(dir, 'mappings'),
        EDIGW_ADMIN_TOKEN: ADMIN, EDIGW_ERP_TOKEN: 'erp-large-bench-token', BUYERCO_API_KEY: KEY, EDIGW_LOG_LEVEL: 'info',
        ...Object.fromEntries(Object.entries(opts.env ?? {}).map(([k, v]) => [k, v.replaceAll('{mb}', String(mb))])),
      });
      try {
        const ic = interchange850(mb * 1048576, 100);
        const idle = processUsage(gw.child.pid!);
        const t0 = performance.now();
        const res = await postStream(`${gw.url}/api/v1/inbound`, { 'content-type': 'application/edi-x12', 'x-api-key': KEY }, ic.chunks());
        if (res.status !== 202) throw new Error(`the ${mb} MB interchange was answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
        const accepted = (performance.now() - t0) / 1000;
        const afterPost = processUsage(gw.child.pid!).peakRssMb;
        let last = 0;
        for (;;) {
          const c = await counts(gw.url);
          if ((c.documents_ready ?? 0) >= ic.sets) break;
          if (performance.now() - t0 > 3_600_000) throw new Error(`timed out: ${c.documents_ready} of ${ic.sets} purchase orders feed-ready`);
          if (performance.now() - last > 15_000) { last = performance.now(); opts.log?.(`  ${mb} MB: ${c.documents_ready ?? 0} of ${ic.sets} feed-ready, peak RSS ${processUsage(gw.child.pid!).peakRssMb} MB`); }
          await new Promise((r) => setTimeout(r, 500));
        }
        const seconds = (performance.now() - t0) / 1000;
        const done = processUsage(gw.child.pid!);
        // then the message's end: its 997 (an AK2 loop per set) built and stored
        for (;;) {
          const c = await counts(gw.url);
          if ((c.messages_pending ?? 0) === 0) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        const acked = (performance.now() - t0) / 1000;
        const end = processUsage(gw.child.pid!);
        const cpu = done.cpuSeconds - idle.cpuSeconds;
        const bytesMb = ic.bytes / 1048576;
        rows.push({
          area: 'volume', name: `end to end, one ${mb >= 1024 ? `${mb / 1024} GB` : `${mb} MB`} X12 850 interchange streamed over HTTP (${ic.sets.toLocaleString('en-US')} POs of 100 lines) to feed-ready`,
          value: bytesMb / cpu, unit: 'MB per server CPU-second', peakRssMb: end.peakRssMb,
          notes: `${(bytesMb / seconds).toFixed(2)} MB/s wall, ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} CPU-s; 202 after ${accepted.toFixed(1)} s (${(bytesMb / accepted).toFixed(0)} MB/s into the file store); 997 stored after ${acked.toFixed(1)} s; peak RSS ${idle.peakRssMb} MB before the post, ${afterPost} MB after the 202, ${done.peakRssMb} MB at feed-ready, ${end.peakRssMb} MB in all (997 included)`,
        });
      } finally {
        await gw.kill('SIGTERM');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
