/**
 * Positions in a YAML document: from a JSON pointer to the line and column of the value (or of
 * the key, for "this key is wrong" problems). Falls back to the nearest existing ancestor.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position { line: number; col: number }

export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(node: unknown, segment: string): { key?: Node; value?: Node } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key;
      const keyText = isScalar(k) ? String(k.value) : String(k);
      if (keyText === segment) return { key: k as Node, value: (pair.value ?? undefined) as Node | undefined };
    }
    return undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item === undefined ? undefined : { value: item as Node };
  }
  return undefined;
}

export function createLocator(doc: Document, lineCounter: LineCounter) {
  const at = (node: Node | undefined | null): Position | undefined => {
    const start = node?.range?.[0];
    if (start === undefined) return undefined;
    const { line, col } = lineCounter.linePos(start);
    return { line, col };
  };
  const top: Position = at(doc.contents as Node | null) ?? { line: 1, col: 1 };

  /** Position of the value at `pointer`, or of its key when `key` is set. */
  return function locate(pointer: string, opts: { key?: boolean } = {}): Position {
    let node: unknown = doc.contents;
    let found: Position = top;
    const segs = pointerSegments(pointer);
    for (let i = 0; i < segs.length; i++) {
      const next = child(node, segs[i]!);
      if (!next) return found;
      const last = i === segs.length - 1;
      const pos = (last && opts.key ? at(next.key) : undefined) ?? at(next.value) ?? at(next.key);
      if (pos) found = pos;
      node = next.value;
    }
    return found;
  };
}

export type Locate = ReturnType<typeof createLocator>;
