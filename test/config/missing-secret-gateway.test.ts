/**
 * A real gateway over HTTP with one partner whose API key variable and another whose SFTP password
 * variable are not set: it starts, says so in the log and on /healthz, refuses that partner's HTTP
 * requests with 401 (never 500), starts no poller for the SFTP partner, and serves everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restcoYaml, startGatewayFixture, tokens, type GatewayFixture } from '../support/gateway-fixture.ts';

let f: GatewayFixture;
const acmeYaml = `id: acme
name: ACME Supply
status: production
identifiers: {}
formats:
  json: { canonical: true }
http:
  apiKeyEnv: ACME_API_KEY
`;
const sftpcoYaml = `id: sftpco
name: SFTP Co
status: production
identifiers: {}
sftp:
  host: 127.0.0.1
  port: 1
  username: gw
  passwordEnv: SFTPCO_PASSWORD
  hostKeySha256: "SHA256:HZ9w5EmKzokcMSGxv0eqTzRDytcc51nETQEgq6P5yLg"
  inbox: /outbound
`;

beforeAll(async () => {
  f = await startGatewayFixture({ partners: { restco: restcoYaml, acme: acmeYaml, sftpco: sftpcoYaml } });
});
afterAll(async () => { await f?.close(); });

describe('gateway with a partner secret variable unset', () => {
  it('starts and logs each missing secret as a warning naming the partner and the variable', () => {
    const warned = f.logger.entries.filter((e) => e.level === 'warn' && e.msg === 'partner secret not set').map((e) => e.fields);
    expect(warned).toEqual([
      { partnerId: 'acme', field: 'http.apiKey', env: 'ACME_API_KEY', effect: 'it cannot authenticate over HTTP (its API key is refused with 401)' },
      { partnerId: 'sftpco', field: 'sftp.password', env: 'SFTPCO_PASSWORD', effect: 'its SFTP poller does not start and SFTP sends to it fail' },
    ]);
    expect(f.logger.entries.some((e) => e.msg === 'gateway started')).toBe(true);
  });

  it('a key that matches no partner is refused with 401, and the log says which partner has no key and why', async () => {
    const before = f.logger.entries.length;
    const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: 'what-acme-thinks-its-key-is', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const logged = f.logger.entries.slice(before).find((e) => e.msg === 'API key refused');
    expect(logged?.level).toBe('warn');
    expect(logged?.fields?.reason).toBe('the key matches no partner; partner "acme" has no API key because ACME_API_KEY is not set');
  });

  it('another partner\'s key still works', async () => {
    const res = await f.fetch('/api/v1/inbound', { method: 'POST', key: f.keys.RESTCO_API_KEY, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
    expect(res.status).toBe(202);
  });

  it('/api/v1/status (staff) lists the missing secrets and the SFTP partner whose poller did not start', async () => {
    const res = await f.fetch('/api/v1/status', { token: tokens.operator });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; missingSecrets: unknown; sftp: Array<{ partnerId: string; running: boolean; lastError?: { code: string; message: string } }> };
    expect(body.status).toBe('ok');
    expect(body.missingSecrets).toEqual([
      { partnerId: 'acme', field: 'http.apiKey', env: 'ACME_API_KEY', effect: 'it cannot authenticate over HTTP (its API key is refused with 401)' },
      { partnerId: 'sftpco', field: 'sftp.password', env: 'SFTPCO_PASSWORD', effect: 'its SFTP poller does not start and SFTP sends to it fail' },
    ]);
    const sftpco = body.sftp.find((s) => s.partnerId === 'sftpco');
    expect(sftpco?.running).toBe(false);
    expect(sftpco?.lastError?.message).toBe('partner "sftpco": sftp.passwordEnv names SFTPCO_PASSWORD, which is not set in the gateway\'s environment');
  });

  it.each([['without credentials', undefined], ['with an operator token', tokens.operator]])('/healthz %s says only status, storage and ok/failed per check: no partner ids, hosts, paths or variable names', async (_, token) => {
    const res = await f.fetch('/healthz', token ? { token } : {});
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body.status).toBe('ok');
    expect(body.storage).toEqual({ writable: true });
    expect(body.checks).toMatchObject({ storage: 'ok', missingSecrets: 'failed', sftp: 'failed' });
    expect(body).not.toHaveProperty('missingSecrets');
    expect(body).not.toHaveProperty('sftp');
    expect(body).not.toHaveProperty('counts');
    for (const secret of ['acme', 'sftpco', 'ACME_API_KEY', 'SFTPCO_PASSWORD', f.dir]) expect(text).not.toContain(secret);
  });
});
