// Silent ignores become findings (issue 19): `edigw check` over a small temporary configuration
// that holds one mistake each, asserting the line a user reads (file:line:col rule: message (hint)).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** a temporary root with partners/, mappings/ (the shipped 004010 850/855 bases copied in) and fixtures/ */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'edigw-findings-'));
  dirs.push(root);
  for (const d of ['partners', 'mappings/_base', 'fixtures']) mkdirSync(path.join(root, d), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function check(root: string, args: string[] = []) {
  const out: string[] = [];
  const env = { EDIGW_PARTNERS_DIR: path.join(root, 'partners'), EDIGW_MAPPINGS_DIR: path.join(root, 'mappings'), EDIGW_FIXTURES_DIR: path.join(root, 'fixtures') };
  const code = await runCli(['check', '--verbose', ...args], { out: (t) => out.push(t), err: (t) => out.push(t), env, cwd: repo });
  return { code, out: out.join('\n').split(root + path.sep).join('') };
}

const nwcomponents = `id: nwcomponents
name: NW Components
status: production
identifiers:
  x12: { qualifier: ZZ, id: NWCOMP }
documents:
  inbound:
    - { type: purchase_order_ack, format: x12, message: "855", version: "004010" }
`;
const po855 = `format: x12
message: "855"
version: "004010"
direction: inbound
document: purchase_order_ack
fields:
  poNumber: BAK/03
  status: { value: accepted }
`;

describe('mapping names the gateway never picks', () => {
  it('a partner folder misspelt: what it matched and the nearest partner', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/nwcomponent/x12-855.inbound.yaml': `extends: _base/x12-004010-855.inbound.yaml\n`, 'mappings/_base/x12-004010-855.inbound.yaml': po855 });
    const r = await check(root);
    expect(r.out).toContain('warning: mappings/nwcomponent/x12-855.inbound.yaml:1:1 mapping_folder_unknown: mappings/nwcomponent/ matches no partner (no partners/nwcomponent.yaml): its mappings are never used (hint: did you mean mappings/nwcomponents/ (partners/nwcomponents.yaml)?)');
    expect(r.code).toBe(0);
    expect((await check(root, ['--strict'])).code).toBe(2);
  });

  it('a misspelt direction: the name as read, the nearest valid name and what the partner uses meanwhile', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/nwcomponents/x12-855.inbund.yaml': `extends: _base/x12-004010-855.inbound.yaml\n`, 'mappings/_base/x12-004010-855.inbound.yaml': po855 });
    const r = await check(root);
    expect(r.out).toContain('warning: mappings/nwcomponents/x12-855.inbund.yaml:1:1 mapping_file_name: nwcomponents/x12-855.inbund.yaml is never used: direction "inbund" is neither inbound nor outbound (the name reads as format x12, message 855, direction inbund) (hint: did you mean x12-855.inbound.yaml? meanwhile nwcomponents\'s x12 855 inbound uses the shared base _base/x12-004010-855.inbound.yaml (to change it for nwcomponents only, that file extends: it and overrides what differs))');
  });

  it('an unknown message or format in a partner\'s file name: the documents the partner declares', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/nwcomponents/x12-865.inbound.yaml': po855, 'mappings/nwcomponents/x21-855.inbound.yaml': po855, 'mappings/_base/x12-004010-855.inbound.yaml': po855 });
    const r = await check(root);
    expect(r.out).toContain('warning: mappings/nwcomponents/x12-865.inbound.yaml:1:1 mapping_file_name: nwcomponents/x12-865.inbound.yaml is never used: it matches none of the documents partners/nwcomponents.yaml declares (x12 855 inbound) (the name reads as format x12, message 865, direction inbound) (hint: did you mean x12-855.inbound.yaml? meanwhile nwcomponents\'s x12 855 inbound uses the shared base _base/x12-004010-855.inbound.yaml (to change it for nwcomponents only, that file extends: it and overrides what differs))');
    expect(r.out).toContain('warning: mappings/nwcomponents/x21-855.inbound.yaml:1:1 mapping_file_name: nwcomponents/x21-855.inbound.yaml is never used: format "x21" is not one of x12, edifact, csv, xml, json (the name reads as format x21, message 855, direction inbound) (hint: did you mean x12-855.inbound.yaml? meanwhile');
  });

  it('a name that says another message than the file maps', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/_base/x12-004010-855.inbound.yaml': po855.replace('direction: inbound', 'direction: inbound').replace('message: "855"', 'message: "855"'), 'mappings/_base/x12-004010-856.inbound.yaml': po855 });
    const r = await check(root);
    expect(r.out).toContain('warning: mappings/_base/x12-004010-856.inbound.yaml:1:1 mapping_name_mismatch: _base/x12-004010-856.inbound.yaml is named for x12 856 inbound but maps x12 855 inbound (its format:/message:/direction:): it is picked by its name (hint: rename it to x12-004010-855.inbound.yaml, or correct the header)');
  });

  it('a file directly in mappings/ or in a subfolder of a partner\'s folder', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/x12-855.inbound.yaml': po855, 'mappings/nwcomponents/old/x12-855.inbound.yaml': po855, 'mappings/_base/x12-004010-855.inbound.yaml': po855 });
    const r = await check(root);
    expect(r.out).toContain('warning: mappings/x12-855.inbound.yaml:1:1 mapping_location: x12-855.inbound.yaml is directly in mappings/: the gateway looks for mappings in mappings/<partner id>/ and mappings/_base/ only, so it is never used (hint: move it to mappings/<partner id>/x12-855.inbound.yaml)');
    expect(r.out).toContain('warning: mappings/nwcomponents/old/x12-855.inbound.yaml:1:1 mapping_location: nwcomponents/old/x12-855.inbound.yaml is in a subfolder: the gateway looks only at mappings/nwcomponents/<name>, so it is never used (hint: move it to mappings/nwcomponents/x12-855.inbound.yaml, or name it in the partner\'s mappings: / another file\'s extends:)');
  });

  it('a clean configuration has none of these findings', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/nwcomponents/x12-855.inbound.yaml': `extends: _base/x12-004010-855.inbound.yaml\n`, 'mappings/_base/x12-004010-855.inbound.yaml': po855 });
    const r = await check(root);
    expect(r.out).not.toMatch(/mapping_(folder_unknown|file_name|name_mismatch|location)/);
  });
});

