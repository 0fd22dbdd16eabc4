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
