/**
 * EANCOM messages of the directories partners really send (ORDERS D.01B, INVOIC D.03B) are read
 * with their own directory: element lengths D.96A refuses (FTX 4440 an..512, IMD 7008 an..256),
 * D.01B/D.03B groups and segments (PYT, GIR in the line group), and translated by the D96A base
 * mappings through the group renaming. Real files in ../shared/conformance/edifact are used when
 * that folder holds any (never copied here); the golden fixtures under fixtures/edifact-d01b and
 * fixtures/edifact-d03b carry the hand-checked documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildContrl, createEdifactGrammarRegistry, defaultEdifactGrammars, parseEdifact } from '../../src/formats/edifact/index.ts';
import { translateFile } from '../../src/pipeline/inbound/translate-file.ts';
import { loadRepoConfig, repoRoot } from '../golden/gateway-config.ts';

const { deps } = loadRepoConfig();
const fixture = (rel: string): Buffer => fs.readFileSync(path.join(repoRoot, 'fixtures', rel, 'input.edi'));

describe('EANCOM ORDERS D.01B and INVOIC D.03B', () => {
  it('reads an EANCOM ORDERS D.01B with D.01B lengths; D.96A tables would refuse the same message, and say which directory they used', () => {
    const bytes = fixture('edifact-d01b/orders-eancom-item-ids');
    const m = parseEdifact(bytes)[0]!.messages[0]!;
    expect([m.grammarVersion, m.subset?.code]).toEqual(['D01B', 'EAN010']);
    expect(m.errors).toEqual([]);
    const onlyD96A = createEdifactGrammarRegistry(defaultEdifactGrammars().filter((g) => g.version === 'D96A'));
    const old = parseEdifact(bytes, { grammars: onlyD96A })[0]!.messages[0]!;
    expect(old.errors.map((e) => [e.code, e.detail.segment, e.detail.elementId, e.detail.expected])).toEqual([
      ['edifact_directory_substituted', 'UNH', undefined, 'D96A'],
      ['edifact_element_too_long', 'FTX', '4440', 'an..70'],
      ['edifact_element_too_long', 'IMD', '7008', 'an..35'],
    ]);
  });

  it('reads an INVOIC D.03B with its PYT payment terms group and maps the due date, buyer and header allowance', async () => {
    const bytes = fixture('edifact-d03b/invoic-eancom-allowance');
    const m = parseEdifact(bytes)[0]!.messages[0]!;
    expect([m.grammarVersion, m.errors]).toEqual(['D03B', []]);
    const got = await translateFile(deps, bytes, {});
    expect(got.errors).toEqual([]);
    const doc = got.documents[0]!.document as Record<string, unknown>;
    // PYT+1++5+3+D+30 / DTM+13:20270104, NAD+BY, ALC+A..TD / PCD+1:2 / MOA+8:5.00 (hand-read from the input)
    expect([doc.dueDate, (doc.buyer as { id: string }).id, doc.allowancesCharges]).toEqual(['2027-01-04', '5412345000013',
      [{ indicator: 'allowance', code: 'TD', description: 'Trade discount', amount: 5, percent: 2 }]]);
  });

  // expected-contrl.edi, written by hand: sender and recipient swapped, UCI action 7 for the
  // interchange, UCM action 7 naming the message (with its EANCOM association code), UNT counting 4
  for (const rel of ['edifact-d01b/orders-eancom-item-ids', 'edifact-d03b/invoic-eancom-allowance', 'edifact-d01b/desadv-package-sscc']) {
    it(`${rel}: acknowledged with the expected CONTRL`, () => {
      const r = buildContrl(parseEdifact(fixture(rel))[0]!, { controlReference: 'CTL1', date: '261123', time: '1200', lineEnding: '\n' });
      expect(r.outcome).toBe('accepted');
      expect(Buffer.from(r.bytes).toString()).toBe(fs.readFileSync(path.join(repoRoot, 'fixtures', rel, 'expected-contrl.edi'), 'utf8'));
    });
  }

  const root = path.resolve(repoRoot, '../shared/conformance/edifact');
  const real = fs.existsSync(root)
    ? fs.readdirSync(root).filter((f) => /UNH\+[^']*\+(ORDERS:D:01B|INVOIC:D:03B)/.test(fs.readFileSync(path.join(root, f), 'latin1')))
    : [];
  if (real.length === 0) {
    it.skip(`real EANCOM ORDERS D.01B / INVOIC D.03B files: none in ${root} (folder ${fs.existsSync(root) ? 'holds none' : 'absent'})`, () => {});
  }
  for (const f of real) {
    it(`${f}: translates to documents with their key fields`, async () => {
      const got = await translateFile(deps, fs.readFileSync(path.join(root, f)), {});
      expect(got.documents.length).toBeGreaterThan(0);
      for (const d of got.documents) {
        const doc = d.document as Record<string, unknown>;
        expect(doc.poNumber ?? doc.invoiceNumber).toBeTruthy();
      }
    });
  }
});
