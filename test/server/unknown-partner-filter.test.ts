/**
 * A list asked for a partner the gateway does not know answers 404 partner_not_found, so a typo in
 * `?partner=` is not mistaken for "nothing happened"; a configured partner with nothing stored is an
 * empty list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
beforeAll(async () => { f = await startGatewayFixture(); });
afterAll(async () => { await f?.close(); });

describe('?partner= on the staff lists', () => {
  for (const list of ['messages', 'documents', 'exceptions']) {
    it(`GET /api/v1/${list}?partner=nosuch is 404 partner_not_found; ?partner=restco (configured, nothing stored) is an empty list`, async () => {
      const res = await f.fetch(`/api/v1/${list}?partner=nosuch`, { token: tokens.operator });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'partner_not_found', message: 'partner nosuch is not configured', detail: { partnerId: 'nosuch' } } });
      const known = await f.fetch(`/api/v1/${list}?partner=restco`, { token: tokens.operator });
      expect(known.status).toBe(200);
      expect(((await known.json()) as Record<string, unknown[]>)[list]).toEqual([]);
    });
  }
});
