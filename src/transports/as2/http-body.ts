/** Reads a request body with a byte cap, and small plain-text responses. */
export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; status: number; reason: string };

export async function readBodyCapped(req: Request, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return { ok: false, status: 413, reason: `AS2 body of ${declared} bytes exceeds the limit of ${maxBytes} bytes` };
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, status: 413, reason: `AS2 body exceeds the limit of ${maxBytes} bytes` };
      }
      chunks.push(value);
    }
  } catch (e) {
    return { ok: false, status: 400, reason: `AS2 body could not be read: ${(e as Error).message}` };
  }
  return { ok: true, bytes: new Uint8Array(Buffer.concat(chunks)) };
}

export function textResponse(status: number, text: string): Response {
  return new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
