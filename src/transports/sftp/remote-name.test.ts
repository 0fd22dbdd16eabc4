import { describe, expect, it } from 'vitest';
import { compileGlob, printableName, unsafeNameReason } from './remote-name.ts';

describe('unsafeNameReason', () => {
  it('accepts ordinary EDI file names', () => {
    for (const name of ['PO_0001.edi', 'invoice 2026-11-23.x12', 'ÄCME-Lieferschein.xml', '..hidden-but-harmless', 'a'.repeat(255)]) {
      expect(unsafeNameReason(name)).toBeUndefined();
    }
  });

  it('refuses names that climb out of the folder or hide a path', () => {
    expect(unsafeNameReason('../etc/passwd')).toMatch(/"\/"/);
    expect(unsafeNameReason('/etc/passwd')).toMatch(/"\/"/);
    expect(unsafeNameReason('..')).toMatch(/directory reference/);
    expect(unsafeNameReason('.')).toMatch(/directory reference/);
    expect(unsafeNameReason('..\\windows\\win.ini')).toMatch(/Windows/);
    expect(unsafeNameReason('')).toBe('empty name');
  });

  it('refuses NUL and control characters, naming the character', () => {
    expect(unsafeNameReason('po.edi\u0000.txt')).toBe('contains NUL');
    expect(unsafeNameReason('po\n.edi')).toBe('contains control character U+000A');
    expect(unsafeNameReason('po\r.edi')).toBe('contains control character U+000D');
    expect(unsafeNameReason('\u001b[2Jpo.edi')).toBe('contains control character U+001B');
    expect(unsafeNameReason('po\u007f.edi')).toBe('contains control character U+007F');
    expect(unsafeNameReason('po\u009b.edi')).toBe('contains control character U+009B');
  });

  it('refuses names longer than 255 bytes of UTF-8', () => {
    expect(unsafeNameReason('é'.repeat(128))).toBe('longer than 255 bytes');
  });

  it('printableName escapes what a log line must not contain', () => {
    expect(printableName('a\nb\u001b"c')).toBe('a\\nb\\u001b\\"c');
  });
});

describe('compileGlob', () => {
  it('* matches everything but hidden files', () => {
    const all = compileGlob('*');
    expect(all('PO1.edi')).toBe(true);
    expect(all('.PO1.edi.part')).toBe(false);
  });

  it('supports extensions, ?, classes and alternatives, whole-name and case-sensitive', () => {
    const edi = compileGlob('*.{edi,x12}');
    expect(['a.edi', 'b.x12', 'c.EDI', 'd.edi.bak', 'x12'].map(edi)).toEqual([true, true, false, false, false]);
    const dated = compileGlob('INV_20??[01][0-9]*.csv');
    expect(dated('INV_202611_01.csv')).toBe(true);
    expect(dated('INV_202621_01.csv')).toBe(false);
    const notTmp = compileGlob('[!~]*');
    expect(notTmp('~lock')).toBe(false);
    expect(notTmp('order')).toBe(true);
  });

  it('treats regex characters in the pattern literally', () => {
    const g = compileGlob('po(1)+.edi');
    expect(g('po(1)+.edi')).toBe(true);
    expect(g('po11.edi')).toBe(false);
  });

  it('a pattern starting with a dot may match hidden files', () => {
    expect(compileGlob('.*.edi')('.a.edi')).toBe(true);
  });
});
