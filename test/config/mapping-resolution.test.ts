/** Most-specific mapping first; nearest base version; every mapping compiled (and refused) at load. */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());

const m = (format: string, message: string, direction = 'inbound', version?: string) =>
  `format: ${format}\nmessage: "${message}"\n${version ? `version: "${version}"\n` : ''}direction: ${direction}\n`;

function load() {
  const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return r.config!;
}
const fileOf = (x: { file: string } | undefined) => x?.file;

describe('mapping resolution', () => {
  it('explicit profile entry > partner versioned > partner > base exact version > base nearest > base version-less', () => {
    t.write('partners/acme.yaml', profile('acme', 'mappings:\n  x12-856.inbound: ../mappings/acme/special-asn.inbound.yaml\n'));
    t.write('partners/beta.yaml', profile('beta'));
    t.write('mappings/acme/special-asn.inbound.yaml', m('x12', '856'));
    t.write('mappings/acme/x12-810.inbound.yaml', m('x12', '810'));
    t.write('mappings/acme/x12-004010-810.inbound.yaml', m('x12', '810', 'inbound', '004010'));
    t.write('mappings/_base/x12-004010-856.inbound.yaml', m('x12', '856', 'inbound', '004010'));
    t.write('mappings/_base/x12-004010-810.inbound.yaml', m('x12', '810', 'inbound', '004010'));
    t.write('mappings/_base/x12-004030-810.inbound.yaml', m('x12', '810', 'inbound', '004030'));
    t.write('mappings/_base/csv-ship_notice.inbound.yaml', m('csv', 'ship_notice'));
    const c = load();
    const x12 = (message: string, version: string) => ({ format: 'x12', message, version, direction: 'inbound' as const });
    expect(fileOf(c.mappingFor('acme', x12('856', '004010')))).toBe('acme/special-asn.inbound.yaml');
    expect(fileOf(c.mappingFor('acme', x12('810', '004010')))).toBe('acme/x12-004010-810.inbound.yaml');
    expect(fileOf(c.mappingFor('acme', x12('810', '005010')))).toBe('acme/x12-810.inbound.yaml');
    expect(fileOf(c.mappingFor('beta', x12('856', '004010')))).toBe('_base/x12-004010-856.inbound.yaml');
    expect(fileOf(c.mappingFor('beta', x12('810', '004030')))).toBe('_base/x12-004030-810.inbound.yaml');
    expect(fileOf(c.mappingFor('beta', x12('810', '003050')))).toBe('_base/x12-004010-810.inbound.yaml');
    expect(fileOf(c.mappingFor(undefined, x12('856', '004010VICS')))).toBe('_base/x12-004010-856.inbound.yaml');
    expect(fileOf(c.mappingFor('beta', { format: 'csv', message: 'ship_notice', direction: 'inbound' }))).toBe('_base/csv-ship_notice.inbound.yaml');
    expect(c.mappingFor('beta', { format: 'csv', message: 'ship_notice', direction: 'outbound' })).toBeUndefined();
    expect(c.mappingFor('beta', x12('856', '005010'))).toBeUndefined();
  });

  it('X12 version bands: 002000-004060 -> the nearest base of the band, 005010x -> 005010, outside -> none', () => {
    t.write('mappings/_base/x12-004010-850.outbound.yaml', m('x12', '850', 'outbound', '004010'));
    t.write('mappings/_base/x12-005010-850.outbound.yaml', m('x12', '850', 'outbound', '005010'));
    const c = load();
    const at = (version: string) => fileOf(c.mappingFor(undefined, { format: 'x12', message: '850', version, direction: 'outbound' }));
    expect(at('003040')).toBe('_base/x12-004010-850.outbound.yaml');
    expect(at('004060')).toBe('_base/x12-004010-850.outbound.yaml');
    expect(at('005010X222A1')).toBe('_base/x12-005010-850.outbound.yaml');
    expect(at('003030')).toBe('_base/x12-004010-850.outbound.yaml');
    expect(at('001000')).toBeUndefined();
    expect(at('004070')).toBeUndefined();
    expect(at('006020')).toBeUndefined();
  });

  it('X12 002040..004060 -> the nearest base present in the band (issue 14: 002040 and 003060 read through a 003010 base)', () => {
    t.write('mappings/_base/x12-003010-850.inbound.yaml', m('x12', '850', 'inbound', '003010'));
    t.write('mappings/_base/x12-004010-850.inbound.yaml', m('x12', '850', 'inbound', '004010'));
    const c = load();
    const at = (version: string) => fileOf(c.mappingFor(undefined, { format: 'x12', message: '850', version, direction: 'inbound' }));
    expect(at('002040')).toBe('_base/x12-003010-850.inbound.yaml');
    expect(at('003060')).toBe('_base/x12-003010-850.inbound.yaml'); // 50 from 003010, 950 from 004010
    expect(at('004030')).toBe('_base/x12-004010-850.inbound.yaml');
    expect(at('004060')).toBe('_base/x12-004010-850.inbound.yaml');
  });

  it('EDIFACT directories -> the nearest base present; file names match case-insensitively', () => {
    t.write('mappings/_base/edifact-d96a-desadv.inbound.yaml', m('edifact', 'DESADV', 'inbound', 'D96A'));
    t.write('mappings/_base/edifact-d01b-desadv.inbound.yaml', m('edifact', 'DESADV', 'inbound', 'D01B'));
    const c = load();
    const at = (version: string) => fileOf(c.mappingFor(undefined, { format: 'edifact', message: 'DESADV', version, direction: 'inbound' }));
    expect(at('D96A')).toBe('_base/edifact-d96a-desadv.inbound.yaml');
    expect(at('D:96A')).toBe('_base/edifact-d96a-desadv.inbound.yaml');
    expect(at('D93A')).toBe('_base/edifact-d96a-desadv.inbound.yaml');
    expect(at('D98B')).toBe('_base/edifact-d96a-desadv.inbound.yaml'); // 98B is 3 releases from 96A, 6 from 01B
    expect(at('D99B')).toBe('_base/edifact-d01b-desadv.inbound.yaml'); // 4 releases from 01B, 7 from 96A
    expect(at('D03B')).toBe('_base/edifact-d01b-desadv.inbound.yaml');
    expect(at('D04A')).toBe('_base/edifact-d01b-desadv.inbound.yaml'); // the codec reads it with D03B, groups renamed to the base's
    expect(at('D92B')).toBe('_base/edifact-d96a-desadv.inbound.yaml');
    expect(at('2912')).toBeUndefined(); // not a D directory
  });

  it('extends: loads the base through load(), by its name relative to the mappings root', () => {
    t.write('partners/acme.yaml', profile('acme'));
    t.write('mappings/_base/x12-004010-856.inbound.yaml', m('x12', '856', 'inbound', '004010'));
    t.write('mappings/acme/x12-856.inbound.yaml', 'extends: _base/x12-004010-856.inbound.yaml\n');
    const found = load().mappingFor('acme', { format: 'x12', message: '856', version: '004010', direction: 'inbound' });
    expect(found).toMatchObject({ file: 'acme/x12-856.inbound.yaml', format: 'x12', message: '856', version: '004010' });
  });

  it('every mapping is compiled at load: a broken one is refused with its location, even if unused', () => {
    t.write('partners/acme.yaml', profile('acme'));
    const f = t.write('mappings/zeta/x12-810.inbound.yaml', m('x12', '810') + 'broken: yes\n');
    const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => p.text)).toEqual([
      `${f}:4:1 unknown_field: unknown canonical field "broken" (hint: did you mean "lines"?)`,
    ]);
  });

  it('an explicit mapping file that does not exist is an error', () => {
    const p = t.write('partners/acme.yaml', profile('acme', 'mappings:\n  x12-856.inbound: ./nowhere.yaml\n'));
    const missing = path.join(t.partnersDir, 'nowhere.yaml');
    const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
    expect(r.problems.map((x) => x.text)).toEqual([`${missing}:1:1 mapping_file_missing: mapping file ${missing} cannot be read`]);
    expect(p).toBeTruthy();
  });

  it('a declared document without a mapping is a warning naming the file to add', () => {
    const p = t.write('partners/acme.yaml', profile('acme', 'documents:\n  inbound:\n    - { type: ship_notice, format: x12, message: "856", version: "004010" }\n'));
    const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
    expect(r.config).toBeDefined();
    expect(r.problems.map((x) => [x.severity, x.text])).toEqual([[
      'warning',
      `${p}:8:7 mapping_resolves: no mapping found for inbound x12 856 004010 (hint: add mappings/acme/x12-856.inbound.yaml or a base mapping under mappings/_base/)`,
    ]]);
  });

  it('fixturesDir: fixtures/<partner>/ beside partners/', () => {
    t.write('partners/acme.yaml', profile('acme'));
    expect(load().fixturesDir('acme')).toBe(path.join(t.root, 'fixtures', 'acme'));
  });
});
