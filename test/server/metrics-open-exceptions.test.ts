/**
 * edigw_exceptions_open_by_partner{partner,code} on /metrics, on SQLite and on PostgreSQL: the open
 * exceptions of each partner and error code, kept in row_counts by the transactions that open and
 * close them (never a count over the exceptions table). Traffic as users make it: BuyerCo (X12)
 * posts two 850s with a purpose code (06) the base mapping does not know, RestCo (JSON) posts a ship
 * notice with a date that is not a date; then BuyerCo's mapping is fixed and one of its exceptions
 * replayed, and RestCo's discarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base850, buyerKey, buyerMapping, buyerYaml, interchange, postX12 } from '../console/scenario.ts';
import { parseExposition } from '../support/exposition.ts';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';
import { postgresAvailability, startTestPostgres, type TestPostgres } from '../support/postgres.ts';

const NAME = 'edigw_exceptions_open_by_partner';
const pgAvailability = postgresAvailability();
if (!pgAvailability.ok) console.warn(pgAvailability.reason);

/** the gauge's samples as 'partner/code' → value, and the global edigw_exceptions_open */
async function scrape(f: GatewayFixture): Promise<{ byPartner: Record<string, number>; total: number; type?: string }> {
  const res = await f.fetch('/metrics');
  expect(res.status).toBe(200);
  const { samples, types } = parseExposition(await res.text());
  const byPartner: Record<string, number> = {};
  for (const s of samples.filter((x) => x.name === NAME)) {
    expect(Object.keys(s.labels).sort()).toEqual(['code', 'partner']);
    byPartner[`${s.labels.partner}/${s.labels.code}`] = s.value;
  }
  return { byPartner, total: samples.find((s) => s.name === 'edigw_exceptions_open')!.value, type: types.get(NAME) };
}

function scenario(database: () => Promise<string | undefined>) {
  let f: GatewayFixture;
  const op = async (p: string, body: unknown) => {
    const res = await f.fetch(p, { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() as any };
  };
  const openOf = async (partner: string) => (await (await f.fetch(`/api/v1/exceptions?partner=${partner}`, { token: tokens.operator })).json() as { exceptions: Array<{ id: string; code: string }> }).exceptions;

  beforeAll(async () => {
    const databaseUrl = await database();
    f = await startGatewayFixture({
      partners: { buyerco: buyerYaml, restco: restcoYaml }, mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
      env: { BUYERCO_API_KEY: buyerKey }, ...(databaseUrl ? { databaseUrl } : {}),
    });
  });
  afterAll(async () => { await f?.close(); });

  it('is 0 series before any exception, then counts each partner\'s open exceptions by code', async () => {
    const before = await scrape(f);
    expect(before.type).toBe('gauge');
    expect(before.byPartner).toEqual({});
    expect(before.total).toBe(0);

    expect((await postX12(f, interchange('000000201', { poNumber: 'PO-201', purpose: '06' }))).status).toBe(422);
    expect((await postX12(f, interchange('000000202', { poNumber: 'PO-202', purpose: '06' }))).status).toBe(422);
    const notice = { type: 'ship_notice', document: { shipmentId: 'SH-9', shipDate: '20 Nov 2026', carrier: { scac: 'UPSN', trackingNumber: '1Z999' },
      orders: [{ poNumber: 'PO-9', lines: [{ lineNumber: '1', quantityShipped: 1, unitOfMeasure: 'EA' }] }] } };
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: JSON.stringify(notice) });
    expect(res.status).toBe(422);
    await f.gw.idle();

    // what the exception queue holds, read through the API, is what the gauge says
    expect((await openOf('buyerco')).map((e) => e.code)).toEqual(['mapping_failed', 'mapping_failed']);
    expect((await openOf('restco')).map((e) => e.code)).toEqual(['canonical_invalid']);
    const after = await scrape(f);
    expect(after.byPartner).toEqual({ 'buyerco/mapping_failed': 2, 'restco/canonical_invalid': 1 });
    expect(after.total).toBe(3);
  });

  it('goes down when an exception is replayed after the fix, and when one is discarded (a closed pair stays at 0)', async () => {
    f.writeMapping('buyerco/x12-850.inbound.yaml', buyerMapping);
    expect(f.gw.reloadConfig()).toBe(true);
    const [first] = await openOf('buyerco');
    const replay = await op(`/api/v1/exceptions/${first!.id}/replay`, {});
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body.after.status).toBe('processed');
    await f.gw.idle();
    expect((await scrape(f)).byPartner).toEqual({ 'buyerco/mapping_failed': 1, 'restco/canonical_invalid': 1 });

    const [notice] = await openOf('restco');
    expect((await op(`/api/v1/exceptions/${notice!.id}/discard`, { reason: 'resent by RestCo' })).status).toBe(200);
    const last = await scrape(f);
    expect(last.byPartner).toEqual({ 'buyerco/mapping_failed': 1, 'restco/canonical_invalid': 0 });
    expect(last.total).toBe(1);
    // a second discard of the same message closes nothing: nothing moves
    const again = await op(`/api/v1/exceptions/${notice!.id}/discard`, { reason: 'again' });
    expect(again.body).toMatchObject({ discarded: 0 });
    expect((await scrape(f)).byPartner).toEqual(last.byPartner);
  });
}

describe('open exceptions by partner on /metrics (SQLite)', () => {
  scenario(async () => undefined);
});

describe.skipIf(!pgAvailability.ok)('open exceptions by partner on /metrics (PostgreSQL)', () => {
  let server: TestPostgres | undefined;
  afterAll(async () => { await server?.stop(); });
  scenario(async () => {
    server = await startTestPostgres({ fsync: false });
    return server.createDatabase('metrics_open_exc');
  });
});
