/** SFTP credentials and the AS2 policy resolved from a profile, as the transports take them. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAs2PartnerLookup, loadGatewayConfig, sftpSecretsFor, type CompiledMappingLike, type GatewayConfig } from '../../src/config/index.ts';
import { GatewayError } from '../../src/core/errors.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';
import { createPki } from '../as2/openssl.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());

const hostKey = 'SHA256:HZ9w5EmKzokcMSGxv0eqTzRDytcc51nETQEgq6P5yLg';
function load(env: Record<string, string> = {}): GatewayConfig<CompiledMappingLike> {
  const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env, compile: fakeCompile });
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return r.config!;
}

describe('transport secrets', () => {
  it('SFTP: key file read relative to the profile; password from the env reference', () => {
    t.write('partners/keys/acme_ed25519', 'KEY MATERIAL');
    t.write('partners/acme.yaml', profile('acme', `sftp: { host: h, username: u, privateKeyFile: ./keys/acme_ed25519, hostKeySha256: "${hostKey}", inbox: /out }\n`));
    t.write('partners/beta.yaml', profile('beta', `sftp: { host: h, username: u, passwordEnv: BETA_PW, hostKeySha256: "${hostKey}", inbox: /out }\n`));
    const c = load({ BETA_PW: 'pw-from-env' });
    expect(sftpSecretsFor(c.partner('acme')!)?.privateKey?.toString()).toBe('KEY MATERIAL');
    expect(sftpSecretsFor(c.partner('beta')!)).toEqual({ password: 'pw-from-env' });
  });

  it('SFTP: a key file that cannot be read is a precise error', () => {
    t.write('partners/acme.yaml', profile('acme', `sftp: { host: h, username: u, privateKeyFile: ./gone, hostKeySha256: "${hostKey}", inbox: /out }\n`));
    const partner = load().partner('acme')!;
    expect(() => sftpSecretsFor(partner)).toThrow(GatewayError);
    expect(() => sftpSecretsFor(partner)).toThrow(`partner "acme": sftp.privateKeyFile ${t.partnersDir}/gone cannot be read (ENOENT)`);
  });

  it('AS2: policy with both rotation certificates; signing and encryption required unless turned off', () => {
    // real certificates (openssl): the files are read as certificates now, PEM or DER
    const pki = createPki();
    const [a, b] = [pki.party('a'), pki.party('b')];
    t.write('partners/certs/a.pem', a.certPem);
    t.write('partners/certs/b.pem', `Bag Attributes\n    friendlyName: b\n${b.certPem}`);
    t.write('partners/acme.yaml', profile('acme', '  as2: ACME-AS2\nas2: { certificates: [./certs/a.pem, ./certs/b.pem], requireEncrypted: false }\n'));
    const c = load();
    const find = createAs2PartnerLookup(() => c);
    expect(find('ACME-AS2')).toEqual({ partnerId: 'acme', certificatesPem: [a.certPem, b.certPem], requireSigned: true, requireEncrypted: false, onMessageIdReuse: 'reject', profile: 'legacy', certificateProblems: 'warn' });
    expect(find('SOMEONE-ELSE')).toBeUndefined();
    pki.cleanup();
  });
});
