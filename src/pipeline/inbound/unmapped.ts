/**
 * The unmapped-data report: which elements of an X12 transaction set or EDIFACT message no mapping
 * rule read, grouped by segment / qualifier / position with counts, so an integration engineer
 * sees what a partner sends that the canonical document does not carry. What the mapping declares
 * it drops on purpose (`ignore:` with a reason, src/mapping/ignore.ts) is listed apart: declared,
 * counted, not alarming.
 *
 * How: the mapping runs once more on a copy of the wire tree whose segments' element arrays (and
 * composites' component arrays) record every index read (values, predicates such as N1[01=ST],
 * qualifier scans such as PO1/06~BP); afterwards every non-empty element nobody read is named in
 * the report's notation: X12 `REF[01=DP]/02`, `PO1/08~ZZ`, `TD5/03`, `N1[01=SF]/N3` (a segment
 * inside a qualified loop is named under it), EDIFACT `DTM+137/C507/2379`, `NAD+BY/C082/3055`
 * (unmapped-edifact.ts). A segment none of whose elements was read is one entry for the whole
 * segment. Only for the report: the normal path runs the mapping on the tree itself.
 */
import type { MessageGrammar, SegmentDef } from '../../formats/grammar.ts';
import type { Element, Loop, Segment, WireNode, WireTree } from '../../formats/wire.ts';
import { ignoreCovers, isStructural, qualifierAt, type IgnoreEntry, type NotationKey, type SegmentStandard } from '../../mapping/ignore.ts';
import { treeForDirectory } from '../../formats/edifact/grammars/relabel.ts';
import { edifactElementName } from './unmapped-edifact.ts';

export interface UnmappedEntry {
  /** where, in the report's notation: 'REF[01=DP]/02', 'PO1/08~CB', 'TD5/03', 'DTM+137/C507/2379' */
  path: string;
  count: number;
  /** the first value seen there (a whole segment: its text) */
  example: string;
  /** declared entries: the mapping's reason (its ignore: entries' reasons when several cover it) */
  reason?: string;
}

export interface UnmappedSet {
  undeclared: UnmappedEntry[];
  declared: UnmappedEntry[];
}

/** what the report needs of a compiled mapping */
export interface UnmappedMapping {
  toCanonical(input: unknown): Promise<unknown>;
  ignore?: readonly IgnoreEntry[];
  version?: string;
}

const CODE = /^[A-Z0-9]{1,4}$/;
const EXAMPLE_CHARS = 60;

const text = (e: Element | undefined): string => (e === undefined ? '' : typeof e === 'string' ? e : e.join(':'));
const compText = (e: Element | undefined, c: number): string => (e === undefined ? '' : typeof e === 'string' ? (c === 0 ? e : '') : (e[c] ?? ''));
const clip = (v: string): string => (v.length > EXAMPLE_CHARS ? `${v.slice(0, EXAMPLE_CHARS)}...` : v);
const pos = (i: number): string => String(i + 1).padStart(2, '0');

interface Tracked {
  seg: Segment;
  /** the trigger segment of the loop that names this segment's context (undefined at the top level) */
  ctx: Segment | undefined;
  read: Set<number>;
  comps: Map<number, Set<number>>;
}

function trackedElements(c: Segment, t: Tracked): Element[] {
  const wrapComposite = (arr: string[], i: number): string[] => new Proxy(arr, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        let s = t.comps.get(i);
        if (!s) t.comps.set(i, (s = new Set()));
        s.add(Number(prop));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  const composites = new Map<number, string[]>();
  return new Proxy(c.elements, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop === 'string' && /^\d+$/.test(prop)) {
        const i = Number(prop);
        if (Array.isArray(v)) {
          let w = composites.get(i);
          if (!w) composites.set(i, (w = wrapComposite(v as string[], i)));
          return w;
        }
        t.read.add(i);
      }
      return v;
    },
  });
}

function triggerOf(l: Loop): Segment | undefined {
  const f = l.children[0];
  return f && 'tag' in f ? f : undefined;
}

