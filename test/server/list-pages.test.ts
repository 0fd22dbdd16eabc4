/**
 * The staff lists page with a cursor, newest first: `?limit=` rows and `next`, which `?after=` takes
 * for the following page; the last page says `next: null`; a malformed cursor is a 400 (not page one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
const sent: string[] = [];
const shipNotice = (id: string) => ({
  type: 'ship_notice',
  document: { shipmentId: id, shipDate: '2026-11-20', carrier: { scac: 'UPSN', trackingNumber: '1Z999' },
    orders: [{ poNumber: `PO-${id}`, lines: [{ lineNumber: '1', buyerPartNumber: 'BP-1', quantityShipped: 12, unitOfMeasure: 'EA' }] }] },
});

beforeAll(async () => {
  f = await startGatewayFixture();
  for (const id of ['SH-1', 'SH-2', 'SH-3', 'SH-4', 'SH-5']) {
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify(shipNotice(id)) });
    sent.push(((await res.json()) as { messageId: string }).messageId);
  }
});
afterAll(async () => { await f?.close(); });

async function allPages(list: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null | undefined;
  let pages = 0;
  do {
    const res = await f.fetch(`/api/v1/${list}?limit=${limit}${after ? `&after=${after}` : ''}`, { token: tokens.operator });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown> & { next: string | null };
    const rows = body[list] as Array<{ id: string; messageId?: string }>;
    expect(rows.length).toBeLessThanOrEqual(limit);
    ids.push(...rows.map((r) => (list === 'documents' ? r.messageId! : r.id)));
    after = body.next;
    pages++;
  } while (after);
  return { ids, pages };
}

describe('cursor pages', () => {
  it('messages: 5 stored, pages of 2 give 2 + 2 + 1 newest first, each message once, then next: null', async () => {
    const { ids, pages } = await allPages('messages', 2);
    expect(pages).toBe(3);
    expect(ids).toEqual([...sent].reverse());
  });

  it('documents: the same five ship notices, in pages of 3 (3 + 2)', async () => {
    const { ids, pages } = await allPages('documents', 3);
    expect(pages).toBe(2);
    expect(ids).toEqual([...sent].reverse());
  });

  it('a full last page still has a next, whose page is empty with next: null', async () => {
    const first = (await (await f.fetch('/api/v1/messages?limit=5', { token: tokens.operator })).json()) as { messages: unknown[]; next: string | null };
    expect(first.messages).toHaveLength(5);
    expect(first.next).not.toBeNull();
    const after = (await (await f.fetch(`/api/v1/messages?limit=5&after=${first.next}`, { token: tokens.operator })).json()) as { messages: unknown[]; next: string | null };
    expect(after).toEqual({ messages: [], next: null });
  });

  it('a malformed cursor is 400 query_invalid', async () => {
    for (const list of ['messages', 'documents', 'exceptions']) {
      const res = await f.fetch(`/api/v1/${list}?after=abc`, { token: tokens.operator });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('query_invalid');
    }
  });
});
