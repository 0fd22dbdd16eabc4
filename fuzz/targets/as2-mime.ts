/**
 * AS2 MIME: an entity (headers, blank line, body) through parseEntity and unpackMessage (decrypt,
 * inflate, verify, layer by layer) with a real identity, or parseMdn when it is a report.
 * Seeds: messages built by the gateway's builder and the conformance AS2 samples.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { conformanceDir } from '../seeds.ts';
import { headerValue, parseContentType, parseEntity } from '../../src/transports/as2/mime.ts';
import { parseMdn } from '../../src/transports/as2/mdn-parse.ts';
import { unpackMessage, type UnpackContext } from '../../src/transports/as2/unpack.ts';
import type { FuzzTarget, Seed } from '../types.ts';
import { as2Fixture } from './as2-keys.ts';
import { isTypedError } from './common.ts';

let ctx: UnpackContext | undefined;

function conformanceEntities(repoRoot: string, files: Array<{ path: string; bytes: Uint8Array }>): Seed[] {
  const as2 = path.join(conformanceDir(repoRoot), 'as2');
  const out: Seed[] = [];
  for (const f of files) {
    if (!f.path.startsWith(as2)) continue;
    if (f.path.endsWith('.txt')) out.push({ name: f.path, bytes: f.bytes });
    if (f.path.endsWith('.header')) {
      const payload = f.path.replace(/\.header$/, '.payload');
      if (existsSync(payload)) out.push({ name: f.path, bytes: Buffer.concat([f.bytes, Buffer.from('\r\n'), readFileSync(payload)]) });
    }
  }
  return out;
}

export const target: FuzzTarget = {
  name: 'as2-mime',
  description: 'src/transports/as2/mime.ts parseEntity + unpack.ts unpackMessage (+ mdn-parse.ts for reports)',
  dialect: {
    delimiters: [':', ';', '=', '"', '\r', '\n', '-', '/'],
    segmentEnds: ['\n'],
    nesting: [['Content-Type: multipart/signed; boundary="b"\r\n\r\n--b\r\n', '--b--\r\n'], ['\r\n ', '']],
  },
  ratio: 5000,
  floorMs: 100,
  isTyped: isTypedError,
  async setup(src) {
    const fx = await as2Fixture();
    ctx = { identity: fx.identity, partnerCertificatesPem: [fx.certPem], maxDecompressedBytes: 1 << 20 };
    return [...fx.messages.map((m) => ({ name: m.name, bytes: m.entity })), ...conformanceEntities(src.repoRoot, src.files)];
  },
  run(bytes) {
    const e = parseEntity(bytes);
    const type = headerValue(e.headers, 'Content-Type');
    if (parseContentType(type).type === 'multipart/report') parseMdn({ contentType: type ?? '', body: e.body, partnerCertificatesPem: ctx!.partnerCertificatesPem });
    else unpackMessage(e.headers, e.body, ctx!);
  },
};
