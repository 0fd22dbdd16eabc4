/** Several identities per partner (issue 15): X12 ISA ids with GS ids, EDIFACT and AS2 ids, as lists in the profile. */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { createTempConfig, fakeCompile, type TempConfig } from './support.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());
const load = () => loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });

const acme = [
  'id: acme', 'name: ACME', 'status: production', 'identifiers:',
  '  x12:',
  '    - { qualifier: ZZ, id: ACMEPO }                        # their 855s',
  '    - { qualifier: "01", id: "123456789", gsId: ACMEASN }  # their 856s: DUNS',
  '  edifact: [{ id: "4012345000009", qualifier: "14" }, { id: ACME-EU }]',
  '  as2: [ACME-AS2, "ACME AS2 EU"]',
  '',
].join('\n');

describe('a partner with several identities', () => {
  it('is found by each of them; the first of each kind is the one we address', () => {
    t.write('partners/acme.yaml', acme);
    const r = load();
    expect(r.problems).toEqual([]);
    const c = r.config!;
    for (const p of [c.byX12('ZZ', 'ACMEPO'), c.byX12('01', '123456789'), c.byX12('', 'ACMEASN'), c.byEdifact('4012345000009', '14'), c.byEdifact('ACME-EU'), c.byAs2('ACME-AS2'), c.byAs2('"ACME AS2 EU"')]) {
      expect(p?.id).toBe('acme');
    }
    expect(c.byX12('ZZ', '123456789')).toBeUndefined(); // the DUNS is declared with qualifier 01
    const p = c.partner('acme')!;
    expect(p.identifiers).toEqual({ x12: { qualifier: 'ZZ', id: 'ACMEPO' }, edifact: { id: '4012345000009', qualifier: '14' }, as2: 'ACME-AS2' });
    expect(p.identities.x12).toHaveLength(2);
    expect(p.identities.as2).toEqual(['ACME-AS2', 'ACME AS2 EU']);
  });

  it('a second profile claiming one of them: the error names both files, the line of the list entry and how to tell them apart', () => {
    const a = t.write('partners/acme.yaml', acme);
    const b = t.write('partners/beta.yaml', ['id: beta', 'name: Beta', 'status: production', 'identifiers:', '  x12: [{ qualifier: "01", id: "123456789" }]', ''].join('\n'));
    const texts = load().problems.map((p) => p.text);
    // beta's list has one entry: located at the list (5:8); acme's second entry's id is line 7, column 30 (its opening quote)
    expect(texts).toEqual([
      `${b}:5:8 unique_identifier: X12 sender 01/123456789 is already used by partner "acme" (${a}:7:30) (hint: each identifier must name exactly one partner: give each its own ISA qualifier/id, or, when both send under one ISA id, set a distinct gsId (GS02) on each and drop the shared ISA id from one)`,
    ]);
    expect(path.basename(a)).toBe('acme.yaml');
  });

  it('an empty list or a bad entry is located precisely', () => {
    const f = t.write('partners/acme.yaml', ['id: acme', 'name: ACME', 'status: production', 'identifiers:', '  x12: [{ qualifier: ZZ, id: A }, { id: B }]', '  as2: []', ''].join('\n'));
    const texts = load().problems.map((p) => p.text);
    expect(texts).toContain(`${f}:5:35 required: missing required key "qualifier" in /identifiers/x12/1`);
    expect(texts.some((x) => x.startsWith(`${f}:6:8 minItems:`))).toBe(true);
  });
});
