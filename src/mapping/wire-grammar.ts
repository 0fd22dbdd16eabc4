/**
 * Checks segment paths against a MessageGrammar and turns EDIFACT element/component ids into
 * positions: `NAD[3035=ST]/C080/3036` -> NAD[01=ST]/05/01.
 */
import { isLoopUse, type LoopUse, type MessageGrammar, type SegmentDef, type SegmentUse } from '../formats/grammar.ts';
import { nearest } from './canonical-fields.ts';
import type { ElemRef, WirePath } from './wire-path.ts';

export interface GrammarIndex {
  grammar: MessageGrammar;
  /** loop id -> trigger segment tag */
  loops: Map<string, string>;
  label: string;
}

export function indexGrammar(g: MessageGrammar): GrammarIndex {
  const loops = new Map<string, string>();
  const walk = (uses: Array<SegmentUse | LoopUse>): void => {
    for (const u of uses) {
      if (isLoopUse(u)) {
        const first = u.children[0];
        loops.set(u.loop, first && !isLoopUse(first) ? first.segment : u.loop);
        walk(u.children);
      }
    }
  };
  walk(g.children);
  return { grammar: g, loops, label: `${g.message} ${g.version}` };
}

/** The segment tag a step names: itself, or a loop's trigger segment. */
export function triggerTag(name: string, gi: GrammarIndex | undefined): string {
  return gi?.loops.get(name) ?? name;
}

export interface PathError {
  rule: 'not_in_grammar' | 'element_out_of_range' | 'grammar_required' | 'not_in_loop';
  message: string;
  hint?: string;
}

function resolveRef(ref: ElemRef, defs: Array<{ id: string }> | undefined, what: string, tag: string, gi: GrammarIndex | undefined): PathError | undefined {
  if (ref.index >= 0) {
    if (defs && defs.length > 0 && ref.index >= defs.length) {
      return { rule: 'element_out_of_range', message: `${what} ${ref.raw} is past the last ${what} of ${tag} (${tag} has ${defs.length} in ${gi?.label ?? ''})` };
    }
    return undefined;
  }
  if (!gi) return { rule: 'grammar_required', message: `${what} id ${ref.raw} needs the message grammar, which is not available` };
  const i = (defs ?? []).findIndex((d) => d.id === ref.raw);
  if (i < 0) {
    const ids = (defs ?? []).map((d) => d.id).join(', ');
    return { rule: 'not_in_grammar', message: `${tag} has no ${what} ${ref.raw} in ${gi.label}`, hint: ids ? `${tag} has ${ids}` : 'use a position (01..99)' };
  }
  ref.index = i;
  return undefined;
}

function checkElem(def: SegmentDef | undefined, tag: string, elem: ElemRef, comp: ElemRef | undefined, gi: GrammarIndex | undefined): PathError | undefined {
  const e1 = resolveRef(elem, def?.elements, 'element', tag, gi);
  if (e1) return e1;
  if (comp) {
    const ed = def?.elements[elem.index];
    const comps = ed?.components;
    if (comp.index < 0 && ed && !comps) return { rule: 'not_in_grammar', message: `element ${elem.raw} of ${tag} is not a composite, so it has no component ${comp.raw}`, hint: `drop /${comp.raw}` };
    return resolveRef(comp, comps, 'component', `${tag}/${elem.raw}`, gi);
  }
  return undefined;
}

/**
 * Resolves ids in place and checks tags and positions. ctxTag is the segment the path is relative
 * to when it has no steps. Returns error sentences (empty = fine).
 */
export function checkWirePath(p: WirePath, gi: GrammarIndex | undefined, ctxTag: string | undefined): PathError[] {
  const errors: PathError[] = [];
  const segDef = (tag: string): SegmentDef | undefined => gi?.grammar.segments[tag];
  for (const s of p.steps) {
    if (s.name === '**') continue;
    if (gi && !gi.grammar.segments[s.name] && !gi.loops.has(s.name)) {
      const near = nearest(s.name, [...Object.keys(gi.grammar.segments), ...gi.loops.keys()]);
      errors.push({ rule: 'not_in_grammar', message: `segment ${s.name} is not in the grammar of ${gi.label}`, hint: near ? `did you mean ${near}?` : `check the segment tag against the ${gi.label} grammar` });
      continue;
    }
    const tag = triggerTag(s.name, gi);
    for (const pr of s.preds) {
      const e = checkElem(segDef(tag), tag, pr.elem, pr.comp, gi);
      if (e) errors.push(e);
    }
  }
  if (p.elem) {
    const lastStep = p.steps[p.steps.length - 1];
    const tag = lastStep ? triggerTag(lastStep.name, gi) : ctxTag;
    if (tag === undefined) {
      if (p.elem.index < 0 || (p.comp && p.comp.index < 0)) errors.push({ rule: 'grammar_required', message: `element id ${p.elem.raw} needs a segment to look it up in: name it (e.g. NAD/${p.elem.raw})` });
    } else if (!gi || gi.grammar.segments[tag] || gi.loops.has(tag)) {
      const e = checkElem(segDef(tag), tag, p.elem, p.comp, gi);
      if (e) errors.push(e);
    }
  }
  return errors;
}

