import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { writeEdifact, type EdifactWriteInput } from './writer.ts';
import { parseEdifact, type EdifactInterchange } from './reader.ts';
import type { WireTree } from '../wire.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/edifact');

const tree: WireTree = {
  standard: 'edifact', message: 'ORDERS', version: 'D96A',
  root: { loop: 'ORDERS', children: [
    { tag: 'BGM', elements: [['220'], 'PO+1', '9'], position: 2 },
    { tag: 'DTM', elements: [['137', '20261120', '102']], position: 3 },
    { loop: 'SG2', children: [{ tag: 'NAD', elements: ['BY', ['4012345000009', '', '9'], '', ["O'Brien: Café?"]], position: 4 }] },
    { tag: 'UNS', elements: ['S'], position: 5 },
  ] },
};
const header: EdifactWriteInput['header'] = {
  syntax: { id: 'UNOC', version: '3' }, sender: { id: 'GATEWAY', qualifier: 'ZZZ' }, recipient: { id: 'ACME', qualifier: '14' },
  date: '261120', time: '0930', controlReference: '42', testIndicator: false,
};
const msgHeader = { reference: '1', type: 'ORDERS', version: 'D', release: '96A', agency: 'UN' };

describe('writeEdifact', () => {
  it('writes envelope, escapes service characters with the release character and counts segments', () => {
    const out = Buffer.from(writeEdifact({ header, messages: [{ header: msgHeader, tree }], lineEnding: '\n' })).toString('latin1');
    expect(out).toBe([
      "UNB+UNOC:3+GATEWAY:ZZZ+ACME:14+261120:0930+42'",
      "UNH+1+ORDERS:D:96A:UN'",
      "BGM+220+PO?+1+9'",
      "DTM+137:20261120:102'",
      "NAD+BY+4012345000009::9++O?'Brien?: Caf\u00e9??'",
      "UNS+S'",
      "UNT+6+1'",
      "UNZ+1+42'", ''].join('\n'));
  });

  it('writes UNA when separators differ, encodes the syntax character set, and reads back identically', () => {
    const bytes = writeEdifact({ header, separators: { element: '*', component: '=', segment: '~' }, messages: [{ header: msgHeader, tree }] });
    expect(Buffer.from(bytes).subarray(0, 9).toString('latin1')).toBe('UNA=*.? ~');
    expect(bytes.includes(0xe9)).toBe(true); // é as one ISO 8859-1 byte
    const [ic] = parseEdifact(bytes) as [EdifactInterchange];
    expect(ic.errors).toEqual([]);
    const nad = (ic.messages[0]!.tree.root.children[3] as { children: Array<{ elements: unknown[] }> }).children[0]!;
    expect(nad.elements[3]).toEqual(["O'Brien: Café?"]);
  });

  it('writes groups with UNE counts and UNZ counting groups', () => {
    const out = Buffer.from(writeEdifact({ header, groups: [{ header: { groupId: 'ORDERS', reference: 'G7', controllingAgency: 'UN', messageVersion: { version: 'D', release: '96A' } }, messages: [{ header: msgHeader, tree }, { header: { ...msgHeader, reference: '2' }, tree }] }] })).toString('latin1');
    expect(out).toContain("UNG+ORDERS++++G7+UN+D:96A'");
    expect(out).toContain("UNE+2+G7'UNZ+1+42'");
  });

  it('writes and reads back Cyrillic (UNOE, ISO 8859-5), Greek (UNOF, ISO 8859-7) and UTF-8 (UNOW, UNOY)', () => {
    const cases: Array<[string, string, number[]]> = [
      ['UNOE', 'Москва', [0xbc, 0xde]], ['UNOF', 'Αθήνα', [0xc1]], ['UNOW', 'Łódź 東京', [0xc5, 0x81]], ['UNOY', 'Ελλάδα', [0xce]],
    ];
    for (const [syntax, name, someBytes] of cases) {
      const t: WireTree = { ...tree, root: { loop: 'ORDERS', children: [{ tag: 'NAD', elements: ['BY', '', '', [name]], position: 2 }] } };
      const bytes = Buffer.from(writeEdifact({ header: { ...header, syntax: { id: syntax, version: '3' } }, messages: [{ header: msgHeader, tree: t }] }));
      for (const b of someBytes) expect(bytes.includes(b), `${syntax} byte ${b.toString(16)}`).toBe(true);
      const [ic] = parseEdifact(bytes, { grammars: null }) as [EdifactInterchange];
      expect((ic.messages[0]!.tree.root.children[1] as { elements: unknown[] }).elements[3], syntax).toEqual(name);
    }
  });

  it('refuses characters the syntax identifier cannot carry', () => {
    expect(() => writeEdifact({ header: { ...header, syntax: { id: 'UNOA', version: '3' } }, messages: [{ header: msgHeader, tree }] }))
      .toThrowError(expect.objectContaining({ code: 'edifact_unencodable_character', detail: expect.objectContaining({ found: 'é', segment: 'NAD' }) }));
  });

  it('round-trips every hand-written fixture byte for byte (write(read(x)) === x)', () => {
    for (const f of fs.readdirSync(fixtures).filter((x) => x.endsWith('.edi'))) {
      const raw = fs.readFileSync(path.join(fixtures, f));
      const [ic] = parseEdifact(raw) as [EdifactInterchange];
      const out = writeEdifact({ header: ic.header, separators: ic.header.separators, una: ic.header.una ? 'always' : 'never', messages: ic.messages, lineEnding: '\n' });
      expect(Buffer.from(out).equals(raw), f).toBe(true);
    }
  });
});
