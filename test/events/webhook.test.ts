/**
 * Business events to a webhook, end to end: a real gateway (SQLite, real HTTP) takes RestCo's
 * canonical JSON; a real HTTP receiver checks every Standard Webhooks signature with the `verify`
 * of docs/events.md's consumer script. The signature is also recomputed here by hand from the spec
 * (HMAC-SHA256 keyed with the base64-decoded secret over "<id>.<timestamp>.<body>").
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventValidator } from '../../src/events/schemas.ts';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { startReceiver, type Receiver } from './receiver.ts';

// 32 bytes 0x01..0x20, base64: a Standard Webhooks secret
const SECRET = `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)).toString('base64')}`;
const KEY = 'restco-key-abcdef';

let rx: Receiver;
let f: GatewayFixture;
const validate = createEventValidator();
/** every event received so far conforms to the CloudEvent schema and its type's data schema (src/canonical/events/v1) */
const conforming = () => expect(rx.received.flatMap((r) => validate(r.event).map((p) => `${r.event.type}: ${p}`))).toEqual([]);

const subscriber = (url: string, extra = '') => `description: warehouse system
events: ['*']
filters: { partners: [restco] }
sink:
  type: webhook
  url: ${url}
  secretEnv: WMS_WEBHOOK_SECRET
  timeoutMs: 2000
breaker: { failureThreshold: 3, coolDownSeconds: 1 }
${extra}`;

