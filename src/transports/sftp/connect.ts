/**
 * Opens one SFTP session to a partner's server with the host key pinned, and turns every way a
 * connection can fail into a GatewayError with a stable code:
 *   sftp_host_key_mismatch   the server presented another key than the pinned one
 *   sftp_auth_refused        the server refused our key / password
 *   sftp_unreachable         refused, reset, timed out, name not found
 *   sftp_connect_failed      anything else before the session was ready
 *   sftp_credentials_missing no key or password was resolved by the caller
 */
import { createHash } from 'node:crypto';
import SftpClient from 'ssh2-sftp-client';
import { GatewayError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { checkHostKeySha256, SFTP_DEFAULTS, type SftpConnectionConfig } from './config.ts';

export interface SftpSecrets {
  privateKey?: Buffer | string;
  password?: string;
}

export interface SftpSession {
  client: SftpClient;
  /** resolves when the session is closed; never rejects */
  close(): Promise<void>;
}

/** The fingerprint `ssh-keygen -lf` prints for a raw SSH public key blob. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

export async function openSftpSession(opts: {
  partnerId: string;
  config: SftpConnectionConfig;
  secrets: SftpSecrets;
  logger: Logger;
}): Promise<SftpSession> {
  const { partnerId, config, secrets, logger } = opts;
  const where = { partnerId, host: config.host, port: config.port ?? SFTP_DEFAULTS.port, username: config.username };
  const keyError = checkHostKeySha256(config.hostKeySha256, partnerId);
  if (keyError) throw keyError;
  if (secrets.privateKey === undefined && secrets.password === undefined) {
    throw new GatewayError('sftp_credentials_missing', 'no private key or password was resolved for this SFTP account', where);
  }

  let presentedKey: string | undefined;
  let rawError: (Error & { level?: string; code?: string }) | undefined;
  // the library's global listeners would print to the console; route them to our logger
  const client = new SftpClient(`sftp:${partnerId}`, {
    error: (e: unknown) => logger.warn('sftp connection error', { ...where, error: (e as Error).message }),
    end: () => logger.debug('sftp connection ended', where),
    close: () => logger.debug('sftp connection closed', where),
  });
  client.on('error', (e: Error) => { rawError ??= e; });

  try {
    await client.connect({
      host: config.host,
      port: where.port,
      username: config.username,
      privateKey: secrets.privateKey,
      password: secrets.password,
      readyTimeout: (config.connectTimeoutSeconds ?? SFTP_DEFAULTS.connectTimeoutSeconds) * 1000,
      hostVerifier: (key: Buffer) => {
        presentedKey = hostKeyFingerprint(key);
        return presentedKey === config.hostKeySha256;
      },
    });
  } catch (e) {
    await client.end().catch(() => undefined);
    throw classifyConnectError(e, rawError, presentedKey, config.hostKeySha256, where);
  }
  return {
    client,
    close: async () => { await client.end().catch(() => undefined); },
  };
}

function classifyConnectError(
  e: unknown,
  raw: (Error & { level?: string; code?: string }) | undefined,
  presentedKey: string | undefined,
  pinnedKey: string,
  where: Record<string, unknown>,
): GatewayError {
  const err = (raw ?? e) as Error & { level?: string; code?: string };
  const message = err instanceof Error ? err.message : String(err);
  if (presentedKey !== undefined && presentedKey !== pinnedKey) {
    return new GatewayError('sftp_host_key_mismatch', 'the server presented a host key other than the pinned one; connection refused',
      { ...where, expected: pinnedKey, found: presentedKey }, { cause: e });
  }
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new GatewayError('sftp_auth_refused', `the server refused login as "${String(where.username)}": ${message}`, where, { cause: e });
  }
  if ((err.code && UNREACHABLE.has(err.code)) || err.level === 'client-timeout' || err.level === 'client-socket' || /timed out/i.test(message)) {
    return new GatewayError('sftp_unreachable', `cannot reach ${String(where.host)}:${String(where.port)}: ${message}`,
      { ...where, errno: err.code }, { cause: e });
  }
  return new GatewayError('sftp_connect_failed', `SFTP connection failed: ${message}`, { ...where, errno: err.code }, { cause: e });
}
