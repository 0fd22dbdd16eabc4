/**
 * Business events: events per second from commit to the broker's ack (NATS JetStream, a
 * nats-server started here) and to a webhook's 2xx (a local HTTP server), through the real path:
 * each event committed to the outbox (SQLite, 10 per transaction as a pipeline time slice does),
 * the relay, the events.publish job on the job runner, the sink. Each beside a bare client doing
 * the same work in the same run: a JetStream client publishing the same payloads (same ids,
 * pipelined 200 at a time as the sink does) to the same broker; an HTTP client posting the same
 * signed payloads one at a time (the webhook sink's order: one in flight per subscriber).
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/logger.ts';
import { createSqliteStore } from '../src/db/sqlite-store.ts';
import { cloudEvent, newEvent } from '../src/events/envelope.ts';
import type { NewEvent } from '../src/events/event-store.ts';
import { createEventService } from '../src/events/service.ts';
import { subjectOf } from '../src/events/sinks/nats.ts';
import { signWebhook } from '../src/events/sinks/webhook.ts';
import { createTaskRegistry } from '../src/jobs/registry.ts';
import { createJobRunner } from '../src/jobs/runner.ts';
import { natsAvailability, startNats } from '../test/events/nats-server.ts';
import type { BenchArea, BenchRow } from './lib.ts';

const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function payloads(n: number, tag: string): NewEvent[] {
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => newEvent({
    type: 'invoice.matched', at, partnerId: `P${i % 8}`, correlationId: `PO-${tag}-${i}`, documentId: `doc_${tag}_${i}`, documentType: 'invoice',
    data: { invoiceNumber: `INV-${tag}-${i}`, poNumber: `PO-${tag}-${i}`, totalAmount: 1250.5, currency: 'USD', warnings: [] },
  }));
}

/** commits `events` 10 per transaction while the gateway's publisher runs; events/s until the subscriber's position reaches the last */
async function throughGateway(subscriberYaml: string, events: NewEvent[]): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edigw-bench-events-'));
  mkdirSync(path.join(dir, 'subscribers'));
  writeFileSync(path.join(dir, 'subscribers', 'sub.yaml'), subscriberYaml);
  const store = createSqliteStore(path.join(dir, 'g.db'));
  let runner: ReturnType<typeof createJobRunner> | undefined;
  const service = createEventService({ store, clock: systemClock, logger: silentLogger, subscribersDir: path.join(dir, 'subscribers'), env: { SUB_SECRET: SECRET }, watch: false, wake: () => runner?.poke() });
  runner = createJobRunner({ jobs: store.jobs, tasks: createTaskRegistry(service.tasks), holder: 'bench', pollMs: 250, queues: service.queues });
  try {
    await service.start();
    runner.start();
    const start = performance.now();
    for (let i = 0; i < events.length; i += 10) {
      await store.events.append(null, events.slice(i, i + 10));
      if (i % 500 === 0) await sleep(0); // the event loop's turn: the publisher runs beside the commits
    }
    const last = await store.events.lastSeq();
    while (((await store.events.position('sub')) ?? 0) < last) await sleep(2);
    return events.length / ((performance.now() - start) / 1000);
  } finally {
    await runner.stop();
    await service.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run: BenchArea = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const n = quick ? 2_000 : 20_000;
  const available = natsAvailability();
  const nats = available.ok ? await startNats() : undefined;
  const hook = createServer((req, res) => { req.resume().on('end', () => res.writeHead(204).end()); });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
  try {
    if (nats) {
      const nc = await connect({ servers: nats.url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'BARE', subjects: ['bare.>'], duplicate_window: nanos(600_000) });
      const js = jetstream(nc);
      const bare = async (events: NewEvent[]) => {
        const start = performance.now();
        for (let i = 0; i < events.length; i += 200) {
          await Promise.all(events.slice(i, i + 200).map((e, j) => js.publish(subjectOf('bare', e.partnerId, e.type), JSON.stringify(cloudEvent({ ...e, seq: i + j + 1 })), { msgID: e.id })));
        }
        return events.length / ((performance.now() - start) / 1000);
      };
      const yaml = `events: ['*']\nsink: { type: nats, url: "${nats.url}", stream: EDI_BENCH }\n`;
      await bare(payloads(500, 'warm-bare'));
      await throughGateway(yaml, payloads(500, 'warm'));
      let ours = 0;
      let base = 0;
      for (let round = 0; round < 2; round++) {
        base = Math.max(base, await bare(payloads(n, `bare${round}`)));
        ours = Math.max(ours, await throughGateway(yaml, payloads(n, `gw${round}`)));
      }
      rows.push({
        area: 'events', name: `commit -> JetStream ack, ${n} events`, value: ours, unit: 'events/s',
        baseline: { name: 'bare JetStream client, same payloads and ids, 200 in flight', value: base, unit: 'events/s' },
        notes: 'outbox on SQLite (10 events per commit), relay + events.publish job (batches of 200 after the position), publish with ack and Nats-Msg-Id',
      });
      await nc.close();
    } else {
      rows.push({ area: 'events', name: 'commit -> JetStream ack', value: 0, unit: 'events/s', notes: available.ok ? 'nats-server did not start' : available.reason });
    }
    const bareHook = async (events: NewEvent[]) => {
      const start = performance.now();
      for (const [i, e] of events.entries()) {
        const body = JSON.stringify(cloudEvent({ ...e, seq: i + 1 }));
        const ts = Math.floor(Date.now() / 1000);
        const res = await fetch(hookUrl, { method: 'POST', body, headers: { 'content-type': 'application/cloudevents+json', 'webhook-id': e.id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(SECRET, e.id, ts, body) } });
        await res.text();
      }
      return events.length / ((performance.now() - start) / 1000);
    };
    const hookYaml = `events: ['*']\nsink: { type: webhook, url: "${hookUrl}", secretEnv: SUB_SECRET }\n`;
    const m = Math.max(500, n / 4);
    await bareHook(payloads(300, 'warm-hook'));
    await throughGateway(hookYaml, payloads(300, 'warm-hook-gw'));
    let ours = 0;
    let base = 0;
    for (let round = 0; round < 2; round++) {
      base = Math.max(base, await bareHook(payloads(m, `bh${round}`)));
      ours = Math.max(ours, await throughGateway(hookYaml, payloads(m, `gh${round}`)));
    }
    rows.push({
      area: 'events', name: `commit -> webhook 2xx, ${m} events`, value: ours, unit: 'events/s',
      baseline: { name: 'bare HTTP client, same signed payloads, one at a time', value: base, unit: 'events/s' },
      notes: 'one POST in flight per subscriber (its order), the position written after each 2xx',
    });
  } finally {
    hook.close();
    await nats?.close();
  }
  return rows;
};
