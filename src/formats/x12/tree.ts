/**
 * Places the segments of one transaction set (ST..SE) into the loops of its grammar and checks
 * segment order, repeats, mandatory segments and (optionally) elements. X12 placement rule: a
 * segment is looked for from the current position forward in the current loop, then in each
 * enclosing loop (which closes the inner ones); a loop's trigger segment opens a new loop
 * iteration. A segment found only earlier in the current loop is kept there and reported as out
 * of sequence (AK304 7); a segment the grammar cannot place is kept in the current loop and
 * reported (1 unrecognized, 6 not in set, 2 unexpected). Nothing is ever dropped.
 */
import { isLoopUse, type LoopUse, type MessageGrammar, type SegmentDef, type SegmentUse } from '../grammar.ts';
import type { Loop, Segment } from '../wire.ts';
import { SEG, type X12Error } from './errors.ts';
import { X12Segment } from './segment.ts';
import { fastDef, validateElements, type FastDef } from './validate-elements.ts';
import { textLooksValid } from './validate-text.ts';

interface ChildSpec {
  tag: string; // segment tag or loop trigger tag
  loop?: LoopSpec;
  max: number;
  required: boolean;
  name: string;
}
interface LoopSpec {
  id: string;
  children: ChildSpec[];
  /** tag id (CompiledGrammar.tags) -> indexes of children with that tag (segment or loop trigger), ascending; [] when none */
  byTag: number[][];
  /** indexes of required children (after the trigger for loops) */
  required: number[];
  /** packed zero counts, copied once when the loop's frame is made */
  zeros: number[];
  /**
   * The frame this loop uses while it is open, made on first use and reused for every iteration
   * of every transaction set read with this grammar (a loop is never open twice at once, and
   * buildTree runs to the end synchronously), so reading allocates only the tree itself.
   */
  frame: Frame | undefined;
}

const NONE: number[] = [];

function spec(id: string, children: ChildSpec[], isLoop: boolean, tagIds: Map<string, TagInfo>): LoopSpec {
  const byTag: number[][] = [];
  for (let t = 0; t < tagIds.size; t++) byTag.push(NONE);
  children.forEach((c, i) => {
    const t = (tagIds.get(c.tag) as TagInfo).id;
    byTag[t] = byTag[t] === NONE ? [i] : [...(byTag[t] as number[]), i];
  });
  const required: number[] = [];
  children.forEach((c, i) => { if (c.required && (!isLoop || i > 0)) required.push(i); });
  const zeros: number[] = [];
  for (let i = 0; i < children.length; i++) zeros.push(0);
  return { id, children, byTag, required, zeros, frame: undefined };
}

/** What the tree builder knows of a tag: its number (an index into LoopSpec.byTag) and its element checks, if any. */
interface TagInfo {
  id: number;
  check: { def: SegmentDef; fast: FastDef } | undefined;
}

export interface CompiledGrammar {
  grammar: MessageGrammar;
  root: LoopSpec;
  known: Set<string>;
  /** every tag of the grammar's structure and segment dictionary: one map lookup per segment read */
  tags: Map<string, TagInfo>;
}

function collectTags(children: Array<SegmentUse | LoopUse>, into: string[]): void {
  for (const c of children) {
    if (isLoopUse(c)) collectTags(c.children, into);
    else into.push(c.segment);
  }
}

function compileChildren(children: Array<SegmentUse | LoopUse>, tagIds: Map<string, TagInfo>): ChildSpec[] {
  return children.map((c) => {
    if (isLoopUse(c)) {
      const inner = compileChildren(c.children, tagIds);
      return { tag: inner[0]?.tag ?? '', loop: spec(c.loop, inner, true, tagIds), max: c.max ?? 1, required: c.required === true, name: c.loop };
    }
    return { tag: c.segment, max: c.max ?? 1, required: c.required === true, name: c.segment };
  });
}

const compiledCache = new WeakMap<MessageGrammar, CompiledGrammar>();

