/**
 * SFTP source config for one partner (the `sftp:` block of partners/<id>.yaml): the JSON Schema
 * as a plain object, so the partner-profile schema can embed it, its TS type, and a validator
 * that turns a bad block into precise GatewayErrors. Secrets are never inline: the profile names
 * a key file or an environment variable and the caller resolves them.
 */
import { Ajv } from 'ajv';
import { GatewayError } from '../../core/errors.ts';

/** "SHA256:" + 43 base64 chars (32 bytes, unpadded), as `ssh-keygen -lf` prints it */
export const HOST_KEY_SHA256_PATTERN = '^SHA256:[A-Za-z0-9+/]{43}$';

export type SftpStableRule = { minAgeSeconds: number } | { sizeUnchangedPolls: number };

/** Where and how to connect; shared by the poller (source) and the uploader (sink). */
export interface SftpConnectionConfig {
  host: string;
  port?: number;
  username: string;
  privateKeyFile?: string;
  passwordEnv?: string;
  hostKeySha256: string;
  connectTimeoutSeconds?: number;
}

export interface SftpSourceConfig extends SftpConnectionConfig {
  /** remote folder the partner puts files in for us */
  inbox: string;
  /** remote folder we move taken files into; omitted: taken files are deleted */
  archive?: string;
  /** remote folder we upload outbound documents and acks to */
  outbox?: string;
  /** glob on the file name (`*`, `?`, `[abc]`, `{a,b}`); `*` does not match a leading dot */
  pattern?: string;
  pollSeconds?: number;
  /** a file is taken only once it is stable: old enough, or the same size and mtime across N polls */
  stableRule?: SftpStableRule;
  maxFileBytes?: number;
  /** files downloaded at once for this partner */
  concurrency?: number;
  /** cap of the exponential backoff after connection failures */
  maxBackoffSeconds?: number;
}

export const SFTP_DEFAULTS = {
  port: 22,
  pattern: '*',
  pollSeconds: 60,
  stableRule: { sizeUnchangedPolls: 2 } as SftpStableRule,
  /** the gateway's own limit (EDIGW_MAX_BODY_BYTES, 4 GiB with a file store) still applies; a large file is streamed into the file store */
  maxFileBytes: 4 * 1024 ** 3,
  concurrency: 2,
  maxBackoffSeconds: 900,
  connectTimeoutSeconds: 20,
} as const;

const remoteDir = { type: 'string', minLength: 1, pattern: '^/', description: 'absolute remote path' } as const;

export const sftpSourceConfigSchema = {
  title: 'SFTP source (partner server we poll)',
  type: 'object',
  additionalProperties: false,
  required: ['host', 'username', 'hostKeySha256', 'inbox'],
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: SFTP_DEFAULTS.port },
    username: { type: 'string', minLength: 1 },
    privateKeyFile: { type: 'string', minLength: 1, description: 'path to an OpenSSH private key, relative to the profile' },
    passwordEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'name of the environment variable holding the password' },
    hostKeySha256: { type: 'string', pattern: HOST_KEY_SHA256_PATTERN, description: 'pinned host key, as `ssh-keygen -lf` prints it' },
    connectTimeoutSeconds: { type: 'number', exclusiveMinimum: 0, default: SFTP_DEFAULTS.connectTimeoutSeconds },
    inbox: remoteDir,
    archive: remoteDir,
    outbox: remoteDir,
    pattern: { type: 'string', minLength: 1, default: SFTP_DEFAULTS.pattern },
    pollSeconds: { type: 'number', exclusiveMinimum: 0, default: SFTP_DEFAULTS.pollSeconds },
    stableRule: {
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['minAgeSeconds'], properties: { minAgeSeconds: { type: 'number', minimum: 0 } } },
        { type: 'object', additionalProperties: false, required: ['sizeUnchangedPolls'], properties: { sizeUnchangedPolls: { type: 'integer', minimum: 1 } } },
      ],
      default: SFTP_DEFAULTS.stableRule,
    },
    maxFileBytes: { type: 'integer', minimum: 1, default: SFTP_DEFAULTS.maxFileBytes },
    concurrency: { type: 'integer', minimum: 1, maximum: 16, default: SFTP_DEFAULTS.concurrency },
    maxBackoffSeconds: { type: 'number', exclusiveMinimum: 0, default: SFTP_DEFAULTS.maxBackoffSeconds },
  },
  oneOf: [{ required: ['privateKeyFile'] }, { required: ['passwordEnv'] }],
} as const;

/** Checks the pinned host key format alone (the uploader uses it too). */
export function checkHostKeySha256(value: unknown, partnerId?: string): GatewayError | undefined {
  if (typeof value === 'string' && new RegExp(HOST_KEY_SHA256_PATTERN).test(value)) return undefined;
  return new GatewayError(
    'sftp_host_key_format',
    'hostKeySha256 must be the SHA-256 host key fingerprint exactly as `ssh-keygen -lf <key.pub>` prints it',
    { partnerId, field: 'hostKeySha256', expected: 'SHA256:<43 base64 characters, no padding>', found: String(value) },
  );
}

/** All problems in a config block; an empty list means it is usable. */
export function validateSftpSourceConfig(config: unknown, partnerId?: string): GatewayError[] {
  const errors: GatewayError[] = [];
  const hostKey = (config as { hostKeySha256?: unknown } | null)?.hostKeySha256;
  if (hostKey !== undefined) {
    const e = checkHostKeySha256(hostKey, partnerId);
    if (e) errors.push(e);
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(sftpSourceConfigSchema);
  if (!validate(config)) {
    for (const e of validate.errors ?? []) {
      if (e.instancePath === '/hostKeySha256') continue; // reported above, more precisely
      // the two branches of the key-or-password oneOf report once, as the oneOf itself
      if (e.instancePath === '' && e.schemaPath.startsWith('#/oneOf/')) continue;
      const params = e.params as { missingProperty?: string; additionalProperty?: string };
      const field = [e.instancePath.replace(/^\//, ''), params.missingProperty ?? params.additionalProperty].filter(Boolean).join('/');
      const message = e.instancePath === '' && e.keyword === 'oneOf'
        ? 'sftp: give exactly one of privateKeyFile or passwordEnv'
        : e.keyword === 'additionalProperties'
          ? `sftp.${field}: unknown field (secrets are never inline: name a privateKeyFile or passwordEnv)`
          : `sftp.${field}: ${e.message ?? 'invalid'}`;
      errors.push(new GatewayError('sftp_config_invalid', message, {
        partnerId, field, expected: e.message, found: JSON.stringify(e.data),
      }));
    }
  }
  return errors;
}

/** Throws the first problem as a GatewayError (with all of them in detail.errors). */
export function assertSftpSourceConfig(config: unknown, partnerId?: string): asserts config is SftpSourceConfig {
  const errors = validateSftpSourceConfig(config, partnerId);
  const first = errors[0];
  if (first) {
    if (errors.length > 1) first.detail.errors = errors.map((e) => e.toJSON());
    throw first;
  }
}
