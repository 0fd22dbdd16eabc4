/**
 * SQLite: intake is never refused because of the gateway's own processing (issue 11). A processing
 * thread writes a large interchange's documents in batches under the file's one write lock while
 * senders post small interchanges over real HTTP; every post must be answered 202 (stored), none
 * 503 store_unavailable. What keeps it so (src/db/sqlite-write-priority.ts, group-commit.ts,
 * sqlite-batch.ts): the HTTP thread raises a shared flag while it waits for the lock and the
 * processing thread commits and steps aside at its next unit; a batch the lock still refused is
 * tried again with the event loop free in between; a batch never holds the lock long.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { base850, buyerYaml } from '../support/buyer.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { interchange850 } from '../support/x12-850-stream.ts';

const KEY = 'buyerco-priority-key-0123';
const SMALL = (n: number) => {
  const cn = String(100 + n).padStart(9, '0');
  return [
    `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>`,
    `GS*PO*BUYERCO*GATEWAY*20261120*1030*${100 + n}*X*004010`, 'ST*850*0001', `BEG*00*SA*PO-SMALL-${n}**20261120`,
    'PO1*1*24*EA*12.50**BP*WID-100*VP*AC-W100', 'CTT*1', 'SE*5*0001', `GE*1*${100 + n}`, `IEA*1*${cn}`,
  ].join('~\n') + '~\n';
};

let f: GatewayFixture | undefined;
afterAll(async () => { await f?.close(); });

describe('SQLite intake while a processing thread writes a large interchange', () => {
  it('every small post during the processing is accepted (202), none refused 503', async () => {
    f = await startGatewayFixture({
      partners: { buyerco: buyerYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
      env: { BUYERCO_API_KEY: KEY }, realClock: true, processingThreads: 1, maxBodyBytes: 16 * 1024 * 1024,
    });
    const g = f;
    const big = interchange850(3 * 1024 * 1024, 10, 1);
    const parts: Uint8Array[] = [];
    for await (const c of big.chunks()) parts.push(c);
    const post = (body: string | Uint8Array<ArrayBuffer>) => g.fetch('/api/v1/inbound', { method: 'POST', key: KEY, headers: { 'content-type': 'application/edi-x12' }, body });
    const res = await post(new Uint8Array(Buffer.concat(parts)));
    expect(res.status).toBe(202);
    const bigId = ((await res.json()) as { messageId: string }).messageId;
    const statusOf = async (id: string) => ((await (await g.fetch(`/api/v1/messages/${id}`, { token: tokens.operator })).json()) as { status: string }).status;

    // four senders post one small interchange after another until the large one is processed
    const answers: number[] = [];
    let duringProcessing = 0;
    let n = 0;
    let done = false;
    const sender = async () => {
      while (!done) {
        const k = ++n;
        const r = await post(SMALL(k));
        answers.push(r.status);
        await r.arrayBuffer();
        if (!done) duringProcessing++;
      }
    };
    const watcher = (async () => {
      const end = Date.now() + 240_000;
      while ((await statusOf(bigId)) === 'received' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      done = true;
    })();
    await Promise.all([watcher, ...Array.from({ length: 4 }, sender)]);
    expect(await statusOf(bigId)).toBe('processed');
    // the posts overlapped the processing (not all sent after it)
    expect(duringProcessing).toBeGreaterThan(8);
    expect(answers.filter((s) => s !== 202)).toEqual([]);
    console.log(`[intake priority] ${answers.length} small posts while ${big.sets} purchase orders were processed: all 202`);
  }, 300_000);
});
