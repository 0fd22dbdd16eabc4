/**
 * The EDIFACT, cXML and CSV golden fixtures through the real CLI code path (`edigw check`:
 * listFixtureCases + translateFile with the repository's partners/ and mappings/). Each expected.json
 * was checked by hand against its input and the UNTDID / cXML meanings noted in the base mappings.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFixture, listFixtureCases } from '../../src/cli/fixtures.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from '../golden/gateway-config.ts';

const groups = ['edifact-d96a', 'edifact-d01b', 'cxml', 'eurotrade', 'smallparts'];
const cases = listFixtureCases(path.join(repoRoot, 'fixtures')).filter((c) => groups.includes(c.group));

describe('EDIFACT, cXML and CSV golden fixtures (as edigw check runs them)', () => {
  const { config, deps } = loadRepoConfig();

  it('has a case per EDIFACT message type and version, per cXML request, for both example partners, and negative cases', () => {
    const names = new Set(cases.map((c) => `${c.group}/${c.name}`));
    for (const v of ['d96a', 'd01b']) for (const m of ['orders', 'ordrsp', 'desadv', 'invoic']) expect(names.has(`edifact-${v}/${m}`), `edifact-${v}/${m}`).toBe(true);
    for (const n of ['order-request', 'confirmation-detail', 'ship-notice', 'invoice-detail']) expect(names.has(`cxml/${n}`), `cxml/${n}`).toBe(true);
    expect(cases.filter((c) => c.group === 'eurotrade' && c.expected).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.group === 'smallparts' && c.expected).length).toBeGreaterThanOrEqual(2);
    const negative = cases.flatMap((c) => (c.expectedErrors ?? []).map((e) => e.code));
    expect(negative).toEqual(expect.arrayContaining([
      'edifact_unsupported_message', 'edifact_message_segment_count_mismatch', 'edifact_message_reference_mismatch',
      'edifact_mandatory_segment_missing', 'edifact_truncated', 'cxml_unsupported_document', 'xml_malformed',
      'xml_external_entity', 'csv_missing_column', 'csv_message_unknown', 'mapping_failed',
    ]));
  });

  for (const c of cases) {
    it(`${c.group}/${c.name}`, async () => {
      const partnerId = config.partner(c.group) ? c.group : undefined;
      const got = await translateFile(deps, readFileSync(c.input), { partnerId, ...c.options });
      expect(compareFixture(c, got)).toEqual([]);
    });
  }

  it('eurotrade files are identified by their UNB sender (GLN, qualifier 14) without --partner', async () => {
    const got = await translateFile(deps, readFileSync(path.join(repoRoot, 'fixtures/eurotrade/invoic-decimal-comma/input.edi')), {});
    expect(got.errors).toEqual([]);
    expect(got.documents.map((d) => [d.partnerId, d.type, d.source])).toEqual([[
      'eurotrade', 'invoice',
      { format: 'edifact', message: 'INVOIC', version: 'D96A', subset: 'EANCOM EAN008', interchangeControlNumber: 'ET00025', transactionControlNumber: 'INV1' },
    ]]);
  });

  it('a D01B message without a D01B base mapping uses the nearest base (D96A)', async () => {
    const got = await translateFile(deps, readFileSync(path.join(repoRoot, 'fixtures/edifact-d01b/invoic/input.edi')), {});
    expect(got.documents[0]?.mappingFile).toBe('_base/edifact-d96a-invoic.inbound.yaml');
    expect(got.documents[0]?.source.version).toBe('D01B');
  });
});
