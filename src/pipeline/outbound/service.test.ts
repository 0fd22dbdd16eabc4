/**
 * Durability of outbound sends on a real SQLite store: the stored PO and its partner.send job
 * commit together; a send interrupted by a crash is not lost and runs again once after the restart.
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
import { createTaskRegistry, type TaskDef } from '../../jobs/registry.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { sendJobId } from './jobs.ts';
import { createPartnerSendTask, partnerSendKey } from './partner-send.ts';
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
  it('stores the PO with its partner.send job in one commit; a send that died mid-way runs again at start, once', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'outbound-'));
    const db = path.join(dir, 'gateway.db');
    const clock = fixedClock('2026-11-23T10:00:00.000Z');
    const ids = createIdGenerator(() => clock.now().getTime());
    const sent: string[] = [];
    let crash = true;
    const sender: OutboundSender = {
      async send(p, doc): Promise<SendResult> {
        if (crash) return new Promise(() => {}); // the process dies while the send is in flight: it never settles
        sent.push(`${p.id}:${doc.fileName}`);
        return { channel: 'pickup', status: 'stored', attempts: 1, detail: 'ok' };
      },
    };
    const runnerOn = (s: Store) => createJobRunner({
      jobs: s.jobs, holder: 'node', clock, random: () => 0.5, queues: { 'send:*': { concurrency: 4, ordered: true } },
      tasks: createTaskRegistry([createPartnerSendTask({ store: s, sender, config: () => config, clock, ids, logger: silentLogger }) as TaskDef<never>]),
    });
    store = await openStore(db);
    const first = createOutboundService({ store, clock, ids, logger: silentLogger, config: () => config, validators: createCanonicalValidators() });
    const r = await first.submit('jsonco', po, 'erp:test');
    expect(await store.jobs.getByKey(partnerSendKey(r.messageId))).toMatchObject({ kind: 'partner.send', queue: 'send:jsonco', state: 'waiting', payload: { messageId: r.messageId, documentId: r.documentId } });
    expect((await store.getDeliveryJob(sendJobId(r.documentId)))?.status).toBe('pending');
    void runnerOn(store).tick();                 // claimed; the send never returns
    await new Promise((res) => setTimeout(res, 50));
    expect(await store.jobs.getByKey(partnerSendKey(r.messageId))).toMatchObject({ state: 'running', attempts: 1 });
    expect(sent).toEqual([]);
    await store.close();

    crash = false;
    store = await openStore(db);
    // one process owns the SQLite file: a job found running belongs to the run that died
    expect(await store.jobs.releaseRunning(clock.now().toISOString())).toBe(1);
    const second = createOutboundService({ store, clock, ids, logger: silentLogger, config: () => config, validators: createCanonicalValidators(), jobs: { wake() {}, drain: () => runnerOn(store!).drain() } });
    expect(await second.resume()).toBe(0);       // nothing to move: the send has its job
    await second.idle();
    await second.idle();
    expect(sent).toEqual([`jsonco:${r.fileName}`]);
    // stored for pickup: pending until the partner acks it in its outbox (src/portal/outbox.ts)
    expect((await store.getDeliveryJob(sendJobId(r.documentId)))?.status).toBe('pending');
    expect(await second.resume()).toBe(0);       // a restart sends nothing again while the partner has not collected it
    expect(await store.jobs.getByKey(partnerSendKey(r.messageId))).toMatchObject({ state: 'done', attempts: 2 });
    // a canonical-JSON partner gets the canonical document itself
    const msg = await store.getMessage(r.messageId);
    expect(JSON.parse(Buffer.from(msg!.raw).toString('utf8'))).toEqual({ type: 'purchase_order', version: 1, document: po });
  });
});
