/** Channel choice, remote file names and the precise failures of a partner profile that cannot be sent to. */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/clock.ts';
import { silentLogger } from '../../core/logger.ts';
import { delimitersFor } from './envelope.ts';
import { createOutboundSender, outboundFileName } from './send.ts';
import type { OutboundPartner } from './types.ts';

const base: OutboundPartner = { id: 'acme', status: 'production', identifiers: { x12: { qualifier: 'ZZ', id: 'ACMESUPPLY' }, as2: 'ACME-AS2' } };
const sender = createOutboundSender({
  clock: fixedClock('2026-11-23T10:00:00Z'), logger: silentLogger, retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
  fetch: async () => { throw new Error('no network in this test'); },
});
const doc = { fileName: 'a.edi', bytes: Buffer.from('ISA'), contentType: 'application/edi-x12' };

describe('outbound sender', () => {
  it('pickup stores only; a profile without a channel is pickup', async () => {
    expect(await sender.send({ ...base, outbound: { channel: 'pickup' } }, doc)).toMatchObject({ channel: 'pickup', status: 'stored', attempts: 0 });
    expect((await sender.send(base, doc)).channel).toBe('pickup');
  });

  it('sftp without a folder and as2 without our identity fail at once with a precise code', async () => {
    expect(await sender.send({ ...base, outbound: { channel: 'sftp' } }, doc)).toMatchObject({ status: 'failed', code: 'sftp_config_invalid', attempts: 0 });
    expect(await sender.send({ ...base, outbound: { channel: 'as2' }, as2: { url: 'http://127.0.0.1:9/as2' } }, doc)).toMatchObject({ status: 'failed', code: 'as2_identity_missing' });
  });

  it('names files <partner>_<message>_<ISA13>.<ext> or by the profile pattern, never with path characters', () => {
    expect(outboundFileName(base, { poNumber: 'PO-1', message: '850', interchangeControlNumber: '000000042', format: 'x12' }, 'msg_1')).toBe('acme_850_000000042.edi');
    const p = { ...base, outbound: { channel: 'sftp' as const, fileNamePattern: 'PO_{poNumber}.{ext}' } };
    expect(outboundFileName(p, { poNumber: '../etc/PO 7', message: '850', format: 'json' }, 'msg_1')).toBe('PO_.._etc_PO_7.json');
  });

  it('takes the partner\'s X12 delimiters and refuses ones that collide', () => {
    expect(delimitersFor({ ...base, formats: { x12: { elementSeparator: '|', segmentTerminator: '\n' } } }, '004010')).toEqual({ element: '|', component: '>', segment: '\n' });
    expect(() => delimitersFor({ ...base, formats: { x12: { elementSeparator: '>' } } }, '004010')).toThrow(/must all differ/);
  });
});