/** copies the tree with tracked element arrays; `ctxOfLoop`: the context a segment of this loop is named under */
function track(node: Loop, parentCtx: Segment | undefined, isRoot: boolean, out: Tracked[]): Loop {
  const own = isRoot ? undefined : triggerOf(node);
  const children: WireNode[] = node.children.map((c, i) => {
    if ('tag' in c) {
      const t: Tracked = { seg: c, ctx: i === 0 && !isRoot ? parentCtx : own, read: new Set(), comps: new Map() };
      out.push(t);
      return { ...c, elements: trackedElements(c, t) };
    }
    return track(c, own, false, out);
  });
  return { ...node, children };
}

/** whether an element is a code (X12 type ID), so the value after it is named by their pair; without a grammar, assumed */
function isCodeElement(grammar: MessageGrammar | undefined, tag: string, index: number): boolean {
  const d = grammar?.segments[tag]?.elements[index];
  return d === undefined || d.type === undefined || d.type === 'ID';
}

/** One standard's way of naming steps and elements in the notation. */
export interface Namer {
  standard: SegmentStandard;
  step(seg: Segment): { tag: string; code?: string; text: string };
  element(seg: Segment, elem: number, comp: number | undefined, pairCode: string | undefined): string;
  segmentText(seg: Segment): string;
}

function qualifierCode(std: SegmentStandard, seg: Segment): string | undefined {
  const q = qualifierAt(std, seg.tag);
  if (!q) return undefined;
  const v = compText(seg.elements[q.elem], q.comp);
  return CODE.test(v) ? v : undefined;
}

export function namerFor(std: SegmentStandard, grammar: MessageGrammar | undefined): Namer {
  const step = (seg: Segment) => {
    const code = qualifierCode(std, seg);
    const q = qualifierAt(std, seg.tag);
    return { tag: seg.tag, ...(code !== undefined ? { code } : {}), text: code === undefined ? seg.tag : std === 'x12' ? `${seg.tag}[${pos(q!.elem)}=${code}]` : `${seg.tag}+${code}` };
  };
  if (std === 'x12') {
    return {
      standard: std, step,
      element: (_s, e, c, pair) => `${pos(e)}${pair !== undefined ? `~${pair}` : ''}${c !== undefined ? `/${pos(c)}` : ''}`,
      segmentText: (s) => [s.tag, ...s.elements.map(text)].join('*').replace(/\*+$/, ''),
    };
  }
  return {
    standard: std, step,
    element: (s, e, c) => edifactElementName(grammar?.segments[s.tag], e, c),
    segmentText: (s) => [s.tag, ...s.elements.map(text)].join('+').replace(/\++$/, ''),
  };
}

interface Leaf { elem: number; comp: number | undefined; value: string; read: boolean }

/** the non-empty elements (components of composites; an EDIFACT composite sent with one component is its first) */
function leavesOf(t: Tracked, def: SegmentDef | undefined): Leaf[] {
  const out: Leaf[] = [];
  t.seg.elements.forEach((e, i) => {
    if (typeof e === 'string') {
      if (e !== '') out.push({ elem: i, comp: def?.elements[i]?.components ? 0 : undefined, value: e, read: t.read.has(i) });
    } else {
      const seen = t.comps.get(i);
      e.forEach((v, j) => { if (v !== '') out.push({ elem: i, comp: j, value: v, read: t.read.has(i) || seen?.has(j) === true }); });
    }
  });
  return out;
}

/**
 * Runs the mapping on a tracked copy of the tree and lists the elements it did not read: those its
 * `ignore:` covers as declared (with the reason), the rest as undeclared.
 */
