/**
 * A partner whose secret environment variable is not set is loaded without that secret: the rest of
 * the configuration (and every other partner) works; what that partner loses is said precisely.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig, missingSecrets, sftpSecretsFor, unresolvedApiKeysReason, type CompiledMappingLike, type GatewayConfig } from '../../src/config/index.ts';
import { GatewayError } from '../../src/core/errors.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());

const hostKey = 'SHA256:HZ9w5EmKzokcMSGxv0eqTzRDytcc51nETQEgq6P5yLg';
function load(env: Record<string, string> = {}): GatewayConfig<CompiledMappingLike> {
  const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env, compile: fakeCompile });
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return r.config!;
}

describe('a partner whose secret variable is unset', () => {
  it('HTTP: its key is not known, so nothing it presents authenticates; other partners keep theirs', () => {
    t.write('partners/acme.yaml', profile('acme', 'http: { apiKeyEnv: ACME_API_KEY }\n'));
    t.write('partners/beta.yaml', profile('beta', 'http: { apiKeyEnv: BETA_API_KEY }\n'));
    const c = load({ BETA_API_KEY: 'beta-key' });
    expect(c.byApiKey('beta-key')?.id).toBe('beta');
    // an unset variable must never become the empty key (or the string "undefined")
    expect(c.byApiKey('')).toBeUndefined();
    expect(c.byApiKey('undefined')).toBeUndefined();
    expect(c.byApiKey('ACME_API_KEY')).toBeUndefined();
    expect(missingSecrets(c.partners)).toEqual([
      { partnerId: 'acme', field: 'http.apiKey', env: 'ACME_API_KEY', effect: 'it cannot authenticate over HTTP (its API key is refused with 401)' },
    ]);
    expect(unresolvedApiKeysReason(c.partners)).toBe('the key matches no partner; partner "acme" has no API key because ACME_API_KEY is not set');
  });

  it('every partner resolved: nothing is missing and a refused key has no extra reason', () => {
    t.write('partners/acme.yaml', profile('acme', 'http: { apiKeyEnv: ACME_API_KEY }\n'));
    const c = load({ ACME_API_KEY: 'k' });
    expect(missingSecrets(c.partners)).toEqual([]);
    expect(unresolvedApiKeysReason(c.partners)).toBeUndefined();
  });

  it('SFTP: no credentials for its poller or uploader: a precise secret_unreadable error, never an empty password', () => {
    t.write('partners/acme.yaml', profile('acme', `sftp: { host: h, username: u, passwordEnv: ACME_SFTP_PASSWORD, hostKeySha256: "${hostKey}", inbox: /out }\n`));
    const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile });
    expect(r.problems.map((p) => [p.severity, p.rule, p.message])).toEqual([
      ['warning', 'secret_env_set', 'environment variable "ACME_SFTP_PASSWORD" named by /sftp/passwordEnv is not set: until it is, partner "acme" is loaded but its SFTP poller does not start and SFTP sends to it fail'],
    ]);
    const acme = r.config!.partner('acme')!;
    let thrown: unknown;
    try { sftpSecretsFor(acme); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe('secret_unreadable');
    expect((thrown as GatewayError).message).toBe('partner "acme": sftp.passwordEnv names ACME_SFTP_PASSWORD, which is not set in the gateway\'s environment');
    expect((thrown as GatewayError).detail).toEqual({ partnerId: 'acme', field: 'sftp.passwordEnv', env: 'ACME_SFTP_PASSWORD' });
  });
});