export function compileGrammar(grammar: MessageGrammar): CompiledGrammar {
  const hit = compiledCache.get(grammar);
  if (hit) return hit;
  const names: string[] = Object.keys(grammar.segments);
  collectTags(grammar.children, names);
  const tags = new Map<string, TagInfo>();
  for (const tag of names) {
    if (tags.has(tag)) continue;
    const def = grammar.segments[tag];
    tags.set(tag, { id: tags.size, check: def && def.elements.length > 0 ? { def, fast: fastDef(def) } : undefined });
  }
  const compiled = { grammar, root: spec(grammar.message, compileChildren(grammar.children, tags), false, tags), known: new Set(Object.keys(grammar.segments)), tags };
  compiledCache.set(grammar, compiled);
  return compiled;
}

interface Frame { spec: LoopSpec; node: Loop; pos: number; counts: number[]; isLoop: boolean; parent: Frame | undefined }

/**
 * Segment and element findings kept per transaction set; past it they are only counted
 * (`suppressed`). A run of a million empty segments ('~~~...') made a million findings: 9 s and
 * 1.9 GB for a 1 MB message. EDIFACT keeps the same number (maxErrorsPerMessage).
 */
export const MAX_SET_FINDINGS = 100;

export interface TreeResult { root: Loop; errors: X12Error[]; suppressed: number }

interface Ctx { errors: X12Error[]; tcn: string | undefined; segmentCount: number; suppressed: number }

function full(ctx: Ctx): boolean {
  if (ctx.errors.length < MAX_SET_FINDINGS) return false;
  ctx.suppressed++;
  return true;
}

function segErr(ctx: Ctx, seg: Segment, code: string, error: string, message: string, loopId?: string): void {
  if (full(ctx)) return;
  ctx.errors.push({ error, level: 'segment', code, message, segment: seg.tag, segmentPosition: seg.position, ...(ctx.tcn !== undefined ? { transactionControlNumber: ctx.tcn } : {}), ...(loopId ? { loopId } : {}) });
}

/** at: position of the segment that closed the loop (where the missing segment was noticed) */
function close(ctx: Ctx, f: Frame, at: number): void {
  const kids = f.spec.children;
  for (const i of f.spec.required) {
    const k = kids[i] as ChildSpec;
    if (f.counts[i] === 0 && !full(ctx)) {
      ctx.errors.push({ error: 'x12_mandatory_segment_missing', level: 'segment', code: SEG.mandatoryMissing, message: `mandatory ${k.loop ? `loop ${k.name}` : `segment ${k.tag}`} missing${f.isLoop ? ` in loop ${f.spec.id}` : ''}`,
        segment: k.tag, segmentPosition: at, ...(ctx.tcn !== undefined ? { transactionControlNumber: ctx.tcn } : {}), ...(f.isLoop ? { loopId: f.spec.id } : {}) });
    }
  }
}

const TAG = /^[A-Z][A-Z0-9]{1,2}$/;

/**
 * Resets a reused frame's counts. Placement only moves forward (pos never decreases; a segment
 * found earlier in the loop is counted below pos), so every count after pos is still zero.
 */
function reset(f: Frame): void {
  const counts = f.counts;
  for (let i = 0; i <= f.pos && i < counts.length; i++) counts[i] = 0;
  f.pos = 0;
}