const post = async (body: unknown) => {
  const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return (await res.json() as { messageId: string }).messageId;
};
const invoice = (n: string, extra: Record<string, unknown> = {}) => ({ type: 'invoice', document: { invoiceNumber: n, invoiceDate: '2026-12-07', totalAmount: 10, lines: [{ quantityInvoiced: 1, unitPrice: 10 }], ...extra } });
const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const api = async <T>(p: string, init: RequestInit & { token?: string } = {}) => {
  const res = await f.fetch(p, { token: tokens.admin, ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: await res.json() as T };
};

beforeAll(async () => {
  rx = await startReceiver(SECRET);
  f = await startGatewayFixture({ realClock: true, env: { WMS_WEBHOOK_SECRET: SECRET }, files: { 'subscribers/wms.yaml': subscriber(rx.url) } });
}, 30_000);
afterAll(async () => { await f?.close(); await rx?.close(); });

describe('webhook subscriber', () => {
  it('delivers a released invoice as signed CloudEvents: document.released then invoice.matched', async () => {
    await post(invoice('INV-W1'));
    await until(() => rx.deliveredIds().length >= 2, 'two deliveries');
    const [released, matched] = rx.received;
    expect(released!.event).toMatchObject({
      specversion: '1.0', type: 'document.released', source: '/edi-gateway', datacontenttype: 'application/json',
      partnerid: 'restco', dataschema: 'https://edi-gateway.dev/events/v1/document.released.schema.json',
      data: { documentType: 'invoice', document: { type: 'invoice', partnerId: 'restco', document: { invoiceNumber: 'INV-W1' } } },
    });
    expect(released!.event.documentid).toBe((released!.event.data as { documentId: string }).documentId);
    expect(matched!.event).toMatchObject({ type: 'invoice.matched', partnerid: 'restco', data: { invoiceNumber: 'INV-W1' } });
    expect(Number(matched!.event.sequence)).toBeGreaterThan(Number(released!.event.sequence));
    for (const r of [released!, matched!]) {
      expect(r.signatureValid).toBe(true);
      expect(r.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      expect(r.headers['webhook-id']).toBe(r.event.id);
      const ts = r.headers['webhook-timestamp'] as string;
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
      const byHand = createHmac('sha256', Buffer.from(SECRET.slice('whsec_'.length), 'base64')).update(`${r.event.id}.${ts}.${r.body}`).digest('base64');
      expect(r.headers['webhook-signature']).toBe(`v1,${byHand}`);
    }
    // a body changed by one byte does not verify (the documented verify is not a yes-machine)
    const { docsVerify } = await import('./receiver.ts');
    const verify = await docsVerify();
    expect(verify(SECRET, released!.headers, released!.body.replace('INV-W1', 'INV-W2'))).toBe(false);
    expect(verify(SECRET, released!.headers, released!.body, Number(released!.headers['webhook-timestamp']) + 301)).toBe(false);
    conforming();
    expect(validate({ ...released!.event, data: { documentId: 'x' } })).not.toEqual([]);
  });

  it('a held invoice is invoice.held with the match\'s reasons, and the exception is exception.opened', async () => {
    rx.received.length = 0;
    await post({ type: 'purchase_order', document: { poNumber: 'PO-EV1', poDate: '2026-12-01', lines: [{ lineNumber: '1', buyerPartNumber: 'W-1', quantity: 5, unitOfMeasure: 'EA', unitPrice: 2 }] } });
    await post(invoice('INV-W2', { poNumber: 'PO-EV1', lines: [{ lineNumber: '1', buyerPartNumber: 'W-1', quantityInvoiced: 5, unitPrice: 3, unitOfMeasure: 'EA' }], totalAmount: 15 }));
    await until(() => rx.received.filter((r) => r.event.type === 'exception.opened').length === 2, 'the exception events');
    // the PO released; the invoice bills 5 at 3 against the PO's 2 (tolerance 0) with nothing shipped: held twice over
    const types = rx.received.map((r) => r.event.type);
    expect(types).toEqual(['document.released', 'invoice.held', 'exception.opened', 'exception.opened']);
    const held = rx.received[1]!.event as unknown as { correlationid: string; data: { poNumber: string; reasons: Array<{ code: string; detail: unknown }> } };
    expect(held.correlationid).toBe('PO-EV1');
    expect(held.data.reasons.map((r) => r.code)).toEqual(['invoice_price_mismatch', 'invoice_quantity_mismatch']);
    expect(held.data.reasons[0]).toMatchObject({ detail: { lineNumber: '1', expected: '2', found: '3' } });
    expect(rx.received[2]!.event).toMatchObject({ data: { code: 'invoice_price_mismatch', stage: 'correlate' } });
    expect(rx.received[3]!.event).toMatchObject({ data: { code: 'invoice_quantity_mismatch', stage: 'correlate' } });
    conforming();
  });

  it('a 4xx dead-letters the event at once (listed, replayable) and the next event goes', async () => {
    rx.received.length = 0;
    let refuse = true;
    rx.answer = (r) => (refuse && r.event.type === 'document.released' ? 422 : 204);
    await post(invoice('INV-W3'));
    await until(() => rx.deliveredIds().length >= 1, 'the invoice.matched after the refused event');
    expect(rx.received.map((r) => [r.event.type, r.answered])).toEqual([['document.released', 422], ['invoice.matched', 204]]);
    const dl = await api<{ deadLetters: Array<{ id: number; eventId: string; status: number; state: string; reason: string }> }>('/api/v1/subscribers/wms/dead-letters');
    expect(dl.status).toBe(200);
    expect(dl.body.deadLetters[0]).toMatchObject({ eventId: rx.received[0]!.event.id, status: 422, state: 'dead' });
    refuse = false;
    const replay = await api<{ jobId: number }>(`/api/v1/subscribers/wms/dead-letters/${dl.body.deadLetters[0]!.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    await until(() => rx.received.length === 3, 'the replayed event');
    expect(rx.received[2]).toMatchObject({ answered: 204, event: { id: rx.received[0]!.event.id, type: 'document.released' } });
    await until(async () => (await api<{ deadLetters: Array<{ state: string }> }>('/api/v1/subscribers/wms/dead-letters')).body.deadLetters[0]!.state === 'replayed', 'the dead letter marked replayed');
    expect((await api('/api/v1/subscribers/wms/dead-letters/999999/replay', { method: 'POST' })).status).toBe(404);
    expect((await api('/api/v1/subscribers/nosuch/dead-letters')).status).toBe(404);
  });

  it('a 5xx is retried with backoff; failures in a row open the circuit; the subscriber recovering gets every event once, in order', async () => {
    rx.received.length = 0;
    let failing = true;
    rx.answer = () => (failing ? 503 : 204);
    await post(invoice('INV-W4'));
    await post(invoice('INV-W5'));
    await until(() => rx.received.length >= 3, 'three failed attempts');
    // the head of the line is retried, nothing behind it is sent first
    expect(new Set(rx.received.map((r) => r.event.id)).size).toBe(1);
    await until(async () => (await api<{ subscribers: Array<{ name: string; circuit: string }> }>('/api/v1/subscribers')).body.subscribers[0]!.circuit !== 'closed', 'the circuit to open');
    const jobs = await api<{ jobs: Array<{ lastError: string | null; state: string }> }>('/api/v1/jobs?kind=events.publish&state=waiting');
    expect(jobs.body.jobs[0]!.lastError).toMatch(/^subscriber wms: (HTTP 503|circuit open after 3 failures)/);
    failing = false;
    await until(() => rx.deliveredIds().length >= 4, 'the four events after recovery');
    const delivered = rx.received.filter((r) => r.answered === 204);
    expect(delivered.map((r) => r.event.type)).toEqual(['document.released', 'invoice.matched', 'document.released', 'invoice.matched']);
    expect(delivered.map((r) => (r.event.data as { document?: { document: { invoiceNumber: string } }; invoiceNumber?: string }).invoiceNumber
      ?? (r.event.data as { document: { document: { invoiceNumber: string } } }).document.document.invoiceNumber)).toEqual(['INV-W4', 'INV-W4', 'INV-W5', 'INV-W5']);
    expect(new Set(delivered.map((r) => r.event.id)).size).toBe(4);
    conforming();
  }, 30_000);

  it('GET /api/v1/events pages the log by cursor, filtered by type and partner; GET /api/v1/subscribers lists the subscriber', async () => {
    const all = await api<{ events: Array<{ id: string; type: string; sequence: string }>; next: string | null }>('/api/v1/events?limit=3', { token: tokens.operator });
    expect(all.status).toBe(200);
    expect(all.body.events).toHaveLength(3);
    const page2 = await api<{ events: Array<{ sequence: string }>; next: string | null }>(`/api/v1/events?limit=3&after=${all.body.next}`, { token: tokens.operator });
    expect(Number(page2.body.events[0]!.sequence)).toBe(Number(all.body.next) + 1);
    const held = await api<{ events: Array<{ type: string; partnerid: string }> }>('/api/v1/events?type=invoice.held&partner=restco', { token: tokens.operator });
    expect(held.body.events.map((e) => e.type)).toEqual(['invoice.held']);
    // the log keeps no copy of the document; the API (as the sinks) gives it from the document row
    const released = await api<{ events: Array<{ data: { document?: { type: string }; link: string } }> }>('/api/v1/events?type=document.released&limit=1', { token: tokens.operator });
    expect(released.body.events[0]!.data).toMatchObject({ document: { type: 'invoice' }, link: expect.stringMatching(/^\/api\/v1\/documents\/doc_/) });
    expect((await api<{ events: unknown[]; next: null }>('/api/v1/events?partner=nobody', { token: tokens.operator })).body).toEqual({ events: [], next: null });
    expect((await api('/api/v1/events?after=abc', { token: tokens.operator })).status).toBe(400);
    const subs = await api<{ subscribers: Array<Record<string, unknown>>; lastSeq: number }>('/api/v1/subscribers', { token: tokens.operator });
    expect(subs.body.subscribers).toEqual([expect.objectContaining({
      name: 'wms', enabled: true, events: ['*'], filters: { partners: ['restco'] }, sink: { type: 'webhook', url: rx.url, timeoutMs: 2000 }, behind: 0, circuit: 'closed',
    })]);
    expect(JSON.stringify(subs.body)).not.toContain(SECRET.slice(6));
  });
});
