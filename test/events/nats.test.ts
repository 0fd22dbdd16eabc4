/**
 * Business events to a real NATS JetStream broker (nats-server started by the test): each event
 * published once to edi.<partner>.<type> with its id as Nats-Msg-Id and acknowledged by the
 * stream; a broker down at the gateway's start or stopped under load: the gateway keeps taking
 * messages, events wait in the outbox and are published when the broker returns, each once
 * (counted by id in the stream), in the log's order; a replay is de-duplicated by the broker.
 * EDIGW_TEST_BROKER_DOWN_SECONDS=30 keeps the broker down 30 s (default 3).
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { natsAvailability, startNats, type TestNats } from './nats-server.ts';

const available = natsAvailability();
if (!available.ok) console.warn(available.reason);
const KEY = 'restco-key-abcdef';
/** how long the broker stays down under load (EDIGW_TEST_BROKER_DOWN_SECONDS=30 for the 30 s; 3 s keeps the suite fast) */
const DOWN_MS = Number(process.env.EDIGW_TEST_BROKER_DOWN_SECONDS ?? 3) * 1000;

const busYaml = (url: string, stream: string) => `events: ['*']
sink:
  type: nats
  url: ${url}
  stream: ${stream}
  timeoutMs: 1000
breaker: { failureThreshold: 3, coolDownSeconds: 1 }
`;

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

interface Stored { seq: number; subject: string; msgId: string; event: { id: string; type: string; sequence: string; partnerid?: string } }

