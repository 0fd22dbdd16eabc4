/**
 * `edigw translate` on an acknowledgement: not `[]` and exit 0 in silence, but what it is, what it
 * acknowledges, its disposition with the standard's codes, and whether it matched one of our
 * outbound interchanges in the gateway database. Files written by hand; codes checked against
 * X12 718 (AK5 5 one or more segments in error), I18 (TA105 025 duplicate interchange control
 * number) and ISO 9735 0085 (26 duplicate detected).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';
import { createSqliteStore } from '../../src/db/sqlite-store.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'edigw-acks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'partners'));
writeFileSync(path.join(dir, 'partners', 'acme.yaml'), 'id: acme\nname: ACME\nstatus: production\nidentifiers:\n  x12: { qualifier: ZZ, id: ACMESUPPLY }\n  edifact: { id: "4012345000009", qualifier: "14" }\n');

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: { EDIGW_PARTNERS_DIR: path.join(dir, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repo, 'mappings'), EDIGW_DATABASE_URL: path.join(dir, 'none.db'), ...env }, cwd: dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const file = (name: string, text: string) => { const p = path.join(dir, name); writeFileSync(p, text); return p; };

const isa = (cn: string) => `ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*GATEWAY        *261120*1030*U*00401*${cn}*0*P*>~\n`;
// our group PO 42 acknowledged: set 0001 accepted, 0002 rejected (AK3 PO1 at position 3, element 2 invalid code)
const ack997 = isa('000000077') + ['GS*FA*ACMESUPPLY*GATEWAY*20261120*1030*5*X*004010', 'ST*997*0001', 'AK1*PO*42', 'AK2*850*0001', 'AK5*A',
  'AK2*850*0002', 'AK3*PO1*3**8', 'AK4*2**7*XX', 'AK5*R*5', 'AK9*P*2*2*1', 'SE*10*0001', 'GE*1*5', 'IEA*1*000000077'].join('~\n') + '~\n';

describe('edigw translate on an acknowledgement', () => {
  it('describes a 997: the group and sets it acknowledges, their dispositions and codes; no gateway database, so not matched', async () => {
    const r = await cli(['translate', file('ack.997', ack997)]);
    expect(r.code).toBe(0);
    const [a] = JSON.parse(r.out);
    expect(a).toMatchObject({
      type: 'acknowledgement', message: '997', standard: 'x12', from: 'ZZ:ACMESUPPLY', interchangeControlNumber: '000000077',
      acknowledges: { functionalId: 'PO', group: '42', sets: [
        { id: '850', controlNumber: '0001', disposition: 'accepted', codes: [] },
        { id: '850', controlNumber: '0002', disposition: 'rejected', codes: ['AK5 5 (one or more segments in error)'] },
      ] },
      disposition: 'partially_accepted',
    });
    expect(a.matched).toBeUndefined();
    expect(r.err).toBe('ack.997: 997 functional acknowledgement from ZZ:ACMESUPPLY acknowledging group PO 42 partially_accepted (AK9 P, 1 of 2 sets accepted); rejected: 850 0002 (AK5 5 (one or more segments in error)); not matched: no gateway database to look in');
  });

  it('says whether the 997 matched one of our outbound groups in the gateway database', async () => {
    const db = path.join(dir, 'gateway.db');
    const store = await createSqliteStore(db);
    await store.insertMessage({ id: 'msg_out42', receivedAt: '2026-11-20T10:00:00.000Z', direction: 'outbound', transport: 'http', partnerId: 'acme', status: 'processed', metadata: {}, contentSha256: '0'.repeat(64), raw: new Uint8Array(), test: false, externalId: 'x12-gs:acme:42' });
    await store.close();
    const matched = await cli(['translate', file('ack.997', ack997)], { EDIGW_DATABASE_URL: db });
    expect(JSON.parse(matched.out)[0]).toMatchObject({ matched: true, outboundMessageId: 'msg_out42' });
    expect(matched.err).toMatch(/; matches our outbound message msg_out42$/);
    const other = await cli(['translate', file('ack43.997', ack997.replace('AK1*PO*42', 'AK1*PO*43'))], { EDIGW_DATABASE_URL: db });
    expect(JSON.parse(other.out)[0]).toMatchObject({ matched: false });
    expect(other.err).toMatch(/acknowledging group PO 43 .*; matches no outbound interchange of ours$/);
  });

  it('describes a TA1 alone: the interchange it answers, rejected with note 025', async () => {
    const r = await cli(['translate', file('ack.ta1', `${isa('000000078')}TA1*000000123*261119*0900*R*025~\nIEA*0*000000078~\n`)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ message: 'TA1', acknowledges: { interchange: '000000123', sets: [] }, disposition: 'rejected', codes: ['TA105 025 (duplicate interchange control number)'] })]);
    expect(r.err).toContain('TA1 interchange acknowledgement from ZZ:ACMESUPPLY acknowledging interchange 000000123 of 261119 0900 rejected (TA104 R, TA105 025 (duplicate interchange control number))');
  });

  it('describes a CONTRL: our interchange rejected with 0085 code 26 at UNB element 5', async () => {
    const contrl = "UNB+UNOC:3+4012345000009:14+5412345000013:14+261120:0930+C1'\nUNH+1+CONTRL:D:3:UN'\nUCI+OUR0001+5412345000013:14+4012345000009:14+4+26+UNB+5'\nUNT+3+1'\nUNZ+1+C1'\n";
    const r = await cli(['translate', file('contrl.edi', contrl)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)[0]).toMatchObject({ message: 'CONTRL', standard: 'edifact', from: '4012345000009:14', acknowledges: { interchange: 'OUR0001' }, disposition: 'rejected', codes: ['UCI 0085 26 (duplicate detected) at UNB element 5'] });
    expect(r.err).toContain('CONTRL syntax and service report from 4012345000009:14 acknowledging interchange OUR0001 rejected');
  });

  it('a 997 that breaks its own grammar (SE01 wrong) is described and named invalid, exit 1', async () => {
    const r = await cli(['translate', file('bad.997', ack997.replace('SE*10*0001', 'SE*12*0001'))]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)[0]).toMatchObject({ message: '997', defects: ['x12_segment_count_mismatch: SE01 says 12 segments, counted 10'] });
    expect(r.err).toMatch(/; the acknowledgement itself is invalid: x12_segment_count_mismatch: SE01 says 12 segments, counted 10$/);
  });
});
