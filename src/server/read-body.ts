import { GatewayError } from '../core/errors.ts';
import { spool, type Spooled, type SpoolOptions } from '../storage/spool.ts';

/**
 * Reads a request body for the intake: up to `thresholdBytes` in memory, larger ones streamed into
 * the file store as they arrive (src/storage/spool.ts), refused with message_too_large past
 * `maxBytes` (a declared Content-Length over it before reading anything).
 */
export async function readBodySpooled(req: Request, opts: SpoolOptions): Promise<Spooled> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    throw new GatewayError('message_too_large', `the body exceeds the limit of ${opts.maxBytes} bytes (at least ${declared})`, { expected: `at most ${opts.maxBytes} bytes` });
  }
  if (!req.body) return { bytes: new Uint8Array(0) };
  return spool(req.body as unknown as AsyncIterable<Uint8Array>, opts);
}
