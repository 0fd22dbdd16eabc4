import { describe, expect, it } from 'vitest';
import { parseDispositionOptions } from './mdn-options.ts';
import { parseDisposition } from './mdn-parse.ts';
import { parseReceivedMic } from './mic.ts';
import { quoteAs2Id, unquoteAs2Id } from './mdn-build.ts';

describe('Disposition-Notification-Options (RFC 4130 7.3)', () => {
  it('reads the RFC example: optional signed receipt, first supported MIC algorithm', () => {
    expect(parseDispositionOptions('signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha1, md5')).toEqual({ signed: 'optional', micAlgorithm: 'sha1', micLabel: 'sha1' });
  });
  it('reads required + sha-256 spelled with a dash and mixed case', () => {
    expect(parseDispositionOptions('signed-receipt-protocol=required,pkcs7-signature; signed-receipt-micalg=required,SHA-256')).toEqual({ signed: 'required', micAlgorithm: 'sha256', micLabel: 'sha-256' });
  });
  it('notes MIC algorithms we cannot do', () => {
    expect(parseDispositionOptions('signed-receipt-micalg=required, md5').unsupportedMic).toEqual({ importance: 'required', asked: ['md5'] });
  });
  it('no header: unsigned receipt', () => {
    expect(parseDispositionOptions(undefined)).toEqual({});
  });
});

describe('MDN fields', () => {
  it('parses dispositions', () => {
    expect(parseDisposition('automatic-action/MDN-sent-automatically; processed')).toEqual({ raw: 'automatic-action/MDN-sent-automatically; processed', ok: true });
    expect(parseDisposition('automatic-action/MDN-sent-automatically; processed/error: decryption-failed')).toMatchObject({ ok: false, modifier: 'error: decryption-failed' });
    expect(parseDisposition('automatic-action/MDN-sent-automatically; failed/Failure: unsupported format').ok).toBe(false);
  });
  it('parses Received-Content-MIC', () => {
    expect(parseReceivedMic('bIwxkbRLLtHWlniKxMReISQ/GvEve0LV/hxdl9OD0E8=, sha-256')).toEqual({ value: 'bIwxkbRLLtHWlniKxMReISQ/GvEve0LV/hxdl9OD0E8=', label: 'sha-256' });
  });
  it('quotes AS2 ids with spaces (RFC 4130 6.2) and unquotes them', () => {
    expect(quoteAs2Id('ACME-AS2')).toBe('ACME-AS2');
    expect(quoteAs2Id('ACME Supply')).toBe('"ACME Supply"');
    expect(unquoteAs2Id('"ACME Supply"')).toBe('ACME Supply');
  });
});
