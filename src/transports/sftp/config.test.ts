import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { sftpSourceConfigSchema, validateSftpSourceConfig } from './config.ts';

const good = {
  host: 'sftp.acme.example',
  port: 22,
  username: 'gateway',
  privateKeyFile: './secrets/acme_ed25519',
  hostKeySha256: 'SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU',
  inbox: '/outbound',
  archive: '/archive',
  pollSeconds: 30,
};

describe('SFTP source config', () => {
  it('accepts the block from the design document', () => {
    expect(validateSftpSourceConfig(good, 'acme')).toEqual([]);
    expect(validateSftpSourceConfig({ ...good, privateKeyFile: undefined, passwordEnv: 'ACME_SFTP_PASSWORD', stableRule: { sizeUnchangedPolls: 2 } })).toEqual([]);
  });

  it('the schema is a plain object another schema can embed', () => {
    const profile = { type: 'object', properties: { sftp: sftpSourceConfigSchema } };
    const validate = new Ajv({ strict: false }).compile(profile);
    expect(validate({ sftp: good })).toBe(true);
    expect(validate({ sftp: { ...good, inbox: 'relative' } })).toBe(false);
    expect(JSON.parse(JSON.stringify(sftpSourceConfigSchema))).toEqual(sftpSourceConfigSchema);
  });

  it('refuses a host key pin in any other form than ssh-keygen -lf prints, naming the field', () => {
    for (const found of ['MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48', 'Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU', 'SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU=', 'sha256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU']) {
      const errors = validateSftpSourceConfig({ ...good, hostKeySha256: found }, 'acme');
      expect(errors.map((e) => e.code)).toEqual(['sftp_host_key_format']);
      expect(errors[0]!.detail).toMatchObject({ partnerId: 'acme', field: 'hostKeySha256', found });
    }
  });

  it('names each missing or wrong field', () => {
    const { host: _host, ...noHost } = good;
    const errors = validateSftpSourceConfig({ ...noHost, port: 70000, stableRule: { minAgeSeconds: -1 } }, 'acme');
    const fields = errors.map((e) => e.detail.field);
    expect(fields).toContain('host');
    expect(fields).toContain('port');
    expect(fields).toContain('stableRule/minAgeSeconds');
    expect(errors.every((e) => e.code === 'sftp_config_invalid' && e.detail.partnerId === 'acme')).toBe(true);
  });

  it('needs exactly one of privateKeyFile or passwordEnv, and never an inline secret', () => {
    const both = validateSftpSourceConfig({ ...good, passwordEnv: 'X' });
    expect(both.map((e) => e.message)).toEqual(['sftp: give exactly one of privateKeyFile or passwordEnv']);
    const { privateKeyFile: _k, ...neither } = good;
    expect(validateSftpSourceConfig(neither).map((e) => e.message)).toEqual(['sftp: give exactly one of privateKeyFile or passwordEnv']);
    expect(validateSftpSourceConfig({ ...good, password: 'hunter2' }).map((e) => e.detail.field)).toEqual(['password']);
  });
});