describe.skipIf(!available.ok)('NATS JetStream subscriber', () => {
  let nats: TestNats;
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager;
  const fixtures: GatewayFixture[] = [];

  /** a gateway publishing to `stream` (subjects edi.>); when the test ends it stops and the stream is deleted (streams may not overlap) */
  const start = async (stream: string) => {
    const f = await startGatewayFixture({ realClock: true, files: { 'subscribers/bus.yaml': busYaml(nats.url, stream) } });
    fixtures.push(f);
    onTestFinished(async () => {
      await f.close();
      fixtures.splice(fixtures.indexOf(f), 1);
      await (await manager()).streams.delete(stream).catch(() => {});
    });
    return f;
  };
  const post = async (f: GatewayFixture, n: string) => {
    const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: KEY, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'invoice', document: { invoiceNumber: n, invoiceDate: '2026-12-07', totalAmount: 1, lines: [{ quantityInvoiced: 1, unitPrice: 1 }] } }) });
    expect(res.status).toBe(202);
  };
  /** a fresh connection per look (the broker is stopped and started under the test) */
  const manager = async () => {
    await nc?.close().catch(() => {});
    nc = await connect({ servers: nats.url, maxReconnectAttempts: 0 });
    jsm = await jetstreamManager(nc);
    return jsm;
  };
  const count = async (stream: string) => (await (await manager()).streams.info(stream).catch(() => undefined))?.state.messages ?? 0;
  const stored = async (stream: string): Promise<Stored[]> => {
    const m = await manager();
    const n = (await m.streams.info(stream)).state.last_seq;
    const out: Stored[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const msg = await m.streams.getMessage(stream, { seq });
      if (msg) out.push({ seq, subject: msg.subject, msgId: msg.header.get('Nats-Msg-Id'), event: msg.json() });
    }
    return out;
  };
  /** the gateway's log: every event, oldest first */
  const log = async (f: GatewayFixture) => {
    const all: Array<{ id: string; sequence: string; type: string }> = [];
    let after = '0';
    for (;;) {
      const page = await (await f.fetch(`/api/v1/events?after=${after}&limit=1000`, { token: tokens.operator })).json() as { events: typeof all; next: string | null };
      all.push(...page.events);
      if (!page.next) return all;
      after = page.next;
    }
  };

  beforeAll(async () => { nats = await startNats(); }, 30_000);
  afterAll(async () => {
    for (const f of fixtures) await f.close();
    await nc?.close();
    await nats?.close();
  });

  it('publishes each event to edi.<partner>.<type> with its id as Nats-Msg-Id, acknowledged by the stream', async () => {
    const f = await start('EDI_A');
    await post(f, 'INV-N1');
    await post(f, 'INV-N2');
    await until(async () => (await count('EDI_A')) === 4, 'four events in the stream');
    const msgs = await stored('EDI_A');
    expect(msgs.map((m) => m.subject)).toEqual(['edi.restco.document.released', 'edi.restco.invoice.matched', 'edi.restco.document.released', 'edi.restco.invoice.matched']);
    for (const m of msgs) expect(m.msgId).toBe(m.event.id);
    expect(msgs.map((m) => m.event.id)).toEqual((await log(f)).map((e) => e.id));
    expect(msgs[0]!.event).toMatchObject({ specversion: '1.0', type: 'document.released', partnerid: 'restco' });
    // a replay of the whole window: sent again with the same ids, dropped by the stream's duplicate window
    const replay = await (await f.fetch('/api/v1/subscribers/bus/replay', { method: 'POST', token: tokens.admin, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ since: '2026-12-01' }) })).json() as { jobId: number; events: number };
    expect(replay.events).toBe(4);
    await until(async () => (await (await f.fetch(`/api/v1/jobs/${replay.jobId}`, { token: tokens.admin })).json() as { state: string }).state === 'done', 'the replay job');
    const job = await (await f.fetch(`/api/v1/jobs/${replay.jobId}`, { token: tokens.admin })).json() as { outcome: { sent: number } };
    expect(job.outcome.sent).toBe(4);
    expect(await count('EDI_A')).toBe(4);
  }, 30_000);

  it('a broker stopped under load: the gateway keeps taking messages, and every event is published once, in order, when it returns', async () => {
    const f = await start('EDI_B');
    let posting = true;
    let posted = 0;
    const load = (async () => { while (posting) { await post(f, `INV-L${++posted}`); await new Promise((r) => setTimeout(r, 20)); } })();
    onTestFinished(() => { posting = false; });
    await until(() => posted >= 10, 'ten invoices before the stop');
    await nats.stop();
    const stoppedAt = posted;
    await new Promise((r) => setTimeout(r, DOWN_MS));
    // taken while the broker was down
    expect(posted).toBeGreaterThan(stoppedAt + 10);
    const health = await f.fetch('/healthz');
    expect(health.status).toBe(200);
    // the publish job retries (its last error says why), events wait in the outbox
    const jobs = await (await f.fetch('/api/v1/jobs?kind=events.publish', { token: tokens.admin })).json() as { jobs: Array<{ lastError: string | null }> };
    expect(jobs.jobs.map((j) => j.lastError).find((e) => e !== null)).toMatch(/^subscriber bus: (NATS|circuit open)/);
    await nats.start();
    await new Promise((r) => setTimeout(r, 1000));
    posting = false;
    await load;
    await f.gw.idle();
    const expected = (await log(f)).map((e) => e.id);
    expect(expected).toHaveLength(posted * 2);
    await until(async () => (await count('EDI_B')) >= expected.length, `${expected.length} events in the stream`, 20_000 + DOWN_MS * 2);
    await new Promise((r) => setTimeout(r, 500));
    const ids = (await stored('EDI_B')).map((m) => m.msgId);
    // each once (a count by id), in the log's order
    expect(ids).toEqual(expected);
    console.log(`broker stopped ${DOWN_MS / 1000} s under load: ${posted} invoices, ${expected.length} events, each published once`);
  }, 60_000 + DOWN_MS * 3);

  it('a broker down when the gateway starts: messages are taken, events published once it comes up', async () => {
    await nats.stop();
    const f = await start('EDI_C');
    for (const n of ['INV-S1', 'INV-S2', 'INV-S3']) await post(f, n);
    await new Promise((r) => setTimeout(r, 1500));
    await nats.start();
    const expected = (await log(f)).map((e) => e.id);
    expect(expected).toHaveLength(6);
    await until(async () => (await count('EDI_C')) === 6, 'six events in the stream');
    expect((await stored('EDI_C')).map((m) => m.msgId)).toEqual(expected);
  }, 30_000);
});
