/**
 * The broker sink: NATS JetStream (see /tmp decisions: events17). Each event is published to
 * `<prefix>.<partner>.<type>` (edi.acme.invoice.held; `_` for events of no partner) with the event
 * id as Nats-Msg-Id, and counts as delivered only once the stream acknowledged it (a PubAck: the
 * message is stored). Within the stream's duplicate window a second publish of one id (a retry
 * after a lost ack, a replay) is acknowledged as a duplicate and not stored again.
 *
 * One connection per subscriber, opened on first use and kept; the client reconnects on its own.
 * A broker that is down makes each publish fail within the timeout: the pump retries with backoff
 * and the subscriber's circuit breaker, while events wait in the outbox.
 */
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { NatsSinkConfig } from '../subscribers.ts';

/** a NATS subject token: what a partner id may hold that NATS gives a meaning ('.', '*', '>', spaces) becomes '_' */
export const subjectToken = (s: string | null) => (s === null || s === '' ? '_' : s.replace(/[^A-Za-z0-9_-]/g, '_'));
export const subjectOf = (prefix: string, partnerId: string | null, type: string) => `${prefix}.${subjectToken(partnerId)}.${type}`;

export interface NatsPublisher {
  /**
   * publishes in order, waiting for every ack: `acked` is how many from the start were stored (all
   * of them, or those before the first failure, whose error is given); `duplicates` how many of
   * those the stream already had
   */
  publish(messages: Array<{ id: string; subject: string; body: string }>): Promise<{ acked: number; duplicates: number; error?: string }>;
  close(): Promise<void>;
}

export function createNatsPublisher(sink: NatsSinkConfig): NatsPublisher {
  let conn: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;
  const open = () => {
    conn ??= (async () => {
      const nc = await connect({ servers: sink.servers, timeout: sink.timeoutMs, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'edi-gateway-events' });
      try {
        const jsm = await jetstreamManager(nc, { timeout: sink.timeoutMs });
        const subjects = [`${sink.subjectPrefix}.>`];
        const info = await jsm.streams.info(sink.stream).catch(() => undefined);
        if (!info) await jsm.streams.add({ name: sink.stream, subjects, duplicate_window: nanos(sink.duplicateWindowSeconds * 1000) });
        return { nc, js: jetstream(nc, { timeout: sink.timeoutMs }) };
      } catch (e) {
        await nc.close().catch(() => {});
        throw e;
      }
    })().catch((e) => { conn = undefined; throw e; });
    return conn;
  };
  return {
    async publish(messages) {
      let js: JetStreamClient;
      try {
        ({ js } = await open());
      } catch (e) {
        return { acked: 0, duplicates: 0, error: `NATS ${sink.servers.join(',')}: ${e instanceof Error ? e.message : String(e)}` };
      }
      // pipelined: every publish is sent at once and each ack awaited; the stream stores them in send order
      const acks = await Promise.allSettled(messages.map((m) => js.publish(m.subject, m.body, { msgID: m.id, timeout: sink.timeoutMs })));
      let acked = 0;
      let duplicates = 0;
      for (const a of acks) {
        if (a.status === 'rejected') {
          const e = a.reason as Error;
          return { acked, duplicates, error: `NATS publish: ${e?.message ?? String(e)}` };
        }
        acked++;
        if (a.value.duplicate) duplicates++;
      }
      return { acked, duplicates };
    },
    async close() {
      const c = conn;
      conn = undefined;
      if (c) await c.then(({ nc }) => nc.close()).catch(() => {});
    },
  };
}
