/**
 * A damaged envelope gets a precise answer: what was found at which byte, and what was expected,
 * instead of "the content is not X12 (ISA), EDIFACT (UNA/UNB)...".
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCli } from '../../src/cli/run.ts';
import { detectFormat } from '../../src/pipeline/inbound/detect-format.ts';
import { startGatewayFixture, type GatewayFixture } from '../support/gateway-fixture.ts';
import { buyerYaml } from '../support/buyer.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
async function translate(name: string, text: string) {
  writeFileSync(path.join(dir, name), text);
  const err: string[] = [];
  const code = await runCli(['translate', path.join(dir, name)], { out: () => {}, err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(repo, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_DATABASE_URL: path.join(dir, 'none.db') }, cwd: dir });
  return { code, err: err.join('\n') };
}

const isaBody = '*00*          *00*          *ZZ*BUYERCO        *ZZ*GATEWAY        *261120*1030*U*00401*000000001*0*P*>~\nGS*PO*BUYERCO*GATEWAY*20261120*1030*1*X*004010~\n';

describe('corrupted envelopes', () => {
  it('detects the standard from a misspelt or missing envelope segment, and nothing from prose', () => {
    const d = (t: string) => detectFormat(Buffer.from(t));
    expect([d('IAS*00*'), d('ST*850*0001~'), d('GS*PO*A~'), d('UBN+UNOC:3'), d('UNH+1+ORDERS'), d('NUB+UNOC')]).toEqual(['x12', 'x12', 'x12', 'edifact', 'edifact', 'edifact']);
    expect([d('Hello world'), d('IAS is a word'), d('ABC,DEF')]).toEqual([undefined, undefined, undefined]);
  });

  it("'IAS' at byte 0: did you mean ISA?", async () => {
    const r = await translate('ias.edi', `IAS${isaBody}`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ias\.edi: x12_garbage: 'IAS' at byte 0: did you mean ISA\? /);
  });

  it('segment ST at byte 0 outside any interchange: ISA expected', async () => {
    const r = await translate('st.edi', 'ST*850*0001~\nBEG*00*SA*PO-1**20261120~\nSE*3*0001~\n');
    expect(r.err).toMatch(/^st\.edi: x12_garbage: segment ST at byte 0 outside any interchange: ISA expected\. /);
  });

  it("'UBN' at byte 0: did you mean UNB?, and a UNH with no UNB", async () => {
    const ubn = await translate('ubn.edi', "UBN+UNOC:3+4012345000009:14+5412345000013:14+261120:0930+R1'\nUNH+1+ORDERS:D:96A:UN'\nBGM+220+PO-1+9'\nUNT+3+1'\nUNZ+1+R1'\n");
    expect(ubn).toEqual({ code: 1, err: "ubn.edi: edifact_envelope_misspelt: 'UBN' at byte 0: did you mean UNB?" });
    const unh = await translate('unh.edi', "\nUNH+1+ORDERS:D:96A:UN'\nBGM+220+PO-1+9'\nUNT+3+1'\n");
    expect(unh).toEqual({ code: 1, err: 'unh.edi: edifact_outside_interchange: segment UNH at byte 1 outside any interchange: UNB expected' });
  });

  describe('over HTTP without a declared content type', () => {
    let f: GatewayFixture;
    beforeAll(async () => { f = await startGatewayFixture({ partners: { buyerco: buyerYaml }, env: { BUYERCO_API_KEY: 'buyerco-key' } }); });
    afterAll(async () => { await f.close(); });
    it('names the misspelt ISA in the exception', async () => {
      const res = await f.fetch('/api/v1/inbound?wait=true', { method: 'POST', key: 'buyerco-key', headers: { 'content-type': 'application/octet-stream' }, body: `IAS${isaBody}` });
      const body = await res.json() as any;
      expect(body.errors[0]).toMatchObject({ stage: 'split', code: 'x12_garbage', detail: { expected: 'ISA', standardCode: '022' } });
      expect(body.errors[0].message).toMatch(/^'IAS' at byte 0: did you mean ISA\?/);
    });
  });
});
