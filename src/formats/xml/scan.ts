/**
 * A light tag scanner used before fast-xml-parser: element depth, element count, the XML path
 * and line/column at any offset, DOCTYPE name/ids and internal-subset entity declarations.
 * It does not build anything, so limits are enforced before a large tree is allocated.
 */
export interface ScanResult {
  maxDepth: number;
  elementCount: number;
  doctype?: { name: string; systemId?: string; publicId?: string; internalSubset?: string };
  /** first place where a limit was exceeded */
  tooDeep?: { offset: number; path: string };
}

export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, col: offset - last };
}

const NAME = /[A-Za-z_:][\w.:-]*/y;

/** Walks tags up to `stopAt` (or the end) and returns the open element path there. */
export function scanXml(text: string, limits: { maxDepth: number }, stopAt = Number.POSITIVE_INFINITY): ScanResult & { path: string[] } {
  const stack: string[] = [];
  const res: ScanResult & { path: string[] } = { maxDepth: 0, elementCount: 0, path: stack };
  let i = text.indexOf('<');
  while (i >= 0 && i < text.length && i < stopAt) {
    if (text.startsWith('<!--', i)) { const e = text.indexOf('-->', i + 4); i = e < 0 ? -1 : text.indexOf('<', e + 3); continue; }
    if (text.startsWith('<![CDATA[', i)) { const e = text.indexOf(']]>', i + 9); i = e < 0 ? -1 : text.indexOf('<', e + 3); continue; }
    if (text.startsWith('<?', i)) { const e = text.indexOf('?>', i + 2); i = e < 0 ? -1 : text.indexOf('<', e + 2); continue; }
    if (text.startsWith('<!DOCTYPE', i)) {
      const end = doctypeEnd(text, i);
      const body = text.slice(i + 9, end);
      const m = /^\s*([A-Za-z_:][\w.:-]*)(?:\s+(?:SYSTEM\s+(["'])(.*?)\2|PUBLIC\s+(["'])(.*?)\4\s+(["'])(.*?)\6))?/s.exec(body);
      if (m) {
        res.doctype = { name: m[1] as string };
        if (m[3] !== undefined) res.doctype.systemId = m[3];
        if (m[5] !== undefined) { res.doctype.publicId = m[5]; res.doctype.systemId = m[7] as string; }
        const open = body.indexOf('[');
        if (open >= 0) res.doctype.internalSubset = body.slice(open + 1, body.lastIndexOf(']'));
      }
      i = text.indexOf('<', end + 1);
      continue;
    }
    const closing = text.charCodeAt(i + 1) === 47;
    NAME.lastIndex = i + (closing ? 2 : 1);
    const nm = NAME.exec(text);
    const gt = findTagEnd(text, i + 1);
    if (!nm || gt < 0) break;
    const name = nm[0];
    if (closing) {
      if (stack.length > 0) stack.pop();
    } else {
      res.elementCount++;
      const selfClosing = text.charCodeAt(gt - 1) === 47;
      if (!selfClosing) {
        stack.push(name);
        if (stack.length > res.maxDepth) res.maxDepth = stack.length;
        if (stack.length > limits.maxDepth && !res.tooDeep) res.tooDeep = { offset: i, path: '/' + stack.join('/') };
      }
    }
    i = text.indexOf('<', gt + 1);
  }
  return res;
}

function findTagEnd(text: string, from: number): number {
  let q = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (q) { if (c === q) q = 0; continue; }
    if (c === 34 || c === 39) q = c;
    else if (c === 62) return i;
  }
  return -1;
}

function doctypeEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i;
  }
  return text.length;
}