export function buildTree(compiled: CompiledGrammar, segments: Segment[], opts: { validateElements?: boolean; transactionControlNumber?: string } = {}): TreeResult {
  const errors: X12Error[] = [];
  const check = opts.validateElements !== false;
  // one mutable location record per set: findings copy it when (rarely) created
  const where: { segment: string; segmentPosition: number; transactionControlNumber?: string; loopId?: string } = { segment: '', segmentPosition: 0 };
  if (opts.transactionControlNumber !== undefined) where.transactionControlNumber = opts.transactionControlNumber;
  const tags = compiled.tags;
  const tcn = opts.transactionControlNumber;
  const root: Loop = { loop: compiled.root.id, children: [] };
  let top: Frame = compiled.root.frame ??= { spec: compiled.root, node: root, pos: 0, counts: compiled.root.zeros.slice(), isLoop: false, parent: undefined };
  top.node = root; reset(top);

  const ctx: Ctx = { errors, tcn, segmentCount: segments.length, suppressed: 0 };
  const spill: X12Error[] = []; // element findings past the cap, counted and dropped
  for (const seg of segments) {
    const tag = seg.tag;
    const info = tags.get(tag);
    let placed = false;
    for (let f: Frame | undefined = info === undefined ? undefined : top; f; f = f.parent) {
      const kids = f.spec.children;
      const candidates = f.spec.byTag[(info as TagInfo).id] as number[];
      if (candidates.length === 0) continue;
      const from = f.isLoop && f.pos === 0 ? 1 : f.pos;
      let idx = -1;
      for (const i of candidates) if (i >= from) { idx = i; break; }
      if (idx < 0) continue;
      while (top !== f) { close(ctx, top, seg.position); top = top.parent as Frame; }
      const child = kids[idx] as ChildSpec;
      f.pos = idx;
      const n = ++(f.counts[idx] as number);
      if (child.loop) {
        if (n > child.max) segErr(ctx, seg, SEG.loopOverMax, 'x12_loop_over_max', `loop ${child.name} occurs more than ${child.max} times`, child.name);
        const node: Loop = { loop: child.loop.id, children: [seg] };
        f.node.children.push(node);
        const frame = child.loop.frame ??= { spec: child.loop, node, pos: 0, counts: child.loop.zeros.slice(), isLoop: true, parent: f };
        frame.node = node; reset(frame); frame.counts[0] = 1;
        top = frame;
      } else {
        if (n > child.max) segErr(ctx, seg, SEG.segmentOverMax, 'x12_segment_over_max', `segment ${tag} occurs more than ${child.max} times`, f.isLoop ? f.spec.id : undefined);
        f.node.children.push(seg);
      }
      placed = true;
      break;
    }
    if (!placed) {
      // a segment whose place is earlier in this loop or an enclosing one (TDS after ISS in an 810):
      // counted there, so it is not also reported missing, and the segment it should precede is named
      let earlier = -1;
      let owner: Frame | undefined;
      for (let f: Frame | undefined = info === undefined ? undefined : top; f && earlier < 0; f = f.parent) {
        const kids = f.spec.children;
        for (let i = f.isLoop ? 1 : 0; i < f.pos && i < kids.length; i++) if ((kids[i] as ChildSpec).tag === tag && !(kids[i] as ChildSpec).loop) { earlier = i; owner = f; break; }
      }
      const loopId = top.isLoop ? top.spec.id : undefined;
      if (earlier >= 0 && owner) {
        owner.counts[earlier] = (owner.counts[earlier] as number) + 1;
        const passed = owner.spec.children[owner.pos] as ChildSpec;
        segErr(ctx, seg, SEG.outOfSequence, 'x12_segment_out_of_sequence', `segment ${tag} is out of order: it must come before ${passed.loop ? `loop ${passed.name}` : `segment ${passed.tag}`}${owner.isLoop ? ` in loop ${owner.spec.id}` : ''}`, loopId);
      } else if (!TAG.test(tag)) segErr(ctx, seg, SEG.unrecognized, 'x12_unrecognized_segment', `unrecognized segment id '${tag}'`, loopId);
      else if (!compiled.known.has(tag)) segErr(ctx, seg, SEG.notInSet, 'x12_segment_not_in_set', `segment ${tag} is not defined in transaction set ${compiled.grammar.message}`, loopId);
      else segErr(ctx, seg, SEG.unexpected, 'x12_unexpected_segment', `unexpected segment ${tag}`, loopId);
      top.node.children.push(seg);
    }
    if (check) {
      const c = info?.check;
      const source = c !== undefined && seg instanceof X12Segment ? seg.simpleSource : undefined;
      if (c !== undefined && !(source !== undefined && textLooksValid(source, (seg as X12Segment).textStart, (seg as X12Segment).textEnd, (seg as X12Segment).elementSeparator, c.fast))) {
        where.segment = tag; where.segmentPosition = seg.position; where.loopId = top.isLoop ? top.spec.id : undefined;
        if (errors.length < MAX_SET_FINDINGS) validateElements(seg, c.def, where, errors, c.fast);
        else { validateElements(seg, c.def, where, spill, c.fast); ctx.suppressed += spill.length; spill.length = 0; }
      }
    }
  }
  const end = segments[segments.length - 1]?.position ?? 0;
  for (let f: Frame | undefined = top; f; f = f.parent) close(ctx, f, end);
  return { root, errors, suppressed: ctx.suppressed };
}

/** A tree without a grammar: all segments in the root loop (unsupported transaction sets). */
export function flatTree(message: string, segments: Segment[]): Loop {
  return { loop: message, children: segments.slice() };
}
