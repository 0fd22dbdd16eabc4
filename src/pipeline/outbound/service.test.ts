/**
 * Durability of outbound sends on a real SQLite store: a send interrupted by a crash is not lost
 * and not sent twice while its lease runs; after the lease, resume() sends it once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCanonicalValidators } from '../../canonical/validate.ts';
import { fixedClock } from '../../core/clock.ts';
import { createIdGenerator } from '../../core/ids.ts';
import { silentLogger } from '../../core/logger.ts';
import { openStore } from '../../db/open-store.ts';
import type { Store } from '../../db/store.ts';
import { sendJobId } from './jobs.ts';
import type { OutboundSender, SendResult } from './send.ts';
import { createOutboundService } from './service.ts';
import type { OutboundConfig, OutboundPartner } from './types.ts';

const partner: OutboundPartner = { id: 'jsonco', status: 'production', identifiers: {}, formats: { json: { canonical: true } }, outbound: { channel: 'pickup' } };
const config: OutboundConfig = { partners: [partner], partner: (id) => (id === 'jsonco' ? partner : undefined), byX12: () => undefined, byEdifact: () => undefined, mappingFor: () => undefined };
const po = { poNumber: 'PO-9', poDate: '2026-11-20', lines: [{ lineNumber: '1', quantity: 1 }] };

let dir: string;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('outbound service', () => {
  it('resumes a send that crashed, once, after its lease', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'outbound-'));
    const db = path.join(dir, 'gateway.db');
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const ids = createIdGenerator(() => clock.now().getTime());
    const sent: string[] = [];
    let crash = true;
    const sender: OutboundSender = {
      async send(p, doc): Promise<SendResult> {
        if (crash) throw new Error('process died mid-send');
        sent.push(`${p.id}:${doc.fileName}`);
        return { channel: 'pickup', status: 'stored', attempts: 1, detail: 'ok' };
      },
    };
    store = await openStore(db);
    const first = createOutboundService({ store, clock, ids, logger: silentLogger, config: () => config, validators: createCanonicalValidators(), sender });
    const r = await first.submit('jsonco', po, 'erp:test');
    await first.stop();
    expect(sent).toEqual([]);
    expect((await store.getDeliveryJob(sendJobId(r.documentId)))?.status).toBe('pending');
    await store.close();

    crash = false;
    store = await openStore(db);
    const second = createOutboundService({ store, clock, ids, logger: silentLogger, config: () => config, validators: createCanonicalValidators(), sender });
    await second.resume();
    await second.idle();
    expect(sent).toEqual([]); // the crashed attempt's lease still runs: no second copy yet
    clock.advance(31 * 60_000);
    await second.resume();
    await second.idle();
    expect(sent).toEqual([`jsonco:${r.fileName}`]);
    expect((await store.getDeliveryJob(sendJobId(r.documentId)))?.status).toBe('delivered');
    await second.resume();
    await second.idle();
    expect(sent).toHaveLength(1);
    // a canonical-JSON partner gets the canonical document itself
    const msg = await store.getMessage(r.messageId);
    expect(JSON.parse(Buffer.from(msg!.raw).toString('utf8'))).toEqual({ type: 'purchase_order', version: 1, document: po });
  });
});
