/** Minimal DER writer for the CMS structures we emit (definite lengths, single-byte tags). */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Uint8Array.from(header), ...parts]);
}

export const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
export const octetString = (v: Uint8Array) => tlv(0x04, v);
export const nullValue = () => Uint8Array.from([0x05, 0x00]);

/** SET OF with DER ordering (encodings sorted as octet strings) */
export function setOf(...items: Uint8Array[]): Uint8Array {
  return tlv(0x31, ...[...items].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
}

export function integer(n: number): Uint8Array {
  return tlv(0x02, Uint8Array.from([n & 0x7f]));
}

export function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [(a ?? 0) * 40 + (b ?? 0)];
  for (const v of rest) {
    const chunk: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift(0x80 | (x & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime YYMMDDHHMMSSZ (years 1950-2049, as CMS signingTime requires) */
export function utcTime(d: Date): Uint8Array {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'latin1'));
}

export const algorithm = (id: string, params: Uint8Array = nullValue()) => seq(oid(id), params);
