import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const jsoncoYaml = `id: jsonco
name: JSON Co
status: production
identifiers: {}
http:
  apiKeyEnv: JSONCO_API_KEY
`;

const mapping = (qtyPath: string) => `format: json
message: shipment
direction: inbound
document: ship_notice
fields:
  shipmentId: asn
  shipDate: { path: shipped, as: date }
  orders:
    each: orders
    fields:
      poNumber: po
      lines:
        each: items
        fields:
          buyerPartNumber: sku
          quantityShipped: { path: ${qtyPath}, as: number }
          unitOfMeasure: { path: uom, as: uom }
`;

const body = JSON.stringify({ asn: 'A-1', shipped: '20261120', orders: [{ po: 'PO-7', items: [{ sku: 'BP-1', qty: '12', uom: 'EA' }] }] });

let f: GatewayFixture;
beforeEach(async () => { f = await startGatewayFixture({ partners: { jsonco: jsoncoYaml } }); });
afterEach(async () => { await f.close(); });

const postShipment = async () => {
  const res = await f.fetch('/api/v1/inbound?message=shipment&wait=true', { method: 'POST', key: f.keys.JSONCO_API_KEY, headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: await res.json() as any };
};
const replay = async (id: string) => (await f.fetch(`/api/v1/exceptions/${id}/replay`, { method: 'POST', token: tokens.operator })).json() as Promise<any>;
const feed = async () => ((await (await f.fetch('/api/v1/erp/documents?limit=100', { token: tokens.erp })).json()) as any).documents as any[];

describe('exception queue: fix the mapping, replay', () => {
  it('keeps a message without a mapping, and after the fix a replay shows before and now', async () => {
    const first = await postShipment();
    expect(first.status).toBe(422);
    expect(first.body.errors[0]).toMatchObject({ stage: 'translate', code: 'mapping_missing', message: 'no inbound mapping for json shipment (partner jsonco); add mappings/jsonco/json-shipment.inbound.yaml' });
    const [exc] = ((await (await f.fetch('/api/v1/exceptions?partner=jsonco', { token: tokens.operator })).json()) as any).exceptions;

    // a mapping with a mistake: the quantity comes from a field the partner does not send
    f.writeMapping('jsonco/json-shipment.inbound.yaml', mapping('quantity'));
    expect(f.gw.reloadConfig()).toBe(true);
    const r1 = await replay(exc.id);
    expect(r1.before.exceptions.map((e: any) => e.code)).toEqual(['mapping_missing']);
    expect(r1.after.status).toBe('failed');
    expect(r1.after.errors[0].stage).toBe('validate');
    expect(r1.after.errors[0].message).toMatch(/^ship_notice is not valid: \/orders\/0\/lines\/0\/quantityShipped is required/);

    f.writeMapping('jsonco/json-shipment.inbound.yaml', mapping('qty'));
    expect(f.gw.reloadConfig()).toBe(true);
    const [exc2] = ((await (await f.fetch('/api/v1/exceptions?partner=jsonco', { token: tokens.operator })).json()) as any).exceptions;
    const r2 = await replay(exc2.id);
    expect(r2.before.exceptions.map((e: any) => e.code)).toEqual(['canonical_invalid']);
    expect(r2.after.status).toBe('processed');
    expect(r2.after.documents[0].document).toEqual({
      shipmentId: 'A-1', shipDate: '2026-11-20',
      orders: [{ poNumber: 'PO-7', lines: [{ buyerPartNumber: 'BP-1', quantityShipped: 12, unitOfMeasure: 'EA' }] }],
    });
    // replaying again (by message id) never yields a second document for the ERP
    const r3 = await (await f.fetch(`/api/v1/messages/${r2.messageId}/replay`, { method: 'POST', token: tokens.operator })).json() as any;
    expect(r3.after.status).toBe('processed');
    const docs = await feed();
    expect(docs).toHaveLength(1);
    expect(((await (await f.fetch('/api/v1/exceptions', { token: tokens.operator })).json()) as any).exceptions).toEqual([]);
  });

  it('discards an exception on request and refuses to replay it afterwards', async () => {
    await postShipment();
    const [exc] = ((await (await f.fetch('/api/v1/exceptions', { token: tokens.operator })).json()) as any).exceptions;
    const d = await f.fetch(`/api/v1/exceptions/${exc.id}/discard`, { method: 'POST', token: tokens.operator, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'test data' }) });
    expect(await d.json()).toEqual({ messageId: exc.messageId, discarded: 1 });
    const again = await f.fetch(`/api/v1/exceptions/${exc.id}/replay`, { method: 'POST', token: tokens.operator });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe('exception_discarded');
  });

  it('a broken configuration change is refused and the last good one keeps serving', async () => {
    f.writeMapping('jsonco/json-shipment.inbound.yaml', mapping('qty'));
    expect(f.gw.reloadConfig()).toBe(true);
    f.writeMapping('jsonco/json-shipment.inbound.yaml', mapping('qty').replace('shipmentId: asn', 'shipmentIdd: asn'));
    expect(f.gw.reloadConfig()).toBe(false);
    const res = await postShipment();
    expect(res.status).toBe(200);
    expect(f.logger.entries.some((e) => e.msg.startsWith('configuration change refused'))).toBe(true);
  });
});