describe("a profile's envelope ids against its own fixtures", () => {
  const isa = (sender: string, gs: string) => `ISA*00*          *00*          *ZZ*${sender.padEnd(15)}*ZZ*EDIGATEWAY     *261120*0915*U*00401*000000501*0*T*>~
GS*PR*${gs}*EDIGATEWAY*20261120*0915*501*X*004010~
ST*855*0001~
BAK*00*AC*PO-1*20261120~
SE*3*0001~
GE*1*501~
IEA*1*000000501~
`;
  const expected = JSON.stringify([{ type: 'purchase_order_ack', document: { poNumber: 'PO-1', status: 'accepted' } }]);
  const files = (sender: string, gs: string) => ({
    'partners/nwcomponents.yaml': nwcomponents, 'mappings/_base/x12-004010-855.inbound.yaml': po855,
    'fixtures/nwcomponents/855-accepted/input.edi': isa(sender, gs), 'fixtures/nwcomponents/855-accepted/expected.json': expected,
  });

  it('warns when the ISA id in the profile matches none of its fixtures (the fixture still passes: it runs as the partner)', async () => {
    const r = await check(tree(files('NWCOMPONENTS', 'NWCOMPONENTS')));
    expect(r.out).toContain('warning: partners/nwcomponents.yaml:5:8 identifiers_match_fixtures: identifiers.x12 ZZ/NWCOMP matches none of nwcomponents\'s fixtures: their interchanges come from ZZ/NWCOMPONENTS (GS02 NWCOMPONENTS) (ISA05/06) (hint: an interchange from an id no profile has is refused as an unknown sender: correct the profile (or the fixture, if it is the one that is wrong))');
    expect(r.out).toContain('fixtures: 1 of 1 passed, 0 failed');
  });

  it('names GS02 when only the group sender differs', async () => {
    const r = await check(tree(files('NWCOMP', 'NWCOMPAP')));
    expect(r.out).toContain('warning: partners/nwcomponents.yaml:5:8 identifiers_match_fixtures: identifiers.x12 ZZ/NWCOMP matches its fixtures\' ISA05/06, but their GS02 is NWCOMPAP, not NWCOMP (the id, as no gsId is set) (hint: set gsId: NWCOMPAP in the profile, or correct the fixture)');
  });

  it('is quiet when they agree, and says so when the partner has no fixture to check them', async () => {
    expect((await check(tree(files('NWCOMP', 'NWCOMP')))).out).not.toContain('identifiers_');
    const r = await check(tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/_base/x12-004010-855.inbound.yaml': po855 }));
    expect(r.out).toContain('warning: partners/nwcomponents.yaml:5:8 identifiers_untested: partner nwcomponents has no fixtures (fixtures/nwcomponents/): nothing checks its identifiers.x12 (ZZ/NWCOMP) against one of its interchanges (hint: save a test file they sent as fixtures/nwcomponents/<case>/input.edi with its expected.json: edigw check then compares the envelope with the profile)');
  });
});

describe('a YAML dedent that turns a block into null', () => {
  it('in a profile: the empty key, its line and the keys that belong under it (their unknown-key errors left out)', async () => {
    const profile = `${nwcomponents}rules:\npriceTolerancePercent: 2\nonViolation: hold\n`;
    const r = await check(tree({ 'partners/nwcomponents.yaml': profile, 'mappings/_base/x12-004010-855.inbound.yaml': po855 }));
    expect(r.code).toBe(2);
    expect(r.out).toContain('error: partners/nwcomponents.yaml:9:1 yaml_indentation: "rules:" on line 9 is empty (YAML reads null) where a map is expected, and "priceTolerancePercent", "onViolation" below it are at its indentation: it looks like an indentation mistake (hint: indent "priceTolerancePercent", "onViolation" under "rules:" (two more spaces))');
    expect(r.out).not.toContain('unknown key "priceTolerancePercent"');
  });

  it('in a profile: an empty block with nothing below it', async () => {
    const r = await check(tree({ 'partners/nwcomponents.yaml': `${nwcomponents}throttle:\n`, 'mappings/_base/x12-004010-855.inbound.yaml': po855 }));
    expect(r.out).toContain('error: partners/nwcomponents.yaml:9:1 yaml_indentation: "throttle:" on line 9 is empty (YAML reads null) where a map is expected: it looks like an indentation mistake, or a key left without its value (hint: indent its keys under "throttle:", or remove the line)');
  });

  const po850 = (fields: string) => `format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\n${fields}`;
  const partner850 = nwcomponents.replace('{ type: purchase_order_ack, format: x12, message: "855", version: "004010" }', '{ type: purchase_order, format: x12, message: "850", version: "004010" }');

  it('in a mapping: a party left empty, its fields one level too far left', async () => {
    const mapping = po850('fields:\n  poNumber: BEG/03\n  shipTo:\n  name: N1[01=ST]/02\n  id: N1[01=ST]/04\n');
    const r = await check(tree({ 'partners/nwcomponents.yaml': partner850, 'mappings/nwcomponents/x12-850.inbound.yaml': mapping }));
    expect(r.code).toBe(2);
    expect(r.out).toContain('error: mappings/nwcomponents/x12-850.inbound.yaml:8:3 yaml_indentation: "shipTo:" on line 8 is empty (YAML reads null) where an object is expected, and "name", "id" below it are at its indentation: it looks like an indentation mistake (hint: indent "name", "id" under "shipTo:" (two more spaces))');
    expect(r.out).not.toContain('unknown_field');
  });

  it('in a mapping: fields: at the top with its rules at column 1', async () => {
    const r = await check(tree({ 'partners/nwcomponents.yaml': partner850, 'mappings/nwcomponents/x12-850.inbound.yaml': po850('fields:\npoNumber: BEG/03\npoDate: { path: BEG/05, as: date }\n') }));
    expect(r.out).toContain('error: mappings/nwcomponents/x12-850.inbound.yaml:6:1 yaml_indentation: "fields:" on line 6 is empty (YAML reads null), and "poNumber", "poDate" below it are at its indentation: it looks like an indentation mistake (hint: indent "poNumber", "poDate" under "fields:" (two more spaces))');
    expect(r.out).not.toContain('unknown_key');
  });

  it('a written null is a choice, not a finding (it removes a base field)', async () => {
    const mapping = po850('fields:\n  poNumber: BEG/03\n  shipTo: null\n');
    const r = await check(tree({ 'partners/nwcomponents.yaml': partner850, 'mappings/nwcomponents/x12-850.inbound.yaml': mapping }));
    expect(r.out).not.toContain('yaml_indentation');
  });
});

describe('a path to a segment outside the loop it is used in', () => {
  const partner850 = nwcomponents.replace('{ type: purchase_order_ack, format: x12, message: "855", version: "004010" }', '{ type: purchase_order, format: x12, message: "850", version: "004010" }');
  const mapping = `format: x12
message: "850"
version: "004010"
direction: inbound
document: purchase_order
fields:
  poNumber: BEG/03
  currency: N3/01
  lines:
    each: PO1
    fields:
      lineNumber: PO1/01
      description: BEG/03
      buyerPartNumber: PO1/07
`;

  it('inside a loop (each: PO1) and at the message level, with where the segment lives and how to reach it', async () => {
    const r = await check(tree({ 'partners/nwcomponents.yaml': partner850, 'mappings/nwcomponents/x12-850.inbound.yaml': mapping }));
    // the 850 004010 grammar: BEG is a heading segment; N3 sits only in the N1 loops (heading, SPI, PO1, PO1/SLN)
    expect(r.out).toContain('warning: mappings/nwcomponents/x12-850.inbound.yaml:13:20 not_in_loop: path "BEG/03": BEG is not in loop PO1 per the 850 004010 grammar, so this path finds nothing here; BEG is at the message level (outside every loop) (hint: read it from the loop that holds this one: ../BEG/03)');
    expect(r.out).toContain('warning: mappings/nwcomponents/x12-850.inbound.yaml:8:13 not_in_loop: path "N3/01": N3 is not at the message level per the 850 004010 grammar, so this path finds nothing here; N3 is in loop N1 (within the message, SPI, PO1, PO1/SLN) (hint: name its loop: N1/N3/01 (or **/N3/01))');
    expect(r.code).toBe(0);
  });

  it('in a shared base: the hint says how to change it for one partner only', async () => {
    const r = await check(tree({ 'partners/nwcomponents.yaml': partner850, 'mappings/_base/x12-004010-850.inbound.yaml': mapping }));
    expect(r.out).toContain('warning: mappings/_base/x12-004010-850.inbound.yaml:13:20 not_in_loop: path "BEG/03": BEG is not in loop PO1 per the 850 004010 grammar, so this path finds nothing here; BEG is at the message level (outside every loop) (hint: read it from the loop that holds this one: ../BEG/03; this is the shared base _base/x12-004010-850.inbound.yaml: to change it for one partner only, write mappings/<partner>/x12-850.inbound.yaml with extends: _base/x12-004010-850.inbound.yaml and override that rule there (null removes it))');
  });

  it('paths that do reach their segment are no finding', async () => {
    const fine = mapping.replace('description: BEG/03', 'description: ../BEG/03').replace('currency: N3/01', 'currency: N1/N3/01');
    const r = await check(tree({ 'partners/nwcomponents.yaml': partner850, 'mappings/nwcomponents/x12-850.inbound.yaml': fine }));
    expect(r.out).not.toContain('not_in_loop');
  });
});

describe('edigw check --partner keeps the findings about that partner', () => {
  it('a misspelt folder for it and a misnamed file in its folder', async () => {
    const root = tree({ 'partners/nwcomponents.yaml': nwcomponents, 'mappings/nwcomponent/x12-855.inbound.yaml': po855, 'mappings/nwcomponents/x12-855.inbund.yaml': po855, 'mappings/_base/x12-004010-855.inbound.yaml': po855 });
    const r = await check(root, ['--partner', 'nwcomponents']);
    expect(r.out).toContain('warning: mappings/nwcomponent/x12-855.inbound.yaml:1:1 mapping_folder_unknown');
    expect(r.out).toContain('warning: mappings/nwcomponents/x12-855.inbund.yaml:1:1 mapping_file_name');
  });
});