export async function unmappedElements(mapping: UnmappedMapping, tree: WireTree, grammar?: MessageGrammar): Promise<UnmappedSet> {
  const std: SegmentStandard = tree.standard;
  const tracked: Tracked[] = [];
  const copy: WireTree = { ...tree, root: track(tree.root, undefined, true, tracked) };
  // EDIFACT: read through the mapping's directory's group numbers, as the pipeline does (stages/translate.ts)
  await mapping.toCanonical(std === 'edifact' ? treeForDirectory(copy, mapping.version) : copy);
  const namer = namerFor(std, grammar);
  const ignore = mapping.ignore ?? [];
  const undeclared = new Map<string, UnmappedEntry>();
  const declared = new Map<string, UnmappedEntry>();
  const add = (into: Map<string, UnmappedEntry>, path: string, example: string, reason?: string) => {
    const e = into.get(path);
    if (e) { e.count++; return; }
    into.set(path, { path, count: 1, example: clip(example), ...(reason !== undefined ? { reason } : {}) });
  };
  for (const t of tracked) {
    const seg = t.seg;
    if (isStructural(std, seg.tag)) continue;
    const q = qualifierAt(std, seg.tag);
    const s = namer.step(seg);
    const c = t.ctx ? namer.step(t.ctx) : undefined;
    const prefix = `${c ? `${c.text}/` : ''}${s.text}`;
    const isQualifier = (l: Leaf) => s.code !== undefined && q !== undefined && l.elem === q.elem && (l.comp ?? 0) === q.comp;
    const leaves = leavesOf(t, std === 'edifact' ? grammar?.segments[seg.tag] : undefined).filter((l) => !isQualifier(l));
    const unread = leaves.filter((l) => !l.read);
    if (unread.length === 0) continue;
    const keyBase: Omit<NotationKey, 'elem'> = { ...(c ? { ctx: { tag: c.tag, ...(c.code !== undefined ? { code: c.code } : {}) } } : {}), seg: { tag: s.tag, ...(s.code !== undefined ? { code: s.code } : {}) } };
    const named = unread.map((l) => {
      // a value after a qualifier that was scanned (PO1/06~XX) is named by its pair (X12, unqualified segments)
      const prev = l.comp === undefined && l.elem >= 2 && s.code === undefined && std === 'x12' ? text(seg.elements[l.elem - 1]) : '';
      const pair = prev !== '' && t.read.has(l.elem - 1) && CODE.test(prev) && isCodeElement(grammar, seg.tag, l.elem - 1) ? { at: l.elem - 1, code: prev } : undefined;
      const key: NotationKey = { ...keyBase, elem: { index: l.elem, ...(l.comp !== undefined ? { comp: l.comp } : {}), ...(pair ? { pair } : {}) } };
      const covering = ignore.filter((e) => ignoreCovers(e.parsed, key));
      const path = `${prefix}/${pair ? namer.element(seg, pair.at, l.comp, pair.code) : namer.element(seg, l.elem, l.comp, undefined)}`;
      // an EDIFACT component beside a coded component a predicate read (C212 ABC:MF, 7143 tested for EN, IN...): the example says which code
      let example = l.value;
      if (std === 'edifact' && l.comp !== undefined) {
        const comps = seg.elements[l.elem];
        const seen = t.comps.get(l.elem);
        if (Array.isArray(comps) && seen) {
          const k = comps.findIndex((v, i) => i !== l.comp && seen.has(i) && CODE.test(v) && !(q && s.code !== undefined && l.elem === q.elem && i === q.comp));
          if (k >= 0) example = `${l.value} (${namer.element(seg, l.elem, k, undefined).split('/').pop()} ${comps[k]})`;
        }
      }
      return { l, path, example, reasons: covering.map((e) => e.reason) };
    });
    const whole = unread.length === leaves.length;
    const allDeclared = named.every((n) => n.reasons.length > 0);
    if (whole && (allDeclared || named.every((n) => n.reasons.length === 0))) {
      const reasons = [...new Set(named.flatMap((n) => n.reasons))];
      if (allDeclared) add(declared, prefix, namer.segmentText(seg), reasons.join('; '));
      else add(undeclared, prefix, namer.segmentText(seg));
      continue;
    }
    for (const n of named) {
      if (n.reasons.length > 0) add(declared, n.path, n.example, [...new Set(n.reasons)].join('; '));
      else add(undeclared, n.path, n.example);
    }
  }
  const sorted = (m: Map<string, UnmappedEntry>) => [...m.values()].sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
  return { undeclared: sorted(undeclared), declared: sorted(declared) };
}
