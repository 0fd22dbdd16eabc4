/**
 * The console's API against a real gateway (issue 19): search messages by any number (the second PO
 * of a multi-PO ship notice, ISA13/GS06/ST02, error code, date range, paging), what the partner was
 * told (our 997 in words), per-day counts, the sorted exception list, bulk discard with a dry run
 * (audited), the audit log, and a replay before the fix that must not look like "nothing to do".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { base850, buyerKey, buyerYaml, interchange, postX12 } from './scenario.ts';

describe('console API', () => {
  let f: GatewayFixture;
  const ids = { asn: '', good: '', purpose: '', purpose2: '', uom: '' };
  const api = async (p: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await f.fetch(p, { token: tokens.operator, method: init.method, ...(init.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}) });
    return { status: res.status, body: await res.json() as any };
  };

  beforeAll(async () => {
    f = await startGatewayFixture({ partners: { buyerco: buyerYaml, restco: restcoYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 }, env: { BUYERCO_API_KEY: buyerKey } });
    ids.good = (await postX12(f, interchange('000000101', { poNumber: 'PO-1001' }))).body.messageId;
    ids.purpose = (await postX12(f, interchange('000000102', { poNumber: 'PO-1002', purpose: '06' }))).body.messageId;
    ids.purpose2 = (await postX12(f, interchange('000000103', { poNumber: 'PO-1003', purpose: '06' }))).body.messageId;
    // PO103 (unit of measure, X12 355: ID 2/2) four characters long: a syntax error the 997 rejects
    ids.uom = (await postX12(f, interchange('000000104', { poNumber: 'PO-1004', uom: 'EACH' }))).body.messageId;
    const asn = { type: 'ship_notice', document: { shipmentId: 'SH-77', shipDate: '2026-11-22', billOfLading: 'BOL-5', carrier: { scac: 'UPSN', trackingNumber: '1Z999AA10123456784' },
      orders: [{ poNumber: 'PO-1001', lines: [{ lineNumber: '1', quantityShipped: 24, unitOfMeasure: 'EA' }] }, { poNumber: 'PO-2002', lines: [{ lineNumber: '1', quantityShipped: 1, unitOfMeasure: 'EA' }] }] } };
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'restco-key-abcdef', headers: { 'content-type': 'application/json' }, body: JSON.stringify(asn) });
    ids.asn = (await res.json() as any).messageId;
    await f.gw.idle();
  });
  afterAll(async () => { await f?.close(); });

  const found = async (q: string, extra = '') => (await api(`/api/v1/console/search?q=${encodeURIComponent(q)}${extra}`)).body.messages.map((m: any) => m.id);

  it('finds messages by business and control numbers, the second PO of a ship notice too', async () => {
    expect(await found('PO-2002')).toEqual([ids.asn]);
    expect(await found('po-2002')).toEqual([ids.asn]); // case and spaces do not matter
    expect(new Set(await found('PO-1001'))).toEqual(new Set([ids.good, ids.asn]));
    expect(await found('SH-77')).toEqual([ids.asn]);
    expect(await found('BOL-5')).toEqual([ids.asn]);
    expect(await found('1Z999AA10123456784')).toEqual([ids.asn]);
    expect(await found('000000102')).toEqual([ids.purpose]); // ISA13
    expect(await found('102')).toEqual([ids.purpose]); // GS06 (the scenario's group number is the ISA13 as a number)
    expect((await found('0001')).length).toBe(4); // ST02 of the four 850s
    expect(new Set(await found('mapping_failed'))).toEqual(new Set([ids.purpose, ids.purpose2])); // an error code
    expect(await found('PO-2002', '&partner=buyerco')).toEqual([]);
    expect(await found('PO-2002', '&from=2026-11-24')).toEqual([]);
    expect(await found('PO-2002', '&from=2026-11-23&to=2026-11-23')).toEqual([ids.asn]);
    const hit = (await api('/api/v1/console/search?q=PO-2002')).body.messages[0];
    expect(hit).toMatchObject({ id: ids.asn, partnerId: 'restco', matched: { kind: 'po' } });
  });

  it('pages the search with a cursor, newest or oldest first, and refuses a bad query', async () => {
    const p1 = (await api('/api/v1/console/search?q=0001&limit=2&order=asc')).body;
    expect(p1.messages.map((m: any) => m.id)).toEqual([ids.good, ids.purpose]);
    expect(p1.next).toEqual(expect.any(String));
    const p2 = (await api(`/api/v1/console/search?q=0001&limit=2&order=asc&after=${encodeURIComponent(p1.next)}`)).body;
    expect(p2.messages.map((m: any) => m.id)).toEqual([ids.purpose2, ids.uom]);
    const p3 = (await api(`/api/v1/console/search?q=0001&limit=2&order=asc&after=${encodeURIComponent(p2.next)}`)).body;
    expect(p3).toMatchObject({ messages: [], next: null });
    const desc = (await api('/api/v1/console/search?q=0001')).body.messages.map((m: any) => m.id);
    expect(desc).toEqual([ids.uom, ids.purpose2, ids.purpose, ids.good]);
    expect((await api('/api/v1/console/search?q=')).body.error.code).toBe('query_invalid');
    expect((await api('/api/v1/console/search?q=x&from=yesterday')).body.error.detail).toMatchObject({ parameter: 'from' });
    expect((await api('/api/v1/console/search?q=x&partner=nosuch')).status).toBe(404);
  });

  it('says what the partner was told: our 997, in words, linked', async () => {
    const told = (await api(`/api/v1/console/messages/${ids.uom}/told`)).body.told;
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ kind: '997', links: { raw: `/api/v1/messages/${told[0].messageId}/raw` } });
    // AK3 PO1 at position 4 (ST is 1), AK4 element 3 code 5 (too long), AK5 R, AK9 R
    expect(told[0].disposition).toBe('rejected');
    expect(told[0].words).toEqual(['transaction set 850 0001 rejected: segment PO1 at position 4, element 3 must be at most 2 characters (found "EACH")']);
    // a mapping failure is not a syntax error: the 997 accepted the set
    const ok = (await api(`/api/v1/console/messages/${ids.purpose}/told`)).body.told;
    expect(ok[0].disposition).toBe('accepted');
    expect(ok[0].words).toEqual(['transaction set 850 0001 accepted']);
    expect((await api('/api/v1/console/messages/msg_nosuch/told')).status).toBe(404);
  });

  it('counts per day: received and failed', async () => {
    const r = (await api('/api/v1/console/partners/buyerco/days?days=7')).body;
    expect(r.days).toHaveLength(7);
    expect(r.days[6]).toMatchObject({ day: '2026-11-23', received: 4, failed: 3, acks: 4 });
    expect(r.days[6].ackLatencyMs).toBeGreaterThanOrEqual(0);
    expect(r.days[0]).toMatchObject({ day: '2026-11-17', received: 0, failed: 0, ackLatencyMs: null });
  });

  it('lists messages by partner and status, oldest or newest first, a page at a time', async () => {
    const p1 = (await api('/api/v1/console/messages?partner=buyerco&status=failed&order=asc&limit=2')).body;
    expect(p1.messages.map((m: any) => m.id)).toEqual([ids.purpose, ids.purpose2]);
    expect(p1.messages[0]).toMatchObject({ partnerId: 'buyerco', status: 'failed', direction: 'inbound', format: 'x12' });
    expect(p1.messages[0].raw).toBeUndefined();
    const p2 = (await api(`/api/v1/console/messages?partner=buyerco&status=failed&order=asc&limit=2&after=${p1.next}`)).body;
    expect(p2).toMatchObject({ messages: [{ id: ids.uom }], next: null });
    const desc = (await api('/api/v1/console/messages?partner=buyerco&status=failed')).body.messages.map((m: any) => m.id);
    expect(desc).toEqual([ids.uom, ids.purpose2, ids.purpose]);
    expect((await api('/api/v1/console/messages?partner=restco')).body.messages.map((m: any) => m.id)).toEqual([ids.asn]);
    expect((await api('/api/v1/console/messages?status=lost')).body.error).toMatchObject({ code: 'query_invalid', detail: { parameter: 'status' } });
    expect((await api('/api/v1/console/messages?order=sideways')).status).toBe(400);
    expect((await api('/api/v1/console/messages?after=abc')).status).toBe(400);
    expect((await api('/api/v1/console/messages?partner=nosuch')).status).toBe(404);
  });

  it('replays before the fix: the exception lives on as an open one, named in the answer', async () => {
    const [exc] = (await api(`/api/v1/console/exceptions?partner=buyerco&order=asc&limit=1`)).body.exceptions;
    expect(exc.messageId).toBe(ids.purpose);
    const r = (await api(`/api/v1/exceptions/${exc.id}/replay`, { method: 'POST' })).body;
    expect(r.after.status).toBe('failed');
    expect(r.openExceptions).toHaveLength(1);
    expect(r.openExceptions[0]).toMatchObject({ code: 'mapping_failed' });
    expect(r.openExceptions[0].id).not.toBe(exc.id);
    const audit = (await api(`/api/v1/audit?action=replay&subject=${ids.purpose}`)).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'operator:test-operator', action: 'replay', detail: { status: 'failed', stillOpen: [r.openExceptions[0].id] } });
  });

  it('discards a filtered set in bulk after a dry run that shows the count; each is audited', async () => {
    const dry = (await api('/api/v1/console/exceptions/bulk', { method: 'POST', body: { action: 'discard', partner: 'buyerco', code: 'mapping_failed', dryRun: true } })).body;
    expect(dry).toMatchObject({ dryRun: true, count: 2 });
    expect((await api('/api/v1/console/exceptions/bulk', { method: 'POST', body: { action: 'discard', partner: 'buyerco' } })).body.error.detail).toMatchObject({ pointer: '/reason' });
    const run = (await api('/api/v1/console/exceptions/bulk', { method: 'POST', body: { action: 'discard', partner: 'buyerco', code: 'mapping_failed', reason: 'test partner, resent', until: dry.until } })).body;
    expect(run.done.map((d: any) => d.messageId).sort()).toEqual([ids.purpose, ids.purpose2].sort());
    expect(run.next).toBeNull();
    expect((await api('/api/v1/console/exceptions?partner=buyerco')).body.exceptions.map((e: any) => e.code)).toEqual(['x12_element_too_long']);
    const discards = (await api('/api/v1/audit?action=discard')).body.entries;
    expect(discards.map((e: any) => e.subject).sort()).toEqual([ids.purpose, ids.purpose2].sort());
    expect(discards[0].detail.reason).toBe('test partner, resent');
    const bulk = (await api('/api/v1/audit?action=bulk_discard')).body.entries;
    expect(bulk).toHaveLength(1);
    expect(bulk[0]).toMatchObject({ actor: 'operator:test-operator', detail: { messages: 2, reason: 'test partner, resent' } });
    const page = (await api('/api/v1/audit?limit=1')).body;
    expect(page.entries).toHaveLength(1);
    expect((await api(`/api/v1/audit?limit=1&after=${page.next}`)).body.entries[0].seq).toBeLessThan(page.entries[0].seq);
  });
});
