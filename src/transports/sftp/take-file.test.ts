import { describe, expect, it } from 'vitest';
import { archiveCandidate, isConnectionLost } from './take-file.ts';

describe('archiveCandidate', () => {
  it('keeps the name first, then adds ~n before the extension', () => {
    expect([0, 1, 2].map((n) => archiveCandidate('PO_1.edi', n))).toEqual(['PO_1.edi', 'PO_1~1.edi', 'PO_1~2.edi']);
    expect(archiveCandidate('README', 3)).toBe('README~3');
    expect(archiveCandidate('.profile', 1)).toBe('.profile~1');
    expect(archiveCandidate('a.tar.gz', 1)).toBe('a.tar~1.gz');
  });
});

describe('isConnectionLost', () => {
  it('recognises ssh2-sftp-client messages for a dead session and nothing else', () => {
    expect(isConnectionLost(Object.assign(new Error('get: Unexpected close event'), { code: 'ERR_GENERIC_CLIENT' }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('get: No such file /in/a.edi'), { code: 2 }))).toBe(false);
    expect(isConnectionLost(new Error('database is locked'))).toBe(false);
  });
});
