/**
 * Hostile and broken configuration YAML is a located problem, never an exception: partner
 * profiles and mapping files go through one guarded read + parse (size, UTF-8, control
 * characters, nesting bound before the parser, aliases checked). Includes hand-made
 * reproductions of the fuzz findings (fuzz/crashes/partner-yaml-*.bin, mapping-yaml-*.bin).
 * Lines and columns were counted by hand in the texts below.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { compileMappings } from '../../src/config/mapping-files.ts';
import { createMappingCompiler } from '../../src/pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../../src/pipeline/inbound/grammars.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());

const load = () => loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
/** `file:line:col rule` of every problem: what the tests pin (messages are checked where they matter) */
const where = (r: { problems: Array<{ file: string; line: number; col: number; rule: string }> }) => r.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.rule}`);

describe('partner profile YAML', () => {
  it('an alias to no anchor (name: *nothere) is a problem at the alias, not a thrown ReferenceError', () => {
    const f = t.write('partners/acme.yaml', profile('acme').replace('name: Partner acme', 'name: *nothere'));
    const r = load();
    expect(r.config).toBeUndefined();
    expect(r.problems.map((p) => p.text)).toEqual([
      `${f}:2:7 yaml_alias_unknown: alias *nothere names no anchor defined before it (hint: define &nothere earlier in the file, or quote the value if "*" is meant literally)`,
    ]);
  });

  it('10,000 nested [ are refused at the 65th bracket, before the parser sees them', () => {
    // "name: " is 6 columns: the 65th "[" is column 71 (65 open brackets alone are past 64 levels)
    const f = t.write('partners/acme.yaml', `id: acme\nname: ${'['.repeat(10_000)}\n`);
    const r = load();
    expect(r.problems.map((p) => p.text)).toEqual([
      `${f}:2:71 yaml_too_deep: nesting deeper than 64 levels (hint: configuration is a few levels deep; check for unclosed [ or { or runaway indentation)`,
    ]);
  });

  it('deep block nesting (fuzz partner-yaml-99caf5e5fc4e: 1,156 levels) is refused the same way', () => {
    // line 7 holds 1,156 nested block sequences "- - - ...": the 65th "-" (column 1 + 2 x 64 = 129)
    // is past 64 levels on its own
    const f = t.write('partners/acme.yaml', `${profile('acme')}notes:\n${'- '.repeat(1156)}x\n`);
    expect(where(load())).toEqual([`${f}:7:129 yaml_too_deep`]);
  });

  it('nested maps under long keys count every level (indentation shorter than the key)', () => {
    // line n+1 is key n indented 2n; the map at line k is level k, so level 65 is line 65, column 129
    const lines = Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}key${String(i).padStart(4, '0')}:`);
    const f = t.write('partners/acme.yaml', `${lines.join('\n')} x\n`);
    expect(where(load())).toEqual([`${f}:65:129 yaml_too_deep`]);
  });

  it('pairs inside a flow sequence are maps of their own: [a: [a: ... counts two levels per bracket', () => {
    // "name: " is 6 columns and "[a: " 4: the k-th "[" (column 7 + 4(k - 1)) is level 2k, its pair's map
    // level 2k + 1. So the 33rd "[", column 135, is level 66: the first bracket past 64 (its parent map is 65)
    const f = t.write('partners/acme.yaml', `id: acme\nname: ${'[a: '.repeat(40)}x\n`);
    expect(where(load())).toEqual([`${f}:2:135 yaml_too_deep`]);
  });

  it('a binary file under a .yaml name: not UTF-8, at its first bad byte', () => {
    const f = t.write('partners/acme.yaml', '');
    writeFileSync(f, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    expect(load().problems.map((p) => p.text)).toEqual([
      `${f}:1:1 file_not_utf8: byte 0x89 at offset 0 is not UTF-8 (hint: configuration files are UTF-8 text; is this a binary file?)`,
    ]);
  });

  it('a byte 0x80 inside a line (fuzz partner-yaml-99caf5e5fc4e) is located by line and character column', () => {
    const f = t.write('partners/acme.yaml', '');
    // line 2 is "name: Ärger" + 0x80: Ä is 2 bytes but 1 column, so the bad byte is column 12
    writeFileSync(f, Buffer.concat([Buffer.from('id: acme\nname: Ärger'), Buffer.from([0x80]), Buffer.from('\n')]));
    expect(where(load())).toEqual([`${f}:2:12 file_not_utf8`]);
  });

  it('a NUL or other control character in valid UTF-8 is refused where it stands', () => {
    const f = t.write('partners/acme.yaml', profile('acme').replace('name: Partner acme', 'name: A\u0000B'));
    expect(load().problems.map((p) => p.text)).toEqual([
      `${f}:2:8 yaml_control_character: control character U+0000 is not allowed in YAML (hint: write it as an escape inside a double-quoted string ("\\u0001"), or check the file is not binary)`,
    ]);
  });

  it('an alias bomb stops at the alias limit, located at the first alias', () => {
    let text = 'id: acme\nname: ACME\nstatus: production\nidentifiers: {}\nx0: &x0 [a,a,a,a,a,a,a,a,a,a]\n';
    for (let i = 1; i <= 6; i++) text += `x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]\n`;
    const f = t.write('partners/acme.yaml', text);
    // line 6 is "x1: &x1 [*x0, ...": the first alias is column 10
    const r = load();
    expect(where(r)).toEqual([`${f}:6:10 yaml_alias_limit`]);
  });

  it('an alias inside its own anchor is a problem, not a circular value', () => {
    const f = t.write('partners/acme.yaml', 'id: acme\nname: &n [*n]\n');
    expect(where(load())).toEqual([`${f}:2:11 yaml_alias_cycle`]);
  });

  it('a duplicate key is located at its second occurrence', () => {
    const f = t.write('partners/acme.yaml', profile('acme').replace('status: production', 'status: production\nname: Again'));
    expect(where(load())).toEqual([`${f}:4:1 yaml_duplicate_key`]);
  });

  it('a file over the size limit is refused before it is read', () => {
    const f = t.write('partners/acme.yaml', `${profile('acme')}notes: "${'x'.repeat(300 * 1024)}"\n`);
    expect(where(load())).toEqual([`${f}:1:1 file_too_large`]);
  });

  it('a syntax error keeps its place, with a stable rule', () => {
    const f = t.write('partners/acme.yaml', 'id: acme\nname: [ACME\n');
    const r = load();
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.file === f && p.rule === 'yaml_syntax' && p.line >= 2)).toBe(true);
  });
});

