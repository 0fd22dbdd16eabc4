/**
 * Decimal comma on the way out: a partner whose UNA says ',' gets ',' in numeric (class n) data
 * elements and nowhere else. Expected segments written by hand from the D96A directory:
 * QTY C186 = 6063 an..3, 6060 n..15, 6411 an..3; PRI C509 = 5125 an..3, 5118 n..15, ...;
 * MOA C516 = 5025 an..3, 5004 n..18, 6345 an..3; PAC 7224 n..8; NAD 3042 an..35; RFF 1154 an..35.
 */
import { describe, expect, it } from 'vitest';
import { directorySegments } from './grammars/directories.ts';
const SEGMENTS_D96A = directorySegments('D96A')!;
import { parseEdifact, type EdifactInterchange } from './reader.ts';
import { writeEdifact, type EdifactWriteInput } from './writer.ts';
import type { WireTree } from '../wire.ts';

const tree: WireTree = {
  standard: 'edifact', message: 'ORDERS', version: 'D96A',
  root: { loop: 'ORDERS', children: [
    { tag: 'BGM', elements: [['220'], 'PO-1.5', '9'], position: 2 },
    { tag: 'DTM', elements: [['137', '20261120', '102']], position: 3 },
    { tag: 'RFF', elements: [['CT', '2.1']], position: 3 },
    { loop: 'SG2', children: [{ tag: 'NAD', elements: ['ST', '', '', ['Lager'], ['Industriestr. 9'], 'Augsburg'], position: 4 }] },
    { loop: 'SG25', children: [
      { tag: 'LIN', elements: ['1'], position: 5 },
      { tag: 'QTY', elements: [['21', '12.5', 'PCE']], position: 6 },
      { tag: 'QTY', elements: [['21', '12', 'PCE']], position: 7 },
      { loop: 'SG28', children: [{ tag: 'PRI', elements: [['AAA', '10.25']], position: 8 }] },
      { tag: 'PAC', elements: ['3'], position: 9 },
    ] },
    { tag: 'UNS', elements: ['S'], position: 10 },
    { tag: 'MOA', elements: [['79', '-3.5', 'EUR']], position: 11 },
  ] },
};
const header: EdifactWriteInput['header'] = {
  syntax: { id: 'UNOC', version: '3' }, sender: { id: 'GATEWAY', qualifier: 'ZZZ' }, recipient: { id: 'ACME', qualifier: '14' },
  date: '261120', time: '0930', controlReference: '42', testIndicator: false,
};
const msgHeader = { reference: '1', type: 'ORDERS', version: 'D', release: '96A', agency: 'UN' };
const write = (input: Partial<EdifactWriteInput>) => Buffer.from(writeEdifact({ header, lineEnding: '\n', ...input })).toString('latin1').split('\n');

describe('decimal mark on output', () => {
  it('with a decimal comma, numeric elements get "," and UNA announces it; text elements keep their "."', () => {
    const segs = write({ separators: { decimal: ',' }, messages: [{ header: msgHeader, tree, segments: SEGMENTS_D96A }] });
    expect(segs[0]).toBe("UNA:+,? '");
    expect(segs).toContain("QTY+21:12,5:PCE'");
    expect(segs).toContain("QTY+21:12:PCE'");
    expect(segs).toContain("PRI+AAA:10,25'");
    expect(segs).toContain("MOA+79:-3,5:EUR'");
    expect(segs).toContain("PAC+3'");
    expect(segs).toContain("BGM+220+PO-1.5+9'");
    expect(segs).toContain("RFF+CT:2.1'");
    expect(segs).toContain("NAD+ST+++Lager+Industriestr. 9+Augsburg'");
  });

  it('reads back without errors: the reader\'s numeric check accepts the comma', () => {
    const bytes = writeEdifact({ header, separators: { decimal: ',' }, messages: [{ header: msgHeader, tree, segments: SEGMENTS_D96A }] });
    const [ic] = parseEdifact(bytes) as [EdifactInterchange];
    expect(ic.errors).toEqual([]);
    expect(ic.messages[0]!.errors).toEqual([]);
  });

  it('with the default ".", or without a segment directory, values are written as they are', () => {
    const dot = write({ messages: [{ header: msgHeader, tree, segments: SEGMENTS_D96A }] });
    expect(dot[0]).toBe("UNB+UNOC:3+GATEWAY:ZZZ+ACME:14+261120:0930+42'");
    expect(dot).toContain("QTY+21:12.5:PCE'");
    const noDirectory = write({ separators: { decimal: ',' }, messages: [{ header: msgHeader, tree }] });
    expect(noDirectory[0]).toBe("UNA:+,? '");
    expect(noDirectory).toContain("QTY+21:12.5:PCE'");
  });
});
