/**
 * The http channel against real HTTP servers on 127.0.0.1: what the supplier receives, and what
 * each kind of answer (cXML 2xx / 4xx / 5xx, HTTP errors, silence, a closed port) does to the send.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../core/logger.ts';
import { buildCxmlResponse } from '../../formats/xml/cxml.ts';
import { writeCxmlRequest } from '../../formats/xml/cxml-write.ts';
import { judgeAnswer, sendCxmlOverHttp } from './send-http.ts';
import type { OutboundPartner } from './types.ts';

const doc = Buffer.from(writeCxmlRequest({
  payloadId: '1.p@gw.example', timestamp: '2026-11-23T10:00:00+00:00',
  from: [{ domain: 'NetworkID', identity: 'AN01' }], to: [{ domain: 'DUNS', identity: '123456789' }], sender: [{ domain: 'NetworkID', identity: 'AN01' }],
  userAgent: 'edi-gateway', request: { OrderRequest: { OrderRequestHeader: { '@orderID': 'PO-1' }, ItemOut: [{ '@quantity': 1 }] } },
}), 'utf8');
const answer = (code: number, text: string, message?: string) => buildCxmlResponse({ code, text, ...(message ? { message } : {}), payloadId: 'r@supplier.example', timestamp: '2026-11-23T10:00:01+00:00' });

interface Received { headers: IncomingMessage['headers']; body: string }
const servers: Server[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); }))); });

async function supplier(handle: (n: number, req: Received, res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      handle(received.length, r, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cxml/orders`, received };
}

const partner = (url: string, over: Partial<NonNullable<OutboundPartner['outbound']>> = {}, secrets: Record<string, string> = { 'outbound.sharedSecret': 'topsecret' }): OutboundPartner => ({
  id: 'officeline', status: 'production', identifiers: {}, secrets,
  outbound: { channel: 'http', url, sharedSecretEnv: 'OFFICELINE_CXML_SECRET', cxml: { from: { domain: 'NetworkID', identity: 'AN01' }, to: { domain: 'DUNS', identity: '123456789' } }, ...over },
});
const logger = createMemoryLogger();
const deps = { fetch: (url: string, init: { method: string; headers: Array<[string, string]>; body: Uint8Array; signal?: AbortSignal }) => fetch(url, { ...init, body: Buffer.from(init.body) }),
  retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 }, logger, timeoutMs: 5000 };
const send = (p: OutboundPartner) => sendCxmlOverHttp(deps, p, { bytes: doc, contentType: 'text/xml; charset=utf-8' });

describe('outbound http channel (cXML)', () => {
  it('POSTs text/xml with the shared secret in the Sender credential; cXML 200 is sent, with the status text', async () => {
    const s = await supplier((_n, _r, res) => { res.writeHead(200, { 'content-type': 'text/xml' }); res.end(answer(200, 'OK', 'order PO-1 received')); });
    const r = await send(partner(s.url));
    expect(r).toMatchObject({ channel: 'http', status: 'sent', attempts: 1, httpStatus: 200, url: s.url, cxmlStatus: { code: 200, text: 'OK', message: 'order PO-1 received' } });
    expect(r.detail).toBe('the partner accepted the document: cXML 200 OK: order PO-1 received');
    expect(s.received).toHaveLength(1);
    expect(s.received[0]!.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(s.received[0]!.body).toContain('<Sender>\n      <Credential domain="NetworkID">\n        <Identity>AN01</Identity><SharedSecret>topsecret</SharedSecret>');
    expect(s.received[0]!.body.match(/<SharedSecret>/g)).toHaveLength(1);
  });

  it('cXML 201 Accepted counts as sent too', async () => {
    const s = await supplier((_n, _r, res) => { res.writeHead(200); res.end(answer(201, 'Accepted')); });
    expect(await send(partner(s.url))).toMatchObject({ status: 'sent', cxmlStatus: { code: 201, text: 'Accepted' } });
  });

  it('cXML 4xx fails at once, not retried, carrying the partner code, text and message', async () => {
    const s = await supplier((_n, _r, res) => { res.writeHead(400, { 'content-type': 'text/xml' }); res.end(answer(400, 'Bad Request', 'Unknown SupplierPartID OL-XX')); });
    const r = await send(partner(s.url));
    expect(r).toMatchObject({ status: 'failed', attempts: 1, code: 'cxml_refused', httpStatus: 400, cxmlStatus: { code: 400, text: 'Bad Request', message: 'Unknown SupplierPartID OL-XX' } });
    expect(r.detail).toBe('the partner refused the document: cXML 400 Bad Request: Unknown SupplierPartID OL-XX (HTTP 400)');
    expect(s.received).toHaveLength(1);
  });

  it('cXML 5xx is retried with the same bytes (same payloadID) and delivered when the partner recovers', async () => {
    const s = await supplier((n, _r, res) => { res.writeHead(n === 1 ? 500 : 200); res.end(n === 1 ? answer(560, 'Temporary server error') : answer(200, 'OK')); });
    const r = await send(partner(s.url));
    expect(r).toMatchObject({ status: 'sent', attempts: 2, cxmlStatus: { code: 200 } });
    expect(s.received[0]!.body).toBe(s.received[1]!.body);
  });

  it('a partner answering 5xx every time: failed after the policy\'s attempts with the last answer', async () => {
    const s = await supplier((_n, _r, res) => { res.writeHead(503); res.end('maintenance'); });
    const r = await send(partner(s.url));
    expect(r).toMatchObject({ status: 'failed', attempts: 3, code: 'cxml_server_error', httpStatus: 503 });
    expect(r.detail).toBe(`not delivered to ${s.url} after 3 attempt(s): HTTP 503: maintenance`);
  });

  it('a closed port is retried, then failed as a network error', async () => {
    const s = await supplier(() => {});
    const url = s.url;
    await new Promise((r) => servers.pop()!.close(r));
    const r = await send(partner(url));
    expect(r).toMatchObject({ status: 'failed', attempts: 3, code: 'http_send_failed' });
    expect(r.detail).toContain('network error: ECONNREFUSED');
  });

  it('a partner that does not answer in outbound.timeoutSeconds is retried, then failed', async () => {
    const s = await supplier(() => { /* never answers */ });
    const r = await send(partner(s.url, { timeoutSeconds: 0.2 }));
    expect(r).toMatchObject({ status: 'failed', attempts: 3, code: 'http_send_failed' });
    expect(r.detail).toContain('no answer within 0.2 s');
    expect(s.received).toHaveLength(3);
  });

  it('HTTP 200 without a cXML Response is failed and not resent (the order may have been taken)', async () => {
    const s = await supplier((_n, _r, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>thanks</html>'); });
    expect(await send(partner(s.url))).toMatchObject({ status: 'failed', attempts: 1, code: 'cxml_response_unreadable' });
  });

  it('an unset shared secret variable fails the send before anything is posted', async () => {
    const s = await supplier((_n, _r, res) => { res.end(answer(200, 'OK')); });
    const r = await send(partner(s.url, {}, {}));
    expect(r).toMatchObject({ status: 'failed', attempts: 0, code: 'cxml_shared_secret_missing' });
    expect(r.detail).toContain('OFFICELINE_CXML_SECRET');
    expect(s.received).toHaveLength(0);
  });

  it('judges answers: cXML status over HTTP status; 408/429/5xx retried; other HTTP errors refused', () => {
    const b = (s: string) => Buffer.from(s);
    expect(judgeAnswer(200, b(answer(409, 'Conflict', 'duplicate payloadID')))).toMatchObject({ kind: 'refused', code: 'cxml_refused', cxml: { code: 409 } });
    expect(judgeAnswer(500, b(answer(200, 'OK')))).toMatchObject({ kind: 'accepted' });
    expect(judgeAnswer(429, b(''))).toMatchObject({ kind: 'retry', reason: 'HTTP 429' });
    expect(judgeAnswer(404, b('<html>not found</html>'))).toMatchObject({ kind: 'refused', code: 'http_refused' });
    expect(judgeAnswer(200, b('<cXML payloadID="x" timestamp="t"><Response><Status code="abc" text="?"/></Response></cXML>'))).toMatchObject({ kind: 'refused', code: 'cxml_response_unreadable' });
  });
});
