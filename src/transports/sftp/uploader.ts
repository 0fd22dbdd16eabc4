/**
 * SFTP sink: puts an outbound document or ack on the partner's server. The bytes go to a hidden
 * temporary name (`.<name>.part`) first and are renamed to the final name only once complete,
 * so the partner's poller never sees a half-written file. An existing file of the same name is
 * never overwritten (it may not have been collected yet).
 */
import { posix } from 'node:path';
import { GatewayError, toGatewayError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import type { SftpConnectionConfig } from './config.ts';
import { openSftpSession, type SftpSecrets } from './connect.ts';
import { printableName, unsafeNameReason } from './remote-name.ts';

export interface UploadResult {
  remotePath: string;
  size: number;
}

export interface UploadRequest {
  config: SftpConnectionConfig;
  secrets: SftpSecrets;
  remoteDir: string;
  fileName: string;
  bytes: Uint8Array;
  partnerId?: string;
  logger?: Logger;
}

export function temporaryName(fileName: string): string {
  return `.${fileName}.part`;
}

export async function uploadFile(req: UploadRequest): Promise<UploadResult> {
  const { config, remoteDir, fileName, partnerId } = req;
  const where = { partnerId, host: config.host, remoteDir, fileName: printableName(fileName) };
  const unsafe = unsafeNameReason(fileName);
  if (unsafe) throw new GatewayError('sftp_unsafe_remote_name', `refusing to upload as "${printableName(fileName)}": ${unsafe}`, where);
  if (!remoteDir.startsWith('/')) {
    throw new GatewayError('sftp_config_invalid', 'the remote folder must be an absolute path', { ...where, expected: '/...', found: remoteDir });
  }
  const target = posix.join(remoteDir, fileName);
  const temp = posix.join(remoteDir, temporaryName(fileName));
  const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);

  const session = await openSftpSession({ partnerId: partnerId ?? '', config, secrets: req.secrets, logger: req.logger ?? silentLogger });
  const { client } = session;
  try {
    if (await client.exists(target)) {
      throw new GatewayError('sftp_upload_target_exists', `${target} already exists on the server (not yet collected?); not overwritten`, where);
    }
    await client.put(bytes, temp);
    const written = await client.stat(temp);
    if (written.size !== bytes.length) {
      await client.delete(temp, true).catch(() => undefined);
      throw new GatewayError('sftp_transfer_incomplete', 'the uploaded temporary file has the wrong size; removed, nothing renamed',
        { ...where, expected: String(bytes.length), found: String(written.size) });
    }
    try {
      await client.rename(temp, target);
    } catch (e) {
      const exists = await client.exists(target).catch(() => false);
      await client.delete(temp, true).catch(() => undefined);
      if (exists) throw new GatewayError('sftp_upload_target_exists', `${target} appeared during the upload; not overwritten`, where, { cause: e });
      throw e;
    }
    return { remotePath: target, size: bytes.length };
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    const err = toGatewayError(e, 'sftp_upload_failed');
    throw new GatewayError('sftp_upload_failed', `upload of ${fileName} failed: ${err.message}`, where, { cause: e });
  } finally {
    await session.close();
  }
}

export interface SftpUploader {
  /** uploads into `remoteDir`, or the config's `outbox` when omitted */
  upload(req: { fileName: string; bytes: Uint8Array; remoteDir?: string }): Promise<UploadResult>;
}

export function createSftpUploader(deps: {
  partnerId: string;
  config: SftpConnectionConfig & { outbox?: string };
  secrets: SftpSecrets;
  logger: Logger;
}): SftpUploader {
  return {
    upload: async ({ fileName, bytes, remoteDir }) => {
      const dir = remoteDir ?? deps.config.outbox;
      if (!dir) {
        throw new GatewayError('sftp_config_invalid', 'no remote folder given and the partner has no sftp.outbox',
          { partnerId: deps.partnerId, field: 'outbox' });
      }
      const result = await uploadFile({ ...deps, remoteDir: dir, fileName, bytes });
      deps.logger.info('sftp file uploaded', { partnerId: deps.partnerId, remotePath: printableName(result.remotePath), size: result.size });
      return result;
    },
  };
}
