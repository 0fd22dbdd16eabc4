import { GatewayError } from '../core/errors.ts';

/** Reads a request body up to `maxBytes`; a larger body is refused without reading the rest. */
export async function readBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(declared, maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(size, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(size: number, max: number): GatewayError {
  return new GatewayError('message_too_large', `the body exceeds the limit of ${max} bytes${size > max ? ` (at least ${size})` : ''}`, { expected: `at most ${max} bytes` });
}
