/**
 * One partner's conflicting identifier does not stop the gateway (issue 12): zeta.yaml claims the
 * X12 sender ZZ/BUYERCO that buyerco.yaml already claims (a copy-paste onboarding mistake). The
 * gateway starts, buyerco (the earlier file) and restco run, /healthz's config check fails and
 * staff see which two files conflict, and a message from zeta (its API key, or an operator's
 * upload on its behalf) is stored and refused with partner_disabled: naming the partner, the two
 * files and what was expected. Through the real HTTP server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { GatewayError } from '../../src/core/errors.ts';
import { identifyPartner } from '../../src/pipeline/inbound/stages/identify.ts';
import type { ConfigView } from '../../src/pipeline/inbound/config-port.ts';
import type { TranslationUnit } from '../../src/pipeline/inbound/units.ts';
import { fakeCompile } from '../config/support.ts';
import { base850, buyerYaml } from '../support/buyer.ts';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

const zetaYaml = `id: zeta
name: Zeta Trading
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
http:
  apiKeyEnv: ZETA_API_KEY
`;

/** an 850 from ZZ/BUYERCO: PO-9001, one line */
const po850 = [
  'ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000801*0*P*>',
  'GS*PO*BUYERCO*GATEWAY*20261120*1030*801*X*004010', 'ST*850*0001', 'BEG*00*SA*PO-9001**20261120',
  'N1*ST*BUYERCO DC EAST*92*0042', 'PO1*1*10*EA*1.25**BP*WID-100', 'CTT*1', 'SE*6*0001', 'GE*1*801', 'IEA*1*000000801',
].join('~\n') + '~\n';

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture({
    partners: { buyerco: buyerYaml, restco: restcoYaml, zeta: zetaYaml },
    mappings: { '_base/x12-004010-850.inbound.yaml': base850 },
    env: { BUYERCO_API_KEY: 'buyerco-key-abcdef', ZETA_API_KEY: 'zeta-key-abcdef' },
  });
});
afterAll(async () => { await f?.close(); });

interface Outcome { messageId: string; status: string; errors: Array<{ code: string; message: string; detail: Record<string, unknown> }> }

async function post(body: string, who: { key?: string; token?: string }, query = ''): Promise<{ status: number; body: Outcome }> {
  const res = await f.fetch(`/api/v1/inbound?wait=true${query}`, { method: 'POST', ...who, headers: { 'content-type': 'application/edi-x12' }, body });
  return { status: res.status, body: await res.json() as Outcome };
}

describe('a partner whose identifier another file claims', () => {
  it('the gateway starts, the other partners run', async () => {
    expect(f.gw.config().partner('zeta')).toBeUndefined();
    const buyer = await post(po850, { key: 'buyerco-key-abcdef' });
    expect(buyer.status).toBe(200);
    expect(buyer.body).toMatchObject({ status: 'processed', partnerId: 'buyerco' });
    const rest = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
    expect(rest.status).toBeLessThan(500);
    expect(f.logger.entries.some((e) => e.level === 'error' && e.msg.startsWith('configuration alert: partner disabled') && (e.fields as { partnerId?: string }).partnerId === 'zeta')).toBe(true);
  });

  it('/healthz: the config check fails; staff see the partner and both files in /api/v1/status', async () => {
    const open = await (await f.fetch('/healthz')).json() as { checks: Record<string, string>; config?: unknown };
    expect(open.checks.config).toBe('failed');
    expect(open.config).toBeUndefined();
    const staff = await (await f.fetch('/api/v1/status', { token: tokens.operator })).json() as { config: { disabledPartners: Array<{ id: string; file: string; problems: string[] }> } };
    expect(staff.config.disabledPartners).toHaveLength(1);
    const d = staff.config.disabledPartners[0]!;
    expect(d.id).toBe('zeta');
    expect(d.file).toBe(`${f.dir}/partners/zeta.yaml`);
    // zeta.yaml line 5 "  x12: { qualifier: ZZ, id: BUYERCO }": id's value starts at column 29;
    // buyerco.yaml has the same line 5, so the first claim is at buyerco.yaml:5:29
    expect(d.problems).toEqual([
      `${f.dir}/partners/zeta.yaml:5:29 unique_identifier: X12 sender ZZ/BUYERCO is already used by partner "buyerco" (${f.dir}/partners/buyerco.yaml:5:29) (hint: each identifier must name exactly one partner: give each its own ISA qualifier/id, or, when both send under one ISA id, set a distinct gsId (GS02) on each and drop the shared ISA id from one)`,
    ]);
  });

  const refused = async (r: { status: number; body: Outcome }, raw: string) => {
    expect(r.status).toBe(422);
    expect(r.body.status).toBe('failed');
    expect(r.body.errors).toHaveLength(1);
    const e = r.body.errors[0]!;
    expect(e.code).toBe('partner_disabled');
    expect(e.message).toBe(`partner "zeta" is disabled (the message was received for partner zeta): ${f.dir}/partners/zeta.yaml: `
      + `X12 sender ZZ/BUYERCO is already used by partner "buyerco" (${f.dir}/partners/buyerco.yaml:5:29); `
      + 'expected each identifier in exactly one partner file: fix one of the two files, then replay this message');
    expect(e.detail).toMatchObject({ partnerId: 'zeta', file: `${f.dir}/partners/zeta.yaml`, reason: 'identifier_conflict', interchangeControlNumber: '000000801' });
    // the raw bytes are kept, and the exception is on the queue for staff
    const stored = await f.fetch(`/api/v1/messages/${r.body.messageId}/raw`, { token: tokens.operator });
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer()).toString('latin1')).toBe(raw);
    const msg = await (await f.fetch(`/api/v1/messages/${r.body.messageId}`, { token: tokens.operator })).json() as { exceptions: Array<{ code: string; stage: string }> };
    expect(msg.exceptions).toEqual([expect.objectContaining({ code: 'partner_disabled', stage: 'identify' })]);
  };

  it("a message with the disabled partner's API key is stored and refused as partner_disabled", async () => {
    // the envelope names ZZ/BUYERCO (what zeta.yaml claims): buyerco's, and zeta's key sent it
    await refused(await post(po850, { key: 'zeta-key-abcdef' }), po850);
  });

  it("an operator's upload for the disabled partner is stored and refused the same way", async () => {
    const body = po850.replace('PO-9001', 'PO-9002');
    await refused(await post(body, { token: tokens.operator }, '&partner=zeta'), body);
  });
});

