/**
 * A large AS2 body unwrapped as it streams (the receiver spools bodies over the stream threshold
 * to the file store first, src/storage/spool.ts): enveloped-data or authEnveloped-data decrypted
 * with a node:crypto Decipheriv over the encrypted content octets (DER definite, or BER
 * constructed as openssl cms -stream writes it), the multipart/signed split at its boundary, the
 * first part hashed as it passes (the signature's messageDigest and the MIC), its body written to
 * the file store, the detached signature (small, last) verified at the end. Memory: a few
 * slices, whatever the size.
 *
 * What only the in-memory path does (unpack.ts): compressed-data, base64 transfer encoding of the
 * outer body, the canonical-form retries of a signature (bare-LF header lines), a signature
 * without signed attributes. These are refused here with a precise code; a message needing them
 * must stay under the threshold.
 */
import { createDecipheriv, createHash, type Decipher, type Hash } from 'node:crypto';
import { GatewayError } from '../../core/errors.ts';
import type { BlobStore } from '../../storage/blob-store.ts';
import { contentKeyFor, nodeCipher, readRecipients, type DecryptionIdentity } from './cms-enveloped.ts';
import { verifySignedDigest } from './cms-signed.ts';
import { children, content as tlvContent, expectTag, oidValue, readTlv, type Tlv } from './der-reader.ts';
import type { TrustedKey } from './identity.ts';
import { decodeTransferEncoding, headerValue, parseContentType, parseEntity, type HeaderList } from './mime.ts';
import { OID, cipherByOid, isAuthenticatedCipher, parseMicAlgorithm, type ContentCipher, type MicAlgorithm } from './oids.ts';
import type { KeyTransport } from './rsa-key-transport.ts';
import type { UnpackedMessage } from './unpack.ts';

export interface StreamUnpackContext {
  identity: DecryptionIdentity;
  partnerCertificatesPem: TrustedKey[];
  /** the MIC algorithms to compute as the bytes pass (the one asked for; SHA-256 is always computed) */
  micAlgorithms: MicAlgorithm[];
  blobs: BlobStore;
  maxBytes: number;
  /** removes a payload file no message will reference (the receiver's guarded delete: another message may hold the same bytes) */
  discard(key: string): Promise<void>;
}

/** what unpack.ts returns, with the payload in the file store and the digests computed on the way */
export interface StreamUnpacked extends UnpackedMessage {
  stored: { key: string; size: number };
  /** base64 digests of the MIC bytes, per algorithm computed */
  micDigests: Partial<Record<MicAlgorithm, string>>;
  /** SHA-256 (hex) of the payload: its file-store key */
  payloadSha256: string;
}

const PART_HEADERS_MAX = 64 * 1024;
const SIGNATURE_PART_MAX = 1024 * 1024;

/** pulls exact byte counts from an async source of chunks */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Uint8Array>;
  private ended = false;
  constructor(source: AsyncIterable<Uint8Array>) { this.it = source[Symbol.asyncIterator](); }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const n = await this.it.next();
    if (n.done) { this.ended = true; return false; }
    this.buf = this.buf.length === 0 ? Buffer.from(n.value.buffer, n.value.byteOffset, n.value.byteLength) : Buffer.concat([this.buf, n.value]);
    return true;
  }

  async peek(n: number): Promise<Buffer> {
    while (this.buf.length < n && (await this.more()));
    return this.buf.subarray(0, Math.min(n, this.buf.length));
  }

  async read(n: number, what: string): Promise<Buffer> {
    const b = await this.peek(n);
    if (b.length < n) throw new GatewayError('as2_decryption_failed', `enveloped-data ends inside ${what}`);
    this.buf = this.buf.subarray(n);
    return Buffer.from(b);
  }

  /** `n` bytes as they come, never more than one source chunk held */
  async *take(n: number, what: string): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.more())) throw new GatewayError('as2_decryption_failed', `enveloped-data ends inside ${what}`);
      const piece = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  /** whatever is left */
  async *rest(): AsyncGenerator<Buffer> {
    if (this.buf.length > 0) { const b = this.buf; this.buf = Buffer.alloc(0); yield b; }
    while (await this.more()) { const b = this.buf; this.buf = Buffer.alloc(0); yield b; }
  }
}

