/**
 * The unmapped-data report (a first cut, X12): which elements of a transaction set no mapping rule
 * read, grouped by segment / qualifier / position with counts, so an integration engineer sees
 * what a partner sends that the canonical document does not carry.
 *
 * How: the mapping runs once more on a copy of the wire tree whose segments' element arrays record
 * every index read (values, predicates such as N1[01=ST], qualifier scans such as PO1/06~BP);
 * afterwards every non-empty element nobody read is reported. Only for the report: the normal path
 * runs the mapping on the tree itself.
 */
import type { Element, Loop, Segment, WireNode, WireTree } from '../formats/wire.ts';
import type { MappingView } from './config-port.ts';

export interface UnmappedEntry {
  /** where, as a mapping path would name it: 'REF[01=DP]/02', 'PO1/08~CB', 'TD5/03' */
  path: string;
  count: number;
  /** the first value seen there */
  example: string;
}

/** envelope of the set: read by the reader, not by mappings */
const ENVELOPE = new Set(['ST', 'SE']);
const CODE = /^[A-Z0-9]{1,3}$/;
/** segments whose element 01 qualifies the rest (REF*DP, DTM*002, N1*ST): reported as REF[01=DP]/02 */
const QUALIFIED = new Set(['REF', 'DTM', 'N1', 'PER', 'CUR', 'AMT', 'ITD', 'N9', 'MEA', 'SAC', 'TXI', 'QTY', 'MAN', 'PID', 'CTP', 'TD1', 'TD5', 'PKG', 'FOB', 'SI', 'YNQ', 'ACK', 'HL', 'PAM', 'SCH', 'G61', 'NTE', 'MSG']);

const text = (e: Element | undefined): string => (e === undefined ? '' : typeof e === 'string' ? e : e.join(':'));

interface Tracked { seg: Segment; read: Set<number> }

function track(node: Loop, out: Tracked[]): Loop {
  const children: WireNode[] = node.children.map((c) => {
    if ('tag' in c) {
      const read = new Set<number>();
      const elements = new Proxy(c.elements, {
        get(target, prop, receiver) {
          if (typeof prop === 'string' && /^\d+$/.test(prop)) read.add(Number(prop));
          return Reflect.get(target, prop, receiver);
        },
      });
      const seg: Segment = { tag: c.tag, elements, position: c.position };
      out.push({ seg: { tag: c.tag, elements: c.elements, position: c.position }, read });
      return seg;
    }
    return track(c, out);
  });
  return { ...node, children };
}

/** Runs the mapping on a tracked copy of the tree and lists the elements it did not read. */
export async function unmappedElements(mapping: Pick<MappingView, 'toCanonical'>, tree: WireTree): Promise<UnmappedEntry[]> {
  const tracked: Tracked[] = [];
  const copy: WireTree = { ...tree, root: track(tree.root, tracked) };
  await mapping.toCanonical(copy);
  const byPath = new Map<string, UnmappedEntry>();
  for (const { seg, read } of tracked) {
    if (ENVELOPE.has(seg.tag)) continue;
    const els = seg.elements;
    const first = text(els[0]);
    for (let i = 0; i < els.length; i++) {
      const v = text(els[i]);
      if (v === '' || read.has(i)) continue;
      const pos = String(i + 1).padStart(2, '0');
      const prev = i > 0 ? text(els[i - 1]) : '';
      // a value after a qualifier that was scanned (PO1/06~XX): named by its pair; a value in a
      // segment whose element 01 is a code (REF*DP, DTM*002): named with that qualifier
      const qualified = QUALIFIED.has(seg.tag) && CODE.test(first);
      const path = !qualified && i >= 2 && read.has(i - 1) && CODE.test(prev) ? `${seg.tag}/${String(i).padStart(2, '0')}~${prev}`
        : qualified ? `${seg.tag}[01=${first}]/${pos}` : `${seg.tag}/${pos}`;
      const e = byPath.get(path);
      if (e) e.count++;
      else byPath.set(path, { path, count: 1, example: v.length > 40 ? `${v.slice(0, 40)}...` : v });
    }
  }
  return [...byPath.values()].sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
}
