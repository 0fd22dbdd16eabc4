/**
 * The intake's spool (src/storage/spool.ts): a body up to the threshold stays in memory, a larger
 * one lands in the file store under its SHA-256, one past the limit is refused and leaves no file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../src/storage/blob-store.ts';
import { spool } from '../../src/storage/spool.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'edigw-spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const blobs = createBlobStore(dir);

async function* chunksOf(total: number, size: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += size) yield Buffer.alloc(Math.min(size, total - sent), sent / size % 251);
}
const collect = async (it: AsyncIterable<Uint8Array>) => { const parts: Uint8Array[] = []; for await (const c of it) parts.push(c); return Buffer.concat(parts); };

describe('spool', () => {
  it('keeps a body of exactly the threshold in memory', async () => {
    const r = await spool(chunksOf(1000, 300), { thresholdBytes: 1000, maxBytes: 10_000, blobs });
    expect(r.stored).toBeUndefined();
    expect(Buffer.from(r.bytes!).equals(await collect(chunksOf(1000, 300)))).toBe(true);
  });

  it('streams a body one byte over the threshold into the file store, keyed by its SHA-256', async () => {
    const expected = await collect(chunksOf(1001, 300));
    const r = await spool(chunksOf(1001, 300), { thresholdBytes: 1000, maxBytes: 10_000, blobs });
    expect(r.bytes).toBeUndefined();
    expect(r.stored).toEqual({ key: createHash('sha256').update(expected).digest('hex'), size: 1001 });
    expect((await blobs.get(r.stored!.key)).equals(expected)).toBe(true);
    // read back in slices, the same bytes
    expect(Buffer.concat([...blobs.readSlices(r.stored!.key, 128)]).equals(expected)).toBe(true);
  });

  it('refuses a body past the limit with message_too_large and leaves no file behind', async () => {
    const before = readdirSync(dir).length;
    await expect(spool(chunksOf(5000, 300), { thresholdBytes: 1000, maxBytes: 4000, blobs })).rejects.toMatchObject({ code: 'message_too_large' });
    expect(readdirSync(dir).filter((f) => f.startsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir).length).toBe(before);
  });

  it('without a file store keeps the body in memory up to the limit', async () => {
    const r = await spool(chunksOf(3000, 300), { thresholdBytes: 1000, maxBytes: 4000 });
    expect(r.bytes!.byteLength).toBe(3000);
    await expect(spool(chunksOf(5000, 300), { thresholdBytes: 1000, maxBytes: 4000 })).rejects.toMatchObject({ code: 'message_too_large' });
  });
});