interface Header { tag: number; length: number | null; bytes: Buffer }

async function header(r: ByteReader, what: string): Promise<Header> {
  const [tag, first] = await r.read(2, what);
  if (first === undefined || tag === undefined) throw new GatewayError('as2_decryption_failed', `enveloped-data ends inside ${what}`);
  if (first < 0x80) return { tag, length: first, bytes: Buffer.from([tag, first]) };
  if (first === 0x80) return { tag, length: null, bytes: Buffer.from([tag, first]) };
  const n = first & 0x7f;
  if (n > 6) throw new GatewayError('as2_decryption_failed', `${what}: a length of ${n} bytes`);
  const lenBytes = await r.read(n, what);
  let length = 0;
  for (const b of lenBytes) length = length * 256 + b;
  return { tag, length, bytes: Buffer.concat([Buffer.from([tag, first]), lenBytes]) };
}

/** a whole small element (definite length), its DER bytes */
async function element(r: ByteReader, what: string, tag?: number): Promise<Buffer> {
  const h = await header(r, what);
  if (tag !== undefined && h.tag !== tag) throw new GatewayError('as2_decryption_failed', `${what}: tag 0x${h.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  if (h.length === null) throw new GatewayError('as2_decryption_failed', `${what} has an indefinite length (only the content octets may be streamed BER)`);
  if (h.length > SIGNATURE_PART_MAX) throw new GatewayError('as2_decryption_failed', `${what} is ${h.length} bytes long`);
  return Buffer.concat([h.bytes, await r.read(h.length, what)]);
}

async function endOfContents(r: ByteReader, what: string): Promise<void> {
  const eoc = await r.read(2, what);
  if (eoc[0] !== 0 || eoc[1] !== 0) throw new GatewayError('as2_decryption_failed', `${what}: end-of-contents expected`);
}

interface Envelope { cipher: ContentCipher; keyTransport: KeyTransport; decipher: Decipher; gcm: boolean; tagLength: number }

/** reads ContentInfo .. encryptedContentInfo up to the encrypted content; the key unwrapped */
async function openEnvelope(r: ByteReader, identity: DecryptionIdentity): Promise<{ env: Envelope; eciIndefinite: boolean }> {
  /** whether the container has an indefinite length (BER) */
  const container = async (what: string, tag: number): Promise<boolean> => {
    const h = await header(r, what);
    if (h.tag !== tag) throw new GatewayError('as2_decryption_failed', `${what}: tag 0x${h.tag.toString(16)}, expected 0x${tag.toString(16)}`);
    return h.length === null;
  };
  await container('ContentInfo', 0x30);
  const typeDer = await element(r, 'ContentInfo contentType', 0x06);
  const contentType = oidValue(typeDer, readTlv(typeDer, 0));
  const gcm = contentType === OID.authEnvelopedData;
  if (contentType !== OID.envelopedData && !gcm) throw new GatewayError('as2_decryption_failed', `body is CMS ${contentType}, expected enveloped-data or authEnveloped-data`, { expected: OID.envelopedData, found: contentType });
  await container('ContentInfo content', 0xa0);
  await container(gcm ? 'AuthEnvelopedData' : 'EnvelopedData', 0x30);
  await element(r, 'version', 0x02);
  if ((await r.peek(1))[0] === 0xa0) await element(r, 'originatorInfo');
  const set = await element(r, 'recipientInfos', 0x31);
  const recipients = readRecipients(set, readTlv(set, 0));
  const eciIndefinite = await container('encryptedContentInfo', 0x30);
  await element(r, 'encryptedContentInfo contentType', 0x06);
  const alg = await element(r, 'contentEncryptionAlgorithm', 0x30);
  const [oidTlv, params] = children(alg, readTlv(alg, 0));
  const cipherOid = oidValue(alg, oidTlv as Tlv);
  const cipher = cipherByOid(cipherOid);
  if (!cipher) throw new GatewayError('as2_decryption_failed', `unsupported content encryption algorithm ${cipherOid}`, { found: cipherOid, expected: 'aes128/192/256-cbc, aes128/256-gcm or des-ede3-cbc' });
  if (isAuthenticatedCipher(cipher) !== gcm) throw new GatewayError('as2_decryption_failed', `${cipher} in ${gcm ? 'authEnveloped-data' : 'enveloped-data'}: AES-GCM belongs in authEnveloped-data (RFC 5083), CBC ciphers in enveloped-data`, { found: cipher });
  let iv: Uint8Array;
  let tagLength = 16;
  if (gcm) {
    const p = children(alg, expectTag(params, 0x30, 'GCMParameters'));
    iv = tlvContent(alg, expectTag(p[0], 0x04, 'GCM nonce'));
    const icv = p[1] ? tlvContent(alg, expectTag(p[1], 0x02, 'GCM ICV length')) : Uint8Array.from([12]);
    tagLength = icv[icv.length - 1] ?? 12;
  } else {
    iv = params?.tag === 0x04 ? tlvContent(alg, params) : new Uint8Array(0);
  }
  const { cek, keyTransport } = contentKeyFor(recipients, identity, cipher);
  let decipher: Decipher;
  try {
    decipher = gcm ? createDecipheriv(nodeCipher[cipher] as 'aes-128-gcm', cek, iv, { authTagLength: tagLength }) : createDecipheriv(nodeCipher[cipher], cek, iv);
  } catch (e) {
    throw new GatewayError('as2_decryption_failed', `decryption failed: ${(e as Error).message}`);
  }
  return { env: { cipher, keyTransport, decipher, gcm, tagLength }, eciIndefinite };
}

/** the plaintext of an enveloped body, chunk by chunk; the GCM tag checked (or CBC padding) at the end */
async function* decrypted(r: ByteReader, identity: DecryptionIdentity, out: { cipher?: ContentCipher; keyTransport?: KeyTransport }): AsyncGenerator<Buffer> {
  const { env, eciIndefinite } = await openEnvelope(r, identity);
  out.cipher = env.cipher;
  out.keyTransport = env.keyTransport;
  const h = await header(r, 'encryptedContent');
  const fail = (e: unknown): never => {
    throw new GatewayError('as2_decryption_failed', env.gcm ? 'decryption failed: content key could not be unwrapped with our private key, or the GCM tag does not match (content altered)' : `decryption failed: content key or content could not be decrypted with our private key (${(e as Error).message})`);
  };
  if (h.tag === 0x80) {
    if (h.length === null) throw new GatewayError('as2_decryption_failed', 'a primitive encryptedContent with an indefinite length');
    for await (const c of r.take(h.length, 'encryptedContent')) yield env.decipher.update(c);
  } else if (h.tag === 0xa0) {
    // BER constructed: OCTET STRING segments, up to end-of-contents or the definite length
    let consumed = 0;
    for (;;) {
      if (h.length !== null && consumed >= h.length) break;
      const next = await r.peek(2);
      if (h.length === null && next[0] === 0 && next[1] === 0) { await r.read(2, 'encryptedContent'); break; }
      const seg = await header(r, 'encryptedContent segment');
      if (seg.tag !== 0x04 || seg.length === null) throw new GatewayError('as2_decryption_failed', 'encryptedContent segment is not a definite OCTET STRING');
      for await (const c of r.take(seg.length, 'encryptedContent')) yield env.decipher.update(c);
      consumed += seg.bytes.length + seg.length;
    }
  } else {
    throw new GatewayError('as2_decryption_failed', 'enveloped-data has no encrypted content');
  }
  // the encryptedContentInfo closes; AuthEnvelopedData then has [1] authAttrs (not streamable: they are the GCM AAD, needed first) and the mac
  if (eciIndefinite) await endOfContents(r, 'encryptedContentInfo');
  if (env.gcm) {
    const next = await r.peek(1);
    if (next[0] === 0xa1) throw new GatewayError('as2_decryption_failed', 'authEnveloped-data with authenticated attributes cannot be streamed (they are the additional data GCM needs first): send it under the stream threshold');
    const mac = await element(r, 'AuthEnvelopedData mac', 0x04);
    try {
      (env.decipher as import('node:crypto').DecipherGCM).setAuthTag(tlvContent(mac, readTlv(mac, 0)));
    } catch (e) { fail(e); }
  }
  let last: Buffer;
  try {
    last = env.decipher.final();
  } catch (e) {
    return fail(e);
  }
  if (last.length > 0) yield last;
}

const findHeaderEnd = (b: Buffer): [number, number] | undefined => {
  const crlf = b.indexOf('\r\n\r\n');
  const lf = b.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return [crlf, crlf + 4];
  return lf >= 0 ? [lf, lf + 2] : undefined;
};

/**
 * Splits a MIME entity as it streams: `entity` mode reads the entity's own headers first (the
 * decrypted content); a multipart/signed entity yields its first part's body as the payload, with
 * that whole part (headers and body, exactly as received) hashed for the signature and the MIC,
 * and keeps the signature part; any other entity yields its body, the whole entity hashed.
 */
class EntitySplitter {
  readonly hashes = new Map<MicAlgorithm, Hash>();
  payloadHeaders: HeaderList = [];
  signed = false;
  micalg: MicAlgorithm | undefined;
  signaturePart: Buffer | undefined;
  private mode: 'entity' | 'preamble' | 'part-headers' | 'body' | 'part-body' | 'trailer';
  private pending: Buffer = Buffer.alloc(0);
  private delimiter = Buffer.alloc(0);
  private boundary = '';

  constructor(algorithms: MicAlgorithm[], entityHeaders: HeaderList | undefined, private readonly outerHeaders: HeaderList) {
    for (const a of new Set<MicAlgorithm>(['sha256', ...algorithms])) this.hashes.set(a, createHash(a));
    if (entityHeaders) { this.mode = 'body'; this.begin(entityHeaders); } else this.mode = 'entity';
  }

  private hash(b: Uint8Array): void { for (const h of this.hashes.values()) h.update(b); }

  /** the entity's headers known: multipart/signed splits, anything else is the payload */
  private begin(headers: HeaderList): void {
    const ct = parseContentType(headerValue(headers, 'Content-Type'));
    if (ct.type === 'multipart/signed' && ct.params.boundary) {
      this.signed = true;
      this.boundary = ct.params.boundary;
      this.delimiter = Buffer.from(`\n--${this.boundary}`, 'latin1');
      this.micalg = parseMicAlgorithm(ct.params.micalg ?? '');
      if (this.micalg && !this.hashes.has(this.micalg)) this.hashes.set(this.micalg, createHash(this.micalg));
      this.mode = 'preamble';
    } else {
      if (headerValue(headers, 'Content-Type') === undefined) throw new GatewayError('as2_mime_invalid', 'the decrypted entity has no Content-Type');
      if (ct.type === 'application/pkcs7-mime' || ct.type === 'application/x-pkcs7-mime') {
        throw new GatewayError('as2_cms_invalid', `a ${ct.params['smime-type'] ?? 'CMS'} layer inside a streamed message is not supported (compressed-data is unwrapped in memory only): send it under the stream threshold`, { found: ct.params['smime-type'] ?? ct.type });
      }
      const cte = (headerValue(headers, 'Content-Transfer-Encoding') ?? 'binary').trim().toLowerCase();
      if (cte !== 'binary' && cte !== '8bit' && cte !== '7bit') throw new GatewayError('as2_mime_invalid', `Content-Transfer-Encoding ${cte} on a streamed payload (binary expected)`, { found: cte, expected: 'binary' });
      this.payloadHeaders = headers;
      this.mode = 'body';
    }
  }

  /** the payload bytes this chunk releases */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const before = this.mode;
      if (this.mode === 'entity') {
        // the decrypted content's own headers
        const end = findHeaderEnd(this.pending);
        if (!end && this.pending.length < PART_HEADERS_MAX) return out;
        const entity = end ? (() => { try { return parseEntity(this.pending.subarray(0, end[1])); } catch { return undefined; } })() : undefined;
        if (!entity || headerValue(entity.headers, 'Content-Type') === undefined) {
          // no inner headers (mendelson's encrypted-only message): the bare payload, the outer headers' type
          this.payloadHeaders = this.outerHeaders.filter(([n]) => n.toLowerCase() !== 'content-type').concat([['Content-Type', 'application/octet-stream']]);
          this.mode = 'body';
          continue;
        }
        this.begin(entity.headers);
        // a signed entity's digest covers its first part only (begin() switched to the preamble); the MIC of
        // an encrypted, unsigned message covers the whole entity, headers included
        if (!this.signed) this.hash(this.pending.subarray(0, end![1]));
        this.pending = this.pending.subarray(end![1]);
      } else if (this.mode === 'body') {
        this.hash(this.pending);
        if (this.pending.length) out.push(this.pending);
        this.pending = Buffer.alloc(0);
        return out;
      } else if (this.mode === 'preamble') {
        const start = Buffer.from(`--${this.boundary}`, 'latin1');
        const at = this.pending.subarray(0, start.length).equals(start) ? 0 : (() => { const i = this.pending.indexOf(this.delimiter); return i < 0 ? -1 : i + 1; })();
        if (at < 0) {
          if (this.pending.length > PART_HEADERS_MAX) throw new GatewayError('as2_mime_invalid', `multipart/signed: no boundary "${this.boundary}" in the first ${PART_HEADERS_MAX} bytes`);
          return out;
        }
        const eol = this.pending.indexOf('\n', at);
        if (eol < 0) return out;
        this.pending = this.pending.subarray(eol + 1);
        this.mode = 'part-headers';
      } else if (this.mode === 'part-headers') {
        const end = findHeaderEnd(this.pending);
        if (!end) {
          if (this.pending.length > PART_HEADERS_MAX) throw new GatewayError('as2_mime_invalid', `the signed part's headers exceed ${PART_HEADERS_MAX} bytes`);
          return out;
        }
        this.payloadHeaders = parseEntity(this.pending.subarray(0, end[1])).headers;
        const cte = (headerValue(this.payloadHeaders, 'Content-Transfer-Encoding') ?? 'binary').trim().toLowerCase();
        if (cte === 'base64' || cte === 'quoted-printable') throw new GatewayError('as2_mime_invalid', `Content-Transfer-Encoding ${cte} on a streamed payload (binary expected)`, { found: cte, expected: 'binary' });
        this.hash(this.pending.subarray(0, end[1]));
        this.pending = this.pending.subarray(end[1]);
        this.mode = 'part-body';
      } else if (this.mode === 'part-body') {
        const i = this.pending.indexOf(this.delimiter);
        if (i < 0) {
          // keep what could be the start of the delimiter (and a CR before it)
          const keep = Math.min(this.pending.length, this.delimiter.length + 1);
          const release = this.pending.subarray(0, this.pending.length - keep);
          if (release.length) { this.hash(release); out.push(release); }
          this.pending = this.pending.subarray(release.length);
          return out;
        }
        // the CRLF (or LF) before the boundary belongs to the delimiter, not to the part
        const endOfPart = i > 0 && this.pending[i - 1] === 0x0d ? i - 1 : i;
        const last = this.pending.subarray(0, endOfPart);
        if (last.length) { this.hash(last); out.push(last); }
        this.pending = this.pending.subarray(i + this.delimiter.length);
        this.mode = 'trailer';
      } else {
        if (this.pending.length > SIGNATURE_PART_MAX) throw new GatewayError('as2_mime_invalid', `the signature part exceeds ${SIGNATURE_PART_MAX} bytes`);
        return out;
      }
      if (before === this.mode && this.mode !== 'trailer') return out;
    }
  }

  end(): Buffer[] {
    if (this.mode === 'entity') {
      this.payloadHeaders = this.outerHeaders.filter(([n]) => n.toLowerCase() !== 'content-type').concat([['Content-Type', 'application/octet-stream']]);
      this.mode = 'body';
      return this.push(Buffer.alloc(0));
    }
    if (this.mode === 'body') return [];
    if (this.mode !== 'trailer') throw new GatewayError('as2_mime_invalid', `multipart/signed ends before its ${this.mode === 'part-body' ? 'signature part' : 'signed part'}`);
    // after the boundary: CRLF, the signature part, the closing delimiter
    const text = this.pending;
    const start = text.indexOf('\n') + 1;
    const close = text.indexOf(this.delimiter, start);
    if (start <= 0 || close < 0) throw new GatewayError('as2_mime_invalid', 'multipart/signed has no signature part and closing boundary');
    this.signaturePart = text.subarray(start, close > 0 && text[close - 1] === 0x0d ? close - 1 : close);
    return [];
  }
}

