/**
 * The state the console tests look at, built the way users build it: an X12 4010 customer
 * (buyerco) posts purchase orders over HTTP; one maps, one carries a purpose code the base
 * mapping does not know (fixed later by a partner mapping), one is broken X12 whose bad element
 * value is markup (it must render as text).
 */
import { readFileSync } from 'node:fs';
import type { GatewayFixture } from '../support/gateway-fixture.ts';

export const buyerYaml = `id: buyerco
name: BuyerCo <b>Retail</b>
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
http:
  apiKeyEnv: BUYERCO_API_KEY
acks: { x12: "997", ta1: on_error }
`;
export const buyerKey = 'buyerco-key-0123';
export const base850 = readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8');
/** the fix for purpose code 06 (confirmation): a partner mapping over the base */
export const buyerMapping = `extends: _base/x12-004010-850.inbound.yaml
format: x12
message: "850"
version: "004010"
direction: inbound
document: purchase_order
codeTables:
  purpose:
    "06": original
`;
export const xss = '<img src=x onerror=window.__xss=1>';

/** one 850 in its own interchange; ISA16 is ':' so the markup's '>' is not a component separator */
export function interchange(cn: string, o: { purpose?: string; poNumber: string; uom?: string }): string {
  const body = [
    'ST*850*0001', `BEG*${o.purpose ?? '00'}*SA*${o.poNumber}**20261120`, 'N1*ST*BUYERCO DC EAST*92*0042',
    `PO1*1*24*${o.uom ?? 'EA'}*12.50**BP*WID-100*VP*AC-W100`, 'CTT*1', 'SE*6*0001',
  ];
  return [
    `ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*:`,
    'GS*PO*BUYERCO*GATEWAY*20261120*1030*' + Number(cn) + '*X*004010', ...body, `GE*1*${Number(cn)}`, `IEA*1*${cn}`,
  ].join('~\n') + '~\n';
}

export async function postX12(f: GatewayFixture, text: string): Promise<{ status: number; body: any }> {
  const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: buyerKey, headers: { 'content-type': 'application/edi-x12' }, body: text });
  return { status: res.status, body: await res.json() };
}