describe('edigw replay', () => {
  it('re-runs a failed message from the command line on the gateway\'s database and prints before and now', async () => {
    const first = await postShipment();
    expect(first.status).toBe(422);
    f.writeMapping('jsonco/json-shipment.inbound.yaml', mapping('qty'));
    const { runCli } = await import('../../src/cli/run.ts');
    const { createSqliteStore } = await import('../../src/db/sqlite-store.ts');
    const cli = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['replay', first.body.messageId], {
        out: (t) => out.push(t), err: (t) => err.push(t), cwd: f.dir,
        env: { EDIGW_DATABASE_URL: `${f.dir}/gateway.db`, EDIGW_PARTNERS_DIR: `${f.dir}/partners`, EDIGW_MAPPINGS_DIR: `${f.dir}/mappings`, JSONCO_API_KEY: 'x', USER: 'tester' },
      });
      return { code, out, err };
    };
    // while a gateway node holds the message, the command leaves it alone and says so
    const other = createSqliteStore(`${f.dir}/gateway.db`);
    const now = new Date();
    expect(await other.claimMessage(first.body.messageId, 'node-b', new Date(now.getTime() + 60_000).toISOString(), now.toISOString())).toBe(true);
    const held = await cli();
    expect(held.code).toBe(1);
    expect(held.err[1]).toBe(`${first.body.messageId}: message ${first.body.messageId} is being processed by a gateway node right now; try again in a moment`);
    await other.releaseMessage(first.body.messageId, 'node-b');
    await other.close();

    const { code, out, err } = await cli();
    expect(err.join('\n')).toBe(`[1/1] replaying ${first.body.messageId}`);
    expect(code).toBe(0);
    expect(out[0]).toBe(`${first.body.messageId}: before failed (1 open exception(s), 0 document(s)); now processed`);
    expect(out[1]).toMatch(/^ {2}document 1: released doc_[0-9a-f]{24} \(created\)$/);
  });
});

describe('message name from the profile', () => {
  it('a partner declaring one JSON message in documents.inbound posts without naming it', async () => {
    f.writePartner('jsonco', `${jsoncoYaml}documents:\n  inbound:\n    - { type: ship_notice, format: json, message: shipment }\n`);
    f.writeMapping('jsonco/json-shipment.inbound.yaml', mapping('qty'));
    expect(f.gw.reloadConfig()).toBe(true);
    const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.JSONCO_API_KEY, headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).documents[0].source.message).toBe('shipment');
  });
});
