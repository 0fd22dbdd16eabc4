/**
 * Logs are JSON lines that never throw and never carry a secret (src/core/logger.ts), every
 * processed message gets one line with its message id, partner and correlation id (src/pipeline/inbound/worker.ts),
 * and every HTTP request a request id and an access line (src/server/app.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/core/logger.ts';
import { addLogContext, withLogContext } from '../../src/core/log-context.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

describe('JSON lines', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, logger: createJsonLogger({ level: 'debug', write: (l) => lines.push(l) }) };
  };

  it('writes an Error field as name, message and code, a bigint as a string, a cycle as "[circular]"', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => logger.warn('send failed', { messageId: 'msg_1', error: err, bytes: 2n ** 70n, cyclic })).not.toThrow();
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'warn', msg: 'send failed', messageId: 'msg_1', bytes: '1180591620717411303424', cyclic: { a: 1, self: '[circular]' } });
    expect(line.error).toEqual({ name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:9', code: 'ECONNREFUSED' });
    expect(typeof line.time).toBe('string');
  });

  it('never writes the value of a field named like a secret, at any depth', () => {
    const { lines, logger } = capture();
    logger.info('request', { headers: { Authorization: 'Bearer s3cr3t-token', 'content-type': 'text/plain' }, sftp: { password: 'hunter2', host: 'h' }, apiKey: 'k-123', env: 'ACME_API_KEY' });
    expect(lines[0]).not.toMatch(/s3cr3t|hunter2|k-123/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ headers: { Authorization: '[redacted]', 'content-type': 'text/plain' }, sftp: { password: '[redacted]', host: 'h' }, apiKey: '[redacted]', env: 'ACME_API_KEY' });
  });

  it('adds the log context (request id, message and correlation ids) to every line inside it; the call\'s own fields win', async () => {
    const { lines, logger } = capture();
    await withLogContext({ requestId: 'req-1' }, async () => {
      logger.info('outer');
      await withLogContext({ messageId: 'msg_1' }, async () => {
        await new Promise((r) => setTimeout(r, 1));
        addLogContext({ correlationId: 'corr-1' });
        logger.warn('inner', { messageId: 'msg_own' });
      });
    });
    logger.info('outside');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'info', msg: 'outer', requestId: 'req-1' },
      { level: 'warn', msg: 'inner', requestId: 'req-1', messageId: 'msg_own', correlationId: 'corr-1' },
      { level: 'info', msg: 'outside' },
    ]);
    expect(JSON.parse(lines[2]!)).not.toHaveProperty('requestId');
  });

  it('keeps below the level out', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'warn', write: (l) => lines.push(l) });
    logger.info('x');
    logger.error('y');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['y']);
  });
});

describe('one line per processed message', () => {
  let f: GatewayFixture;
  beforeAll(async () => { f = await startGatewayFixture(); });
  afterAll(async () => { await f?.close(); });

  it('names the message, partner, correlation id, status and documents; a failure its code and stage', async () => {
    const post = (body: string) => f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body });
    const doc = { type: 'ship_notice', document: { shipmentId: 'LOG-1', shipDate: '2026-11-20', carrier: { scac: 'UPSN' }, orders: [{ poNumber: 'PO-LOG-1', lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 1, unitOfMeasure: 'EA' }] }] } };
    const ok = await (await post(JSON.stringify(doc))).json() as { messageId: string; documents: Array<{ correlationId: string }> };
    const bad = await (await post('{"type": "ship_notice", "document": {,}}')).json() as { messageId: string };
    const processed = f.logger.entries.filter((e) => e.msg === 'message processed');
    const line = (id: string) => processed.find((e) => e.fields?.messageId === id)?.fields;
    expect(line(ok.messageId)).toMatchObject({ partnerId: 'restco', correlationId: ok.documents[0]!.correlationId, status: 'processed', format: 'json', documents: 1 });
    expect(line(bad.messageId)).toMatchObject({ partnerId: 'restco', status: 'failed', documents: 0, code: 'json_malformed', stage: 'split' });
    expect(typeof line(ok.messageId)!.ms).toBe('number');
  });

  it('each HTTP request has a request id (the caller\'s X-Request-Id, or a fresh one) on the answer and in the access log (debug)', async () => {
    const mine = await f.fetch('/api/v1/messages/msg_nosuch', { token: 'operator-token-0123456789', headers: { 'x-request-id': 'erp-req-42' } });
    expect(mine.status).toBe(404);
    expect(mine.headers.get('x-request-id')).toBe('erp-req-42');
    const fresh = await f.fetch('/healthz', { headers: { 'x-request-id': 'not allowed: spaces' } });
    const id = fresh.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const access = f.logger.entries.filter((e) => e.msg === 'http request');
    expect(access.find((e) => e.fields?.requestId === 'erp-req-42')).toMatchObject({ level: 'info', fields: { method: 'GET', path: '/api/v1/messages/msg_nosuch', route: '/api/v1/messages/:id', status: 404 } });
    expect(access.find((e) => e.fields?.requestId === id)?.fields).toMatchObject({ path: '/healthz', status: 200 });
    // every line logged while a request is served carries its id: a refusal logged by the authenticator
    await f.fetch('/api/v1/jobs', { token: 'operator-token-0123456789', headers: { 'x-request-id': 'op-req-7' } });
    expect(f.logger.entries.find((e) => e.msg === 'forbidden')?.fields).toMatchObject({ requestId: 'op-req-7', path: '/api/v1/jobs' });
  });

  it('a message processed inside a request (?wait=true): its lines carry the request id, the message id and its correlation id', async () => {
    const doc = { type: 'ship_notice', document: { shipmentId: 'LOG-2', shipDate: '2026-11-20', carrier: { scac: 'UPSN' }, orders: [{ poNumber: 'PO-LOG-2', lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 1, unitOfMeasure: 'EA' }] }] } };
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json', 'x-request-id': 'post-req-9' }, body: JSON.stringify(doc) });
    const out = await res.json() as { messageId: string; documents: Array<{ correlationId: string }> };
    const about = f.logger.entries.filter((e) => e.fields?.messageId === out.messageId);
    expect(about.find((e) => e.msg === 'message processed')?.fields).toMatchObject({ requestId: 'post-req-9', correlationId: out.documents[0]!.correlationId });
    expect(f.logger.entries.find((e) => e.msg === 'http request' && e.fields?.requestId === 'post-req-9')?.fields).toMatchObject({ status: 200, route: '/api/v1/inbound' });
  });
});
