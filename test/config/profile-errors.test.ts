/**
 * The exact problem texts an integration engineer sees for a broken partner profile:
 * `file:line:col: message [rule]; hint`. Line/column values were counted by hand in the YAML below.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../src/config/index.ts';
import { createTempConfig, fakeCompile, profile, type TempConfig } from './support.ts';

let t: TempConfig;
beforeEach(() => { t = createTempConfig(); });
afterEach(() => t.cleanup());

function load(env: Record<string, string> = {}) {
  return loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env, compile: fakeCompile });
}
const texts = (r: ReturnType<typeof load>) => r.problems.map((p) => p.text);

describe('partner profile errors', () => {
  it('unknown key: located at the key, with the nearest valid key', () => {
    const f = t.write('partners/acme.yaml', 'id: acme\nname: ACME\nstatus: production\nidentifers:\n  x12: { qualifier: ZZ, id: ACME }\n');
    const r = load();
    expect(r.config).toBeUndefined();
    expect(texts(r)).toContain(`${f}:4:1 additionalProperties: unknown key "identifers" in / (hint: did you mean "identifiers"?)`);
  });

  it('unknown nested key: hint from that object\'s own keys', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'throttle:\n  ratePerSecnd: 5\n'));
    expect(texts(load())).toEqual([
      `${f}:7:3 additionalProperties: unknown key "ratePerSecnd" in /throttle (hint: did you mean "ratePerSecond"?)`,
    ]);
  });

  it('missing required key: located at the object that lacks it', () => {
    const f = t.write('partners/acme.yaml', 'id: acme\nstatus: test\nidentifiers:\n  x12: { id: ACME }\n');
    expect(texts(load())).toEqual([
      `${f}:1:1 required: missing required key "name" in /`,
      `${f}:4:3 required: missing required key "qualifier" in /identifiers/x12`,
    ]);
  });

  it('wrong enum: the allowed values', () => {
    const f = t.write('partners/acme.yaml', profile('acme').replace('status: production', 'status: live'));
    expect(texts(load())).toEqual([
      `${f}:3:9 enum: value "live" of /status is not allowed (hint: allowed values: "test", "production")`,
    ]);
  });

  it('a number YAML read where a code was meant: told to quote it', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'acks: { x12: 997 }\n'));
    expect(texts(load())).toEqual([
      `${f}:6:14 enum: value 997 of /acks/x12 is not allowed (hint: allowed values: "997", "999", "none"; quote it: "997")`,
    ]);
  });

  it('inline secret refused, with the reference forms to use instead', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'http:\n  apiKey: s3cr3t-value\n'));
    expect(texts(load())).toEqual([
      `${f}:7:3 secret_by_reference: inline secret "apiKey" in /http is refused: secrets are given by reference only (hint: use "apiKeyEnv: <ENV_VAR_NAME>" or "apiKeyFile: <path>")`,
    ]);
  });

  it('inline SFTP password refused even inside a transport block', () => {
    const f = t.write('partners/acme.yaml', profile('acme', [
      'sftp:', '  host: sftp.acme.example', '  username: gw', '  password: hunter2',
      '  hostKeySha256: "SHA256:HZ9w5EmKzokcMSGxv0eqTzRDytcc51nETQEgq6P5yLg"', '  inbox: /out', '',
    ].join('\n')));
    const r = load();
    expect(texts(r)).toContain(`${f}:9:3 secret_by_reference: inline secret "password" in /sftp is refused: secrets are given by reference only (hint: use "passwordEnv: <ENV_VAR_NAME>")`);
    // the hint offers only what the SFTP schema accepts (passwordEnv, no passwordFile);
    // the schema's own "unknown key password" is not reported a second time
    expect(r.problems.filter((p) => p.pointer === '/sftp/password')).toHaveLength(1);
  });

  it('file name must equal id', () => {
    const f = t.write('partners/acme-supply.yaml', profile('acme'));
    expect(texts(load())).toEqual([
      `${f}:1:5 id_matches_file_name: id "acme" does not match the file name "acme-supply.yaml" (hint: rename the file to "acme.yaml" or set id: acme-supply)`,
    ]);
  });

  it('missing env var for a secret: a located warning; the partner still loads, without the secret', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'http:\n  apiKeyEnv: ACME_API_KEY\n'));
    const r = load({ OTHER: 'x' });
    // line 7 is `  apiKeyEnv: ACME_API_KEY`: the value starts in column 14
    expect(texts(r)).toEqual([
      `${f}:7:14 secret_env_set: environment variable "ACME_API_KEY" named by /http/apiKeyEnv is not set: until it is, partner "acme" is loaded but it cannot authenticate over HTTP (its API key is refused with 401) (hint: set ACME_API_KEY in the gateway's environment, or use apiKeyFile)`,
    ]);
    expect(r.problems[0]?.severity).toBe('warning');
    const acme = r.config?.partner('acme');
    expect(acme?.secrets).toEqual({});
    expect(acme?.unresolvedSecrets).toEqual([{ field: 'http.apiKey', env: 'ACME_API_KEY', pointer: '/http/apiKeyEnv', effect: 'it cannot authenticate over HTTP (its API key is refused with 401)' }]);
    // neither the secret nor the missing list is serialised with the profile
    expect(JSON.stringify(acme)).not.toContain('unresolvedSecrets');
    // an empty variable counts as unset
    expect(load({ ACME_API_KEY: '' }).config?.partner('acme')?.unresolvedSecrets).toHaveLength(1);
    expect(load({ ACME_API_KEY: 'k' }).config?.partner('acme')?.secrets['http.apiKey']).toBe('k');
    expect(load({ ACME_API_KEY: 'k' }).config?.partner('acme')?.unresolvedSecrets).toEqual([]);
  });

  it('duplicate identifiers across partners: reported in the second file, naming the first', () => {
    const a = t.write('partners/acme.yaml', profile('acme').replace('id: ACME }', 'id: SHARED }'));
    const b = t.write('partners/beta.yaml', profile('beta').replace('id: BETA }', 'id: SHARED }'));
    // line 5 is `  x12: { qualifier: ZZ, id: SHARED }`: SHARED starts in column 29
    expect(texts(load())).toEqual([
      `${b}:5:29 unique_identifier: X12 sender ZZ/SHARED is already used by partner "acme" (${a}:5:29) (hint: each identifier must name exactly one partner: give each its own ISA qualifier/id, or, when both send under one ISA id, set a distinct gsId (GS02) on each and drop the shared ISA id from one)`,
    ]);
  });

  it('duplicate AS2 id and duplicate API key', () => {
    t.write('partners/acme.yaml', profile('acme', '  as2: SAME-AS2\nhttp: { apiKeyEnv: KEY_A }\n'));
    const b = t.write('partners/beta.yaml', profile('beta', '  as2: SAME-AS2\nhttp: { apiKeyEnv: KEY_B }\n'));
    const a = path.join(t.partnersDir, 'acme.yaml');
    expect(texts(load({ KEY_A: 'same-key', KEY_B: 'same-key' }))).toEqual([
      `${b}:6:8 unique_identifier: AS2 id SAME-AS2 is already used by partner "acme" (${a}:6:8) (hint: each identifier must name exactly one partner: give each partner its own AS2 id)`,
      `${b}:7:20 unique_identifier: API key is the same as partner "acme"'s (hint: give every partner its own API key)`,
    ]);
  });

  it('YAML syntax error: position from the parser', () => {
    const f = t.write('partners/acme.yaml', 'id: acme\nname: [unclosed\n');
    // the parser notices the missing "]" at the end of the text: line 3, column 1
    expect(texts(load())).toEqual([
      `${f}:3:1 yaml_syntax: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ]);
  });

  it('transport block checked by the injected schema', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'sftp:\n  host: h\n  prot: 22\n'));
    const sftp = { type: 'object', additionalProperties: false, required: ['host'], properties: { host: { type: 'string' }, port: { type: 'integer' } } };
    const r = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile, transportSchemas: { sftp } });
    expect(r.problems.map((p) => p.text)).toEqual([
      `${f}:8:3 additionalProperties: unknown key "prot" in /sftp (hint: did you mean "port"?)`,
    ]);
  });

  it('transport block without an injected schema: the minimal DESIGN.md schema applies', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'sftp:\n  host: h\n  username: u\n  hostKeySha256: "ab:cd"\n  inbox: /out\n'));
    expect(texts(load())).toEqual([
      `${f}:6:1 oneOf: /sftp must have exactly one of "privateKeyFile" or "passwordEnv"`,
      `${f}:9:18 pattern: /sftp/hostKeySha256 "ab:cd" does not match ^SHA256:[A-Za-z0-9+/]{43}$ (hint: expected SHA256:<43 base64 characters>, as \`ssh-keygen -lf\` prints it)`,
    ]);
  });

  it('outbound channel needs its transport block', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'outbound: { channel: as2 }\n'));
    expect(texts(load())).toEqual([
      `${f}:6:22 outbound_transport: outbound channel "as2" needs a "as2:" block in the profile (hint: add as2: with the partner's url and certificate)`,
    ]);
  });

  it('x12/edifact documents need message and version', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'documents:\n  inbound:\n    - { type: ship_notice, format: x12, message: "856" }\n'));
    expect(texts(load())).toEqual([`${f}:8:7 required: missing required key "version" in /documents/inbound/0`]);
  });

  it('relative paths become absolute against the profile file; a missing file is a warning', () => {
    t.write('partners/certs/acme.pem', 'PEM');
    t.write('partners/acme.yaml', profile('acme', 'as2:\n  url: https://as2.acme.example/as2\n  certificates: [./certs/acme.pem, ./certs/next.pem]\n'));
    const r = load();
    const p = r.config?.partner('acme');
    expect(p?.as2?.certificates).toEqual([path.join(t.partnersDir, 'certs/acme.pem'), path.join(t.partnersDir, 'certs/next.pem')]);
    expect(r.problems.map((x) => [x.severity, x.rule, x.pointer])).toEqual([['warning', 'file_exists', '/as2/certificates/1']]);
  });

  it('secrets are not serialised with the profile', () => {
    t.write('partners/acme.yaml', profile('acme', 'http: { apiKeyEnv: ACME_KEY }\n'));
    const p = load({ ACME_KEY: 'top-secret' }).config!.partner('acme')!;
    expect(p.secrets['http.apiKey']).toBe('top-secret');
    expect(JSON.stringify(p)).not.toContain('top-secret');
  });
});

describe('partner profile warnings', () => {
  it('a partner nothing can identify', () => {
    const f = t.write('partners/acme.yaml', 'id: acme\nname: ACME\nstatus: test\nidentifiers: {}\n');
    const r = load();
    expect(r.config).toBeDefined();
    expect(texts(r)).toEqual([
      `${f}:4:1 identifiable: no identifier and no API key: no inbound traffic can be attributed to this partner (hint: add identifiers (x12, edifact, as2) or http.apiKeyEnv)`,
    ]);
  });
});

describe('partner files', () => {
  it('the same partner id in two files (acme.yaml and acme.yml)', () => {
    const a = t.write('partners/acme.yaml', profile('acme'));
    const b = t.write('partners/acme.yml', profile('acme').replace('ACME }', 'ACME2 }'));
    expect(texts(load())).toEqual([`${b}:1:5 unique_identifier: partner id "acme" is already defined by ${a} (hint: keep one file per partner)`]);
  });

  it('an empty file and a folder named like a profile are problems, not crashes', () => {
    const e = t.write('partners/empty.yaml', '');
    t.write('partners/dir.yaml/x', '');
    expect(texts(load())).toEqual([
      `${path.join(t.partnersDir, 'dir.yaml')}:1:1 file_readable: cannot read ${path.join(t.partnersDir, 'dir.yaml')} (EISDIR)`,
      `${e}:1:1 type: a partner profile must be a YAML mapping (key: value lines)`,
    ]);
  });
});

describe('loadedAt', () => {
  it("comes from the caller's clock, when one is given", async () => {
    const { fixedClock } = await import('../../src/core/clock.ts');
    t.write('partners/acme.yaml', profile('acme'));
    const withClock = loadGatewayConfig({ partnersDir: t.partnersDir, mappingsDir: t.mappingsDir, env: {}, compile: fakeCompile, clock: fixedClock('2026-01-02T03:04:05.000Z') });
    expect(withClock.config?.loadedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(load().config?.loadedAt).toBeUndefined();
  });
});

describe('private key material under any key', () => {
  it('a PEM private key pasted into the profile is refused', () => {
    const f = t.write('partners/acme.yaml', profile('acme', 'as2:\n  certificate: |\n    -----BEGIN PRIVATE KEY-----\n    MIIE\n    -----END PRIVATE KEY-----\n'));
    expect(texts(load())).toEqual([
      `${f}:7:16 secret_by_reference: /as2/certificate holds a private key: secrets are given by reference only (hint: put the key in a file and name it with ...File (e.g. privateKeyFile: ./secrets/key.pem))`,
    ]);
  });
});
