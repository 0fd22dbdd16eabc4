/**
 * The content-addressed file store: keys are SHA-256 (FIPS 180-2 vector for "abc"), files at
 * <dir>/ab/cd/<key>, one file per content, a stream hashed as it is written and bounded by a size
 * limit, reads checked against the key, keys that are not a SHA-256 refused (no path games).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/core/errors.ts';
import { createBlobStore, type BlobStore } from '../../src/storage/blob-store.ts';

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const codeOf = (e: unknown) => (isGatewayError(e) ? e.code : String(e));
const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

let dir: string;
let blobs: BlobStore;
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'edigw-blobs-')); blobs = createBlobStore(path.join(dir, 'blobs')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('blob store', () => {
  it('stores bytes under their SHA-256 at ab/cd/<key>, once however often they are put', async () => {
    expect(await blobs.put(Buffer.from('abc'))).toBe(ABC);
    expect(await blobs.put(new TextEncoder().encode('abc'))).toBe(ABC);
    expect(files(blobs.dir)).toEqual([path.join('ba', '78', ABC)]);
    expect(readFileSync(path.join(blobs.dir, 'ba', '78', ABC), 'utf8')).toBe('abc');
    expect(await blobs.has(ABC)).toBe(true);
    expect((await blobs.get(ABC)).toString()).toBe('abc');
  });

  it('a stream is hashed while written: same key as put, its size, no temp file left', async () => {
    const r = await blobs.putStream(Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]));
    expect(r).toEqual({ key: ABC, size: 3 });
    expect(files(blobs.dir)).toEqual([path.join('ba', '78', ABC)]);
  });

  it('a stream past maxBytes stops with blob_too_large and leaves nothing behind', async () => {
    async function* chunks() { for (let i = 0; i < 10; i++) yield Buffer.alloc(1000, 1); }
    const err = await blobs.putStream(chunks(), { maxBytes: 4500 }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe('blob_too_large');
    expect((err as { detail: { limitBytes: number } }).detail.limitBytes).toBe(4500);
    expect(files(blobs.dir)).toEqual([]);
  });

  it('a large stream is never held in memory', async () => {
    const chunk = Buffer.alloc(1 << 20, 7);
    let peak = 0;
    async function* chunks() {
      for (let i = 0; i < 256; i++) { peak = Math.max(peak, process.memoryUsage().arrayBuffers); yield chunk; }
    }
    const before = process.memoryUsage().arrayBuffers;
    const r = await blobs.putStream(chunks());
    expect(r.size).toBe(256 << 20);
    // 256 MB went through; what was held at once stayed within a few chunks
    expect(peak - before).toBeLessThan(64 << 20);
  }, 60_000);

  it('reads check the bytes against the key: a changed file is blob_corrupt, on get and at the end of a stream', async () => {
    await blobs.put(Buffer.from('abc'));
    writeFileSync(path.join(blobs.dir, 'ba', '78', ABC), 'abd');
    expect(codeOf(await blobs.get(ABC).catch((e: unknown) => e))).toBe('blob_corrupt');
    const streamed = await (async () => { for await (const _ of blobs.createReadStream(ABC)) { /* drain */ } })().catch((e: unknown) => e);
    expect(codeOf(streamed)).toBe('blob_corrupt');
  });

  it('streams a stored blob back', async () => {
    const body = Buffer.alloc(300_000, 'x');
    const key = await blobs.put(body);
    const parts: Buffer[] = [];
    for await (const c of blobs.createReadStream(key)) parts.push(c as Buffer);
    expect(Buffer.concat(parts).equals(body)).toBe(true);
  });

  it('absent: get is blob_not_found (a stream errors the same), has false, delete false; delete removes a file', async () => {
    expect(codeOf(await blobs.get(ABC).catch((e: unknown) => e))).toBe('blob_not_found');
    const streamed = await (async () => { for await (const _ of blobs.createReadStream(ABC)) { /* drain */ } })().catch((e: unknown) => e);
    expect(codeOf(streamed)).toBe('blob_not_found');
    expect(await blobs.has(ABC)).toBe(false);
    expect(await blobs.delete(ABC)).toBe(false);
    await blobs.put(Buffer.from('abc'));
    expect(await blobs.delete(ABC)).toBe(true);
    expect(await blobs.has(ABC)).toBe(false);
  });

  it('a key that is not a SHA-256 is refused, never turned into a path', async () => {
    for (const key of ['../../etc/passwd', ABC.toUpperCase(), ABC.slice(1), `${ABC}/..`]) {
      expect(codeOf(await blobs.get(key).catch((e: unknown) => e)), key).toBe('blob_key_invalid');
      expect(codeOf(await blobs.has(key).catch((e: unknown) => e)), key).toBe('blob_key_invalid');
    }
  });
});
