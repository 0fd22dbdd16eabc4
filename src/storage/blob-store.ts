/**
 * A content-addressed file store: each blob is a file named by the SHA-256 of its bytes,
 * `<dir>/ab/cd/<sha256>` (two levels of 256 directories, so no directory holds millions of
 * entries). `put` is durable before it resolves: the bytes go to a temp file in the blob's
 * directory, which is fsynced, renamed onto the final name, and the directory is fsynced too
 * (a crash leaves either no file or the whole file, never a torn one; a stray `.tmp-*` file is
 * garbage a later put of the same bytes ignores). Writing the same bytes twice stores them once.
 * `putStream` hashes while it writes, so a large body is never held in memory, and stops with
 * `blob_too_large` past `maxBytes`. Reads check the hash: a file changed on disk is
 * `blob_corrupt`, never served as the message.
 *
 * Retention moves old raw messages here (src/retention); the default directory is `blobs/`
 * beside the SQLite file. Several PostgreSQL nodes need one directory they all share
 * (EDIGW_BLOB_DIR on a shared filesystem), since a node serves what another archived.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream as fsReadStream, openSync, readSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GatewayError } from '../core/errors.ts';

export interface BlobStore {
  readonly dir: string;
  /** stores the bytes (durably) and resolves with their SHA-256 (hex), the key */
  put(bytes: Uint8Array): Promise<string>;
  /** stores a stream (hashing as it goes) and resolves with its key and size; `blob_too_large` past `maxBytes` */
  putStream(source: AsyncIterable<Uint8Array> | Readable, opts?: { maxBytes?: number }): Promise<{ key: string; size: number }>;
  /** the bytes of `key`; `blob_not_found` when absent, `blob_corrupt` when the file no longer hashes to `key` */
  get(key: string): Promise<Buffer>;
  /** the bytes of `key` as a stream; it errors with `blob_corrupt` at the end when they do not hash to `key` */
  createReadStream(key: string): Readable;
  /**
   * the bytes of `key` in slices of `sliceBytes`, read synchronously one slice at a time (a
   * processing thread's reader pulls them as it goes); throws `blob_corrupt` after the last slice
   * when they do not hash to `key`
   */
  readSlices(key: string, sliceBytes?: number): Generator<Uint8Array>;
  has(key: string): Promise<boolean>;
  /** removes the blob; false when there was none */
  delete(key: string): Promise<boolean>;
}

const KEY = /^[0-9a-f]{64}$/;

export function createBlobStore(dir: string): BlobStore {
  const root = path.resolve(dir);
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new GatewayError('blob_key_invalid', `"${key}" is not a blob key (64 lower-case hex digits of a SHA-256)`, { found: key.slice(0, 80) });
    return path.join(root, key.slice(0, 2), key.slice(2, 4), key);
  };
  const madeDirs = new Set<string>();
  const ensureDir = async (d: string) => {
    if (madeDirs.has(d)) return;
    // a directory this call created must itself survive a crash: fsync the parent of each one created
    const first = await mkdir(d, { recursive: true });
    if (first !== undefined) {
      await fsyncDir(path.dirname(d));
      if (first !== d) await fsyncDir(path.dirname(path.dirname(d)));
    }
    madeDirs.add(d);
  };

  /** writes chunks into a temp file beside `final` (fsynced), then renames it into place and fsyncs the directory */
  async function writeDurably(key: string, write: (fh: import('node:fs/promises').FileHandle) => Promise<void>): Promise<void> {
    const final = pathOf(key);
    const d = path.dirname(final);
    await ensureDir(d);
    const tmp = path.join(d, `.tmp-${key.slice(0, 8)}-${randomBytes(6).toString('hex')}`);
    const fh = await open(tmp, 'wx', 0o640);
    try {
      await write(fh);
      await fh.datasync();
    } catch (e) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw e;
    }
    await fh.close();
    await rename(tmp, final);
    await fsyncDir(d);
  }

  const store: BlobStore = {
    dir: root,
    async put(bytes) {
      const key = createHash('sha256').update(bytes).digest('hex');
      if (await store.has(key)) return key;
      await writeDurably(key, async (fh) => { await fh.writeFile(bytes); });
      return key;
    },
    async putStream(source, opts = {}) {
      const max = opts.maxBytes ?? Number.POSITIVE_INFINITY;
      await mkdir(root, { recursive: true });
      const tmp = path.join(root, `.tmp-stream-${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      let size = 0;
      const fh = await open(tmp, 'wx', 0o640);
      try {
        for await (const chunk of source as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > max) throw new GatewayError('blob_too_large', `the content is larger than the limit of ${max} bytes`, { limitBytes: max, expected: `at most ${max} bytes` });
          hash.update(chunk);
          await fh.write(chunk);
        }
        await fh.datasync();
      } catch (e) {
        await fh.close().catch(() => {});
        await unlink(tmp).catch(() => {});
        throw e;
      }
      await fh.close();
      const key = hash.digest('hex');
      const final = pathOf(key);
      if (await store.has(key)) { await unlink(tmp).catch(() => {}); return { key, size }; }
      await ensureDir(path.dirname(final));
      await rename(tmp, final);
      await fsyncDir(path.dirname(final));
      await fsyncDir(root);
      return { key, size };
    },
    async get(key) {
      let bytes: Buffer;
      try {
        bytes = await readFile(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(key, root);
        throw e;
      }
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== key) throw corrupt(key, actual, root);
      return bytes;
    },
    createReadStream(key) {
      const hash = createHash('sha256');
      const check = new Transform({
        transform(chunk: Buffer, _enc, done) { hash.update(chunk); done(null, chunk); },
        flush(done) {
          const actual = hash.digest('hex');
          done(actual === key ? null : corrupt(key, actual, root));
        },
      });
      const file = fsReadStream(pathOf(key));
      file.on('error', (e) => check.destroy((e as NodeJS.ErrnoException).code === 'ENOENT' ? notFound(key, root) : e));
      void pipeline(file, check).catch(() => {});
      return check;
    },
    *readSlices(key, sliceBytes = 1 << 20) {
      let fd: number;
      try {
        fd = openSync(pathOf(key), 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(key, root);
        throw e;
      }
      const hash = createHash('sha256');
      try {
        for (;;) {
          // a fresh buffer per slice: the reader may keep views into the previous one
          const buf = Buffer.allocUnsafe(sliceBytes);
          const n = readSync(fd, buf, 0, sliceBytes, null);
          if (n === 0) break;
          const slice = buf.subarray(0, n);
          hash.update(slice);
          yield slice;
        }
      } finally {
        closeSync(fd);
      }
      const actual = hash.digest('hex');
      if (actual !== key) throw corrupt(key, actual, root);
    },
    async has(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw e;
      }
    },
    async delete(key) {
      const file = pathOf(key);
      try {
        await rm(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw e;
      }
      await fsyncDir(path.dirname(file));
      return true;
    },
  };
  return store;
}

async function fsyncDir(d: string): Promise<void> {
  const fh = await open(d, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function notFound(key: string, dir: string): GatewayError {
  return new GatewayError('blob_not_found', `blob ${key} is not in the file store ${dir}`, { key, dir });
}

function corrupt(key: string, actual: string, dir: string): GatewayError {
  return new GatewayError('blob_corrupt', `blob ${key} in ${dir} no longer holds the bytes it was stored with (they hash to ${actual})`, { key, dir, found: actual });
}