describe("a disabled partner's own (unconflicting) envelope id, with no credentials", () => {
  it('is refused as partner_disabled naming the partner, not as an unknown sender', () => {
    // zeta2.yaml: its X12 id is buyerco's (the conflict), its EDIFACT id ZETA2EDI is its own
    const dir = mkdtempSync(path.join(tmpdir(), 'edigw-disabled-'));
    try {
      mkdirSync(path.join(dir, 'partners'));
      writeFileSync(path.join(dir, 'partners', 'buyerco.yaml'), buyerYaml);
      writeFileSync(path.join(dir, 'partners', 'zeta2.yaml'), zetaYaml.replace('id: zeta', 'id: zeta2').replace('  x12: { qualifier: ZZ, id: BUYERCO }', '  x12: { qualifier: ZZ, id: BUYERCO }\n  edifact: { id: ZETA2EDI, qualifier: "14" }'));
      const { config } = loadGatewayConfig({ partnersDir: path.join(dir, 'partners'), mappingsDir: path.join(dir, 'mappings'), env: { BUYERCO_API_KEY: 'b-key-abcdef', ZETA_API_KEY: 'z-key-abcdef' }, compile: fakeCompile });
      expect(config?.disabledPartners?.map((d) => d.id)).toEqual(['zeta2']);
      const unit = { position: 0, format: 'edifact', message: 'ORDERS', envelope: { sender: { id: 'ZETA2EDI', qualifier: '14' }, interchangeControlNumber: 'ICN1' }, input: {}, errors: [] } as unknown as TranslationUnit;
      let thrown: unknown;
      try { identifyPartner(config as unknown as ConfigView, null, unit); } catch (e) { thrown = e; }
      expect(thrown).toBeInstanceOf(GatewayError);
      const e = thrown as GatewayError;
      expect(e.code).toBe('partner_disabled');
      expect(e.message).toBe(`partner "zeta2" is disabled (its sender 14:ZETA2EDI is partner zeta2's): ${dir}/partners/zeta2.yaml: `
        + `X12 sender ZZ/BUYERCO is already used by partner "buyerco" (${dir}/partners/buyerco.yaml:5:29); `
        + 'expected each identifier in exactly one partner file: fix one of the two files, then replay this message');
      expect(e.detail).toMatchObject({ partnerId: 'zeta2', interchangeControlNumber: 'ICN1' });
      // the conflicting id itself still belongs to the earlier file's partner
      expect(identifyPartner(config as unknown as ConfigView, null, { ...unit, format: 'x12', envelope: { sender: { id: 'BUYERCO', qualifier: 'ZZ' } } } as TranslationUnit).id).toBe('buyerco');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
