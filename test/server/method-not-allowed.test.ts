/**
 * A wrong method on a path the gateway serves answers 405 with the methods it allows (RFC 9110
 * §15.5.6: the Allow header is required on a 405); a path it does not serve at all stays a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
beforeAll(async () => { f = await startGatewayFixture(); });
afterAll(async () => { await f?.close(); });

describe('405 Method Not Allowed', () => {
  it('GET on the intake (POST only) names POST in Allow', async () => {
    const res = await f.fetch('/api/v1/inbound', { token: tokens.operator });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('method_not_allowed');
    expect(body.error.message).toBe('GET is not allowed on /api/v1/inbound; allowed: POST');
  });

  it('DELETE on one message (a GET route with a parameter) allows GET and HEAD', async () => {
    const res = await f.fetch('/api/v1/messages/msg_123', { method: 'DELETE', token: tokens.operator });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a path nobody serves is 404 route_not_found, whatever the method', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await f.fetch('/api/v1/nosuch', { method, token: tokens.operator });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    }
  });
});