describe('mapping YAML (the real mapping compiler)', () => {
  const compile = createMappingCompiler(grammarFor);
  const compileOne = (name: string, text: string | Buffer) => {
    const f = t.write(`mappings/${name}`, '');
    writeFileSync(f, text);
    return { f, r: compileMappings([f], t.mappingsDir, compile) };
  };

  it('deep nesting (fuzz mapping-yaml-4dc9a330604f: 3,484 levels, a RangeError before) is a located problem', () => {
    const { f, r } = compileOne('fuzz/x12-004010-850.outbound.yaml',
      `format: x12\nmessage: "850"\nversion: "004010"\ndirection: outbound\ndocument: purchase_order\nfields: ${'['.repeat(3484)}\n`);
    // line 6 "fields: " is 8 columns: the 65th "[" is column 73
    expect(r.mappings.size).toBe(0);
    expect(where(r)).toEqual([`${f}:6:73 yaml_too_deep`]);
  });

  it('an alias in a mapping is refused (the mapping language has none and would read it as null)', () => {
    const { f, r } = compileOne('fuzz/x12-004010-850.inbound.yaml',
      'format: x12\nmessage: "850"\nversion: "004010"\ndirection: inbound\ndocument: purchase_order\nfields:\n  poNumber: *po\n');
    expect(where(r)).toEqual([`${f}:7:13 yaml_alias_unsupported`]);
  });

  it('a binary mapping file is not UTF-8, located', () => {
    const { f, r } = compileOne('fuzz/x12-004010-850.inbound.yaml', Buffer.from([0x66, 0x6f, 0x0a, 0xff, 0xfe]));
    expect(where(r)).toEqual([`${f}:2:1 file_not_utf8`]);
  });

  it('an extends: target that is binary is named at the extends line', () => {
    const base = t.write('mappings/_base/bad.inbound.yaml', '');
    writeFileSync(base, Buffer.from([0xc3, 0x28]));
    const { f, r } = compileOne('fuzz/x12-004010-850.inbound.yaml', 'extends: _base/bad.inbound.yaml\nfields: {}\n');
    expect(where(r)).toEqual([`${f}:1:10 extends_missing`]);
    expect(r.problems[0]!.message).toContain('file_not_utf8');
  });
});
