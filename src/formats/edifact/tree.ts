/**
 * Builds the WireTree of one message from its segments and the message table: segment groups
 * become Loops ('SG2'), nested as the table nests them. Segments out of place, repeated too often
 * or missing are reported with ISO 9735 codes 15 / 35 / 36 / 13, and still kept in the tree
 * (so nothing is dropped and the writer can reproduce the input).
 */
import type { Loop, Segment, WireNode } from '../wire.ts';
import { isSegment } from '../wire.ts';
import type { LoopUse, MessageGrammar, SegmentUse } from '../grammar.ts';
import { isLoopUse } from '../grammar.ts';
import type { GatewayError } from '../../core/errors.ts';
import { SYNTAX_ERROR, issue } from './issues.ts';

type Use = SegmentUse | LoopUse;
interface Frame { uses: Use[]; node: Loop; idx: number; count: number }

const triggerOf = (u: LoopUse): string => {
  const first = u.children[0];
  return first && !isLoopUse(first) ? first.segment : '';
};
const maxOf = (u: Use): number => u.max ?? 1;

export interface TreeResult { root: Loop; errors: GatewayError[]; suppressed: number }

/** Flat tree: every segment a direct child of the root loop (used when no grammar is known). */
export function flatTree(message: string, segments: Segment[]): Loop {
  return { loop: message, children: segments };
}

export function buildTree(message: string, segments: Segment[], grammar: MessageGrammar, context: Record<string, unknown> = {}, maxErrors = 100): TreeResult {
  const root: Loop = { loop: message, children: [] };
  const list: GatewayError[] = [];
  let suppressed = 0;
  // creating an Error captures a stack: past the cap only count
  const errors = { push(e: () => GatewayError): void { if (list.length < maxErrors) list.push(e()); else suppressed++; } };
  const stack: Frame[] = [{ uses: grammar.children, node: root, idx: -1, count: 0 }];

  for (const seg of segments) {
    let placed = false;
    let over: { k: number; j: number; loop: boolean } | undefined;
    for (let k = stack.length - 1; k >= 0 && !placed; k--) {
      const f = stack[k] as Frame;
      for (let j = Math.max(f.idx, 0); j < f.uses.length; j++) {
        const u = f.uses[j] as Use;
        const isLoop = isLoopUse(u);
        if ((isLoop ? triggerOf(u) : u.segment) !== seg.tag) continue;
        if (j === f.idx && f.count >= maxOf(u)) { over ??= { k, j, loop: isLoop }; continue; }
        stack.length = k + 1;
        if (j === f.idx) f.count++; else { f.idx = j; f.count = 1; }
        if (isLoop) {
          const node: Loop = { loop: u.loop, children: [seg] };
          f.node.children.push(node);
          stack.push({ uses: u.children, node, idx: 0, count: 1 });
        } else f.node.children.push(seg);
        placed = true;
        break;
      }
    }
    if (placed) continue;
    if (over) {
      const f = stack[over.k] as Frame;
      stack.length = over.k + 1;
      f.count++;
      const u = f.uses[over.j] as Use;
      if (isLoopUse(u)) {
        const node: Loop = { loop: u.loop, children: [seg] };
        f.node.children.push(node);
        stack.push({ uses: u.children, node, idx: 0, count: 1 });
        errors.push(() => issue('edifact_group_repeated_too_often', `segment group ${u.loop} (${seg.tag}) occurs more than ${maxOf(u)} times`, {
          ...context, level: 'segment', severity: 'error', standardCode: SYNTAX_ERROR.tooManyGroupRepetitions, segment: seg.tag, segmentPosition: seg.position, loop: u.loop, expected: `at most ${maxOf(u)}`,
        }));
      } else {
        f.node.children.push(seg);
        errors.push(() => issue('edifact_segment_repeated_too_often', `segment ${seg.tag} at position ${seg.position} occurs more than ${maxOf(u)} times here`, {
          ...context, level: 'segment', severity: 'error', standardCode: SYNTAX_ERROR.tooManySegmentRepetitions, segment: seg.tag, segmentPosition: seg.position, expected: `at most ${maxOf(u)}`,
        }));
      }
      continue;
    }
    const top = stack[stack.length - 1] as Frame;
    top.node.children.push(seg);
    errors.push(() => issue('edifact_unexpected_segment', `segment ${seg.tag} at position ${seg.position} is not expected here in ${grammar.message} ${grammar.version}${top.node === root ? '' : ` (inside ${top.node.loop})`}`, {
      ...context, level: 'segment', severity: 'error', standardCode: SYNTAX_ERROR.notSupportedInPosition, segment: seg.tag, segmentPosition: seg.position, found: seg.tag,
    }));
  }
  checkMandatory(root, grammar.children, list, context);
  return { root, errors: list, suppressed };
}

function lastPosition(node: Loop): number {
  for (let i = node.children.length - 1; i >= 0; i--) {
    const c = node.children[i] as WireNode;
    if (isSegment(c)) return c.position;
    const p = lastPosition(c);
    if (p > 0) return p;
  }
  return 0;
}

function checkMandatory(node: Loop, uses: Use[], errors: GatewayError[], context: Record<string, unknown>): void {
  const kids = node.children;
  for (const u of uses) {
    if (isLoopUse(u)) {
      let found = false;
      for (const c of kids) {
        if (!isSegment(c) && c.loop === u.loop) { found = true; checkMandatory(c, u.children, errors, context); }
      }
      if (u.required && !found) {
        errors.push(issue('edifact_mandatory_segment_missing', `mandatory segment group ${u.loop} (${triggerOf(u)}) is missing in ${node.loop}`, {
          ...context, level: 'segment', severity: 'error', standardCode: SYNTAX_ERROR.missing, segment: triggerOf(u), segmentPosition: lastPosition(node) + 1, loop: u.loop, expected: triggerOf(u),
        }));
      }
    } else if (u.required && u.segment !== 'UNH' && u.segment !== 'UNT') {
      let found = false;
      for (const c of kids) if (isSegment(c) && c.tag === u.segment) { found = true; break; }
      if (!found) {
        errors.push(issue('edifact_mandatory_segment_missing', `mandatory segment ${u.segment} is missing in ${node.loop}`, {
          ...context, level: 'segment', severity: 'error', standardCode: SYNTAX_ERROR.missing, segment: u.segment, segmentPosition: lastPosition(node) + 1, expected: u.segment,
        }));
      }
    }
  }
}