function isPkcs7Mime(type: string): boolean {
  return type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime';
}

/** Unwraps a spooled AS2 body (`source`: its bytes from the file store) into the payload, stored. */
export async function unpackStreamed(headers: HeaderList, source: AsyncIterable<Uint8Array>, ctx: StreamUnpackContext): Promise<StreamUnpacked> {
  const ct = parseContentType(headerValue(headers, 'Content-Type'));
  const cte = (headerValue(headers, 'Content-Transfer-Encoding') ?? 'binary').trim().toLowerCase();
  const reader = new ByteReader(source);
  const enc: { cipher?: ContentCipher; keyTransport?: KeyTransport } = {};
  let plaintext: AsyncIterable<Buffer>;
  let splitter: EntitySplitter;
  if (isPkcs7Mime(ct.type)) {
    if (cte !== 'binary' && cte !== '8bit') throw new GatewayError('as2_mime_invalid', `Content-Transfer-Encoding ${cte} on a streamed body (binary expected)`, { found: cte, expected: 'binary' });
    plaintext = decrypted(reader, ctx.identity, enc);
    splitter = new EntitySplitter(ctx.micAlgorithms, undefined, headers);
  } else {
    plaintext = reader.rest();
    splitter = new EntitySplitter(ctx.micAlgorithms, headers, headers);
  }
  async function* payload(): AsyncGenerator<Buffer> {
    for await (const p of plaintext) for (const out of splitter.push(p)) yield out;
    for (const out of splitter.end()) yield out;
  }
  const stored = await ctx.blobs.putStream(payload(), { maxBytes: ctx.maxBytes });
  const digests = new Map<MicAlgorithm, Buffer>();
  for (const [alg, h] of splitter.hashes) digests.set(alg, h.digest());
  let signatureDigest: MicAlgorithm | undefined;
  let signerCertificateIndex: number | undefined;
  if (splitter.signed) {
    try {
      const sig = parseEntity(splitter.signaturePart!);
      const der = decodeTransferEncoding(sig.body, headerValue(sig.headers, 'Content-Transfer-Encoding'));
      const r = verifySignedDigest(der, ctx.partnerCertificatesPem, (alg) => digests.get(alg));
      signatureDigest = r.digest;
      signerCertificateIndex = r.certificateIndex;
    } catch (e) {
      // the payload is not taken: its file goes (the raw body stays, kept with the refusal)
      await ctx.discard(stored.key);
      throw e;
    }
  }
  const micDigests: Partial<Record<MicAlgorithm, string>> = {};
  for (const [alg, d] of digests) micDigests[alg] = d.toString('base64');
  return {
    payload: new Uint8Array(0), payloadHeaders: splitter.payloadHeaders, signed: splitter.signed,
    ...(enc.cipher && enc.keyTransport ? { encrypted: { cipher: enc.cipher, keyTransport: enc.keyTransport } } : {}),
    compressed: false, ...(signatureDigest ? { signatureDigest } : {}), micBytes: new Uint8Array(0),
    ...(signerCertificateIndex !== undefined ? { signerCertificateIndex } : {}),
    stored, micDigests, payloadSha256: stored.key,
  };
}
