/** Partner identification by envelope ids, AS2 id and API key; anti-spoofing; test traffic. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSenderMatches, isTestTraffic, loadGatewayConfig, type CompiledMappingLike, type GatewayConfig } from '../../src/config/index.ts';
import { GatewayError } from '../../src/core/errors.ts';
import { createTempConfig, fakeCompile, type TempConfig } from './support.ts';

let t: TempConfig;
let config: GatewayConfig<CompiledMappingLike>;

beforeAll(() => {
  t = createTempConfig();
  t.write('partners/acme.yaml', [
    'id: acme', 'name: ACME', 'status: production', 'identifiers:',
    '  x12: { qualifier: ZZ, id: ACMESUPPLY }', '  as2: ACME-AS2', 'http: { apiKeyEnv: ACME_KEY }', '',
  ].join('\n'));
  t.write('partners/globex.yaml', [
    'id: globex', 'name: Globex', 'status: test', 'identifiers:',
    '  x12: { qualifier: "01", id: "123456789", gsId: GLOBEXAP }', '  as2: "GLOBEX AS2"', '',
  ].join('\n'));
  t.write('partners/eurotrade.yaml', [
    'id: eurotrade', 'name: EuroTrade', 'status: production', 'identifiers:',
    '  edifact: { id: "4012345000009", qualifier: "14" }', 'http: { apiKeyFile: ./eurotrade.key }', '',
  ].join('\n'));
  t.write('partners/eurotrade.key', 'file-key-123\n');
  const hash = createHash('sha256').update('hashed-key').digest('hex');
  t.write('partners/restco.yaml', ['id: restco', 'name: RestCo', 'status: production', 'identifiers: {}', `http: { apiKeySha256: ${hash} }`, ''].join('\n'));
  const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: { ACME_KEY: 'env-key-abc' }, compile: fakeCompile });
  expect(r.problems).toEqual([]);
  config = r.config!;
});
afterAll(() => t.cleanup());

describe('identification', () => {
  it('by ISA05/ISA06, padded as in the envelope', () => {
    expect(config.byX12('ZZ', 'ACMESUPPLY     ')?.id).toBe('acme');
    expect(config.byX12('01', '123456789      ')?.id).toBe('globex');
    expect(config.byX12('01', 'ACMESUPPLY')).toBeUndefined(); // right id, wrong qualifier
    expect(config.byX12('ZZ', 'NOBODY')).toBeUndefined();
  });

  it('by GS02 (no qualifier): the declared gsId, or the ISA06 when that is the GS02 too', () => {
    expect(config.byX12('', 'GLOBEXAP')?.id).toBe('globex');
    expect(config.byX12('', 'ACMESUPPLY')?.id).toBe('acme');
  });

  it('by EDIFACT UNB sender, with or without the qualifier', () => {
    expect(config.byEdifact('4012345000009', '14')?.id).toBe('eurotrade');
    expect(config.byEdifact('4012345000009')?.id).toBe('eurotrade');
    expect(config.byEdifact('4012345000009', 'ZZ')).toBeUndefined();
  });

  it('by AS2-From (quoted form of an id with a space too)', () => {
    expect(config.byAs2('ACME-AS2')?.id).toBe('acme');
    expect(config.byAs2('"GLOBEX AS2"')?.id).toBe('globex');
    expect(config.byAs2('GLOBEX AS2')?.id).toBe('globex');
    expect(config.byAs2('acme-as2')).toBeUndefined(); // AS2 names are case-sensitive (RFC 4130)
  });

  it('by API key from an env var, a file, or a stored sha256', () => {
    expect(config.byApiKey('env-key-abc')?.id).toBe('acme');
    expect(config.byApiKey('file-key-123')?.id).toBe('eurotrade');
    expect(config.byApiKey('hashed-key')?.id).toBe('restco');
    expect(config.byApiKey('env-key-abd')).toBeUndefined();
    expect(config.byApiKey('')).toBeUndefined();
  });
});

describe('anti-spoofing', () => {
  it("accepts the partner's own sender ids", () => {
    expect(() => assertSenderMatches(config.partner('acme')!, { x12: { qualifier: 'ZZ', id: 'ACMESUPPLY     ' } })).not.toThrow();
    expect(() => assertSenderMatches(config.partner('eurotrade')!, { edifact: { id: '4012345000009', qualifier: '14' } })).not.toThrow();
  });

  it("refuses a partner's key submitting another partner's interchange", () => {
    let err: unknown;
    try { assertSenderMatches(config.partner('acme')!, { x12: { qualifier: '01', id: '123456789' } }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('sender_mismatch');
    expect((err as GatewayError).message).toBe('partner "acme" submitted an interchange whose X12 sender 01/123456789 (ISA05/ISA06) is not its own (ZZ/ACMESUPPLY)');
    expect((err as GatewayError).detail).toMatchObject({ partnerId: 'acme', segment: 'ISA', expected: 'ZZ/ACMESUPPLY', found: '01/123456789' });
  });

  it('refuses an EDIFACT sender from a partner without EDIFACT ids', () => {
    expect(() => assertSenderMatches(config.partner('acme')!, { edifact: { id: '4012345000009', qualifier: '14' } }))
      .toThrow('partner "acme" submitted an interchange whose EDIFACT sender 4012345000009:14 (UNB S002) is not its own (no EDIFACT identifier)');
  });
});

describe('test traffic', () => {
  it('test status, ISA15=T or UNB 0035=1', () => {
    expect(isTestTraffic(config.partner('globex'), {})).toBe(true);
    expect(isTestTraffic(config.partner('acme'), { isa15: 'P' })).toBe(false);
    expect(isTestTraffic(config.partner('acme'), { isa15: 'T' })).toBe(true);
    expect(isTestTraffic(config.partner('eurotrade'), { unb0035: '1' })).toBe(true);
    expect(isTestTraffic(config.partner('eurotrade'), { unb0035: '' })).toBe(false);
  });
});