/** the names a relative step may match among a node's children: segment tags and loop ids */
function childNames(uses: Array<SegmentUse | LoopUse>): Set<string> {
  return new Set(uses.map((u) => (isLoopUse(u) ? u.loop : u.segment)));
}

/** every loop (with the chain of loops that holds it), outermost first */
function allLoops(g: MessageGrammar): Array<{ use: LoopUse; chain: string[]; trigger: string | undefined }> {
  const out: Array<{ use: LoopUse; chain: string[]; trigger: string | undefined }> = [];
  const walk = (uses: Array<SegmentUse | LoopUse>, chain: string[]) => {
    for (const u of uses) {
      if (!isLoopUse(u)) continue;
      const first = u.children[0];
      out.push({ use: u, chain, trigger: first && !isLoopUse(first) ? first.segment : undefined });
      walk(u.children, [...chain, u.loop]);
    }
  };
  walk(g.children, []);
  return out;
}

/**
 * A relative path inside a loop (each:/within: over N1) whose first step names a segment or loop
 * that loop does not hold per the grammar never matches: the rule silently maps nothing. Checked
 * when the context is a loop (its trigger tag `ctxTag`) or the message itself (no ctxTag, at the
 * top of an inbound mapping); a segment context, `/`, `..` and `**` paths are not.
 */
export function checkLoopScope(p: WirePath, gi: GrammarIndex | undefined, ctxTag: string | undefined, atTop: boolean): PathError | undefined {
  const first = p.steps[0];
  if (!gi || !first || first.name === '**' || p.absolute || p.up) return undefined;
  const loops = allLoops(gi.grammar);
  const here = ctxTag === undefined ? undefined : loops.filter((l) => l.trigger === ctxTag);
  if (ctxTag === undefined ? !atTop : here!.length === 0) return undefined;
  const scope = ctxTag === undefined ? childNames(gi.grammar.children) : new Set(here!.flatMap((l) => [...childNames(l.use.children)]));
  if (scope.has(first.name)) return undefined;
  const name = first.name;
  const topLevel = childNames(gi.grammar.children).has(name);
  const homes = loops.filter((l) => childNames(l.use.children).has(name));
  if (!topLevel && homes.length === 0) return undefined; // not in the grammar at all: checkWirePath says so
  // by loop id, with where that loop sits when it sits in more than one place (X12 N1 under the message, PO1, ...)
  const byId = new Map<string, string[]>();
  for (const h of homes) byId.set(h.use.loop, [...(byId.get(h.use.loop) ?? []), h.chain.join('/') || 'the message']);
  const where = [
    ...(topLevel ? ['at the message level (outside every loop)'] : []),
    ...[...byId].map(([id, within]) => `in loop ${id}${within.length > 1 || within[0] !== 'the message' ? ` (within ${within.join(', ')})` : ''}`),
  ].join(', ');
  const loopNames = [...new Set(here?.map((l) => l.use.loop) ?? [])].join(' or ');
  const inLoop = ctxTag === undefined ? 'at the message level' : `in loop ${loopNames}`;
  // where to read it from instead: the loop that holds this one (..), or the message root (/)
  const parents = (here ?? []).map((l) => l.chain[l.chain.length - 1]);
  const viaParent = here && parents.some((parent) => (parent === undefined ? topLevel : homes.some((h) => h.use.loop === parent)));
  const hint = viaParent ? `read it from the loop that holds this one: ../${p.text}`
    : topLevel ? `start at the message: /${p.text}`
      : homes.length > 0 ? `name its loop: ${ctxTag === undefined ? '' : '/'}${[...homes[0]!.chain, homes[0]!.use.loop].join('/')}/${p.text}${ctxTag === undefined ? ` (or **/${p.text})` : ' (from the message: its first such loop)'}` : undefined;
  return {
    rule: 'not_in_loop',
    message: `${name} is not ${inLoop} per the ${gi.label} grammar, so this path finds nothing here; ${name} is ${where}`,
    ...(hint ? { hint } : {}),
  };
}
