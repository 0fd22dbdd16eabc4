import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';

const repoFile = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url));
const partner = `id: procurenet
name: A buyer on a procurement network
status: production
identifiers: {}
http:
  apiKeyEnv: OTHER_API_KEY
`;

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({ partners: { procurenet: partner }, mappings: { '_base/xml-OrderRequest.inbound.yaml': repoFile('mappings/_base/xml-OrderRequest.inbound.yaml').toString() } });
});
afterAll(async () => { await f?.close(); });

const post = (body: Buffer) => f.fetch('/api/v1/inbound', { method: 'POST', key: f.keys.OTHER_API_KEY, headers: { 'content-type': 'text/xml' }, body: new Uint8Array(body) });
const status = (xml: string) => /<Status code="(\d+)" text="([^"]*)"/.exec(xml)?.slice(1);

describe('cXML over HTTP is answered with a cXML Response', () => {
  it('an OrderRequest gets Status 200 OK once its purchase order is stored', async () => {
    const res = await post(repoFile('fixtures/cxml/order-request/input.xml'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE cXML SYSTEM "http:\/\/xml.cxml.org\/schemas\/cXML\/1.2.050\/cXML.dtd">/);
    expect(xml).toContain('<Response>');
    expect(status(xml)).toEqual(['200', 'OK']);
    const expected = JSON.parse(repoFile('fixtures/cxml/order-request/expected.json').toString())[0];
    const id = res.headers.get('x-edigw-message-id');
    const msg = await (await f.fetch(`/api/v1/messages/${id}`, { key: f.keys.OTHER_API_KEY })).json() as any;
    expect(msg).toMatchObject({ status: 'processed', documents: [{ type: 'purchase_order', businessKey: expected.document.poNumber }] });
  });

  it('an OrderRequest without items gets 400 Bad Request naming the problem, and is kept', async () => {
    const res = await post(repoFile('fixtures/cxml/rejects-order-without-items/input.xml'));
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(status(xml)).toEqual(['400', 'Bad Request']);
    const code = JSON.parse(repoFile('fixtures/cxml/rejects-order-without-items/expected-errors.json').toString())[0].code;
    expect(xml).toContain(`>${code}: `);
  });
});
